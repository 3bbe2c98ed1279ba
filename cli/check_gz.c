// SPDX-License-Identifier: GPL-2.0-or-later
/* /proc/config.gz for berth check: a raw gzip stream read with libarchive,
 * which berth opens on first use anyway (no decompressor of its own). */
#include <archive.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/check.h"
#include "images/dl_archive.h"
#include "lib/cleanup.h"

static void archive_freep(struct archive **a)
{
	if (*a)
		archive_read_free(*a);
}

int check_gunzip(const char *path, size_t max, char **ret_buf, size_t *ret_len, berr *err)
{
	_cleanup_(archive_freep) struct archive *a = NULL;
	_cleanup_free_ char *buf = NULL;
	struct archive_entry *e;
	size_t len = 0, cap = 0;

	/* libarchive's raw format passes anything that is not compressed */
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char magic[2];
	if (fd < 0)
		return berr_errno(err, errno, "\"%s\"", path);
	if (read(fd, magic, 2) != 2 || magic[0] != 0x1f || magic[1] != 0x8b)
		return berr_fail(err, EINVAL, "\"%s\": not gzip data", path);
	if (archive_dl_open(err) < 0)
		return berr_prefix(err, "\"%s\"", path);
	a = archive_read_new();
	if (!a)
		return berr_errno(err, ENOMEM, "\"%s\"", path);
	archive_read_support_filter_all(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, path, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK)
		return berr_fail(err, EIO, "\"%s\": %s", path, archive_error_string(a));
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = cap ? cap * 2 : 262144;
			char *nb = realloc(buf, cap);
			if (!nb)
				return berr_errno(err, ENOMEM, "\"%s\"", path);
			buf = nb;
		}
		la_ssize_t n = archive_read_data(a, buf + len, cap - len - 1);
		if (n < 0)
			return berr_fail(err, EIO, "\"%s\": %s", path, archive_error_string(a));
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return berr_fail(err, EFBIG, "\"%s\" holds more than %zu bytes", path, max);
	}
	if (!buf)
		return berr_fail(err, EIO, "\"%s\": empty", path);
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	*ret_buf = TAKE_PTR(buf);
	return 0;
}
