// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static int berr_vset(berr *err, int code, int with_errno, const char *fmt, va_list ap)
{
	if (code < 0)
		code = -code;
	if (code == 0)
		code = EIO;
	if (!err)
		return -code;
	err->code = code;
	int n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(err->msg))
		snprintf(err->msg + n, sizeof(err->msg) - n, ": %s", strerror(code));
	return -code;
}

int berr_errno(berr *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = berr_vset(err, code, 1, fmt, ap);
	va_end(ap);
	return r;
}

int berr_fail(berr *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = berr_vset(err, code, 0, fmt, ap);
	va_end(ap);
	return r;
}

int berr_prefix(berr *err, const char *fmt, ...)
{
	char prefix[BERR_MSG_MAX], old[BERR_MSG_MAX];
	va_list ap;

	if (!err)
		return -EIO;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	if (err->code == 0)
		err->code = EIO;
	return -err->code;
}

void berr_clear(berr *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
