/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NULL-terminated string vectors (argv, env, lists in specs). */
#ifndef BERTH_STRV_H
#define BERTH_STRV_H

#include <stddef.h>

size_t strv_length(char *const *v);
/* Append S (taking ownership); 0 or -ENOMEM (S is freed on failure). */
int strv_push(char ***v, char *s);
/* Append a copy of S. */
int strv_add(char ***v, const char *s);
char **strv_dup(char *const *v);
void strv_free(char **v);
/* Split S on any of SEP into a new vector, dropping empty items and
 * trimming blanks around each. NULL on ENOMEM. */
char **strv_split(const char *s, const char *sep);

#endif
