// SPDX-License-Identifier: GPL-2.0-or-later
/* berth image save: see save.h. */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/dl_archive.h"
#include "images/image.h"
#include "images/ref.h"
#include "images/save.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

struct saver {
	struct image_store *s;
	struct archive *a;
	char **written; /* blob digests already in the archive */
	berr *err;
};

static int put_header(struct saver *sv, const char *name, int64_t size)
{
	struct archive_entry *e = archive_entry_new();
	if (!e)
		return berr_errno(sv->err, ENOMEM, "Save");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, size);
	dl_archive_set_mtime(e, 0, 0);
	int r = archive_write_header(sv->a, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : berr_fail(sv->err, EIO, "Save \"%s\": %s", name, archive_error_string(sv->a));
}

static int put_mem(struct saver *sv, const char *name, const char *data)
{
	size_t len = strlen(data);
	int r = put_header(sv, name, (int64_t)len);
	if (r < 0)
		return r;
	if (archive_write_data(sv->a, data, len) != (la_ssize_t)len)
		return berr_fail(sv->err, EIO, "Save \"%s\": %s", name, archive_error_string(sv->a));
	return 0;
}

static int put_blob(struct saver *sv, const char *digest)
{
	char name[16 + DIGEST_HEX], buf[65536];
	struct stat st;
	ssize_t n;

	for (size_t i = 0; sv->written && sv->written[i]; i++)
		if (!strcmp(sv->written[i], digest))
			return 0;
	_cleanup_close_ int fd = store_blob_open(sv->s, digest, sv->err);
	if (fd < 0 || fstat(fd, &st) < 0)
		return fd < 0 ? fd : berr_errno(sv->err, errno, "Blob %s", digest);
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest_hex(digest));
	int r = put_header(sv, name, st.st_size);
	if (r < 0)
		return r;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (archive_write_data(sv->a, buf, (size_t)n) != n)
			return berr_fail(sv->err, EIO, "Save %s: %s", digest, archive_error_string(sv->a));
	if (n < 0)
		return berr_errno(sv->err, errno, "Read blob %s", digest);
	return strv_add(&sv->written, digest) < 0 ? berr_errno(sv->err, ENOMEM, "Save") : 0;
}

static char *full_name(const char *name)
{
	struct image_ref r;
	char *out = NULL;

	if (!name || ref_parse(name, &r, NULL) < 0)
		return NULL;
	if (asprintf(&out, "%s/%s:%s", r.registry, r.repo, r.tag ? r.tag : "latest") < 0)
		out = NULL;
	ref_free(&r);
	return out;
}

/* One image: its blobs, its index.json entry and its manifest.json entry. */
static int save_image(struct saver *sv, const char *ref, json_t *index, json_t *dmanifest, json_t *repos)
{
	_cleanup_(image_freep) struct image *img = NULL;
	char digest[DIGEST_BUF], path[16 + DIGEST_HEX];
	int r = image_find(sv->s, ref, digest, sv->err);

	if (r >= 0)
		r = image_open(sv->s, digest, &img, sv->err);
	if (r < 0)
		return r;
	r = put_blob(sv, digest);
	for (size_t i = 0; r >= 0 && i < img->nlayers; i++)
		r = put_blob(sv, img->layers[i].digest);
	if (r >= 0)
		r = put_blob(sv, img->config_digest);
	if (r < 0)
		return r;
	_cleanup_free_ char *name = ref_normalize(ref, NULL);
	bool named = name != NULL;
	/* a ref that is an ID prefix names nothing */
	char found[DIGEST_BUF];
	if (named && (image_find(sv->s, name, found, NULL) < 0 || strcmp(found, digest) != 0))
		named = false;
	_cleanup_free_ char *full = named ? full_name(name) : NULL;
	struct stat st = { 0 };
	fstatat(sv->s->blobs_fd, digest_hex(digest), &st, 0);
	json_t *desc = json_pack("{s:s,s:s,s:I}", "mediaType", MEDIA_OCI_MANIFEST, "digest", digest,
				 "size", (json_int_t)st.st_size);
	if (full) {
		const char *tag = strrchr(full, ':') + 1;
		json_object_set_new(desc, "annotations",
				    json_pack("{s:s,s:s}", "io.containerd.image.name", full,
					      "org.opencontainers.image.ref.name", tag));
	}
	json_array_append_new(index, desc);
	if (!dmanifest)
		return 0;
	json_t *layers = json_array();
	for (size_t i = 0; i < img->nlayers; i++) {
		snprintf(path, sizeof(path), "blobs/sha256/%s", digest_hex(img->layers[i].digest));
		json_array_append_new(layers, json_string(path));
	}
	snprintf(path, sizeof(path), "blobs/sha256/%s", digest_hex(img->config_digest));
	json_t *tags = json_array();
	if (named)
		json_array_append_new(tags, json_string(name));
	json_array_append_new(dmanifest, json_pack("{s:s,s:o,s:o}", "Config", path, "RepoTags", tags,
						   "Layers", layers));
	if (named && img->nlayers) {
		char repo[256];
		const char *colon = strrchr(name, ':');
		snprintf(repo, sizeof(repo), "%.*s", (int)(colon - name), name);
		json_t *tagmap = json_object_get(repos, repo);
		if (!tagmap)
			json_object_set_new(repos, repo, tagmap = json_object());
		json_object_set_new(tagmap, colon + 1,
				    json_string(digest_hex(img->layers[img->nlayers - 1].diff_id)));
	}
	return 0;
}

static int finish(struct saver *sv, json_t *index, json_t *dmanifest, json_t *repos)
{
	_cleanup_free_ char *idx = NULL, *man = NULL, *rep = NULL;
	json_t *root = json_pack("{s:i,s:s,s:O}", "schemaVersion", 2, "mediaType", MEDIA_OCI_INDEX,
				 "manifests", index);

	idx = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (dmanifest) {
		man = json_dumps(dmanifest, JSON_COMPACT);
		rep = json_dumps(repos, JSON_COMPACT);
	}
	if (!idx || (dmanifest && (!man || !rep)))
		return berr_errno(sv->err, ENOMEM, "Save");
	int r = put_mem(sv, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
	if (r >= 0)
		r = put_mem(sv, "index.json", idx);
	if (r >= 0 && man)
		r = put_mem(sv, "manifest.json", man);
	if (r >= 0 && rep)
		r = put_mem(sv, "repositories", rep);
	return r;
}

static int fsync_parent(const char *path)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash = dir ? strrchr(dir, '/') : NULL;
	if (!dir)
		return -1;
	if (slash)
		*slash = '\0';
	int r = fsync_path(slash ? (*dir ? dir : "/") : ".");
	if (r < 0)
		errno = -r;
	return r < 0 ? -1 : 0;
}

int image_save(struct image_store *s, const char *const *refs, size_t nrefs, enum save_format fmt,
	       const char *out, berr *err)
{
	if (archive_dl_open(err) < 0)
		return -err->code;
	struct saver sv = { .s = s, .err = err };
	_cleanup_free_ char *tmp = NULL;
	_cleanup_close_ int fd = -1;
	json_t *index = json_array();
	json_t *dman = fmt == SAVE_DOCKER ? json_array() : NULL;
	json_t *repos = json_object();
	int r = 0;

	sv.a = archive_write_new();
	if (!sv.a || !index || (out && asprintf(&tmp, "%s.tmp", out) < 0)) {
		r = berr_errno(err, ENOMEM, "Save");
		goto out;
	}
	archive_write_set_format_pax_restricted(sv.a);
	archive_write_set_bytes_in_last_block(sv.a, 1);
	if (tmp && (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		r = berr_errno(err, errno, "Save to \"%s\"", tmp);
		goto out;
	}
	if (archive_write_open_fd(sv.a, tmp ? fd : STDOUT_FILENO) != ARCHIVE_OK) {
		r = berr_fail(err, EIO, "Save to \"%s\": %s", tmp ? tmp : "-", archive_error_string(sv.a));
		goto out;
	}
	for (size_t i = 0; r >= 0 && i < nrefs; i++)
		r = save_image(&sv, refs[i], index, dman, repos);
	if (r >= 0)
		r = finish(&sv, index, dman, repos);
	if (archive_write_close(sv.a) != ARCHIVE_OK && r >= 0)
		r = berr_fail(err, EIO, "Save: %s", archive_error_string(sv.a));
	/* a USB stick is pulled as soon as we return: the file must be on it */
	if (r >= 0 && tmp && (fsync(fd) < 0 || rename(tmp, out) < 0 || fsync_parent(out) < 0))
		r = berr_errno(err, errno, "Save to \"%s\"", out);
out:
	if (r < 0 && tmp)
		unlink(tmp);
	if (sv.a)
		archive_write_free(sv.a);
	strv_free(sv.written);
	json_decref(index);
	json_decref(dman);
	json_decref(repos);
	return r;
}
