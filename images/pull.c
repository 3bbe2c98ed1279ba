// SPDX-License-Identifier: GPL-2.0-or-later
#include "images/pull.h"

int image_pull(struct image_store *s, const char *ref, const struct pull_opts *opts, char **ret_name,
	       char ret_digest[DIGEST_BUF], berr *err)
{
	(void)s, (void)ref, (void)opts, (void)ret_name, (void)ret_digest;
	return berr_fail(err, ENOSYS, "Registry pull is not implemented yet");
}
