/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A container's log: one file of timestamped lines, rotated by size
 * (s6-log style: N files of at most S bytes).
 *
 *   DIR/NAME.log            current run, newest lines
 *   DIR/NAME.log.1 ...      older pieces of the current run (files - 1 of them)
 *   DIR/NAME.previous.log   the last piece of the previous run (--previous)
 *
 * Line format: "2026-11-26T17:04:22.123456789Z stdout text\n" (RFC 3339 UTC,
 * the stream, the text); a line longer than LOG_LINE_MAX is cut in pieces. */
#ifndef BERTH_SUPERVISOR_LOGFILE_H
#define BERTH_SUPERVISOR_LOGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define LOG_LINE_MAX 8192

struct logfile {
	int dirfd;
	int fd;
	char name[96];
	uint64_t size, max;
	unsigned files;
};

/* Open DIR/NAME.log for appending (DIR is created). NEW_RUN: the current
 * log becomes NAME.previous.log and rotated pieces are removed. */
int logfile_open(struct logfile *lf, const char *dir, const char *name, uint64_t max,
		 unsigned files, bool new_run, berr *err);
/* Append one line (LINE without its newline) of STREAM; rotates first when
 * it would not fit. Errors are not fatal to the container: -errno. */
int logfile_write(struct logfile *lf, const char *stream, const char *line, size_t len);
void logfile_close(struct logfile *lf);

#endif
