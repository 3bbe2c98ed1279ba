/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Removing images, garbage collection and the consistency check. */
#ifndef BERTH_IMAGES_GC_H
#define BERTH_IMAGES_GC_H

#include <stdbool.h>
#include <stdint.h>

#include "images/store.h"

/* Remove the record(s) of REF (a name removes that name; an ID or digest
 * removes every name of the image). Refused (-EBUSY) when it would leave
 * an image a container uses without a name, unless FORCE. Blobs and layers
 * stay until store_prune(). RET_DIGEST gets the manifest. */
int image_remove(struct image_store *s, const char *ref, bool force, char ret_digest[DIGEST_BUF],
		 berr *err);

struct prune_stats {
	uint64_t images, blobs, layers, bytes;
};

/* Drop untagged images no container uses, then every blob and layer that
 * no record or reference reaches. Records are written before anything is
 * deleted, so a crash leaves garbage, never a dangling record. */
int store_prune(struct image_store *s, struct prune_stats *ret, berr *err);

/* Check the store: every record and reference names a manifest whose
 * manifest, config and layer blobs exist and hash to their names, and
 * whose layer dirs exist. REPORT is called for each problem (may be NULL).
 * Returns the number of problems (>= 0) or -errno. With VERIFY false,
 * blobs are checked for presence only. */
int store_fsck(struct image_store *s, bool verify, void (*report)(void *ctx, const char *msg),
	       void *ctx, berr *err);

#endif
