/* SPDX-License-Identifier: GPL-2.0-or-later */
/* File-system helpers: fd-relative, O_CLOEXEC, power-safe where it matters. */
#ifndef BERTH_FS_H
#define BERTH_FS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* mkdir -p with MODE for every created component. */
int mkdir_p(const char *path, mode_t mode, berr *err);

/* Write DATA to DIRFD/NAME atomically and durably: temp file in the same
 * directory, fsync, renameat over NAME, fsync of the directory. Power loss
 * leaves the old or the new content, never a mix. */
int write_file_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		      berr *err);

/* Plain write of a string (cgroup, /proc and sysfs files). No fsync. */
int write_file_at(int dirfd, const char *path, const char *s, berr *err);

/* Read a whole file (at most MAX bytes) into a NUL-terminated buffer that
 * the caller frees. */
int read_file_at(int dirfd, const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 berr *err);

/* Open PATH as if ROOTFD were "/": symlinks and ".." can never leave it.
 * openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS), with a component-by-
 * component fallback for kernels before 5.6. Returns an fd or -errno. */
int safe_openat(int rootfd, const char *path, int flags, mode_t mode);

/* Like safe_openat, creating missing directories (MODE) on the way; the
 * final component is a directory. Returns an O_PATH|O_DIRECTORY fd. */
int safe_mkdirat_p(int rootfd, const char *path, mode_t mode);

/* Remove DIRFD/NAME recursively; never follows symlinks, never crosses
 * into another mount. Missing NAME is success. */
int rm_rf_at(int dirfd, const char *name);

/* A DIR stream over a duplicate of DIRFD, rewound (a dup shares the
 * offset); DIRFD stays the caller's. NULL with errno set on failure. */
DIR *opendir_dup(int dirfd);

int fsync_path(const char *path);
bool path_exists(const char *path);

#endif
