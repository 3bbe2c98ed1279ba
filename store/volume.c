// SPDX-License-Identifier: GPL-2.0-or-later
/* Named volumes: see store/volume.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "store/objects.h"
#include "store/volume.h"

bool volume_name_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > VOLUME_NAME_MAX || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || strchr("_.-", s[i])))
			return false;
	return true;
}

static int ns_dir(const char *root, const char *ns, char *buf, size_t len, berr *err)
{
	if (!obj_name_valid(ns))
		return berr_fail(err, EINVAL, "Namespace \"%s\" is not a DNS label ([a-z0-9-], at most 63)",
				 ns);
	int n = strcmp(ns, OBJ_DEFAULT_NS) == 0 ? snprintf(buf, len, "%s/volumes", root)
						 : snprintf(buf, len, "%s/volumes-ns/%s", root, ns);
	if (n < 0 || (size_t)n >= len)
		return berr_fail(err, ENAMETOOLONG, "Root \"%s\" is too long", root);
	return 0;
}

int volume_path(const char *root, const char *ns, const char *name, char *buf, size_t len,
		berr *err)
{
	if (!volume_name_valid(name))
		return berr_fail(err, EINVAL, "Volume name \"%s\" is not valid ([a-z0-9][a-z0-9_.-]*, at most %d)",
				 name, VOLUME_NAME_MAX);
	char dir[PATH_MAX];
	int r = ns_dir(root, ns, dir, sizeof(dir), err);
	if (r < 0)
		return r;
	if ((size_t)snprintf(buf, len, "%s/%s", dir, name) >= len)
		return berr_fail(err, ENAMETOOLONG, "Root \"%s\" is too long", root);
	return 0;
}

struct usage {
	uint64_t bytes, files;
	struct { dev_t dev; ino_t ino; } *seen; /* inodes with more than one link */
	size_t nseen;
	dev_t dev;
};

static bool seen_before(struct usage *u, const struct stat *st)
{
	for (size_t i = 0; i < u->nseen; i++)
		if (u->seen[i].dev == st->st_dev && u->seen[i].ino == st->st_ino)
			return true;
	void *v = realloc(u->seen, (u->nseen + 1) * sizeof(*u->seen));
	if (v) {
		u->seen = v;
		u->seen[u->nseen].dev = st->st_dev;
		u->seen[u->nseen++].ino = st->st_ino;
	}
	return false;
}

static void account(struct usage *u, const struct stat *st)
{
	if (!S_ISDIR(st->st_mode) && st->st_nlink > 1 && seen_before(u, st))
		return;
	u->bytes += (uint64_t)st->st_blocks * 512u;
	u->files++;
}

static int walk(int dfd, struct usage *u, unsigned depth)
{
	if (depth > 256)
		return -ELOOP;
	_cleanup_closedir_ DIR *dir = opendir_dup(dfd);
	if (!dir)
		return -errno;
	struct dirent *de;
	while ((de = readdir(dir))) {
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (st.st_dev != u->dev)
			continue; /* a mount point */
		account(u, &st);
		if (!S_ISDIR(st.st_mode))
			continue;
		_cleanup_close_ int sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0) {
			int r = walk(sub, u, depth + 1);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

int volume_usage(const char *path, uint64_t *ret_bytes, uint64_t *ret_files, berr *err)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		return berr_errno(err, errno, "Open \"%s\"", path);
	struct usage u = { .dev = st.st_dev };
	account(&u, &st);
	int r = walk(fd, &u, 0);
	free(u.seen);
	if (r < 0)
		return berr_errno(err, -r, "Measure \"%s\"", path);
	*ret_bytes = u.bytes;
	if (ret_files)
		*ret_files = u.files;
	return 0;
}

static int info_at(const char *dir, const char *ns, const char *name, bool sizes,
		   struct volume_info *ret, berr *err)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (lstat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	struct volume_info in = { .created = st.st_mtime };
	snprintf(in.ns, sizeof(in.ns), "%s", ns);
	snprintf(in.name, sizeof(in.name), "%s", name);
	if (sizes) {
		int r = volume_usage(path, &in.bytes, &in.files, err);
		if (r < 0)
			return r;
	}
	*ret = in;
	return 0;
}

int volume_info_get(const char *root, const char *ns, const char *name, struct volume_info *ret,
		    berr *err)
{
	char dir[PATH_MAX];
	int r = ns_dir(root, ns, dir, sizeof(dir), err);
	if (r < 0)
		return r;
	if (!volume_name_valid(name))
		return berr_fail(err, EINVAL, "Volume name \"%s\" is not valid", name);
	r = info_at(dir, ns, name, true, ret, err);
	if (r == -ENOENT || r == -ENOTDIR)
		return berr_fail(err, ENOENT, "No volume \"%s\" in namespace \"%s\"", name, ns);
	return r;
}

static int info_cmp(const void *a, const void *b)
{
	const struct volume_info *x = a, *y = b;
	int c = strcmp(x->ns, y->ns);
	return c ? c : strcmp(x->name, y->name);
}

static int list_ns(const char *root, const char *ns, bool sizes, struct volume_info **v,
		   size_t *n, berr *err)
{
	char dir[PATH_MAX];
	int r = ns_dir(root, ns, dir, sizeof(dir), err);
	if (r < 0)
		return r;
	_cleanup_closedir_ DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : berr_errno(err, errno, "Read \"%s\"", dir);
	struct dirent *de;
	while ((de = readdir(d))) {
		struct volume_info in;
		if (!volume_name_valid(de->d_name))
			continue;
		r = info_at(dir, ns, de->d_name, sizes, &in, err);
		if (r == -ENOENT || r == -ENOTDIR)
			continue;
		if (r < 0)
			return r;
		struct volume_info *nv = realloc(*v, (*n + 1) * sizeof(*nv));
		if (!nv)
			return berr_fail(err, ENOMEM, "Out of memory");
		*v = nv;
		nv[(*n)++] = in;
	}
	return 0;
}

int volume_list(const char *root, const char *ns, bool sizes, struct volume_info **ret,
		size_t *ret_n, berr *err)
{
	struct volume_info *v = NULL;
	size_t n = 0;
	int r;
	if (ns) {
		r = list_ns(root, ns, sizes, &v, &n, err);
	} else {
		r = list_ns(root, OBJ_DEFAULT_NS, sizes, &v, &n, err);
		char path[PATH_MAX];
		snprintf(path, sizeof(path), "%s/volumes-ns", root);
		_cleanup_closedir_ DIR *dir = opendir(path);
		struct dirent *de;
		while (r == 0 && dir && (de = readdir(dir)))
			if (obj_name_valid(de->d_name) && strcmp(de->d_name, OBJ_DEFAULT_NS) != 0)
				r = list_ns(root, de->d_name, sizes, &v, &n, err);
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

int volume_remove(const char *root, const char *ns, const char *name, berr *err)
{
	char dir[PATH_MAX];
	int r = ns_dir(root, ns, dir, sizeof(dir), err);
	if (r < 0)
		return r;
	if (!volume_name_valid(name))
		return berr_fail(err, EINVAL, "Volume name \"%s\" is not valid", name);
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat st;
	if (dfd < 0 || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
		return berr_fail(err, ENOENT, "No volume \"%s\" in namespace \"%s\"", name, ns);
	r = rm_rf_at(dfd, name);
	if (r < 0)
		return berr_errno(err, -r, "Remove volume \"%s\"", name);
	fsync(dfd);
	return 0;
}
