// SPDX-License-Identifier: GPL-2.0-or-later
/* User namespaces: the parent writes the child's uid/gid maps. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/internal.h"

static int write_map(pid_t pid, const char *file, const struct bspec_idmap *map, size_t n,
		     berr *err)
{
	char path[64], buf[4096];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", map[i].container_id,
				 map[i].host_id, map[i].size);
		if (w < 0 || (size_t)w >= sizeof(buf) - len)
			return berr_fail(err, E2BIG, "Too many %s entries", file);
		len += (size_t)w;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	_cleanup_close_ int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		return berr_errno(err, errno, "Write %s", file);
	return 0;
}

int userns_write_maps(pid_t pid, const struct bspec *spec, berr *err)
{
	int r = write_map(pid, "uid_map", spec->uid_map, spec->nuid_map, err);
	if (r == 0)
		r = write_map(pid, "gid_map", spec->gid_map, spec->ngid_map, err);
	return r;
}
