// SPDX-License-Identifier: GPL-2.0-or-later
/* From blobs in the store to unpacked layers and a record: the common tail
 * of load and pull. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/image.h"
#include "images/import.h"
#include "images/load.h"
#include "images/unpack.h"
#include "lib/cleanup.h"
#include "lib/fs.h"

/* Unpack layer I of IMG into tmp/, check its diff_id, rename it in. */
static int unpack_one(struct image_store *s, struct image *img, size_t i, uint64_t *skipped, berr *err)
{
	struct image_layer *l = &img->layers[i];
	_cleanup_close_ int blob = -1, dir = -1;
	int lowers[256];
	size_t nlowers = 0;
	char name[DIGEST_BUF + 8];
	struct unpack_stats st;
	int r;

	if (i > ARRAY_SIZE(lowers))
		return berr_fail(err, E2BIG, "Image has more than %zu layers", ARRAY_SIZE(lowers));
	blob = store_blob_open(s, l->digest, err);
	if (blob < 0)
		return blob;
	snprintf(name, sizeof(name), "layer-%s", digest_hex(l->chain_id));
	rm_rf_at(s->tmp_fd, name);
	if (mkdirat(s->tmp_fd, name, 0755) < 0)
		return berr_errno(err, errno, "Create \"%s/tmp/%s\"", s->path, name);
	dir = openat(s->tmp_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0 || fchmod(dir, 0755) < 0) {
		r = berr_errno(err, errno, "Open \"%s/tmp/%s\"", s->path, name);
		goto fail;
	}
	for (size_t j = i; j-- > 0;) {
		lowers[nlowers] = openat(s->layers_fd, digest_hex(img->layers[j].chain_id),
					 O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (lowers[nlowers] < 0) {
			r = berr_errno(err, errno, "Lower layer %s", img->layers[j].chain_id);
			goto fail;
		}
		nlowers++;
	}
	struct unpack_opts o = { .max_bytes = s->max_layer_bytes, .lower_fds = lowers, .nlowers = nlowers };
	store_crash_point();
	r = layer_unpack(blob, dir, &o, &st, err);
	if (r < 0) {
		berr_prefix(err, "Layer %s", l->digest);
		goto fail;
	}
	if (strcmp(st.diff_id, l->diff_id) != 0) {
		r = berr_fail(err, EBADMSG, "Layer %s: content has diff_id %s, the config says %s",
			      l->digest, st.diff_id, l->diff_id);
		goto fail;
	}
	*skipped += st.skipped_devices;
	store_crash_point();
	if (renameat(s->tmp_fd, name, s->layers_fd, digest_hex(l->chain_id)) < 0) {
		if (errno != EEXIST && errno != ENOTEMPTY) {
			r = berr_errno(err, errno, "Commit layer %s", l->chain_id);
			goto fail;
		}
		rm_rf_at(s->tmp_fd, name); /* another writer was first: same content */
	}
	store_crash_point();
	r = 0;
fail:
	while (nlowers > 0)
		close(lowers[--nlowers]);
	if (r < 0) {
		closep(&dir);
		rm_rf_at(s->tmp_fd, name);
	}
	return r;
}

int import_layers(struct image_store *s, struct image *img, uint64_t *skipped,
		  void (*progress)(void *ctx, const char *line), void *ctx, berr *err)
{
	for (size_t i = 0; i < img->nlayers; i++) {
		if (store_has_layer(s, img->layers[i].chain_id))
			continue;
		if (!store_has_blob(s, img->layers[i].digest))
			return berr_fail(err, ENOENT, "Layer blob %s is missing", img->layers[i].digest);
		if (progress) {
			char line[128];
			snprintf(line, sizeof(line), "Unpacking layer %.19s", img->layers[i].digest);
			progress(ctx, line);
		}
		int r = unpack_one(s, img, i, skipped, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int import_check_blobs(struct image_store *s, struct image *img, berr *err)
{
	if (!store_has_blob(s, img->config_digest))
		return berr_fail(err, ENOENT, "Config blob %s is missing", img->config_digest);
	for (size_t i = 0; i < img->nlayers; i++)
		if (!store_has_blob(s, img->layers[i].digest))
			return berr_fail(err, ENOENT, "Layer blob %s is missing", img->layers[i].digest);
	return 0;
}

int image_import_manifest(struct image_store *s, const char *digest, const char *name,
			  uint64_t *skipped_devices, berr *err)
{
	_cleanup_(image_freep) struct image *img = NULL;
	struct image_records recs = { 0 };
	uint64_t skipped = 0;
	int r;

	r = image_open(s, digest, &img, err);
	if (r < 0)
		return r;
	r = import_check_blobs(s, img, err);
	if (r < 0)
		return r;
	r = import_layers(s, img, &skipped, NULL, NULL, err);
	if (r < 0)
		return r;
	r = store_sync_dirs(s, err);
	if (r < 0)
		return r;
	r = store_records_read(s, &recs, err);
	if (r < 0)
		return r;
	if (image_records_set(&recs, name, digest) < 0)
		r = berr_errno(err, ENOMEM, "Image records");
	else
		r = store_records_write(s, &recs, err);
	image_records_free(&recs);
	if (skipped_devices)
		*skipped_devices = skipped;
	return r;
}
