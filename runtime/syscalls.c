// SPDX-License-Identifier: GPL-2.0-or-later
/* Thin wrappers for syscalls the C library may not wrap. */
#include <sys/syscall.h>
#include <unistd.h>

#include "runtime/internal.h"

int sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int sys_pidfd_send_signal(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}
