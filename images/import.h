/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Internal to images/: the common tail of load and pull. */
#ifndef BERTH_IMAGES_IMPORT_H
#define BERTH_IMAGES_IMPORT_H

#include <stdint.h>

#include "images/image.h"

/* Unpack every layer of IMG missing from the store (blobs must be there). */
int import_layers(struct image_store *s, struct image *img, uint64_t *skipped,
		  void (*progress)(void *ctx, const char *line), void *ctx, berr *err);
/* Config and layer blobs of IMG all present? */
int import_check_blobs(struct image_store *s, struct image *img, berr *err);

#endif
