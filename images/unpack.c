// SPDX-License-Identifier: GPL-2.0-or-later
/* Secure layer unpack: see unpack.h for the rules. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "images/dl_archive.h"
#include "images/unpack.h"
#include "lib/cleanup.h"
#include "lib/fs.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"
#define READ_BLOCK (256 * 1024)

struct dir_time {
	char *path;
	struct timespec ts[2];
};

struct unpacker {
	int rootfd;
	const struct unpack_opts *o;
	struct unpack_stats *st;
	berr *err;
	struct archive *raw; /* decompressor: "raw" format over all filters */
	struct hasher *h;
	bool over_cap;
	uint64_t file_bytes;
	bool chown;
	/* the last parent directory resolved: tar entries come grouped */
	char *cache_path;
	int cache_fd;
	bool cache_stale;
	struct dir_time *dirs;
	size_t ndirs, cap_dirs;
};

/* Inner tar reader's input: decompressed blocks, hashed and counted as they pass. */
static la_ssize_t raw_read(struct archive *a, void *data, const void **buf)
{
	struct unpacker *u = data;
	size_t size;
	la_int64_t off;

	int r = archive_read_data_block(u->raw, buf, &size, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
		archive_set_error(a, EIO, "%s", archive_error_string(u->raw));
		return -1;
	}
	u->st->bytes += size;
	if (u->o->max_bytes && u->st->bytes > u->o->max_bytes) {
		u->over_cap = true;
		archive_set_error(a, EFBIG, "layer too large");
		return -1;
	}
	hasher_update(u->h, *buf, size);
	return (la_ssize_t)size;
}

/* "./a//b/" -> "a/b", "/" or "." -> "" (the layer root). ".." is refused. */
static int normalize(const char *in, char *out, size_t outsz)
{
	size_t n = 0;
	const char *p = in;

	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *e = strchrnul(p, '/');
		size_t len = (size_t)(e - p);
		if (len == 1 && p[0] == '.') {
			p = e;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return -EINVAL;
		if (n + len + 2 > outsz)
			return -ENAMETOOLONG;
		if (n)
			out[n++] = '/';
		memcpy(out + n, p, len);
		n += len;
		p = e;
	}
	out[n] = '\0';
	return 0;
}

static void cache_drop(struct unpacker *u)
{
	free(u->cache_path);
	u->cache_path = NULL;
	closep(&u->cache_fd);
}

/* The directory that holds PATH's last component, created (0755) when
 * missing, resolved inside the layer root. Sets *RET_BASE. The fd is owned
 * by the cache: do not close it. */
static int parent_fd(struct unpacker *u, char *path, const char **ret_base)
{
	char *slash = strrchr(path, '/');
	const char *parent = "";

	*ret_base = slash ? slash + 1 : path;
	if (slash) {
		*slash = '\0';
		parent = path;
	}
	if (u->cache_path && !u->cache_stale && strcmp(u->cache_path, parent) == 0)
		goto out;
	cache_drop(u);
	u->cache_stale = false;
	int fd = parent[0] ? safe_openat(u->rootfd, parent, O_PATH | O_DIRECTORY, 0)
			   : fcntl(u->rootfd, F_DUPFD_CLOEXEC, 3);
	if (fd == -ENOENT)
		fd = safe_mkdirat_p(u->rootfd, parent, 0755);
	if (fd < 0) {
		fd = fd == -1 ? -errno : fd;
		if (slash)
			*slash = '/';
		return berr_errno(u->err, fd, "Layer entry \"%s\": parent directory", path);
	}
	u->cache_fd = fd;
	u->cache_path = strdup(parent);
	if (!u->cache_path) {
		cache_drop(u);
		return berr_errno(u->err, ENOMEM, "Layer entry \"%s\"", path);
	}
out:
	if (slash)
		*slash = '/';
	return u->cache_fd;
}

/* Remove whatever NAME is (a duplicate entry being replaced). */
static int remove_existing(struct unpacker *u, int pfd, const char *name)
{
	struct stat st;

	if (fstatat(pfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISDIR(st.st_mode)) {
		/* the cached parent may live below it: resolve again next time
		 * (PFD itself stays open for the caller) */
		u->cache_stale = true;
		return rm_rf_at(pfd, name);
	}
	return unlinkat(pfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
}

static bool xattr_allowed(const char *name)
{
	return strncmp(name, "user.", 5) == 0 || strcmp(name, "security.capability") == 0;
}

static int apply_meta(struct unpacker *u, int fd, struct archive_entry *e, const char *path)
{
	const char *xname;
	const void *xval;
	size_t xsize;

	if (u->chown && (archive_entry_uid(e) || archive_entry_gid(e)) &&
	    fchown(fd, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e)) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": chown", path);
	/* after chown, which clears setuid bits */
	if (fchmod(fd, archive_entry_perm(e) & 07777) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": chmod", path);
	archive_entry_xattr_reset(e);
	while (archive_entry_xattr_next(e, &xname, &xval, &xsize) == ARCHIVE_OK) {
		if (!xattr_allowed(xname))
			continue;
		if (fsetxattr(fd, xname, xval, xsize, 0) < 0 && errno != ENOTSUP)
			return berr_errno(u->err, errno, "Layer entry \"%s\": xattr %s", path, xname);
	}
	return 0;
}

static void entry_times(struct archive_entry *e, struct timespec ts[2])
{
	ts[1].tv_sec = (time_t)dl_archive_mtime(e);
	ts[1].tv_nsec = archive_entry_mtime_is_set(e) ? archive_entry_mtime_nsec(e) : 0;
	if (archive_entry_atime_is_set(e)) {
		ts[0].tv_sec = (time_t)dl_archive_atime(e);
		ts[0].tv_nsec = archive_entry_atime_nsec(e);
	} else {
		ts[0] = ts[1];
	}
}

static int write_data(struct unpacker *u, int fd, struct archive *a, struct archive_entry *e,
		      const char *path)
{
	const void *buf;
	size_t size;
	la_int64_t off, pos = 0;
	int64_t want = archive_entry_size(e);

	u->file_bytes += (uint64_t)(want > 0 ? want : 0);
	if (u->o->max_bytes && u->file_bytes > u->o->max_bytes) {
		u->over_cap = true;
		return berr_fail(u->err, EFBIG, "Layer entry \"%s\": layer is larger than %llu MiB",
				 path, (unsigned long long)(u->o->max_bytes >> 20));
	}
	for (;;) {
		int r = archive_read_data_block(a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			break;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return berr_fail(u->err, EIO, "Layer entry \"%s\": %s", path,
					 archive_error_string(a));
		if (off != pos && lseek(fd, off, SEEK_SET) < 0)
			return berr_errno(u->err, errno, "Layer entry \"%s\": seek", path);
		for (const char *p = buf; size > 0;) {
			ssize_t n = write(fd, p, size);
			if (n < 0) {
				if (errno == EINTR)
					continue;
				return berr_errno(u->err, errno, "Layer entry \"%s\": write", path);
			}
			p += n;
			size -= (size_t)n;
			off += n;
		}
		pos = off;
	}
	if (want > pos && ftruncate(fd, want) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": truncate", path);
	return 0;
}

static int do_file(struct unpacker *u, struct archive *a, struct archive_entry *e, int pfd,
		   const char *base, const char *path)
{
	_cleanup_close_ int fd = -1;
	struct timespec ts[2];

	for (int tries = 0; fd < 0; tries++) {
		fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			break;
		if (errno != EEXIST || tries > 0)
			return berr_errno(u->err, errno, "Layer entry \"%s\": create", path);
		int r = remove_existing(u, pfd, base);
		if (r < 0)
			return berr_errno(u->err, r, "Layer entry \"%s\": replace", path);
	}
	int r = write_data(u, fd, a, e, path);
	if (r < 0)
		return r;
	r = apply_meta(u, fd, e, path);
	if (r < 0)
		return r;
	entry_times(e, ts);
	if (futimens(fd, ts) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": set times", path);
	return 0;
}

static int remember_dir(struct unpacker *u, const char *path, struct archive_entry *e)
{
	if (u->ndirs == u->cap_dirs) {
		size_t cap = u->cap_dirs ? u->cap_dirs * 2 : 64;
		struct dir_time *nd = realloc(u->dirs, cap * sizeof(*nd));
		if (!nd)
			return berr_errno(u->err, ENOMEM, "Layer entry \"%s\"", path);
		u->dirs = nd;
		u->cap_dirs = cap;
	}
	char *p = strdup(path);
	if (!p)
		return berr_errno(u->err, ENOMEM, "Layer entry \"%s\"", path);
	u->dirs[u->ndirs].path = p;
	entry_times(e, u->dirs[u->ndirs].ts);
	u->ndirs++;
	return 0;
}

static int do_dir(struct unpacker *u, struct archive_entry *e, int pfd, const char *base,
		  const char *path)
{
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (!*path) {
		fd = fcntl(u->rootfd, F_DUPFD_CLOEXEC, 3);
	} else {
		if (mkdirat(pfd, base, 0700) < 0) {
			if (errno != EEXIST)
				return berr_errno(u->err, errno, "Layer entry \"%s\": mkdir", path);
			if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0)
				return berr_errno(u->err, errno, "Layer entry \"%s\"", path);
			if (!S_ISDIR(st.st_mode)) {
				int r = remove_existing(u, pfd, base);
				if (r < 0 || mkdirat(pfd, base, 0700) < 0)
					return berr_errno(u->err, r < 0 ? r : errno,
							  "Layer entry \"%s\": replace", path);
			}
		}
		fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": open", path);
	int r = apply_meta(u, fd, e, path);
	return r < 0 ? r : remember_dir(u, path, e);
}

static int do_symlink(struct unpacker *u, struct archive_entry *e, int pfd, const char *base,
		      const char *path)
{
	const char *target = archive_entry_symlink(e);
	struct timespec ts[2];

	if (!*path)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\" would replace the layer root",
				 archive_entry_pathname(e));
	if (!target || !*target)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": empty symlink target", path);
	for (int tries = 0; symlinkat(target, pfd, base) < 0; tries++) {
		int r = errno == EEXIST && tries == 0 ? remove_existing(u, pfd, base) : -errno;
		if (r < 0)
			return berr_errno(u->err, r, "Layer entry \"%s\": symlink", path);
	}
	if (u->chown && (archive_entry_uid(e) || archive_entry_gid(e)) &&
	    fchownat(pfd, base, (uid_t)archive_entry_uid(e), (gid_t)archive_entry_gid(e),
		     AT_SYMLINK_NOFOLLOW) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": chown", path);
	entry_times(e, ts);
	utimensat(pfd, base, ts, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int make_whiteout(struct unpacker *u, int pfd, const char *name, const char *path)
{
	for (int tries = 0;; tries++) {
		if (mknodat(pfd, name, S_IFCHR | 0000, makedev(0, 0)) == 0)
			return 0;
		if (errno != EEXIST || tries > 0)
			return berr_errno(u->err, errno, "Layer entry \"%s\": whiteout", path);
		int r = remove_existing(u, pfd, name);
		if (r < 0)
			return berr_errno(u->err, r, "Layer entry \"%s\": whiteout", path);
	}
}

static int set_opaque(struct unpacker *u, int pfd, const char *path)
{
	_cleanup_close_ int fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) < 0)
		return berr_errno(u->err, errno, "Layer entry \"%s\": opaque directory", path);
	return 0;
}

/* A hard link whose target is not in this layer: copy the file from the
 * top-most lower layer that has it. */
static int copy_from_lower(struct unpacker *u, const char *target, int pfd, const char *base,
			   const char *path)
{
	for (size_t i = 0; i < u->o->nlowers; i++) {
		_cleanup_close_ int in = safe_openat(u->o->lower_fds[i], target,
						     O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
		struct stat st;

		if (in == -ENOENT)
			continue;
		if (in < 0 || fstat(in, &st) < 0)
			break;
		if (!S_ISREG(st.st_mode))
			break; /* a whiteout (0/0) hides it; anything else is refused */
		_cleanup_close_ int out =
			openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0)
			return berr_errno(u->err, errno, "Layer entry \"%s\": create", path);
		u->file_bytes += (uint64_t)st.st_size;
		if (u->o->max_bytes && u->file_bytes > u->o->max_bytes)
			return berr_fail(u->err, EFBIG, "Layer entry \"%s\": layer too large", path);
		for (off_t left = st.st_size; left > 0;) {
			ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)left, 0);
			if (n <= 0)
				return berr_errno(u->err, n < 0 ? errno : EIO,
						  "Layer entry \"%s\": copy", path);
			left -= n;
		}
		struct timespec ts[2] = { st.st_atim, st.st_mtim };
		if ((u->chown && fchown(out, st.st_uid, st.st_gid) < 0) ||
		    fchmod(out, st.st_mode & 07777) < 0 || futimens(out, ts) < 0)
			return berr_errno(u->err, errno, "Layer entry \"%s\": metadata", path);
		return 0;
	}
	return berr_fail(u->err, ENOENT, "Layer entry \"%s\": hard link target \"%s\" is not in the image",
			 path, target);
}

static int do_hardlink(struct unpacker *u, struct archive_entry *e, int pfd, const char *base,
		       const char *path)
{
	char target[PATH_MAX];
	const char *tbase;

	if (!*path)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\" would replace the layer root",
				 archive_entry_pathname(e));
	if (normalize(archive_entry_hardlink(e), target, sizeof(target)) < 0 || !*target)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": bad hard link target \"%s\"",
				 path, archive_entry_hardlink(e));
	if (strcmp(target, path) == 0)
		return 0;
	/* the target's parent must exist already: never create dirs for it */
	char *slash = strrchr(target, '/');
	_cleanup_close_ int tfd = -1;
	tbase = slash ? slash + 1 : target;
	if (slash) {
		*slash = '\0';
		tfd = safe_openat(u->rootfd, target, O_PATH | O_DIRECTORY, 0);
		*slash = '/';
	} else {
		tfd = fcntl(u->rootfd, F_DUPFD_CLOEXEC, 3);
	}
	for (int tries = 0; tries < 2; tries++) {
		if (tfd >= 0 && linkat(tfd, tbase, pfd, base, 0) == 0)
			return 0;
		if (tfd >= 0 && errno == EEXIST && tries == 0) {
			int r = remove_existing(u, pfd, base);
			if (r < 0)
				return berr_errno(u->err, r, "Layer entry \"%s\": replace", path);
			continue;
		}
		if (tfd < 0 || errno == ENOENT)
			return copy_from_lower(u, target, pfd, base, path);
		return berr_errno(u->err, errno, "Layer entry \"%s\": link to \"%s\"", path, target);
	}
	return berr_fail(u->err, EEXIST, "Layer entry \"%s\": link", path);
}

/* Whiteouts: ".wh.NAME" hides NAME of lower layers, ".wh..wh..opq" makes
 * the directory opaque. Returns 1 when E was one (handled). */
static int do_whiteout(struct unpacker *u, int pfd, const char *base, const char *path)
{
	if (strncmp(base, WH_PREFIX, 4) != 0)
		return 0;
	if (strcmp(base, WH_OPAQUE) == 0) {
		int r = set_opaque(u, pfd, path);
		return r < 0 ? r : 1;
	}
	if (strncmp(base, WH_PREFIX WH_PREFIX, 8) == 0)
		return 1; /* other AUFS metadata (.wh..wh.plnk...): ignored, as Docker does */
	const char *name = base + 4;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": invalid whiteout name", path);
	int r = make_whiteout(u, pfd, name, path);
	return r < 0 ? r : 1;
}

/* ".wh." anywhere but in the last component is not a valid name. */
static bool bad_whiteout_component(const char *path)
{
	for (const char *p = path; (p = strstr(p, WH_PREFIX)); p++)
		if ((p == path || p[-1] == '/') && strchr(p, '/'))
			return true;
	return false;
}

static int do_entry(struct unpacker *u, struct archive *a, struct archive_entry *e)
{
	char path[PATH_MAX];
	const char *base;
	mode_t type = archive_entry_filetype(e);
	const char *name = archive_entry_pathname(e);

	if (!name || normalize(name, path, sizeof(path)) < 0)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": path leaves the layer",
				 name ? name : "(null)");
	if (bad_whiteout_component(path))
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": invalid whiteout name", path);
	if (!*path && type != AE_IFDIR)
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\" would replace the layer root", name);
	int pfd = *path ? parent_fd(u, path, &base) : u->rootfd;
	if (pfd < 0)
		return pfd;
	if (!*path)
		base = ".";
	int r = do_whiteout(u, pfd, base, path);
	if (r != 0)
		return r < 0 ? r : 0;

	if (archive_entry_hardlink(e))
		return do_hardlink(u, e, pfd, base, path);
	switch (type) {
	case AE_IFREG:
		return do_file(u, a, e, pfd, base, path);
	case AE_IFDIR:
		return do_dir(u, e, pfd, base, path);
	case AE_IFLNK:
		return do_symlink(u, e, pfd, base, path);
	case AE_IFCHR:
		if (archive_entry_rdevmajor(e) == 0 && archive_entry_rdevminor(e) == 0)
			return make_whiteout(u, pfd, base, path);
		/* fallthrough */
	case AE_IFBLK:
		u->st->skipped_devices++;
		return 0;
	case AE_IFIFO:
		if (mknodat(pfd, base, S_IFIFO | (archive_entry_perm(e) & 0777), 0) < 0 &&
		    errno != EEXIST)
			return berr_errno(u->err, errno, "Layer entry \"%s\": fifo", path);
		return 0;
	default:
		return berr_fail(u->err, EINVAL, "Layer entry \"%s\": unsupported file type 0%o",
				 path, (unsigned)type);
	}
}

/* Directory times last, deepest first, once nothing more is written in them. */
static void finish_dirs(struct unpacker *u)
{
	for (size_t i = u->ndirs; i-- > 0;) {
		int fd = u->dirs[i].path[0]
				 ? safe_openat(u->rootfd, u->dirs[i].path,
					       O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0)
				 : openat(u->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			futimens(fd, u->dirs[i].ts);
			close(fd);
		}
	}
}

static void unpacker_free(struct unpacker *u)
{
	cache_drop(u);
	for (size_t i = 0; i < u->ndirs; i++)
		free(u->dirs[i].path);
	free(u->dirs);
	hasher_free(u->h);
	if (u->raw)
		archive_read_free(u->raw);
}

static int open_raw(struct unpacker *u, int fd)
{
	struct archive_entry *e;

	if (archive_dl_open(u->err) < 0)
		return -u->err->code;
	u->raw = archive_read_new();
	if (!u->raw)
		return berr_errno(u->err, ENOMEM, "Layer");
	archive_read_support_filter_all(u->raw);
	archive_read_support_format_raw(u->raw);
	if (archive_read_open_fd(u->raw, fd, READ_BLOCK) != ARCHIVE_OK ||
	    archive_read_next_header(u->raw, &e) != ARCHIVE_OK)
		return berr_fail(u->err, EINVAL, "Layer: %s", archive_error_string(u->raw));
	return 0;
}

static int unpack_entries(struct unpacker *u, struct archive *a)
{
	struct archive_entry *e;

	for (;;) {
		int r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
			if (u->over_cap)
				return berr_fail(u->err, EFBIG, "Layer is larger than %llu MiB",
						 (unsigned long long)(u->o->max_bytes >> 20));
			return berr_fail(u->err, EINVAL, "Layer: %s", archive_error_string(a));
		}
		u->st->entries++;
		r = do_entry(u, a, e);
		if (r < 0)
			return r;
	}
}

int layer_unpack(int fd, int dirfd, const struct unpack_opts *opts, struct unpack_stats *ret_stats,
		 berr *err)
{
	struct unpack_stats st = { 0 };
	struct unpacker u = {
		.rootfd = dirfd, .o = opts, .st = &st, .err = err, .cache_fd = -1,
		.chown = geteuid() == 0,
	};
	struct archive *a = NULL;
	int r;

	u.h = hasher_new();
	if (!u.h)
		return hasher_error(err, "Layer");
	r = open_raw(&u, fd);
	if (r < 0)
		goto out;
	a = archive_read_new();
	if (!a) {
		r = berr_errno(err, ENOMEM, "Layer");
		goto out;
	}
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &u, NULL, raw_read, NULL) != ARCHIVE_OK) {
		/* an empty stream is an empty layer */
		if (st.bytes == 0 && !u.over_cap)
			goto done;
		r = berr_fail(err, EINVAL, "Layer: %s", archive_error_string(a));
		goto out;
	}
	r = unpack_entries(&u, a);
	if (r < 0)
		goto out;
done:
	/* the tar reader stops at the end marker: hash what follows too */
	for (;;) {
		const void *buf;
		la_ssize_t n = raw_read(a ? a : u.raw, &u, &buf);
		if (n == 0)
			break;
		if (n < 0) {
			r = berr_fail(err, u.over_cap ? EFBIG : EIO, "Layer: %s",
				      u.over_cap ? "layer too large" : archive_error_string(u.raw));
			goto out;
		}
	}
	finish_dirs(&u);
	if (!opts->no_sync && syncfs(dirfd) < 0) {
		r = berr_errno(err, errno, "Layer: syncfs");
		goto out;
	}
	hasher_final(u.h, st.diff_id);
	if (ret_stats)
		*ret_stats = st;
	r = 0;
out:
	if (a)
		archive_read_free(a);
	unpacker_free(&u);
	return r;
}
