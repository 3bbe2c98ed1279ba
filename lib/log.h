/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Logging for the CLI and the daemon's top level only; library code returns
 * errors instead. BERTH_TRACE=1 in the environment turns on phase timing. */
#ifndef BERTH_LOG_H
#define BERTH_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

void log_init(const char *progname);
void log_set_level(enum log_level lvl);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* Phase tracing: trace_phase("mounts") prints the time since the previous
 * phase and since trace start on stderr when BERTH_TRACE is set. Cheap
 * (one branch) when off. Safe to call in forked children. */
extern bool trace_enabled;
void trace_start(void);
void trace_phase_(const char *what);
#define trace_phase(what)                                                                          \
	do {                                                                                       \
		if (trace_enabled)                                                                 \
			trace_phase_(what);                                                        \
	} while (0)

#endif
