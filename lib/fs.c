// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "fs.h"

int mkdir_p(const char *path, mode_t mode, berr *err)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return berr_fail(err, ENAMETOOLONG, "Path \"%s\" is too long", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = '\0';
			if (mkdir(buf, mode) < 0 && errno != EEXIST)
				return berr_errno(err, errno, "mkdir \"%s\"", buf);
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}

int write_file_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		      berr *err)
{
	char tmp[PATH_MAX];
	_cleanup_close_ int fd = -1;
	const char *p = data;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", name, getpid()) >= (int)sizeof(tmp))
		return berr_fail(err, ENAMETOOLONG, "Path \"%s\" is too long", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return berr_errno(err, errno, "create \"%s\"", tmp);
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			unlinkat(dirfd, tmp, 0);
			return berr_errno(err, e, "write \"%s\"", tmp);
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) < 0 || renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return berr_errno(err, e, "commit \"%s\"", name);
	}
	/* the directory entry itself must reach the disk too */
	_cleanup_close_ int dfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		fsync(dfd);
	return 0;
}

int write_file_at(int dirfd, const char *path, const char *s, berr *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	size_t len = strlen(s);

	if (fd < 0)
		return berr_errno(err, errno, "open \"%s\"", path);
	ssize_t n = write(fd, s, len);
	if (n < 0)
		return berr_errno(err, errno, "write \"%s\" to \"%s\"", s, path);
	if ((size_t)n != len)
		return berr_fail(err, EIO, "short write to \"%s\"", path);
	return 0;
}

int read_file_at(int dirfd, const char *path, size_t max, char **ret_buf, size_t *ret_len,
		 berr *err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;

	if (fd < 0)
		return berr_errno(err, errno, "open \"%s\"", path);
	for (;;) {
		if (len + 1 >= cap) {
			cap = cap ? cap * 2 : 4096;
			char *nb = realloc(buf, cap);
			if (!nb)
				return berr_errno(err, ENOMEM, "read \"%s\"", path);
			buf = nb;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return berr_errno(err, errno, "read \"%s\"", path);
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max)
			return berr_fail(err, EFBIG, "\"%s\" is larger than %zu bytes", path, max);
	}
	buf[len] = '\0';
	if (ret_len)
		*ret_len = len;
	*ret_buf = TAKE_PTR(buf);
	return 0;
}

/* Fallback resolution for kernels without openat2: walk the path one
 * component at a time with O_NOFOLLOW, expanding symlinks ourselves and
 * clamping ".." and absolute targets to ROOTFD. */
static int safe_openat_fallback(int rootfd, const char *path, int flags, mode_t mode)
{
	enum { MAX_DEPTH = 256, MAX_LINKS = 40 };
	int stack[MAX_DEPTH];
	int depth = 0, links = 0, ret = -ENOENT;
	char *todo = NULL;
	size_t todo_len;

	stack[0] = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (stack[0] < 0)
		return -errno;
	todo_len = strlen(path);
	todo = malloc(todo_len + 1);
	if (!todo) {
		close(stack[0]);
		return -ENOMEM;
	}
	memcpy(todo, path, todo_len + 1);

	char *cur = todo;
	for (;;) {
		while (*cur == '/')
			cur++;
		if (*cur == '\0') {
			/* path ended on a directory: reopen it with the caller's flags */
			ret = openat(stack[depth], ".", flags | O_CLOEXEC, mode);
			ret = ret < 0 ? -errno : ret;
			break;
		}
		char *slash = strchr(cur, '/');
		char *next = slash ? slash + 1 : cur + strlen(cur);
		if (slash)
			*slash = '\0';
		bool last = !slash || next[strspn(next, "/")] == '\0';

		if (strcmp(cur, ".") == 0) {
			cur = next;
			if (last) {
				cur = next + strlen(next);
			}
			continue;
		}
		if (strcmp(cur, "..") == 0) {
			if (depth > 0)
				close(stack[depth--]);
			cur = next;
			continue;
		}
		struct stat st;
		if (fstatat(stack[depth], cur, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(stack[depth], cur, target, sizeof(target) - 1);
			if (n < 0 || ++links > MAX_LINKS) {
				ret = n < 0 ? -errno : -ELOOP;
				break;
			}
			target[n] = '\0';
			size_t rest = strlen(next);
			char *nt = malloc((size_t)n + 1 + rest + 1);
			if (!nt) {
				ret = -ENOMEM;
				break;
			}
			sprintf(nt, "%s%s%s", target, rest ? "/" : "", next);
			free(todo);
			todo = cur = nt;
			if (target[0] == '/') {
				while (depth > 0)
					close(stack[depth--]);
			}
			continue;
		}
		if (last) {
			ret = openat(stack[depth], cur, flags | O_CLOEXEC | O_NOFOLLOW, mode);
			ret = ret < 0 ? -errno : ret;
			break;
		}
		if (depth + 1 >= MAX_DEPTH) {
			ret = -ENAMETOOLONG;
			break;
		}
		int fd = openat(stack[depth], cur, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			ret = -errno;
			break;
		}
		stack[++depth] = fd;
		cur = next;
	}
	while (depth >= 0)
		close(stack[depth--]);
	free(todo);
	return ret;
}

int safe_openat(int rootfd, const char *path, int flags, mode_t mode)
{
	static int have_openat2 = -1;
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	if (have_openat2 != 0) {
		int fd;
		do {
			fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
		} while (fd < 0 && errno == EAGAIN);
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS) {
			have_openat2 = 1;
			return -errno;
		}
		have_openat2 = 0;
	}
	return safe_openat_fallback(rootfd, path, flags, mode);
}

/* mkdir P (mutable) inside ROOTFD; EEXIST is success. */
static int mkdir_in_root(int rootfd, char *p, mode_t mode)
{
	char *slash = strrchr(p, '/');
	const char *base = slash ? slash + 1 : p;
	int pfd;

	if (*base == '\0' || !strcmp(base, ".") || !strcmp(base, ".."))
		return 0;
	if (slash) {
		*slash = '\0';
		pfd = safe_openat(rootfd, p[0] ? p : "/", O_PATH | O_DIRECTORY, 0);
		*slash = '/';
	} else {
		pfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
		pfd = pfd < 0 ? -errno : pfd;
	}
	if (pfd < 0)
		return pfd;
	int r = mkdirat(pfd, base, mode) < 0 && errno != EEXIST ? -errno : 0;
	close(pfd);
	return r;
}

static int safe_mkdirat_p_depth(int rootfd, const char *path, mode_t mode, int depth);

/* P exists but does not resolve: a dangling symlink (/var/run -> /run with no
 * /run yet). Create what it points to, still inside the root. */
static int mkdir_link_target(int rootfd, char *p, mode_t mode, int depth)
{
	char target[PATH_MAX], full[PATH_MAX];
	char *slash = strrchr(p, '/');
	int pfd, r;

	if (depth > 40)
		return -ELOOP;
	if (slash) {
		*slash = '\0';
		pfd = safe_openat(rootfd, p[0] ? p : "/", O_PATH | O_DIRECTORY, 0);
		*slash = '/';
	} else {
		pfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
		pfd = pfd < 0 ? -errno : pfd;
	}
	if (pfd < 0)
		return pfd;
	ssize_t n = readlinkat(pfd, slash ? slash + 1 : p, target, sizeof(target) - 1);
	r = n < 0 ? -errno : 0;
	close(pfd);
	if (r < 0)
		return r == -EINVAL ? -ENOENT : r; /* not a link after all */
	target[n] = '\0';
	if (target[0] == '/' || !slash)
		snprintf(full, sizeof(full), "%s", target);
	else
		snprintf(full, sizeof(full), "%.*s/%s", (int)(slash - p), p, target);
	r = safe_mkdirat_p_depth(rootfd, full, mode, depth + 1);
	if (r >= 0)
		close(r);
	return r < 0 ? r : 0;
}

static int safe_mkdirat_p_depth(int rootfd, const char *path, mode_t mode, int depth)
{
	char buf[PATH_MAX];
	size_t len;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	len = strlen(buf);
	for (size_t i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		int r = mkdir_in_root(rootfd, buf, mode);
		if (r == 0) {
			int fd = safe_openat(rootfd, buf, O_PATH | O_DIRECTORY, 0);
			if (fd == -ENOENT)
				r = mkdir_link_target(rootfd, buf, mode, depth);
			else if (fd >= 0)
				close(fd);
		}
		buf[i] = c;
		if (r < 0)
			return r;
	}
	return safe_openat(rootfd, buf, O_PATH | O_DIRECTORY, 0);
}

int safe_mkdirat_p(int rootfd, const char *path, mode_t mode)
{
	return safe_mkdirat_p_depth(rootfd, path, mode, 0);
}

int rm_rf_at(int dirfd, const char *name)
{
	struct stat st, dst;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -errno : 0;
	if (fstat(dirfd, &dst) == 0 && dst.st_dev != st.st_dev && strcmp(name, ".") != 0)
		return -EXDEV; /* a mount point: never descend */

	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	int ret = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		int r = rm_rf_at(fd, de->d_name);
		if (r < 0 && ret == 0)
			ret = r;
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && ret == 0)
		ret = -errno;
	return ret;
}

DIR *opendir_dup(int dirfd)
{
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	rewinddir(d); /* the fd is a dup: its offset is shared */
	return d;
}

int fsync_path(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		return -errno;
	return 0;
}

bool path_exists(const char *path)
{
	return access(path, F_OK) == 0;
}
