/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Parsing of the units users write in flags and pod specs. All return 0 or
 * -EINVAL/-ERANGE and write the result only on success. */
#ifndef BERTH_UNITS_H
#define BERTH_UNITS_H

#include <stdint.h>

/* "512", "64k", "12M", "1.5G", "2Gi", "100Mi", "1T". K/M/G/T and Ki/Mi/Gi/Ti
 * are both powers of 1024 (as Docker and systemd read them); an optional
 * trailing "b"/"B" is accepted. Bytes; no negative values. */
int parse_size(const char *s, uint64_t *ret_bytes);

/* "100ms", "10s", "5m", "1h", "1m30s", "250us"; a bare number is seconds.
 * Result in milliseconds (microsecond inputs round up). */
int parse_duration_ms(const char *s, uint64_t *ret_ms);

/* "0.5", "2", "500m" -> thousandths of a CPU; zero and negative are errors. */
int parse_cpus(const char *s, uint64_t *ret_millicpus);

/* Strict integers: whole string, no blanks, range checked. */
int parse_int64(const char *s, int64_t min, int64_t max, int64_t *ret);
int parse_bool(const char *s, int *ret);

/* Human form of a byte count: "512B", "1.5KiB", "12MiB", "2GiB". */
const char *format_size(uint64_t bytes, char buf[static 16]);

#endif
