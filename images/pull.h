/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth image pull: registry v2 over https (or http with insecure), with
 * anonymous, Bearer token and basic authentication, platform selection,
 * every blob verified against the digest berth computes, interrupted
 * downloads resumed (Range) from tmp/, retries with backoff. Compiled only
 * with CONFIG_IMAGES_PULL (libcurl); without it image_pull() says so. */
#ifndef BERTH_IMAGES_PULL_H
#define BERTH_IMAGES_PULL_H

#include <stdbool.h>
#include <stdint.h>

#include "images/platform.h"
#include "images/store.h"
#include "lib/kconfig.h"

struct pull_opts {
	const struct platform *platform; /* NULL: this board's */
	bool insecure;			 /* plain http (and no TLS verification) */
	const char *credentials;	 /* file of "registry user:password" lines; NULL: default */
	/* progress: what ("sha256:..."), bytes done, total (0 unknown); done == total at the end */
	void (*progress)(void *ctx, const char *what, uint64_t done, uint64_t total);
	void *progress_ctx;
	/* optional notes: "Resuming sha256:... at 123 bytes", "Retrying ..." */
	void (*note)(void *ctx, const char *line);
	int retries;			 /* per request; 0 = default (4) */
};

#if IS_ENABLED(CONFIG_IMAGES_PULL)
/* Pull REF into the store (open for writing) and record it under its name.
 * RET_NAME gets the recorded name (malloc'd), RET_DIGEST the manifest. */
int image_pull(struct image_store *s, const char *ref, const struct pull_opts *opts, char **ret_name,
	       char ret_digest[DIGEST_BUF], berr *err);
#else
static inline int image_pull(struct image_store *s, const char *ref, const struct pull_opts *opts,
			     char **ret_name, char ret_digest[DIGEST_BUF], berr *err)
{
	(void)s, (void)ref, (void)opts, (void)ret_name, (void)ret_digest;
	return berr_fail(err, ENOTSUP, "This berth was built without registry pull (CONFIG_IMAGES_PULL)");
}
#endif

#endif
