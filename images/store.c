// SPDX-License-Identifier: GPL-2.0-or-later
/* The image store: directories, blobs, records, references. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/store.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "lib/strv.h"

#define INDEX_MAX (16u << 20)

void store_crash_point(void)
{
	static long left = -1;

	if (left == -1) {
		const char *e = getenv("BERTH_TEST_CRASH_AT");
		left = e && *e ? atol(e) : 0;
		if (left <= 0)
			left = -2;
	}
	if (left > 0 && --left == 0)
		_exit(99);
}

static int open_dir(int at, const char *name, bool create, berr *err, const char *what)
{
	if (create && mkdirat(at, name, 0700) < 0 && errno != EEXIST)
		return berr_errno(err, errno, "Create %s \"%s\"", what, name);
	int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return berr_errno(err, errno, "Open %s \"%s\"", what, name);
	return fd;
}

/* Empty tmp/: whatever a crashed writer left there is garbage. */
static void clean_tmp(struct image_store *s)
{
	DIR *d = opendir_dup(s->tmp_fd);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_rf_at(s->tmp_fd, de->d_name);
	closedir(d);
}

static int store_open_dirs(struct image_store *s, bool write, berr *err)
{
	int r;

	if (write) {
		r = mkdir_p(s->path, 0700, err);
		if (r < 0)
			return r;
	}
	s->dfd = open(s->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dfd < 0)
		return berr_errno(err, errno, "Open image store \"%s\"", s->path);
	if (write) {
		/* never readable by others: layers hold setuid files (CVE-2021-41091) */
		fchmod(s->dfd, 0700);
		s->lock_fd = openat(s->dfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX) < 0)
			return berr_errno(err, errno, "Lock image store \"%s\"", s->path);
	}
	if (write && mkdirat(s->dfd, "blobs", 0700) < 0 && errno != EEXIST)
		return berr_errno(err, errno, "Create \"%s/blobs\"", s->path);
	s->blobs_fd = open_dir(s->dfd, "blobs/sha256", write, err, "blob directory");
	if (s->blobs_fd < 0)
		return s->blobs_fd;
	s->layers_fd = open_dir(s->dfd, "layers", write, err, "layer directory");
	if (s->layers_fd < 0)
		return s->layers_fd;
	s->refs_fd = open_dir(s->dfd, "refs", write, err, "reference directory");
	if (s->refs_fd < 0)
		return s->refs_fd;
	s->tmp_fd = open_dir(s->dfd, "tmp", write, err, "temporary directory");
	if (s->tmp_fd < 0)
		return s->tmp_fd;
	if (write)
		clean_tmp(s);
	return 0;
}

int store_open(const char *root, bool write, struct image_store **ret, berr *err)
{
	struct image_store *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return berr_errno(err, ENOMEM, "Open image store");
	s->dfd = s->blobs_fd = s->layers_fd = s->tmp_fd = s->refs_fd = s->lock_fd = -1;
	s->max_layer_bytes = (uint64_t)CONFIG_IMAGES_MAX_LAYER_MB << 20;
	const char *cap = getenv("BERTH_MAX_LAYER_MB");
	if (cap && *cap)
		s->max_layer_bytes = strtoull(cap, NULL, 10) << 20;
	s->root = strdup(root);
	if (!s->root || asprintf(&s->path, "%s/images", root) < 0) {
		s->path = NULL;
		store_close(s);
		return berr_errno(err, ENOMEM, "Open image store");
	}
	r = store_open_dirs(s, write, err);
	if (r < 0) {
		store_close(s);
		return r;
	}
	*ret = s;
	return 0;
}

void store_close(struct image_store *s)
{
	if (!s)
		return;
	closep(&s->dfd);
	closep(&s->blobs_fd);
	closep(&s->layers_fd);
	closep(&s->tmp_fd);
	closep(&s->refs_fd);
	closep(&s->lock_fd); /* releases the lock */
	free(s->root);
	free(s->path);
	free(s);
}

/* ---- blobs ---- */

bool store_has_blob(struct image_store *s, const char *digest)
{
	return digest_valid(digest) && faccessat(s->blobs_fd, digest_hex(digest), F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int store_blob_open(struct image_store *s, const char *digest, berr *err)
{
	if (!digest_valid(digest))
		return berr_fail(err, EINVAL, "Invalid digest \"%s\"", digest ? digest : "");
	int fd = openat(s->blobs_fd, digest_hex(digest), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return berr_errno(err, errno, "Blob %s", digest);
	return fd;
}

int store_blob_read(struct image_store *s, const char *digest, size_t max, char **ret,
		    size_t *ret_len, berr *err)
{
	if (!digest_valid(digest))
		return berr_fail(err, EINVAL, "Invalid digest \"%s\"", digest ? digest : "");
	int r = read_file_at(s->blobs_fd, digest_hex(digest), max, ret, ret_len, err);
	return r < 0 ? berr_prefix(err, "Blob %s", digest) : 0;
}

/* A temporary file in tmp/: anonymous (O_TMPFILE) when the file system
 * can, so a crash leaves nothing behind; else a named one. */
static int tmp_create(struct image_store *s, char name[64])
{
	name[0] = '\0';
	int fd = openat(s->tmp_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd < 0 ? -errno : fd;
	snprintf(name, 64, "blob-%d-%lx", getpid(), (unsigned long)random());
	fd = openat(s->tmp_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

/* Link the finished temp file in as blobs/sha256/HEX (EEXIST: already there). */
static int tmp_commit(struct image_store *s, int fd, const char *name, const char *hex)
{
	char proc[64];
	int r;

	if (name[0]) {
		r = linkat(s->tmp_fd, name, s->blobs_fd, hex, 0);
		unlinkat(s->tmp_fd, name, 0);
	} else {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		r = linkat(AT_FDCWD, proc, s->blobs_fd, hex, AT_SYMLINK_FOLLOW);
	}
	return r < 0 && errno != EEXIST ? -errno : 0;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int store_blob_ingest(struct image_store *s, blob_reader_fn rd, void *ctx, const char *expect,
		      char ret_digest[DIGEST_BUF], bool *ret_new, berr *err)
{
	_cleanup_(hasher_freep) struct hasher *h = hasher_new();
	_cleanup_free_ char *buf = malloc(256 * 1024);
	_cleanup_close_ int fd = -1;
	char name[64], digest[DIGEST_BUF];
	int r = 0;

	if (expect && !digest_valid(expect))
		return berr_fail(err, EINVAL, "Invalid digest \"%s\"", expect);
	if (!h)
		return hasher_error(err, "Store blob");
	if (!buf)
		return berr_errno(err, ENOMEM, "Store blob");
	fd = tmp_create(s, name);
	if (fd < 0)
		return berr_errno(err, fd, "Create a temporary blob in \"%s/tmp\"", s->path);
	for (;;) {
		ssize_t n = rd(ctx, buf, 256 * 1024);
		if (n < 0) {
			r = berr_errno(err, (int)n, "Read blob%s%s", expect ? " " : "", expect ? expect : "");
			goto fail;
		}
		if (n == 0)
			break;
		hasher_update(h, buf, (size_t)n);
		r = write_all(fd, buf, (size_t)n);
		if (r < 0) {
			berr_errno(err, r, "Write blob in \"%s/tmp\"", s->path);
			goto fail;
		}
	}
	hasher_final(h, digest);
	if (expect && strcmp(expect, digest) != 0) {
		r = berr_fail(err, EBADMSG, "Blob %s: content has digest %s", expect, digest);
		goto fail;
	}
	bool fresh = !store_has_blob(s, digest);
	if (fresh) {
		store_crash_point();
		r = fsync(fd) < 0 ? -errno : tmp_commit(s, fd, name, digest_hex(digest));
		if (r < 0) {
			r = berr_errno(err, -r, "Store blob %s", digest);
			goto fail;
		}
		store_crash_point();
	} else if (name[0]) {
		unlinkat(s->tmp_fd, name, 0);
	}
	memcpy(ret_digest, digest, DIGEST_BUF);
	if (ret_new)
		*ret_new = fresh;
	return 0;
fail:
	if (name[0])
		unlinkat(s->tmp_fd, name, 0);
	return r;
}

struct mem_src {
	const char *p;
	size_t left;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem_src *m = ctx;
	size_t n = len < m->left ? len : m->left;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

int store_blob_put(struct image_store *s, const void *data, size_t len,
		   char ret_digest[DIGEST_BUF], berr *err)
{
	struct mem_src m = { data, len };
	return store_blob_ingest(s, mem_read, &m, NULL, ret_digest, NULL, err);
}

int store_blob_remove(struct image_store *s, const char *digest)
{
	if (!digest_valid(digest))
		return -EINVAL;
	store_crash_point();
	return unlinkat(s->blobs_fd, digest_hex(digest), 0) < 0 && errno != ENOENT ? -errno : 0;
}

int store_blob_verify(struct image_store *s, const char *digest, berr *err)
{
	_cleanup_close_ int fd = store_blob_open(s, digest, err);
	_cleanup_(hasher_freep) struct hasher *h = hasher_new();
	char buf[65536], got[DIGEST_BUF];
	ssize_t n;

	if (fd < 0)
		return fd;
	if (!h)
		return hasher_error(err, "Verify blob");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		hasher_update(h, buf, (size_t)n);
	if (n < 0)
		return berr_errno(err, errno, "Read blob %s", digest);
	hasher_final(h, got);
	if (strcmp(got, digest) != 0)
		return berr_fail(err, EBADMSG, "Blob %s has content %s", digest, got);
	return 0;
}

/* ---- layers ---- */

bool store_has_layer(struct image_store *s, const char *chain_id)
{
	struct stat st;
	return digest_valid(chain_id) &&
	       fstatat(s->layers_fd, digest_hex(chain_id), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISDIR(st.st_mode);
}

char *store_layer_path(struct image_store *s, const char *chain_id)
{
	char *p;
	if (!digest_valid(chain_id) || asprintf(&p, "%s/layers/%s", s->path, digest_hex(chain_id)) < 0)
		return NULL;
	return p;
}

int store_sync_dirs(struct image_store *s, berr *err)
{
	if (fsync(s->blobs_fd) < 0 || fsync(s->layers_fd) < 0)
		return berr_errno(err, errno, "Sync image store \"%s\"", s->path);
	return 0;
}

/* ---- records ---- */

void image_records_free(struct image_records *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static int records_push(struct image_records *r, const char *name, const char *digest)
{
	struct image_record *nv = realloc(r->v, (r->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	r->v = nv;
	nv[r->n].name = name ? strdup(name) : NULL;
	if (name && !nv[r->n].name)
		return -ENOMEM;
	snprintf(nv[r->n].digest, DIGEST_BUF, "%s", digest);
	r->n++;
	return 0;
}

int image_records_set(struct image_records *r, const char *name, const char *digest)
{
	for (size_t i = 0; i < r->n; i++) {
		if (name && r->v[i].name && strcmp(r->v[i].name, name) == 0) {
			snprintf(r->v[i].digest, DIGEST_BUF, "%s", digest);
			goto drop_untagged;
		}
		if (!name && !r->v[i].name && strcmp(r->v[i].digest, digest) == 0)
			return 0;
	}
	if (!name) {
		for (size_t i = 0; i < r->n; i++)
			if (strcmp(r->v[i].digest, digest) == 0)
				return 0; /* has a name already */
	}
	if (records_push(r, name, digest) < 0)
		return -ENOMEM;
drop_untagged:
	for (size_t i = 0; name && i < r->n; i++) {
		if (!r->v[i].name && strcmp(r->v[i].digest, digest) == 0) {
			memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
			r->n--;
			break;
		}
	}
	return 0;
}

int store_records_read(struct image_store *s, struct image_records *ret, berr *err)
{
	_cleanup_free_ char *buf = NULL;
	struct image_records r = { 0 };
	json_error_t je;

	int rc = read_file_at(s->dfd, "index.json", INDEX_MAX, &buf, NULL, err);
	if (rc == -ENOENT) {
		berr_clear(err);
		*ret = r;
		return 0;
	}
	if (rc < 0)
		return rc;
	json_t *root = json_loads(buf, 0, &je);
	json_t *images = json_object_get(root, "images");
	if (!root || !json_is_array(images)) {
		json_decref(root);
		return berr_fail(err, EINVAL, "\"%s/index.json\" is damaged: %s", s->path,
				 root ? "no images" : je.text);
	}
	size_t i;
	json_t *it;
	json_array_foreach(images, i, it) {
		const char *name = json_string_value(json_object_get(it, "name"));
		const char *digest = json_string_value(json_object_get(it, "digest"));
		if (!digest_valid(digest))
			continue;
		if (records_push(&r, name, digest) < 0) {
			json_decref(root);
			image_records_free(&r);
			return berr_errno(err, ENOMEM, "Read image records");
		}
	}
	json_decref(root);
	*ret = r;
	return 0;
}

int store_records_write(struct image_store *s, const struct image_records *r, berr *err)
{
	json_t *images = json_array();
	json_t *root = json_pack("{s:i,s:o}", "version", 1, "images", images);

	for (size_t i = 0; root && i < r->n; i++) {
		json_t *it = json_pack("{s:s}", "digest", r->v[i].digest);
		if (r->v[i].name)
			json_object_set_new(it, "name", json_string(r->v[i].name));
		json_array_append_new(images, it);
	}
	_cleanup_free_ char *text = root ? json_dumps(root, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
	json_decref(root);
	if (!text)
		return berr_errno(err, ENOMEM, "Write image records");
	store_crash_point();
	int rc = write_file_atomic(s->dfd, "index.json", text, strlen(text), 0600, err);
	store_crash_point();
	return rc < 0 ? berr_prefix(err, "Image records") : 0;
}

/* ---- references ---- */

static bool holder_valid(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 128 || h[0] == '.')
		return false;
	for (const char *p = h; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '.' || *p == '-'))
			return false;
	return true;
}

int store_ref_add(struct image_store *s, const char *holder, const char *digest, berr *err)
{
	char line[DIGEST_BUF + 1];

	if (!holder_valid(holder))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"", holder);
	snprintf(line, sizeof(line), "%s\n", digest);
	return write_file_atomic(s->refs_fd, holder, line, strlen(line), 0600, err);
}

int store_ref_drop(struct image_store *s, const char *holder, berr *err)
{
	if (!holder_valid(holder))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"", holder);
	if (unlinkat(s->refs_fd, holder, 0) < 0 && errno != ENOENT)
		return berr_errno(err, errno, "Remove image reference \"%s\"", holder);
	fsync(s->refs_fd);
	return 0;
}

/* Only references whose ROOT/containers/ID exists count (see below). */
int store_refs_list(struct image_store *s, char ***ret, berr *err)
{
	_cleanup_strv_ char **v = NULL;
	DIR *d = opendir_dup(s->refs_fd);
	struct dirent *de;

	if (!d)
		return berr_errno(err, errno, "List image references");
	while ((de = readdir(d))) {
		_cleanup_free_ char *buf = NULL, *line = NULL, *cdir = NULL;
		if (de->d_name[0] == '.' || strstr(de->d_name, ".tmp."))
			continue;
		/* a reference lives as long as its container's dir (ROOT/containers/ID,
		 * made by image_fill_spec): one whose container was deleted without
		 * image_release_spec() (a detached --rm, a crash) is stale */
		if (asprintf(&cdir, "%s/containers/%s", s->root, de->d_name) < 0) {
			cdir = NULL;
			continue;
		}
		/* the supervisor's holders ("pod.NAME.CTR") live until it drops them */
		if (strncmp(de->d_name, "pod.", 4) != 0 && access(cdir, F_OK) < 0 && errno == ENOENT)
			continue;
		if (read_file_at(s->refs_fd, de->d_name, 256, &buf, NULL, NULL) < 0)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		if (!digest_valid(buf))
			continue;
		if (asprintf(&line, "%s %s", de->d_name, buf) < 0 || strv_push(&v, TAKE_PTR(line)) < 0) {
			closedir(d);
			return berr_errno(err, ENOMEM, "List image references");
		}
	}
	closedir(d);
	if (!v && !(v = calloc(1, sizeof(*v)))) /* an empty vector */
		return berr_errno(err, ENOMEM, "List image references");
	*ret = TAKE_PTR(v);
	return 0;
}
