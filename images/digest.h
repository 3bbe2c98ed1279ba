/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sha256 digests: validation (before a digest is ever used in a path) and
 * incremental hashing with OpenSSL's EVP interface (libcrypto, opened on
 * first use). */
#ifndef BERTH_IMAGES_DIGEST_H
#define BERTH_IMAGES_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define DIGEST_HEX 64
#define DIGEST_LEN (7 + DIGEST_HEX) /* "sha256:" + hex */
#define DIGEST_BUF (DIGEST_LEN + 1)

/* Exactly ^sha256:[a-f0-9]{64}$. Anything else (other algorithms, upper
 * case, "../", NUL tricks) is refused before any use. */
bool digest_valid(const char *d);
/* Exactly [a-f0-9]{64} (a store file name). */
bool digest_hex_valid(const char *h);
/* The hex part of a valid digest. */
static inline const char *digest_hex(const char *d)
{
	return d + 7;
}

#include "lib/err.h"

/* Load libcrypto (opened on first use, not linked): 0, or an error naming
 * the library. hasher_new() calls it; call it first for a clear error. */
int digest_open(berr *err);

struct hasher;
/* NULL with errno ENOMEM, or ELIBACC when libcrypto cannot be loaded. */
struct hasher *hasher_new(void);
/* The error for a NULL hasher_new(): "WHAT: Cannot load libcrypto.so.3: ..."
 * or "WHAT: Cannot allocate memory". */
int hasher_error(berr *err, const char *what);
void hasher_update(struct hasher *h, const void *data, size_t len);
/* Writes "sha256:<hex>" into OUT and resets H for reuse. */
void hasher_final(struct hasher *h, char out[DIGEST_BUF]);
void hasher_free(struct hasher *h);
static inline void hasher_freep(struct hasher **h)
{
	hasher_free(*h);
}

/* One-shot digest of a buffer. */
void digest_buf(const void *data, size_t len, char out[DIGEST_BUF]);

/* ChainID(prev|diff) = sha256(prev + " " + diff); PREV NULL for the first layer. */
void digest_chain(const char *prev, const char *diff, char out[DIGEST_BUF]);

#endif
