// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_prog = "berth";
static enum log_level log_level = LOG_LVL_INFO;
bool trace_enabled;
static struct timespec trace_t0, trace_prev;

void log_init(const char *progname)
{
	if (progname)
		log_prog = progname;
	const char *t = getenv("BERTH_TRACE");
	if (t && *t && strcmp(t, "0") != 0)
		trace_start();
	const char *d = getenv("BERTH_DEBUG");
	if (d && *d && strcmp(d, "0") != 0)
		log_level = LOG_LVL_DEBUG;
}

void log_set_level(enum log_level lvl)
{
	log_level = lvl;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	char buf[2048];
	va_list ap;

	if (lvl > log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (lvl == LOG_LVL_INFO)
		fprintf(stderr, "%s: %s\n", log_prog, buf);
	else
		fprintf(stderr, "%s: %s: %s\n", log_prog, names[lvl], buf);
}

void trace_start(void)
{
	trace_enabled = true;
	clock_gettime(CLOCK_MONOTONIC, &trace_t0);
	trace_prev = trace_t0;
}

static double ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1e3 + (b->tv_nsec - a->tv_nsec) / 1e6;
}

void trace_phase_(const char *what)
{
	struct timespec now;
	char buf[160];

	clock_gettime(CLOCK_MONOTONIC, &now);
	int n = snprintf(buf, sizeof(buf), "trace[%d] %-24s +%7.3f ms  total %8.3f ms\n", getpid(),
			 what, ms_between(&trace_prev, &now), ms_between(&trace_t0, &now));
	trace_prev = now;
	if (n > 0)
		(void)!write(STDERR_FILENO, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}
