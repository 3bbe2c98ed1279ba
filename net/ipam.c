// SPDX-License-Identifier: GPL-2.0-or-later
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "net/ipam.h"

#define LAST_RESERVED "last_reserved_ip"

int ipam_open(struct ipam *ipam, const char *dir, const struct net_cidr *cidr, berr *err)
{
	_cleanup_close_ int dfd = -1, lfd = -1;
	int r;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && errno == ENOENT) {
		r = mkdir_p(dir, 0700, err);
		if (r < 0)
			return r;
		dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (dfd < 0)
		return berr_errno(err, errno, "Open lease directory \"%s\"", dir);
	lfd = openat(dfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lfd < 0)
		return berr_errno(err, errno, "Open \"%s/lock\"", dir);
	while (flock(lfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return berr_errno(err, errno, "Lock \"%s/lock\"", dir);
	ipam->dirfd = TAKE_FD(dfd);
	ipam->lockfd = TAKE_FD(lfd);
	ipam->cidr = *cidr;
	return 0;
}

void ipam_close(struct ipam *ipam)
{
	closep(&ipam->lockfd); /* closing the last fd drops the flock */
	closep(&ipam->dirfd);
}

/* Write CONTENT to a temp file and link it to NAME: all or nothing, and
 * EEXIST when NAME exists. */
static int lease_create(int dirfd, const char *name, const char *content)
{
	_cleanup_close_ int fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	char proc[64];
	size_t len = strlen(content);

	if (fd < 0)
		return -errno;
	if (write(fd, content, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, dirfd, name, AT_SYMLINK_FOLLOW) < 0)
		return -errno;
	return 0;
}

static uint32_t last_reserved(struct ipam *ipam)
{
	char buf[IPV4_STRLEN + 1] = { 0 };
	_cleanup_close_ int fd = openat(ipam->dirfd, LAST_RESERVED, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	uint32_t a;

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		return 0;
	buf[strcspn(buf, "\n")] = '\0';
	if (ipv4_parse(buf, &a) < 0 || !cidr_contains(&ipam->cidr, a))
		return 0;
	return a;
}

static void set_last_reserved(struct ipam *ipam, uint32_t a)
{
	char buf[IPV4_STRLEN];
	char tmp[] = LAST_RESERVED ".tmp";
	_cleanup_close_ int fd = openat(ipam->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

	ipv4_format(a, buf);
	/* only a hint for round-robin: losing it is harmless */
	if (fd >= 0 && write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf))
		renameat(ipam->dirfd, tmp, ipam->dirfd, LAST_RESERVED);
}

int ipam_acquire(struct ipam *ipam, uint32_t want, const char *content, uint32_t *ret_addr,
		 berr *err)
{
	const struct net_cidr *c = &ipam->cidr;
	uint32_t first = cidr_first(c), last = cidr_last(c), a;
	char name[IPV4_STRLEN];
	int r;

	if (want) {
		if (!cidr_contains(c, want) || want < first || want > last)
			return berr_fail(err, ERANGE, "Address %s is not a pod address of subnet %s/%u",
					 ipv4_format(want, name), ipv4_format(c->addr, (char[IPV4_STRLEN]){ 0 }), c->prefix);
		r = lease_create(ipam->dirfd, ipv4_format(want, name), content);
		if (r == -EEXIST)
			return berr_fail(err, EADDRINUSE, "Address %s is already leased", name);
		if (r < 0)
			return berr_errno(err, -r, "Create lease %s", name);
		*ret_addr = want;
		return 0;
	}
	a = last_reserved(ipam);
	for (uint32_t i = 0, n = last - first + 1; i < n; i++) {
		a = (a < first || a >= last) ? first : a + 1;
		r = lease_create(ipam->dirfd, ipv4_format(a, name), content);
		if (r == -EEXIST)
			continue;
		if (r < 0)
			return berr_errno(err, -r, "Create lease %s", name);
		set_last_reserved(ipam, a);
		*ret_addr = a;
		return 0;
	}
	return berr_fail(err, ENOSPC, "No free address left in subnet %s/%u",
			 ipv4_format(c->addr, name), c->prefix);
}

int ipam_release(struct ipam *ipam, uint32_t addr, berr *err)
{
	char name[IPV4_STRLEN];

	if (unlinkat(ipam->dirfd, ipv4_format(addr, name), 0) < 0 && errno != ENOENT)
		return berr_errno(err, errno, "Release lease %s", name);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	uint32_t x = ((const struct ipam_entry *)a)->addr, y = ((const struct ipam_entry *)b)->addr;
	return x < y ? -1 : x > y;
}

void ipam_entries_free(struct ipam_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++)
		free(e[i].content);
	free(e);
}

int ipam_list(struct ipam *ipam, struct ipam_entry **ret, size_t *ret_n, berr *err)
{
	int fd = openat(ipam->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	_cleanup_closedir_ DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct ipam_entry *v = NULL;
	size_t n = 0;
	struct dirent *de;
	uint32_t a;

	if (!d) {
		closep(&fd);
		return berr_errno(err, errno, "Read lease directory");
	}
	while ((de = readdir(d))) {
		char *content = NULL;
		if (ipv4_parse(de->d_name, &a) < 0 || !cidr_contains(&ipam->cidr, a))
			continue;
		if (read_file_at(ipam->dirfd, de->d_name, 64 * 1024, &content, NULL, NULL) < 0)
			continue; /* released meanwhile */
		struct ipam_entry *nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv) {
			free(content);
			ipam_entries_free(v, n);
			return berr_fail(err, ENOMEM, "Out of memory");
		}
		v = nv;
		v[n].addr = a;
		v[n++].content = content;
	}
	if (n)
		qsort(v, n, sizeof(*v), entry_cmp);
	*ret = v;
	*ret_n = n;
	return 0;
}
