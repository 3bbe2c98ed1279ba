/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The image store, under the state root (see docs/decisions/images-store.md):
 *
 *   ROOT/images/                0700
 *     lock                      flock: one writer at a time (load, pull, rm, tag, prune, refs)
 *     index.json                records: name:tag -> manifest digest, untagged digests
 *     blobs/sha256/HEX          manifests, configs, layer blobs; named by the sha256
 *                               berth computed itself, fsynced before they are linked in
 *     layers/HEX                one unpacked layer per ChainID, an overlay lower dir;
 *                               renamed in complete (after syncfs) or not at all
 *     refs/HOLDER               manifest digest a container (HOLDER = its id) runs from;
 *                               live while ROOT/containers/HOLDER exists
 *     tmp/                      partial blobs and layers; emptied by the next writer
 *
 * Invariant after any crash: index.json and refs only name manifests whose
 * manifest, config and layer blobs and layer dirs are all present.
 *
 * The runtime hook, image_resolve_rootfs(), is in images/image.h. */
#ifndef BERTH_IMAGES_STORE_H
#define BERTH_IMAGES_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "images/digest.h"
#include "lib/err.h"

struct image_store {
	char *root;	/* the state root */
	char *path;	/* ROOT/images */
	int dfd, blobs_fd, layers_fd, tmp_fd, refs_fd; /* O_DIRECTORY fds */
	int lock_fd;	/* held (LOCK_EX) when opened for writing, else -1 */
	uint64_t max_layer_bytes;
};

/* Open (creating when WRITE) the store under ROOT. WRITE takes the store
 * lock (waits for another writer) and empties tmp/. The caller closes. */
int store_open(const char *root, bool write, struct image_store **ret, berr *err);
void store_close(struct image_store *s);
static inline void store_closep(struct image_store **s)
{
	store_close(*s);
}

/* ---- blobs ---- */
bool store_has_blob(struct image_store *s, const char *digest);
/* Read-only fd of a blob. */
int store_blob_open(struct image_store *s, const char *digest, berr *err);
/* Whole blob (at most MAX bytes) in a NUL-terminated buffer the caller frees. */
int store_blob_read(struct image_store *s, const char *digest, size_t max, char **ret,
		    size_t *ret_len, berr *err);
/* Source of blob bytes: returns bytes read, 0 at the end, -errno on error. */
typedef ssize_t (*blob_reader_fn)(void *ctx, void *buf, size_t len);
/* Stream a blob into the store, hashing as it goes. EXPECT (optional) is
 * the digest the source claims: a mismatch is an error and nothing is
 * kept. The blob is fsynced and linked in under the digest computed.
 * *RET_NEW (optional) tells whether the store did not have it. */
int store_blob_ingest(struct image_store *s, blob_reader_fn rd, void *ctx, const char *expect,
		      char ret_digest[DIGEST_BUF], bool *ret_new, berr *err);
int store_blob_put(struct image_store *s, const void *data, size_t len,
		   char ret_digest[DIGEST_BUF], berr *err);
int store_blob_remove(struct image_store *s, const char *digest);
/* Recompute a stored blob's digest: 0 if it matches its name. */
int store_blob_verify(struct image_store *s, const char *digest, berr *err);

/* ---- layers ---- */
bool store_has_layer(struct image_store *s, const char *chain_id);
/* "ROOT/images/layers/HEX", malloc'd (NULL on ENOMEM). */
char *store_layer_path(struct image_store *s, const char *chain_id);

/* ---- durability: fsync the blob and layer directories ---- */
int store_sync_dirs(struct image_store *s, berr *err);

/* ---- records (index.json) ---- */
struct image_record {
	char *name;		/* "busybox:latest", NULL for an untagged image */
	char digest[DIGEST_BUF]; /* manifest */
};
struct image_records {
	struct image_record *v;
	size_t n;
};
int store_records_read(struct image_store *s, struct image_records *ret, berr *err);
/* Atomic, durable replacement of index.json. Write store only. */
int store_records_write(struct image_store *s, const struct image_records *r, berr *err);
/* Point NAME (NULL: untagged) at DIGEST; an untagged entry of DIGEST is dropped
 * once it has a name. */
int image_records_set(struct image_records *r, const char *name, const char *digest);
void image_records_free(struct image_records *r);

/* ---- references from containers ---- */
int store_ref_add(struct image_store *s, const char *holder, const char *digest, berr *err);
int store_ref_drop(struct image_store *s, const char *holder, berr *err);
/* Live references: a NULL-terminated vector of "HOLDER DIGEST" strings the
 * caller frees with strv_free. A reference whose ROOT/containers/HOLDER dir
 * is gone (the container was deleted without image_release_spec) is stale
 * and not listed. */
int store_refs_list(struct image_store *s, char ***ret, berr *err);

/* ---- hooks for tests: BERTH_TEST_CRASH_AT=N makes the Nth store write
 * point _exit(99) (fault injection for the kill -9 loop). ---- */
void store_crash_point(void);

#endif
