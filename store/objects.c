// SPDX-License-Identifier: GPL-2.0-or-later
/* Configs and secrets under the state root: see store/objects.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "store/objects.h"

const char *obj_kind_name(enum obj_kind k)
{
	return k == OBJ_SECRET ? "secret" : "config";
}

static const char *kind_dir(enum obj_kind k)
{
	return k == OBJ_SECRET ? "secrets" : "configs";
}

bool obj_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > OBJ_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

bool obj_key_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > OBJ_KEY_MAX || strcmp(s, ".") == 0 || strncmp(s, "..", 2) == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("._-", s[i])))
			return false;
	return true;
}

size_t obj_max_bytes(void)
{
	return (size_t)CONFIG_STORE_MAX_KB * 1024;
}

/* ---- data in memory ------------------------------------------------------- */

static void entry_wipe(struct obj_entry *e)
{
	if (e->data)
		explicit_bzero(e->data, e->len);
	free(e->data);
	free(e->key);
	e->data = e->key = NULL;
}

void obj_data_clear(struct obj_data *d)
{
	for (size_t i = 0; i < d->n; i++)
		entry_wipe(&d->v[i]);
	free(d->v);
	*d = (struct obj_data){ 0 };
}

const struct obj_entry *obj_data_get(const struct obj_data *d, const char *key)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->v[i].key, key) == 0)
			return &d->v[i];
	return NULL;
}

/* Takes DATA (LEN bytes, heap) on success. */
static int data_push(struct obj_data *d, const char *key, char *data, size_t len, berr *err)
{
	if (!obj_key_valid(key))
		return berr_fail(err, EINVAL,
				 "Key \"%s\" is not a valid key (letters, digits, '.', '_', '-'; not starting with \"..\")",
				 key);
	if (obj_data_get(d, key))
		return berr_fail(err, EEXIST, "Key \"%s\" is given twice", key);
	if (d->n >= OBJ_MAX_KEYS)
		return berr_fail(err, E2BIG, "More than %d keys", OBJ_MAX_KEYS);
	if (len > obj_max_bytes() - d->total)
		return berr_fail(err, EFBIG, "Key \"%s\": %zu bytes make it larger than %zu KiB", key,
				 len, obj_max_bytes() / 1024);
	struct obj_entry *v = realloc(d->v, (d->n + 1) * sizeof(*v));
	if (!v)
		return berr_fail(err, ENOMEM, "Out of memory");
	d->v = v;
	v[d->n].key = strdup(key);
	if (!v[d->n].key)
		return berr_fail(err, ENOMEM, "Out of memory");
	v[d->n].data = data;
	v[d->n].len = len;
	d->n++;
	d->total += len;
	return 0;
}

int obj_data_add(struct obj_data *d, const char *key, const void *data, size_t len, berr *err)
{
	char *copy = malloc(len ? len : 1);
	if (!copy)
		return berr_fail(err, ENOMEM, "Out of memory");
	memcpy(copy, data, len);
	int r = data_push(d, key, copy, len, err);
	if (r < 0) {
		explicit_bzero(copy, len);
		free(copy);
	}
	return r;
}

/* Read the regular file FD (LEN bytes at most CAP) into a heap buffer. */
static int read_fd_capped(int fd, const char *path, size_t cap, char **ret, size_t *ret_len,
			  berr *err)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return berr_errno(err, errno, "\"%s\"", path);
	if (!S_ISREG(st.st_mode))
		return berr_fail(err, EINVAL, "\"%s\" is not a regular file", path);
	if ((uint64_t)st.st_size > cap)
		return berr_fail(err, EFBIG, "\"%s\" is larger than %zu KiB (%jd bytes)", path,
				 obj_max_bytes() / 1024, (intmax_t)st.st_size);
	size_t want = (size_t)st.st_size;
	char *buf = malloc(want + 1);
	if (!buf)
		return berr_fail(err, ENOMEM, "Out of memory");
	size_t got = 0;
	for (;;) {
		/* a file may grow while read: one byte more than its size tells */
		ssize_t n = read(fd, buf + got, want + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			explicit_bzero(buf, got);
			free(buf);
			return berr_errno(err, e, "Read \"%s\"", path);
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > want) {
			explicit_bzero(buf, got);
			free(buf);
			return berr_fail(err, EAGAIN, "\"%s\" changed while it was read", path);
		}
	}
	*ret = buf;
	*ret_len = got;
	return 0;
}

static int add_file_at(struct obj_data *d, int dirfd, const char *name, const char *key,
		       const char *shown, berr *err)
{
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return berr_errno(err, errno, "Open \"%s\"%s", shown,
				  errno == ELOOP ? " (a symbolic link)" : "");
	char *buf = NULL;
	size_t len = 0;
	int r = read_fd_capped(fd, shown, obj_max_bytes() - d->total, &buf, &len, err);
	if (r < 0)
		return r;
	r = data_push(d, key, buf, len, err);
	if (r < 0) {
		explicit_bzero(buf, len);
		free(buf);
		return berr_prefix(err, "\"%s\"", shown);
	}
	return 0;
}

int obj_data_add_file(struct obj_data *d, const char *key, const char *path, berr *err)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return berr_errno(err, errno, "\"%s\"", path);
	if (!S_ISDIR(st.st_mode)) {
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		return add_file_at(d, AT_FDCWD, path, key ? key : base, path, err);
	}
	if (key)
		return berr_fail(err, EISDIR, "\"%s\" is a directory: a key names one file", path);
	_cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return berr_errno(err, errno, "Open \"%s\"", path);
	_cleanup_closedir_ DIR *dir = opendir_dup(dfd);
	if (!dir)
		return berr_errno(err, errno, "Read \"%s\"", path);
	struct dirent *de;
	while ((de = readdir(dir))) {
		struct stat est;
		/* as kubectl: the directory's regular files; the rest is skipped */
		if (de->d_name[0] == '.' || fstatat(dfd, de->d_name, &est, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(est.st_mode))
			continue;
		char shown[PATH_MAX];
		snprintf(shown, sizeof(shown), "%s/%s", path, de->d_name);
		int r = add_file_at(d, dfd, de->d_name, de->d_name, shown, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct obj_entry *)a)->key, ((const struct obj_entry *)b)->key);
}

static bool data_equal(const struct obj_data *a, const struct obj_data *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct obj_entry *o = obj_data_get(b, a->v[i].key);
		if (!o || o->len != a->v[i].len || memcmp(o->data, a->v[i].data, o->len) != 0)
			return false;
	}
	return true;
}

/* ---- on disk -------------------------------------------------------------- */

/* ROOT/KIND/NS (created with 0700 when CREATE). Returns an fd or -errno. */
static int open_ns_dir(const char *root, enum obj_kind k, const char *ns, bool create, berr *err)
{
	if (!obj_name_valid(ns))
		return berr_fail(err, EINVAL, "Namespace \"%s\" is not a DNS label ([a-z0-9-], at most 63)",
				 ns);
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s/%s/%s", root, kind_dir(k), ns) >= (int)sizeof(path))
		return berr_fail(err, ENAMETOOLONG, "Root \"%s\" is too long", root);
	if (create) {
		int r = mkdir_p(path, 0700, err);
		if (r < 0)
			return r;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : berr_errno(err, errno, "Open \"%s\"", path);
	return fd;
}

static int name_check(enum obj_kind k, const char *name, berr *err)
{
	if (!obj_name_valid(name))
		return berr_fail(err, EINVAL,
				 "%s name \"%s\" is not a DNS label ([a-z0-9] and '-', at most 63)",
				 k == OBJ_SECRET ? "Secret" : "Config", name);
	return 0;
}

static int not_found(enum obj_kind k, const char *ns, const char *name, berr *err)
{
	return berr_fail(err, ENOENT, "No %s \"%s\" in namespace \"%s\"", obj_kind_name(k), name, ns);
}

/* The version "current" points at, from the object's dir fd. */
static int read_current(int ofd, char ret[OBJ_VERSION_MAX])
{
	char buf[OBJ_VERSION_MAX];
	ssize_t n = readlinkat(ofd, "current", buf, sizeof(buf) - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	/* vN-XXXXXXXX: a counter, and a random tag so that a name removed and
	 * created again never repeats a version a container still runs */
	size_t d = strspn(buf + 1, "0123456789");
	if (buf[0] != 'v' || d == 0 || buf[1 + d] != '-' || strlen(buf + 2 + d) != 8 ||
	    strspn(buf + 2 + d, "0123456789abcdef") != 8)
		return -EINVAL;
	memcpy(ret, buf, (size_t)n + 1);
	return 0;
}

static int fsync_fd_dir(int dfd)
{
	return fsync(dfd) < 0 ? -errno : 0;
}

static int write_key(int vfd, const struct obj_entry *e, berr *err)
{
	_cleanup_close_ int fd = openat(vfd, e->key, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return berr_errno(err, errno, "Create key \"%s\"", e->key);
	for (size_t off = 0; off < e->len;) {
		ssize_t n = write(fd, e->data + off, e->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return berr_errno(err, errno, "Write key \"%s\"", e->key);
		off += (size_t)n;
	}
	if (fsync(fd) < 0)
		return berr_errno(err, errno, "Write key \"%s\"", e->key);
	return 0;
}

/* Remove every entry of OFD but "current" and KEEP (versions and temp dirs). */
static void prune_versions(int ofd, const char *keep)
{
	_cleanup_closedir_ DIR *dir = opendir_dup(ofd);
	struct dirent *de;
	while (dir && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    !strcmp(de->d_name, "current") || !strcmp(de->d_name, keep))
			continue;
		rm_rf_at(ofd, de->d_name);
	}
}

static int read_version(int ofd, const char *version, struct obj_data *ret, berr *err)
{
	_cleanup_close_ int vfd = openat(ofd, version, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (vfd < 0)
		return berr_errno(err, errno, "Open version \"%s\"", version);
	_cleanup_closedir_ DIR *dir = opendir_dup(vfd);
	if (!dir)
		return berr_errno(err, errno, "Read version \"%s\"", version);
	struct obj_data d = { 0 };
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		int r = add_file_at(&d, vfd, de->d_name, de->d_name, de->d_name, err);
		if (r < 0) {
			obj_data_clear(&d);
			return r;
		}
	}
	if (d.n)
		qsort(d.v, d.n, sizeof(*d.v), entry_cmp);
	*ret = d;
	return 0;
}

/* The namespace directory of an existing object NAME (checked), read-only;
 * "not found" when the namespace has no objects of kind K. Returns the fd,
 * owned by the caller, or a negative errno. */
static int open_ns_of(const char *root, enum obj_kind k, const char *ns, const char *name,
		      berr *err)
{
	int r = name_check(k, name, err);
	if (r < 0)
		return r;
	int nfd = open_ns_dir(root, k, ns, false, err);
	return nfd == -ENOENT ? not_found(k, ns, name, err) : nfd;
}

static int open_object(const char *root, enum obj_kind k, const char *ns, const char *name,
		       berr *err)
{
	_cleanup_close_ int nfd = open_ns_of(root, k, ns, name, err);
	if (nfd < 0)
		return nfd;
	int ofd = openat(nfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ofd < 0 && errno == ENOENT)
		return not_found(k, ns, name, err);
	if (ofd < 0)
		return berr_errno(err, errno, "Open %s \"%s\"", obj_kind_name(k), name);
	return ofd;
}

int obj_version(const char *root, enum obj_kind k, const char *ns, const char *name,
		char ret[OBJ_VERSION_MAX], berr *err)
{
	_cleanup_close_ int ofd = open_object(root, k, ns, name, err);
	if (ofd < 0)
		return ofd;
	int r = read_current(ofd, ret);
	if (r == -ENOENT)
		return not_found(k, ns, name, err);
	if (r < 0)
		return berr_errno(err, -r, "%s \"%s\": bad \"current\" link", obj_kind_name(k), name);
	return 0;
}

int obj_get(const char *root, enum obj_kind k, const char *ns, const char *name,
	    struct obj_data *ret, char ret_version[OBJ_VERSION_MAX], berr *err)
{
	_cleanup_close_ int ofd = open_object(root, k, ns, name, err);
	if (ofd < 0)
		return ofd;
	char ver[OBJ_VERSION_MAX];
	int r = read_current(ofd, ver);
	if (r == -ENOENT)
		return not_found(k, ns, name, err);
	if (r < 0)
		return berr_errno(err, -r, "%s \"%s\": bad \"current\" link", obj_kind_name(k), name);
	r = read_version(ofd, ver, ret, err);
	if (r == 0 && ret_version)
		memcpy(ret_version, ver, sizeof(ver));
	return r;
}

/* Write D as version VER of the object OFD and point "current" at it. */
static int commit_version(int ofd, const char *ver, const struct obj_data *d, berr *err)
{
	char tmp[OBJ_VERSION_MAX + 8];
	snprintf(tmp, sizeof(tmp), ".tmp-%s", ver);
	rm_rf_at(ofd, tmp);
	if (mkdirat(ofd, tmp, 0700) < 0)
		return berr_errno(err, errno, "Create version \"%s\"", ver);
	_cleanup_close_ int vfd = openat(ofd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (vfd < 0)
		return berr_errno(err, errno, "Open version \"%s\"", ver);
	for (size_t i = 0; i < d->n; i++) {
		int r = write_key(vfd, &d->v[i], err);
		if (r < 0)
			return r;
	}
	if (fsync_fd_dir(vfd) < 0 || renameat(ofd, tmp, ofd, ver) < 0)
		return berr_errno(err, errno, "Commit version \"%s\"", ver);
	unlinkat(ofd, ".current.tmp", 0);
	if (symlinkat(ver, ofd, ".current.tmp") < 0 || renameat(ofd, ".current.tmp", ofd, "current") < 0)
		return berr_errno(err, errno, "Point \"current\" at \"%s\"", ver);
	fsync_fd_dir(ofd);
	return 0;
}

int obj_put(const char *root, enum obj_kind k, const char *ns, const char *name,
	    const struct obj_data *d, bool replace, bool *ret_changed, berr *err)
{
	int r = name_check(k, name, err);
	if (r < 0)
		return r;
	_cleanup_close_ int nfd = open_ns_dir(root, k, ns, true, err);
	if (nfd < 0)
		return nfd == -ENOENT ? berr_errno(err, ENOENT, "Open namespace \"%s\"", ns) : nfd;
	/* one writer per namespace at a time (two CLIs, or a CLI and rm) */
	if (flock(nfd, LOCK_EX) < 0)
		return berr_errno(err, errno, "Lock namespace \"%s\"", ns);
	bool created = mkdirat(nfd, name, 0700) == 0;
	if (!created && errno != EEXIST)
		return berr_errno(err, errno, "Create %s \"%s\"", obj_kind_name(k), name);
	_cleanup_close_ int ofd = openat(nfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ofd < 0)
		return berr_errno(err, errno, "Open %s \"%s\"", obj_kind_name(k), name);
	char cur[OBJ_VERSION_MAX];
	unsigned long next = 1;
	if (read_current(ofd, cur) == 0) {
		if (!replace)
			return berr_fail(err, EEXIST, "%s \"%s\" exists in namespace \"%s\" (--replace changes it)",
					 k == OBJ_SECRET ? "Secret" : "Config", name, ns);
		struct obj_data old = { 0 };
		if (read_version(ofd, cur, &old, err) == 0) {
			bool same = data_equal(&old, d);
			obj_data_clear(&old);
			if (same) {
				if (ret_changed)
					*ret_changed = false;
				return 0;
			}
		}
		next = strtoul(cur + 1, NULL, 10) + 1;
	}
	uint32_t tag;
	if (getrandom(&tag, sizeof(tag), 0) != sizeof(tag))
		return berr_errno(err, errno, "Random version tag");
	char ver[OBJ_VERSION_MAX];
	snprintf(ver, sizeof(ver), "v%lu-%08x", next, (unsigned)tag);
	r = commit_version(ofd, ver, d, err);
	if (r < 0) {
		if (created) {
			unlinkat(ofd, ".current.tmp", 0);
			rm_rf_at(nfd, name);
		}
		return r;
	}
	prune_versions(ofd, ver);
	if (created)
		fsync_fd_dir(nfd);
	if (ret_changed)
		*ret_changed = true;
	return 0;
}

static int info_of(int nfd, enum obj_kind k, const char *ns, const char *name,
		   struct obj_info *ret, berr *err)
{
	_cleanup_close_ int ofd = openat(nfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ofd < 0)
		return -errno;
	struct obj_info in = { 0 };
	int r = read_current(ofd, in.version);
	if (r < 0)
		return r;
	snprintf(in.ns, sizeof(in.ns), "%s", ns);
	snprintf(in.name, sizeof(in.name), "%s", name);
	_cleanup_close_ int vfd = openat(ofd, in.version, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (vfd < 0 || fstat(vfd, &st) < 0)
		return berr_errno(err, errno, "Open %s \"%s\"", obj_kind_name(k), name);
	in.created = st.st_mtime;
	_cleanup_closedir_ DIR *dir = opendir_dup(vfd);
	struct dirent *de;
	while (dir && (de = readdir(dir))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    fstatat(vfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		in.nkeys++;
		in.bytes += (uint64_t)st.st_size;
	}
	*ret = in;
	return 0;
}

int obj_info_get(const char *root, enum obj_kind k, const char *ns, const char *name,
		 struct obj_info *ret, berr *err)
{
	_cleanup_close_ int nfd = open_ns_of(root, k, ns, name, err);
	if (nfd < 0)
		return nfd;
	int r;
	r = info_of(nfd, k, ns, name, ret, err);
	if (r == -ENOENT)
		return not_found(k, ns, name, err);
	return r < 0 && !err->msg[0] ? berr_errno(err, -r, "%s \"%s\"", obj_kind_name(k), name) : r;
}

static int info_cmp(const void *a, const void *b)
{
	const struct obj_info *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);
	return c ? c : strcmp(x->name, y->name);
}

static int list_ns(const char *root, enum obj_kind k, const char *ns, struct obj_info **v,
		   size_t *n, berr *err)
{
	_cleanup_close_ int nfd = open_ns_dir(root, k, ns, false, err);
	if (nfd == -ENOENT)
		return 0;
	if (nfd < 0)
		return nfd;
	_cleanup_closedir_ DIR *dir = opendir_dup(nfd);
	if (!dir)
		return berr_errno(err, errno, "Read namespace \"%s\"", ns);
	struct dirent *de;
	while ((de = readdir(dir))) {
		struct obj_info in;
		if (!obj_name_valid(de->d_name) || info_of(nfd, k, ns, de->d_name, &in, err) < 0)
			continue; /* half-created (no "current" yet) or foreign */
		struct obj_info *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return berr_fail(err, ENOMEM, "Out of memory");
		*v = nv;
		nv[(*n)++] = in;
	}
	berr_clear(err);
	return 0;
}

int obj_list(const char *root, enum obj_kind k, const char *ns, struct obj_info **ret,
	     size_t *ret_n, berr *err)
{
	struct obj_info *v = NULL;
	size_t n = 0;
	int r = 0;
	if (ns) {
		r = list_ns(root, k, ns, &v, &n, err);
	} else {
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/%s", root, kind_dir(k));
		_cleanup_closedir_ DIR *dir = opendir(path);
		struct dirent *de;
		while (r == 0 && dir && (de = readdir(dir)))
			if (obj_name_valid(de->d_name))
				r = list_ns(root, k, de->d_name, &v, &n, err);
	}
	if (r < 0) {
		free(v);
		return r;
	}
	if (n)
		qsort(v, n, sizeof(*v), info_cmp);
	*ret = v;
	*ret_n = n;
	return 0;
}

int obj_remove(const char *root, enum obj_kind k, const char *ns, const char *name, berr *err)
{
	_cleanup_close_ int nfd = open_ns_of(root, k, ns, name, err);
	if (nfd < 0)
		return nfd;
	int r;
	if (flock(nfd, LOCK_EX) < 0)
		return berr_errno(err, errno, "Lock namespace \"%s\"", ns);
	_cleanup_close_ int ofd = openat(nfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (ofd < 0)
		return errno == ENOENT ? not_found(k, ns, name, err)
				       : berr_errno(err, errno, "Open %s \"%s\"", obj_kind_name(k), name);
	if (unlinkat(ofd, "current", 0) < 0 && errno != ENOENT)
		return berr_errno(err, errno, "Remove %s \"%s\"", obj_kind_name(k), name);
	fsync_fd_dir(ofd);
	r = rm_rf_at(nfd, name);
	if (r < 0)
		return berr_errno(err, -r, "Remove %s \"%s\"", obj_kind_name(k), name);
	fsync_fd_dir(nfd);
	return 0;
}
