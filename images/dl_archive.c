// SPDX-License-Identifier: GPL-2.0-or-later
#define BERTH_IMAGES_DL_ARCHIVE_H_IMPL
#include <errno.h>
#include <limits.h>
#include <stdbool.h>

#include "images/dl_archive.h"
#include "lib/dl.h"

struct archive_syms archive_syms;

static const char *const names[] = {
	"archive_entry_atime",
	"archive_entry_atime_is_set",
	"archive_entry_atime_nsec",
	"archive_entry_filetype",
	"archive_entry_free",
	"archive_entry_gid",
	"archive_entry_hardlink",
	"archive_entry_mtime",
	"archive_entry_mtime_is_set",
	"archive_entry_mtime_nsec",
	"archive_entry_new",
	"archive_entry_pathname",
	"archive_entry_perm",
	"archive_entry_rdevmajor",
	"archive_entry_rdevminor",
	"archive_entry_set_filetype",
	"archive_entry_set_mtime",
	"archive_entry_set_pathname",
	"archive_entry_set_perm",
	"archive_entry_set_size",
	"archive_entry_size",
	"archive_entry_symlink",
	"archive_entry_uid",
	"archive_entry_xattr_next",
	"archive_entry_xattr_reset",
	"archive_error_string",
	"archive_read_data",
	"archive_read_data_block",
	"archive_read_free",
	"archive_read_new",
	"archive_read_next_header",
	"archive_read_open",
	"archive_read_open_fd",
	"archive_read_open_filename",
	"archive_read_support_filter_all",
	"archive_read_support_format_raw",
	"archive_read_support_format_tar",
	"archive_set_error",
	"archive_write_close",
	"archive_write_data",
	"archive_write_free",
	"archive_write_header",
	"archive_write_new",
	"archive_write_open_fd",
	"archive_write_set_bytes_in_last_block",
	"archive_write_set_format_pax_restricted",
};

/* the library's time_t is 64-bit (berth's own): set by archive_dl_open */
static bool lib_time64;

int archive_dl_open(berr *err)
{
	static struct dl_lib lib = { .soname = "libarchive.so.13", DL_LIB_TABLE(names, archive_syms) };
	DL_LIB_CHECK(names, archive_syms);
	if (lib.handle)
		return 0;
	int r = dl_lib_open(&lib, err);
	if (r == 0)
		lib_time64 = dl_lib_time64(&lib);
	return r;
}

/* A 32-bit time_t is a long wherever it exists (ILP32 glibc, uClibc) */
typedef long time32_get_fn(struct archive_entry *);
typedef void time32_set_fn(struct archive_entry *, long, long);
typedef int64_t time64_get_fn(struct archive_entry *);
typedef void time64_set_fn(struct archive_entry *, int64_t, long);

/* A time32 library's time_t is read as unsigned: 1970 to 2106, not 1901 to
 * 2038 (a layer's file dated before 1970 is rarer than one after 2038; the
 * library truncated a later date from a pax or ustar header to these 32 bits) */
static int64_t get_time(void *fn, struct archive_entry *e)
{
	if (lib_time64)
		return ((time64_get_fn *)fn)(e);
	return (int64_t)(uint32_t)((time32_get_fn *)fn)(e);
}

int64_t dl_archive_atime(struct archive_entry *e)
{
	return get_time(archive_syms.archive_entry_atime, e);
}

int64_t dl_archive_mtime(struct archive_entry *e)
{
	return get_time(archive_syms.archive_entry_mtime, e);
}

int dl_archive_set_mtime(struct archive_entry *e, int64_t sec, long nsec)
{
	if (lib_time64) {
		((time64_set_fn *)archive_syms.archive_entry_set_mtime)(e, sec, nsec);
		return 0;
	}
	if (sec < LONG_MIN || sec > LONG_MAX)
		return -EOVERFLOW;
	((time32_set_fn *)archive_syms.archive_entry_set_mtime)(e, (long)sec, nsec);
	return 0;
}
