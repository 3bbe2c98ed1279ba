/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Secure layer unpack. libarchive only READS the stream (decompression and
 * tar parsing); every file system change is made here, relative to the
 * layer directory's fd, with names resolved inside it (openat2
 * RESOLVE_IN_ROOT or an O_NOFOLLOW walk), so no entry can reach outside:
 *
 *  - "../" components are refused; absolute names are taken relative to the
 *    layer root; an entry that would replace the layer root itself ("/.",
 *    "." as a symlink or file) is refused;
 *  - symlinks are created as they are and never followed out of the layer;
 *  - hard links point inside the layer; a link to a file of a lower layer
 *    is copied from the lower dirs given in the options;
 *  - device nodes are skipped (counted); only the overlay whiteout, a 0/0
 *    character device, is ever created: from ".wh.NAME" entries (and from
 *    0/0 char devices in the archive); ".wh..wh..opq" sets
 *    trusted.overlay.opaque=y on its directory;
 *  - whiteout names that are empty, "." or "..", and ".wh." components in
 *    the middle of a path are refused;
 *  - the uncompressed stream and the sum of file sizes are capped;
 *  - owners, modes (setuid included: the store keeps layers in 0700
 *    directories), mtimes and safe xattrs (user.*, security.capability)
 *    are restored; trusted.* and other security.* names are dropped.
 *
 * The whole layer is flushed with one syncfs() at the end instead of an
 * fsync per file. */
#ifndef BERTH_IMAGES_UNPACK_H
#define BERTH_IMAGES_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "images/digest.h"
#include "lib/err.h"

struct unpack_opts {
	uint64_t max_bytes;	/* cap on uncompressed bytes and on file sizes; 0 = no cap */
	const int *lower_fds;	/* lower layer dirs, top first, for hard links to their files */
	size_t nlowers;
	bool no_sync;		/* skip the final syncfs (tests) */
};

struct unpack_stats {
	uint64_t entries;
	uint64_t bytes;		/* uncompressed tar stream */
	uint64_t skipped_devices;
	char diff_id[DIGEST_BUF]; /* sha256 of the uncompressed tar stream */
};

/* Unpack the layer read from FD (tar, tar+gzip or tar+zstd, detected) into
 * the directory DIRFD (normally empty). On error DIRFD may hold a partial
 * tree that the caller removes; nothing outside it was touched. */
int layer_unpack(int fd, int dirfd, const struct unpack_opts *opts, struct unpack_stats *ret_stats,
		 berr *err);

#endif
