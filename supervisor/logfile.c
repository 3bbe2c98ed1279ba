// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "supervisor/logfile.h"

static void piece_name(const struct logfile *lf, unsigned i, char *buf, size_t len)
{
	if (i == 0)
		snprintf(buf, len, "%s.log", lf->name);
	else
		snprintf(buf, len, "%s.log.%u", lf->name, i);
}

static int reopen(struct logfile *lf)
{
	char n[128];
	piece_name(lf, 0, n, sizeof(n));
	closep(&lf->fd);
	lf->fd = openat(lf->dirfd, n, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (lf->fd < 0)
		return -errno;
	struct stat st;
	lf->size = fstat(lf->fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	return 0;
}

static int rotate(struct logfile *lf)
{
	char from[128], to[128];
	if (lf->files <= 1) {
		piece_name(lf, 0, from, sizeof(from));
		if (ftruncate(lf->fd, 0) < 0)
			return -errno;
		lf->size = 0;
		return 0;
	}
	for (unsigned i = lf->files - 1; i > 0; i--) {
		piece_name(lf, i - 1, from, sizeof(from));
		piece_name(lf, i, to, sizeof(to));
		if (renameat(lf->dirfd, from, lf->dirfd, to) < 0 && errno != ENOENT)
			return -errno;
	}
	return reopen(lf);
}

int logfile_open(struct logfile *lf, const char *dir, const char *name, uint64_t max,
		 unsigned files, bool new_run, berr *err)
{
	*lf = (struct logfile){ .dirfd = -1, .fd = -1, .max = max, .files = files ? files : 1 };
	snprintf(lf->name, sizeof(lf->name), "%s", name);
	int r = mkdir_p(dir, 0750, err);
	if (r < 0)
		return r;
	lf->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lf->dirfd < 0)
		return berr_errno(err, errno, "Open log directory \"%s\"", dir);
	if (new_run) {
		char cur[128], prev[128];
		piece_name(lf, 0, cur, sizeof(cur));
		snprintf(prev, sizeof(prev), "%s.previous.log", lf->name);
		if (renameat(lf->dirfd, cur, lf->dirfd, prev) < 0 && errno != ENOENT)
			return berr_errno(err, errno, "Rotate \"%s/%s\"", dir, cur);
		for (unsigned i = 1; i < 100; i++) {
			piece_name(lf, i, cur, sizeof(cur));
			if (unlinkat(lf->dirfd, cur, 0) < 0 && i >= lf->files)
				break;
		}
	}
	r = reopen(lf);
	if (r < 0) {
		closep(&lf->dirfd);
		return berr_errno(err, -r, "Open log \"%s/%s.log\"", dir, name);
	}
	return 0;
}

int logfile_write(struct logfile *lf, const char *stream, const char *line, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char pre[64];
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(pre, sizeof(pre), "%Y-%m-%dT%H:%M:%S", &tm);
	n += (size_t)snprintf(pre + n, sizeof(pre) - n, ".%09ldZ %s ", ts.tv_nsec, stream);
	if (len > LOG_LINE_MAX)
		len = LOG_LINE_MAX;
	uint64_t need = n + len + 1;
	if (lf->fd < 0)
		return -EBADF;
	if (lf->size && lf->size + need > lf->max) {
		int r = rotate(lf);
		if (r < 0)
			return r;
	}
	struct iovec iov[3] = { { pre, n }, { (void *)line, len }, { "\n", 1 } };
	ssize_t w = writev(lf->fd, iov, 3);
	if (w < 0)
		return -errno;
	lf->size += (uint64_t)w;
	return 0;
}

void logfile_close(struct logfile *lf)
{
	closep(&lf->fd);
	closep(&lf->dirfd);
}
