/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libarchive.so.13, opened on first use (lib/dl.h). Include after archive.h;
 * call archive_dl_open() before the first call. Add a function here when
 * the code starts calling it: the build fails until then. */
#ifndef BERTH_IMAGES_DL_ARCHIVE_H
#define BERTH_IMAGES_DL_ARCHIVE_H

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>

#include "lib/err.h"

struct archive_syms {
	void *archive_entry_atime; /* time_t: dl_archive_atime() */
	__typeof__(archive_entry_atime_is_set) *archive_entry_atime_is_set;
	__typeof__(archive_entry_atime_nsec) *archive_entry_atime_nsec;
	__typeof__(archive_entry_filetype) *archive_entry_filetype;
	__typeof__(archive_entry_free) *archive_entry_free;
	__typeof__(archive_entry_gid) *archive_entry_gid;
	__typeof__(archive_entry_hardlink) *archive_entry_hardlink;
	void *archive_entry_mtime; /* time_t: dl_archive_mtime() */
	__typeof__(archive_entry_mtime_is_set) *archive_entry_mtime_is_set;
	__typeof__(archive_entry_mtime_nsec) *archive_entry_mtime_nsec;
	__typeof__(archive_entry_new) *archive_entry_new;
	__typeof__(archive_entry_pathname) *archive_entry_pathname;
	__typeof__(archive_entry_perm) *archive_entry_perm;
	__typeof__(archive_entry_rdevmajor) *archive_entry_rdevmajor;
	__typeof__(archive_entry_rdevminor) *archive_entry_rdevminor;
	__typeof__(archive_entry_set_filetype) *archive_entry_set_filetype;
	void *archive_entry_set_mtime; /* time_t: dl_archive_set_mtime() */
	__typeof__(archive_entry_set_pathname) *archive_entry_set_pathname;
	__typeof__(archive_entry_set_perm) *archive_entry_set_perm;
	__typeof__(archive_entry_set_size) *archive_entry_set_size;
	__typeof__(archive_entry_size) *archive_entry_size;
	__typeof__(archive_entry_symlink) *archive_entry_symlink;
	__typeof__(archive_entry_uid) *archive_entry_uid;
	__typeof__(archive_entry_xattr_next) *archive_entry_xattr_next;
	__typeof__(archive_entry_xattr_reset) *archive_entry_xattr_reset;
	__typeof__(archive_error_string) *archive_error_string;
	__typeof__(archive_read_data) *archive_read_data;
	__typeof__(archive_read_data_block) *archive_read_data_block;
	__typeof__(archive_read_free) *archive_read_free;
	__typeof__(archive_read_new) *archive_read_new;
	__typeof__(archive_read_next_header) *archive_read_next_header;
	__typeof__(archive_read_open) *archive_read_open;
	__typeof__(archive_read_open_fd) *archive_read_open_fd;
	__typeof__(archive_read_open_filename) *archive_read_open_filename;
	__typeof__(archive_read_support_filter_all) *archive_read_support_filter_all;
	__typeof__(archive_read_support_format_raw) *archive_read_support_format_raw;
	__typeof__(archive_read_support_format_tar) *archive_read_support_format_tar;
	__typeof__(archive_set_error) *archive_set_error;
	__typeof__(archive_write_close) *archive_write_close;
	__typeof__(archive_write_data) *archive_write_data;
	__typeof__(archive_write_free) *archive_write_free;
	__typeof__(archive_write_header) *archive_write_header;
	__typeof__(archive_write_new) *archive_write_new;
	__typeof__(archive_write_open_fd) *archive_write_open_fd;
	__typeof__(archive_write_set_bytes_in_last_block) *archive_write_set_bytes_in_last_block;
	__typeof__(archive_write_set_format_pax_restricted) *archive_write_set_format_pax_restricted;
};
extern struct archive_syms archive_syms;
int archive_dl_open(berr *err);

/* libarchive's functions of a time_t, right whether the library was built
 * with a 32-bit time_t (Debian bookworm armhf) or a 64-bit one (Buildroot,
 * Yocto, Debian trixie: the same soname): docs/decisions/build-32bit.md.
 * The set function fails with -EOVERFLOW when the library's time_t cannot
 * hold SEC. The library's own names are poisoned below. */
int64_t dl_archive_atime(struct archive_entry *e);
int64_t dl_archive_mtime(struct archive_entry *e);
int dl_archive_set_mtime(struct archive_entry *e, int64_t sec, long nsec);

#ifndef BERTH_IMAGES_DL_ARCHIVE_H_IMPL
#define archive_entry_atime archive_entry_atime_has_a_time_t__use_dl_archive_atime
#define archive_entry_atime_is_set (*archive_syms.archive_entry_atime_is_set)
#define archive_entry_atime_nsec (*archive_syms.archive_entry_atime_nsec)
#define archive_entry_filetype (*archive_syms.archive_entry_filetype)
#define archive_entry_free (*archive_syms.archive_entry_free)
#define archive_entry_gid (*archive_syms.archive_entry_gid)
#define archive_entry_hardlink (*archive_syms.archive_entry_hardlink)
#define archive_entry_mtime archive_entry_mtime_has_a_time_t__use_dl_archive_mtime
#define archive_entry_mtime_is_set (*archive_syms.archive_entry_mtime_is_set)
#define archive_entry_mtime_nsec (*archive_syms.archive_entry_mtime_nsec)
#define archive_entry_new (*archive_syms.archive_entry_new)
#define archive_entry_pathname (*archive_syms.archive_entry_pathname)
#define archive_entry_perm (*archive_syms.archive_entry_perm)
#define archive_entry_rdevmajor (*archive_syms.archive_entry_rdevmajor)
#define archive_entry_rdevminor (*archive_syms.archive_entry_rdevminor)
#define archive_entry_set_filetype (*archive_syms.archive_entry_set_filetype)
#define archive_entry_set_mtime archive_entry_set_mtime_has_a_time_t__use_dl_archive_set_mtime
#define archive_entry_set_pathname (*archive_syms.archive_entry_set_pathname)
#define archive_entry_set_perm (*archive_syms.archive_entry_set_perm)
#define archive_entry_set_size (*archive_syms.archive_entry_set_size)
#define archive_entry_size (*archive_syms.archive_entry_size)
#define archive_entry_symlink (*archive_syms.archive_entry_symlink)
#define archive_entry_uid (*archive_syms.archive_entry_uid)
#define archive_entry_xattr_next (*archive_syms.archive_entry_xattr_next)
#define archive_entry_xattr_reset (*archive_syms.archive_entry_xattr_reset)
#define archive_error_string (*archive_syms.archive_error_string)
#define archive_read_data (*archive_syms.archive_read_data)
#define archive_read_data_block (*archive_syms.archive_read_data_block)
#define archive_read_free (*archive_syms.archive_read_free)
#define archive_read_new (*archive_syms.archive_read_new)
#define archive_read_next_header (*archive_syms.archive_read_next_header)
#define archive_read_open (*archive_syms.archive_read_open)
#define archive_read_open_fd (*archive_syms.archive_read_open_fd)
#define archive_read_open_filename (*archive_syms.archive_read_open_filename)
#define archive_read_support_filter_all (*archive_syms.archive_read_support_filter_all)
#define archive_read_support_format_raw (*archive_syms.archive_read_support_format_raw)
#define archive_read_support_format_tar (*archive_syms.archive_read_support_format_tar)
#define archive_set_error (*archive_syms.archive_set_error)
#define archive_write_close (*archive_syms.archive_write_close)
#define archive_write_data (*archive_syms.archive_write_data)
#define archive_write_free (*archive_syms.archive_write_free)
#define archive_write_header (*archive_syms.archive_write_header)
#define archive_write_new (*archive_syms.archive_write_new)
#define archive_write_open_fd (*archive_syms.archive_write_open_fd)
#define archive_write_set_bytes_in_last_block (*archive_syms.archive_write_set_bytes_in_last_block)
#define archive_write_set_format_pax_restricted (*archive_syms.archive_write_set_format_pax_restricted)
#endif

#endif
