/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A safe face on iniparser 4.1. Debian's 4.1 dereferences NULL in its typed
 * getters on some malformed input (a section name used as a key, a key
 * without value), so only iniparser_getstring is called, and only after
 * iniparser_find_entry said the key exists. Before iniparser sees a file, a
 * small pre-scan of our own rejects what iniparser would silently accept or
 * merge: keys outside a section, repeated sections, repeated keys, lines
 * that are neither. Errors name the file and the line. */
#ifndef BERTH_SUPERVISOR_INI_H
#define BERTH_SUPERVISOR_INI_H

#include <stddef.h>

#include "lib/err.h"

#define INI_MAX_FILE_SIZE (256u << 10)

struct ini;

/* Load PATH. Caller owns *ret (ini_free). */
int ini_load(const char *path, struct ini **ret, berr *err);
void ini_free(struct ini *ini);
/* Section names as iniparser stores them (lower case, trimmed); owned by INI. */
size_t ini_nsections(const struct ini *ini);
const char *ini_section(const struct ini *ini, size_t i);
/* Keys of SECTION (without the "section:" prefix), in file order; caller
 * frees the vector (strv_free). */
int ini_keys(const struct ini *ini, const char *section, char ***ret);
/* Value of SECTION/KEY, or NULL when absent. Owned by INI. */
const char *ini_get(const struct ini *ini, const char *section, const char *key);

#endif
