/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth image save: images from the store into one tar, to carry them
 * from board to board. SAVE_DOCKER writes the Docker 25+ form (manifest.json
 * + repositories + an OCI layout, blobs/sha256/...), which docker load,
 * podman, skopeo and berth all read; SAVE_OCI writes the OCI layout alone
 * with the name in the index annotations. Blobs are written as stored. */
#ifndef BERTH_IMAGES_SAVE_H
#define BERTH_IMAGES_SAVE_H

#include <stddef.h>

#include "images/store.h"

enum save_format { SAVE_DOCKER, SAVE_OCI };

/* OUT: a file path (written to OUT.tmp, then renamed), or NULL for stdout. */
int image_save(struct image_store *s, const char *const *refs, size_t nrefs, enum save_format fmt,
	       const char *out, berr *err);

#endif
