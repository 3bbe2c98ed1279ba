// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/digest.h"
#include "lib/dl.h"

/* libcrypto.so.3 opened on first use (lib/dl.h): linked, its 21,000
 * relocations cost every berth and berth-oci start, though only the image
 * store hashes. Seven functions, called through this table. */
static struct {
	__typeof__(EVP_MD_CTX_new) *EVP_MD_CTX_new;
	__typeof__(EVP_MD_CTX_free) *EVP_MD_CTX_free;
	__typeof__(EVP_DigestInit_ex) *EVP_DigestInit_ex;
	__typeof__(EVP_DigestUpdate) *EVP_DigestUpdate;
	__typeof__(EVP_DigestFinal_ex) *EVP_DigestFinal_ex;
	__typeof__(EVP_Digest) *EVP_Digest;
	__typeof__(EVP_sha256) *EVP_sha256;
} crypto;
static const char *const crypto_names[] = {
    "EVP_MD_CTX_new",	  "EVP_MD_CTX_free", "EVP_DigestInit_ex", "EVP_DigestUpdate",
    "EVP_DigestFinal_ex", "EVP_Digest",	     "EVP_sha256",
};

int digest_open(berr *err)
{
	static struct dl_lib lib = { .soname = "libcrypto.so.3", DL_LIB_TABLE(crypto_names, crypto) };
	DL_LIB_CHECK(crypto_names, crypto);
	return dl_lib_open(&lib, err);
}

/* For the callers that cannot fail: a store that hashes has called
 * digest_open() (hasher_new does), so this only opens for unit tests. */
static void crypto_need(void)
{
	berr err = {0};
	if (digest_open(&err) == 0)
		return;
	fprintf(stderr, "berth: %s\n", err.msg);
	abort();
}

bool digest_hex_valid(const char *h)
{
	for (int i = 0; i < DIGEST_HEX; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return false;
	return h[DIGEST_HEX] == '\0';
}

bool digest_valid(const char *d)
{
	return d && strncmp(d, "sha256:", 7) == 0 && digest_hex_valid(d + 7);
}

struct hasher {
	EVP_MD_CTX *ctx;
};

struct hasher *hasher_new(void)
{
	if (digest_open(NULL) < 0) {
		errno = ELIBACC;
		return NULL;
	}
	struct hasher *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->ctx = crypto.EVP_MD_CTX_new();
	if (!h->ctx || crypto.EVP_DigestInit_ex(h->ctx, crypto.EVP_sha256(), NULL) != 1) {
		crypto.EVP_MD_CTX_free(h->ctx);
		errno = ENOMEM;
		free(h);
		return NULL;
	}
	return h;
}

int hasher_error(berr *err, const char *what)
{
	if (digest_open(err) < 0)
		return berr_prefix(err, "%s", what);
	return berr_errno(err, ENOMEM, "%s", what);
}

void hasher_update(struct hasher *h, const void *data, size_t len)
{
	crypto.EVP_DigestUpdate(h->ctx, data, len);
}

void hasher_final(struct hasher *h, char out[DIGEST_BUF])
{
	unsigned char md[32];
	unsigned int n = 0;

	crypto.EVP_DigestFinal_ex(h->ctx, md, &n);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
	crypto.EVP_DigestInit_ex(h->ctx, crypto.EVP_sha256(), NULL);
}

void hasher_free(struct hasher *h)
{
	if (!h)
		return;
	crypto.EVP_MD_CTX_free(h->ctx);
	free(h);
}

void digest_buf(const void *data, size_t len, char out[DIGEST_BUF])
{
	unsigned char md[32];
	unsigned int n = 0;

	crypto_need();
	crypto.EVP_Digest(data, len, md, &n, crypto.EVP_sha256(), NULL);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
}

void digest_chain(const char *prev, const char *diff, char out[DIGEST_BUF])
{
	char buf[2 * DIGEST_BUF + 2];

	if (!prev) {
		snprintf(out, DIGEST_BUF, "%s", diff);
		return;
	}
	int n = snprintf(buf, sizeof(buf), "%s %s", prev, diff);
	digest_buf(buf, (size_t)n, out);
}
