// SPDX-License-Identifier: GPL-2.0-or-later
/* berth image load: see load.h. */
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/dl_archive.h"
#include "images/image.h"
#include "images/import.h"
#include "images/load.h"
#include "images/ref.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

#define TOP_JSON_MAX (16 << 20) /* int: compares with off_t and size_t alike */
#define MAX_ALIAS_DEPTH 8

struct src_file {
	char *path;
	char *alias;	/* symlink entry (old docker save links shared layers) */
	char digest[DIGEST_BUF];
};

struct loader {
	struct image_store *s;
	const struct load_opts *o;
	berr *err;
	struct platform plat;
	int dirfd;		/* directory input, else -1 */
	struct src_file *files;	/* tar input: what was ingested */
	size_t nfiles;
	char **new_blobs;	/* ingested by this load: removed again if unused */
	char *index_json, *manifest_json;
	char **keep;		/* blobs the loaded images use */
	struct image_records pending; /* name -> digest to record */
	struct load_result *res;
	size_t skipped_platforms;
};

/* ---- reading the input ---- */

static ssize_t archive_reader(void *ctx, void *buf, size_t len)
{
	la_ssize_t n = archive_read_data(ctx, buf, len);
	return n < 0 ? -EIO : n;
}

static ssize_t fd_reader(void *ctx, void *buf, size_t len)
{
	for (;;) {
		ssize_t n = read(*(int *)ctx, buf, len);
		if (n >= 0 || errno != EINTR)
			return n < 0 ? -errno : n;
	}
}

/* "./blobs//sha256/x" -> "blobs/sha256/x"; false for ".." and empty names. */
static bool clean_path(const char *in, char *out, size_t outsz)
{
	size_t n = 0;

	for (const char *p = in; *p;) {
		while (*p == '/')
			p++;
		const char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p);
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (len && !(len == 1 && p[0] == '.')) {
			if (n + len + 2 > outsz)
				return false;
			if (n)
				out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p = e;
	}
	out[n] = '\0';
	return n > 0;
}

/* "blobs/sha256/HEX" names the digest it must have. */
static bool blob_path_digest(const char *path, char out[DIGEST_BUF])
{
	if (strncmp(path, "blobs/sha256/", 13) != 0 || !digest_hex_valid(path + 13))
		return false;
	snprintf(out, DIGEST_BUF, "sha256:%s", path + 13);
	return true;
}

static int add_file(struct loader *l, const char *path, const char *alias, const char *digest)
{
	struct src_file *nf = realloc(l->files, (l->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	l->files = nf;
	nf[l->nfiles].path = strdup(path);
	nf[l->nfiles].alias = alias ? strdup(alias) : NULL;
	snprintf(nf[l->nfiles].digest, DIGEST_BUF, "%s", digest ? digest : "");
	if (!nf[l->nfiles].path || (alias && !nf[l->nfiles].alias))
		return -ENOMEM;
	l->nfiles++;
	return 0;
}

static int read_small(struct archive *a, const char *path, int64_t size, char **ret, berr *err)
{
	if (size < 0 || size > TOP_JSON_MAX)
		return berr_fail(err, EFBIG, "Archive member \"%s\" is too large", path);
	char *buf = malloc((size_t)size + 1);
	if (!buf)
		return berr_errno(err, ENOMEM, "Archive member \"%s\"", path);
	la_ssize_t n = archive_read_data(a, buf, (size_t)size);
	if (n != size) {
		free(buf);
		return berr_fail(err, EIO, "Archive member \"%s\": short read", path);
	}
	buf[size] = '\0';
	free(*ret);
	*ret = buf;
	return 0;
}

static int tar_entry(struct loader *l, struct archive *a, struct archive_entry *e)
{
	char path[PATH_MAX], expect[DIGEST_BUF], got[DIGEST_BUF];
	bool fresh = false;

	if (!clean_path(archive_entry_pathname(e) ? archive_entry_pathname(e) : "", path, sizeof(path)))
		return 0;
	if (archive_entry_filetype(e) == AE_IFLNK || archive_entry_hardlink(e)) {
		const char *t = archive_entry_hardlink(e) ? archive_entry_hardlink(e) : archive_entry_symlink(e);
		char target[PATH_MAX], joined[PATH_MAX];
		const char *slash = strrchr(path, '/');
		if (archive_entry_symlink(e) && !archive_entry_hardlink(e) && slash && t[0] != '/')
			snprintf(joined, sizeof(joined), "%.*s/%s", (int)(slash - path), path, t);
		else
			snprintf(joined, sizeof(joined), "%s", t ? t : "");
		/* resolve ".." lexically inside the archive */
		char *parts[256];
		int np = 0;
		char *save = NULL;
		for (char *c = strtok_r(joined, "/", &save); c && np < 256; c = strtok_r(NULL, "/", &save)) {
			if (!strcmp(c, "."))
				continue;
			if (!strcmp(c, "..")) {
				if (np > 0)
					np--;
				continue;
			}
			parts[np++] = c;
		}
		size_t n = 0;
		target[0] = '\0';
		for (int i = 0; i < np; i++)
			n += (size_t)snprintf(target + n, sizeof(target) - n, "%s%s", i ? "/" : "", parts[i]);
		return add_file(l, path, target, NULL) < 0 ? berr_errno(l->err, ENOMEM, "Load") : 0;
	}
	if (archive_entry_filetype(e) != AE_IFREG)
		return 0;
	if (!strcmp(path, "index.json"))
		return read_small(a, path, archive_entry_size(e), &l->index_json, l->err);
	if (!strcmp(path, "manifest.json"))
		return read_small(a, path, archive_entry_size(e), &l->manifest_json, l->err);
	if (!strcmp(path, "oci-layout") || !strcmp(path, "repositories"))
		return 0;
	bool named = blob_path_digest(path, expect);
	if (named && store_has_blob(l->s, expect)) {
		/* verified before: reuse (the data is skipped) */
		return add_file(l, path, NULL, expect) < 0 ? berr_errno(l->err, ENOMEM, "Load") : 0;
	}
	int r = store_blob_ingest(l->s, archive_reader, a, named ? expect : NULL, got, &fresh, l->err);
	if (r < 0)
		return berr_prefix(l->err, "Archive member \"%s\"", path);
	if (fresh && strv_add(&l->new_blobs, got) < 0)
		return berr_errno(l->err, ENOMEM, "Load");
	return add_file(l, path, NULL, got) < 0 ? berr_errno(l->err, ENOMEM, "Load") : 0;
}

static int read_tar(struct loader *l, const char *path)
{
	struct archive *a;
	struct archive_entry *e;
	int r = 0;

	if (archive_dl_open(l->err) < 0)
		return -l->err->code;
	a = archive_read_new();
	if (!a)
		return berr_errno(l->err, ENOMEM, "Load");
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if ((strcmp(path, "-") == 0 ? archive_read_open_fd(a, STDIN_FILENO, 256 * 1024)
				    : archive_read_open_filename(a, path, 256 * 1024)) != ARCHIVE_OK) {
		r = berr_fail(l->err, EINVAL, "Load \"%s\": %s", path, archive_error_string(a));
		goto out;
	}
	for (;;) {
		int rc = archive_read_next_header(a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
			r = berr_fail(l->err, EINVAL, "Load \"%s\": %s", path, archive_error_string(a));
			goto out;
		}
		r = tar_entry(l, a, e);
		if (r < 0)
			goto out;
	}
out:
	archive_read_free(a);
	return r;
}

static int read_dir_json(struct loader *l, const char *name, char **ret)
{
	_cleanup_close_ int fd = safe_openat(l->dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	struct stat st;

	if (fd == -ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return berr_fail(l->err, EINVAL, "\"%s\" is not a regular file", name);
	if (st.st_size > TOP_JSON_MAX)
		return berr_fail(l->err, EFBIG, "\"%s\" is too large", name);
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (dfd < 0)
		return berr_errno(l->err, errno, "\"%s\"", name);
	char proc[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", dfd);
	int r = read_file_at(AT_FDCWD, proc, TOP_JSON_MAX, ret, NULL, l->err);
	close(dfd);
	return r;
}

/* ---- blobs by archive path ---- */

static const struct src_file *find_file(struct loader *l, const char *path, int depth)
{
	for (size_t i = 0; i < l->nfiles; i++) {
		if (strcmp(l->files[i].path, path) != 0)
			continue;
		if (l->files[i].alias)
			return depth < MAX_ALIAS_DEPTH ? find_file(l, l->files[i].alias, depth + 1) : NULL;
		return &l->files[i];
	}
	return NULL;
}

/* Make sure the blob at archive PATH is in the store; EXPECT (optional) is
 * the digest a descriptor gives for it. */
static int get_blob(struct loader *l, const char *rawpath, const char *expect, char out[DIGEST_BUF])
{
	char path[PATH_MAX];

	if (!clean_path(rawpath, path, sizeof(path)))
		return berr_fail(l->err, EINVAL, "Invalid path \"%s\" in the archive", rawpath);
	if (l->dirfd < 0) {
		const struct src_file *f = find_file(l, path, 0);
		if (!f || !f->digest[0])
			return berr_fail(l->err, ENOENT, "\"%s\" is missing from the archive", path);
		if (expect && strcmp(expect, f->digest) != 0)
			return berr_fail(l->err, EBADMSG, "\"%s\" has digest %s, expected %s", path,
					 f->digest, expect);
		snprintf(out, DIGEST_BUF, "%s", f->digest);
		return 0;
	}
	if (expect && store_has_blob(l->s, expect)) {
		snprintf(out, DIGEST_BUF, "%s", expect);
		return 0;
	}
	_cleanup_close_ int fd = safe_openat(l->dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
	struct stat st;
	bool fresh;
	if (fd < 0)
		return berr_errno(l->err, fd, "Open \"%s\"", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return berr_fail(l->err, EINVAL, "\"%s\" is not a regular file", path);
	int r = store_blob_ingest(l->s, fd_reader, &fd, expect, out, &fresh, l->err);
	if (r < 0)
		return berr_prefix(l->err, "\"%s\"", path);
	if (fresh && strv_add(&l->new_blobs, out) < 0)
		return berr_errno(l->err, ENOMEM, "Load");
	return 0;
}

static int get_desc_blob(struct loader *l, json_t *desc, char out[DIGEST_BUF])
{
	const char *d = json_string_value(json_object_get(desc, "digest"));
	char path[16 + DIGEST_HEX];

	if (!digest_valid(d)) /* before any use in a path (CVE-2014-9358) */
		return berr_fail(l->err, EINVAL, "Invalid digest \"%s\" in the image index", d ? d : "");
	snprintf(path, sizeof(path), "blobs/sha256/%s", digest_hex(d));
	return get_blob(l, path, d, out);
}

/* ---- images ---- */

static int keep(struct loader *l, const char *digest)
{
	return strv_add(&l->keep, digest) < 0 ? berr_errno(l->err, ENOMEM, "Load") : 0;
}

static void progress(struct loader *l, const char *line)
{
	if (l->o && l->o->progress)
		l->o->progress(l->o->progress_ctx, line);
}

/* The manifest DIGEST is in the store: fetch its config and layers, unpack,
 * and queue NAMES (strv, may be NULL: untagged). */
static int load_manifest(struct loader *l, const char *digest, char **names)
{
	_cleanup_(image_freep) struct image *img = NULL;
	char got[DIGEST_BUF];
	char *tagv[2] = { l->o ? (char *)l->o->tag : NULL, NULL };
	int r;

	r = image_open(l->s, digest, &img, l->err);
	if (r == -ENOENT) {
		/* config not in the store yet (directory input): fetch it first */
		struct image tmp = { 0 };
		_cleanup_free_ char *man = NULL;
		r = store_blob_read(l->s, digest, IMAGE_JSON_MAX, &man, NULL, l->err);
		if (r >= 0)
			r = image_parse_manifest(man, &tmp, l->err);
		if (r >= 0) {
			char path[16 + DIGEST_HEX];
			snprintf(path, sizeof(path), "blobs/sha256/%s", digest_hex(tmp.config_digest));
			r = get_blob(l, path, tmp.config_digest, got);
		}
		for (size_t i = 0; i < tmp.nlayers; i++)
			free(tmp.layers[i].media_type);
		free(tmp.layers);
		if (r < 0)
			return r;
		r = image_open(l->s, digest, &img, l->err);
	}
	if (r < 0)
		return r;
	for (size_t i = 0; i < img->nlayers; i++) {
		char path[16 + DIGEST_HEX];
		snprintf(path, sizeof(path), "blobs/sha256/%s", digest_hex(img->layers[i].digest));
		/* even when its layer is unpacked: the record needs the blob (the
		 * same layer may come compressed differently, e.g. zstd vs gzip) */
		r = get_blob(l, path, img->layers[i].digest, got);
		if (r < 0 && !(r == -ENOENT && store_has_blob(l->s, img->layers[i].digest)))
			return r;
		if (keep(l, img->layers[i].digest) < 0)
			return -ENOMEM;
	}
	if (keep(l, digest) < 0 || keep(l, img->config_digest) < 0)
		return -ENOMEM;
	r = import_layers(l->s, img, &l->res->skipped_devices, l->o ? l->o->progress : NULL,
			  l->o ? l->o->progress_ctx : NULL, l->err);
	if (r < 0)
		return r;
	if (tagv[0])
		names = tagv;
	for (size_t i = 0; names && names[i]; i++) {
		_cleanup_free_ char *n = ref_normalize(names[i], l->err);
		if (!n)
			return -EINVAL;
		if (image_records_set(&l->pending, n, digest) < 0 || strv_add(&l->res->names, n) < 0 ||
		    strv_add(&l->res->digests, digest) < 0)
			return berr_errno(l->err, ENOMEM, "Load");
	}
	if (!names || !names[0]) {
		if (image_records_set(&l->pending, NULL, digest) < 0 ||
		    strv_add(&l->res->names, digest) < 0 || strv_add(&l->res->digests, digest) < 0)
			return berr_errno(l->err, ENOMEM, "Load");
	}
	return 0;
}

static const char *sniff_layer(struct loader *l, const char *digest)
{
	_cleanup_close_ int fd = store_blob_open(l->s, digest, NULL);
	unsigned char m[4] = { 0 };

	if (fd >= 0 && read(fd, m, 4) == 4) {
		if (m[0] == 0x1f && m[1] == 0x8b)
			return MEDIA_OCI_LAYER_GZIP;
		if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
			return MEDIA_OCI_LAYER_ZSTD;
	}
	return MEDIA_OCI_LAYER;
}

static json_t *descriptor(struct loader *l, const char *media, const char *digest)
{
	struct stat st = { 0 };
	fstatat(l->s->blobs_fd, digest_hex(digest), &st, 0);
	return json_pack("{s:s,s:s,s:I}", "mediaType", media, "digest", digest, "size",
			 (json_int_t)st.st_size);
}

/* docker save: manifest.json [{Config, RepoTags, Layers}]. berth writes an
 * OCI manifest for it (the manifest digest then names the image). */
static int load_docker_entry(struct loader *l, json_t *ent)
{
	const char *cfg = json_string_value(json_object_get(ent, "Config"));
	json_t *layers = json_object_get(ent, "Layers");
	char cfg_digest[DIGEST_BUF], d[DIGEST_BUF];
	_cleanup_strv_ char **names = NULL;
	size_t i;
	json_t *it;
	int r;

	if (!cfg || !json_is_array(layers))
		return berr_fail(l->err, EINVAL, "manifest.json: an entry without Config or Layers");
	r = get_blob(l, cfg, NULL, cfg_digest);
	if (r < 0)
		return r;
	json_t *ls = json_array();
	json_t *man = json_pack("{s:i,s:s,s:o,s:o}", "schemaVersion", 2, "mediaType", MEDIA_OCI_MANIFEST,
				"config", descriptor(l, MEDIA_OCI_CONFIG, cfg_digest), "layers", ls);
	json_array_foreach(layers, i, it) {
		if (!json_is_string(it)) {
			json_decref(man);
			return berr_fail(l->err, EINVAL, "manifest.json: a layer is not a path");
		}
		r = get_blob(l, json_string_value(it), NULL, d);
		if (r < 0) {
			json_decref(man);
			return r;
		}
		json_array_append_new(ls, descriptor(l, sniff_layer(l, d), d));
	}
	_cleanup_free_ char *text = json_dumps(man, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(man);
	if (!text)
		return berr_errno(l->err, ENOMEM, "Load");
	r = store_blob_put(l->s, text, strlen(text), d, l->err);
	if (r < 0)
		return r;
	json_array_foreach(json_object_get(ent, "RepoTags"), i, it)
		if (json_is_string(it) && strv_add(&names, json_string_value(it)) < 0)
			return berr_errno(l->err, ENOMEM, "Load");
	return load_manifest(l, d, names);
}

static int load_docker(struct loader *l)
{
	json_error_t je;
	json_t *m = json_loads(l->manifest_json, 0, &je);
	size_t i;
	json_t *ent;
	int r = 0;

	if (!json_is_array(m)) {
		json_decref(m);
		return berr_fail(l->err, EINVAL, "manifest.json: %s", m ? "not a list" : je.text);
	}
	json_array_foreach(m, i, ent) {
		r = load_docker_entry(l, ent);
		if (r < 0)
			break;
	}
	json_decref(m);
	return r;
}

static bool is_index(const char *media)
{
	return media && (!strcmp(media, MEDIA_OCI_INDEX) || !strcmp(media, MEDIA_DOCKER_LIST));
}

static int desc_score(struct loader *l, json_t *d)
{
	json_t *p = json_object_get(d, "platform");
	if (!p)
		return 0;
	return platform_score(&l->plat, json_string_value(json_object_get(p, "os")),
			      json_string_value(json_object_get(p, "architecture")),
			      json_string_value(json_object_get(p, "variant")));
}

/* An index (multi-platform image): the best manifest for our platform. */
static int pick_from_index(struct loader *l, const char *digest, char out[DIGEST_BUF], int depth)
{
	_cleanup_free_ char *text = NULL;
	json_error_t je;
	int r = store_blob_read(l->s, digest, IMAGE_JSON_MAX, &text, NULL, l->err);
	if (r < 0)
		return r;
	json_t *idx = json_loads(text, 0, &je);
	json_t *best = NULL, *d;
	int best_score = -1;
	size_t i;

	json_array_foreach(json_object_get(idx, "manifests"), i, d) {
		int sc = desc_score(l, d);
		if (sc > best_score) {
			best = d;
			best_score = sc;
		}
	}
	if (!best) {
		char pb[64];
		json_decref(idx);
		return berr_fail(l->err, ENOENT, "Image index %.19s has no image for %s", digest,
				 platform_str(&l->plat, pb));
	}
	r = get_desc_blob(l, best, out);
	const char *media = json_string_value(json_object_get(best, "mediaType"));
	if (r >= 0 && is_index(media))
		r = depth < 4 ? pick_from_index(l, out, out, depth + 1)
			      : berr_fail(l->err, ELOOP, "Image indexes nested too deep");
	json_decref(idx);
	return r;
}

static int index_names(json_t *d, char ***names)
{
	json_t *ann = json_object_get(d, "annotations");
	const char *full = json_string_value(json_object_get(ann, "io.containerd.image.name"));
	const char *ref = json_string_value(json_object_get(ann, "org.opencontainers.image.ref.name"));

	if (full)
		return strv_add(names, full);
	/* a bare tag ("latest") names no repository: the image stays untagged */
	if (ref && (strchr(ref, ':') || strchr(ref, '/')))
		return strv_add(names, ref);
	return 0;
}

/* Docker 25+ archives carry both forms: an OCI entry without a name takes
 * the RepoTags of the manifest.json entry with the same config. */
static int docker_tags_for(struct loader *l, const char *manifest, char ***names)
{
	_cleanup_(image_freep) struct image *img = calloc(1, sizeof(*img));
	_cleanup_free_ char *text = NULL;
	json_t *m = l->manifest_json ? json_loads(l->manifest_json, 0, NULL) : NULL;
	json_t *ent, *t;
	size_t i, j;
	int r = 0;

	/* the manifest only: the config may not be in the store yet */
	if (!m || !img || store_blob_read(l->s, manifest, IMAGE_JSON_MAX, &text, NULL, NULL) < 0 ||
	    image_parse_manifest(text, img, NULL) < 0) {
		json_decref(m);
		return 0;
	}
	json_array_foreach(m, i, ent) {
		const char *cfg = json_string_value(json_object_get(ent, "Config"));
		char d[DIGEST_BUF];
		berr ignore = { 0 };
		berr *saved = l->err;
		l->err = &ignore;
		bool same = cfg && get_blob(l, cfg, NULL, d) == 0 && !strcmp(d, img->config_digest);
		l->err = saved;
		if (!same)
			continue;
		json_array_foreach(json_object_get(ent, "RepoTags"), j, t)
			if (json_is_string(t) && strv_add(names, json_string_value(t)) < 0)
				r = -ENOMEM;
		break;
	}
	json_decref(m);
	return r;
}

static int load_oci(struct loader *l)
{
	json_error_t je;
	json_t *idx = json_loads(l->index_json, 0, &je);
	json_t *d;
	size_t i, loaded = 0;
	int r = 0;

	if (!idx)
		return berr_fail(l->err, EINVAL, "index.json: %s", je.text);
	json_array_foreach(json_object_get(idx, "manifests"), i, d) {
		char digest[DIGEST_BUF];
		_cleanup_strv_ char **names = NULL;
		const char *media = json_string_value(json_object_get(d, "mediaType"));
		if (desc_score(l, d) < 0) {
			l->skipped_platforms++;
			continue;
		}
		r = get_desc_blob(l, d, digest);
		if (r >= 0 && is_index(media))
			r = pick_from_index(l, digest, digest, 0);
		if (r >= 0 && index_names(d, &names) < 0)
			r = berr_errno(l->err, ENOMEM, "Load");
		if (r >= 0 && !names && docker_tags_for(l, digest, &names) < 0)
			r = berr_errno(l->err, ENOMEM, "Load");
		if (r >= 0)
			r = load_manifest(l, digest, names);
		if (r < 0)
			break;
		loaded++;
	}
	json_decref(idx);
	if (r >= 0 && loaded == 0) {
		char pb[64];
		r = berr_fail(l->err, ENOENT, "No image for %s in index.json", platform_str(&l->plat, pb));
	}
	return r;
}

/* ---- commit ---- */

static int commit(struct loader *l)
{
	struct image_records recs = { 0 };
	int r = store_sync_dirs(l->s, l->err);

	if (r < 0)
		return r;
	r = store_records_read(l->s, &recs, l->err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < l->pending.n; i++) {
		if (image_records_set(&recs, l->pending.v[i].name, l->pending.v[i].digest) < 0) {
			image_records_free(&recs);
			return berr_errno(l->err, ENOMEM, "Load");
		}
	}
	r = store_records_write(l->s, &recs, l->err);
	image_records_free(&recs);
	return r;
}

/* Blobs this load brought in that no loaded image uses (other platforms,
 * indexes, docker's legacy files) go again. */
static void drop_unused(struct loader *l)
{
	for (size_t i = 0; l->new_blobs && l->new_blobs[i]; i++) {
		bool used = false;
		for (size_t j = 0; l->keep && l->keep[j] && !used; j++)
			used = strcmp(l->keep[j], l->new_blobs[i]) == 0;
		if (!used)
			store_blob_remove(l->s, l->new_blobs[i]);
	}
}

static void loader_free(struct loader *l)
{
	for (size_t i = 0; i < l->nfiles; i++) {
		free(l->files[i].path);
		free(l->files[i].alias);
	}
	free(l->files);
	strv_free(l->new_blobs);
	strv_free(l->keep);
	free(l->index_json);
	free(l->manifest_json);
	image_records_free(&l->pending);
	closep(&l->dirfd);
}

void load_result_free(struct load_result *r)
{
	strv_free(r->names);
	strv_free(r->digests);
	memset(r, 0, sizeof(*r));
}

int image_load(struct image_store *s, const char *path, const struct load_opts *opts,
	       struct load_result *ret, berr *err)
{
	struct load_result res = { 0 };
	struct loader l = { .s = s, .o = opts, .err = err, .dirfd = -1, .res = &res };
	struct stat st;
	int r;

	if (opts && opts->platform)
		l.plat = *opts->platform;
	else
		platform_detect(&l.plat);
	if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		l.dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (l.dirfd < 0) {
			r = berr_errno(err, errno, "Open \"%s\"", path);
			goto out;
		}
		r = read_dir_json(&l, "manifest.json", &l.manifest_json);
		if (r >= 0)
			r = read_dir_json(&l, "index.json", &l.index_json);
	} else {
		progress(&l, "Reading archive");
		r = read_tar(&l, path);
	}
	if (r < 0)
		goto out;
	if (l.index_json) {
		/* OCI first (Docker 25+ archives hold both): the manifest digest is
		 * kept as shipped; the docker form is the fallback */
		r = load_oci(&l);
		if (r < 0 && l.manifest_json) {
			image_records_free(&l.pending);
			load_result_free(&res);
			berr_clear(err);
			r = load_docker(&l);
		}
	} else if (l.manifest_json) {
		r = load_docker(&l);
	}
	if (!l.index_json && !l.manifest_json)
		r = berr_fail(err, EINVAL, "\"%s\" is neither a docker archive (manifest.json) nor an OCI layout (index.json)",
			      path);
	if (r >= 0 && opts && opts->tag && strv_length(res.digests) > 1)
		r = berr_fail(err, EINVAL, "A name was given but \"%s\" holds %zu images", path,
			      strv_length(res.digests));
	if (r >= 0)
		r = commit(&l);
	if (r < 0) {
		/* nothing was recorded: every blob this load brought in goes */
		strv_free(l.keep);
		l.keep = NULL;
	}
	drop_unused(&l);
out:
	loader_free(&l);
	if (r < 0) {
		load_result_free(&res);
		return r;
	}
	*ret = res;
	return 0;
}
