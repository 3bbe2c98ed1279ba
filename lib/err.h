/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Errors: library functions return 0 or -errno and describe the failure in a
 * struct berr owned by the caller. Only the CLI and the daemon print it.
 *
 *	return berr_errno(err, errno, "mount overlay on \"%s\"", target);
 *		-> -errno, message "mount overlay on "/x": Invalid argument"
 *	return berr_fail(err, EINVAL, "memory: \"%s\" is not a size", v);
 *		-> -EINVAL, message without the strerror suffix
 */
#ifndef BERTH_ERR_H
#define BERTH_ERR_H

#include <errno.h>

#define BERR_MSG_MAX 1024

typedef struct berr {
	int code;		/* positive errno, 0 when no error */
	char msg[BERR_MSG_MAX];
} berr;

int berr_errno(berr *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int berr_fail(berr *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Prefix an existing message: "CONTEXT: old message". Returns -err->code. */
int berr_prefix(berr *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void berr_clear(berr *err);

#endif
