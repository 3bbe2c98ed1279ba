// SPDX-License-Identifier: GPL-2.0-or-later
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "images/digest.h"

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
	struct hasher *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h->ctx);
		free(h);
		return NULL;
	}
	return h;
}

void hasher_update(struct hasher *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void hasher_final(struct hasher *h, char out[DIGEST_BUF])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	memcpy(out, "sha256:", 7);
	for (int i = 0; i < 32; i++)
		sprintf(out + 7 + 2 * i, "%02x", md[i]);
	EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
}

void hasher_free(struct hasher *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void digest_buf(const void *data, size_t len, char out[DIGEST_BUF])
{
	unsigned char md[32];
	unsigned int n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
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
