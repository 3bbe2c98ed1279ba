/* SPDX-License-Identifier: GPL-2.0-or-later */
/* berth check's optional helpers: each needs a part that may be compiled
 * out, and then says so. */
#ifndef BERTH_CLI_CHECK_H
#define BERTH_CLI_CHECK_H

#include <stddef.h>

#include "lib/check.h"
#include "lib/kconfig.h"

#if IS_ENABLED(CONFIG_IMAGES)
/* /proc/config.gz through libarchive (opened on first use) */
int check_gunzip(const char *path, size_t max, char **ret_buf, size_t *ret_len, berr *err);
#else
static inline int check_gunzip(const char *path, size_t max, char **ret_buf, size_t *ret_len,
			       berr *err)
{
	(void)max, (void)ret_buf, (void)ret_len;
	return berr_fail(err, ENOTSUP,
			 "\"%s\": this berth was built without libarchive (CONFIG_IMAGES)", path);
}
#endif

#if IS_ENABLED(CONFIG_JSON)
/* The report as one JSON object on stdout */
int check_print_json(const struct check_report *r, enum check_verdict v);
#else
int cli_disabled(const char *what, const char *option);
static inline int check_print_json(const struct check_report *r, enum check_verdict v)
{
	(void)r, (void)v;
	return cli_disabled("JSON output", "CONFIG_JSON");
}
#endif

#endif
