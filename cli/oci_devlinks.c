// SPDX-License-Identifier: GPL-2.0-or-later
/* The /dev symbolic links every OCI container has (runtime-spec
 * runtime-linux.md "Dev symbolic links"): /dev/fd, stdin, stdout, stderr and
 * /dev/ptmx -> pts/ptmx. runtime/ makes them only with its own default
 * mounts (spec->no_default_mounts false); for OCI, where config.json lists
 * the mounts, berth-oci adds them once the container is "created": a child
 * joins the container's mount namespace (whose root is the container's
 * root, so nothing resolves outside it) and creates what is missing. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/oci.h"
#include "lib/cleanup.h"

static int make_links(void)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" },	    { "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
		{ "pts/ptmx", "/dev/ptmx" },
	};
	struct stat st;

	if (lstat("/dev", &st) < 0 || !S_ISDIR(st.st_mode))
		return 0; /* no /dev at all: nothing to complete */
	for (size_t i = 0; i < ARRAY_SIZE(links); i++) {
		const char *path = links[i][1];
		if (lstat(path, &st) == 0) {
			/* the 5:2 node berth-oci asked for, so the console could be opened */
			if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
				continue;
			if (unlink(path) < 0)
				return 1;
		}
		if (symlink(links[i][0], path) < 0)
			return 1;
	}
	return 0;
}

int oci_dev_symlinks(pid_t pid, berr *err)
{
	char path[64];
	_cleanup_close_ int nsfd = -1;
	int st;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		return berr_errno(err, errno, "Open the container's mount namespace");
	pid_t child = fork();
	if (child < 0)
		return berr_errno(err, errno, "Fork");
	if (child == 0)
		_exit(setns(nsfd, CLONE_NEWNS) < 0 ? 2 : make_links());
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			return berr_errno(err, errno, "Wait");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return berr_fail(err, EIO, "Create the /dev symbolic links in the container (%s)",
				 WIFEXITED(st) && WEXITSTATUS(st) == 2 ? "cannot join its mount namespace"
								    : "read-only /dev?");
	return 0;
}
