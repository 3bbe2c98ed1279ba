// SPDX-License-Identifier: GPL-2.0-or-later
/* A fresh network namespace for a pod, as an fd: unshare in this thread,
 * keep the new namespace's fd, go back. No thread, no bind mount: the fd is
 * the only reference until the container joins it. */
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "net/net.h"

int net_netns_new(int *ret_fd, berr *err)
{
	_cleanup_close_ int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd;

	if (self < 0)
		return berr_errno(err, errno, "Open \"/proc/thread-self/ns/net\"");
	if (unshare(CLONE_NEWNET) < 0)
		return berr_errno(err, errno, "Create a network namespace");
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int e = errno;
	if (setns(self, CLONE_NEWNET) < 0)
		abort(); /* cannot happen: never go on in the pod's namespace */
	if (fd < 0)
		return berr_errno(err, e, "Open the new network namespace");
	*ret_fd = fd;
	return 0;
}
