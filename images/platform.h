/* SPDX-License-Identifier: GPL-2.0-or-later */
/* OCI platforms: this board's, a --platform override, and how well an
 * index entry fits. */
#ifndef BERTH_IMAGES_PLATFORM_H
#define BERTH_IMAGES_PLATFORM_H

#include "lib/err.h"

struct platform {
	char os[16], arch[16], variant[16];
};

/* This machine: uname plus /proc/cpuinfo (a Pi Zero/1 kernel may report
 * "CPU architecture: 7" but its model name says ARMv6). */
void platform_detect(struct platform *ret);
/* The same from given inputs (MACHINE as uname -m, CPUINFO may be NULL). */
void platform_from(const char *machine, const char *cpuinfo, struct platform *ret);
/* "linux/arm/v7", "arm64", "linux/amd64", "arm/v6". */
int platform_parse(const char *s, struct platform *ret, berr *err);
/* How well OS/ARCH/VARIANT suits WANT: < 0 not at all, higher is better
 * (an exact variant beats an older compatible one: arm/v7 runs v6 and v5). */
int platform_score(const struct platform *want, const char *os, const char *arch, const char *variant);
/* "linux/arm/v7" into BUF. */
const char *platform_str(const struct platform *p, char buf[64]);

#endif
