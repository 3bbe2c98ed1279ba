/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Named volumes: directories that outlive pods, scoped by a namespace.
 *
 *	ROOT/volumes/NAME		namespace "default" (where berth has
 *					always kept them: nothing to migrate)
 *	ROOT/volumes-ns/NS/NAME		any other namespace
 *
 * Library code: never prints. */
#ifndef BERTH_STORE_VOLUME_H
#define BERTH_STORE_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/err.h"

#define VOLUME_NAME_MAX 64

struct volume_info {
	char ns[64], name[VOLUME_NAME_MAX + 1];
	uint64_t bytes;		/* allocated: sum of st_blocks * 512, hard links once */
	uint64_t files;
	time_t created;
};

/* [a-z0-9][a-z0-9_.-]*, at most 64 (the pod spec's volume names). */
bool volume_name_valid(const char *s);
/* The host directory of volume NAME in NS (not created). */
int volume_path(const char *root, const char *ns, const char *name, char *buf, size_t len,
		berr *err);
/* Allocated size of the tree at PATH (never follows symlinks, never
 * crosses into another mount). 64-bit on every architecture. */
int volume_usage(const char *path, uint64_t *ret_bytes, uint64_t *ret_files, berr *err);
int volume_info_get(const char *root, const char *ns, const char *name, struct volume_info *ret,
		    berr *err);
/* Every volume of NS (NULL: every namespace), sorted; sizes only when
 * SIZES. Caller frees *RET. */
int volume_list(const char *root, const char *ns, bool sizes, struct volume_info **ret,
		size_t *ret_n, berr *err);
int volume_remove(const char *root, const char *ns, const char *name, berr *err);

#endif
