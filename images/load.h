/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth image load: docker-archive (docker save, old and Docker 25+ forms)
 * and OCI image layouts, as a tar (plain or compressed, a file or stdin)
 * or as a directory. Layers may be tar, tar+gzip or tar+zstd. An image
 * index picks this board's platform (or opts->platform).
 *
 * Every blob is stored under the digest berth computed (a name or
 * descriptor that disagrees is an error), every layer's uncompressed
 * content must match its diff_id, and the records are written last, so a
 * crash leaves the old or the new state. Blobs and layers already in the
 * store are reused. The store must be open for writing. */
#ifndef BERTH_IMAGES_LOAD_H
#define BERTH_IMAGES_LOAD_H

#include <stdint.h>

#include "images/platform.h"
#include "images/store.h"

struct load_opts {
	const struct platform *platform; /* NULL: this board's */
	const char *tag;		  /* name for the image (one image only) */
	/* optional progress: called with a short line ("Unpacking layer sha256:...") */
	void (*progress)(void *ctx, const char *line);
	void *progress_ctx;
};

struct load_result {
	char **names;	/* what was loaded: "busybox:latest", or the digest when untagged */
	char **digests;	/* manifest digests, same order */
	uint64_t skipped_devices;
};

/* PATH: a tar file, "-" for stdin, or a directory. */
int image_load(struct image_store *s, const char *path, const struct load_opts *opts,
	       struct load_result *ret, berr *err);
void load_result_free(struct load_result *r);

/* Import a manifest already in the store (pull uses it): fetches nothing,
 * unpacks missing layers (the layer blobs must be in the store), records
 * NAME (NULL: untagged). */
int image_import_manifest(struct image_store *s, const char *digest, const char *name,
			  uint64_t *skipped_devices, berr *err);

#endif
