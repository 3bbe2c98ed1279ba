// SPDX-License-Identifier: GPL-2.0-or-later
/* Pseudo-terminals for -t: opened inside the container (its own devpts
 * instance), the master handed to the caller or to an OCI console socket. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/internal.h"

int pty_open(int *ret_master, int *ret_slave, berr *err)
{
	_cleanup_close_ int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return berr_errno(err, errno, "Open \"/dev/ptmx\"");
	int unlock = 0;
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return berr_errno(err, errno, "Unlock the pty");
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return berr_errno(err, errno, "Open the pty slave");
	*ret_master = TAKE_FD(master);
	*ret_slave = slave;
	return 0;
}

int pty_bind_console(int master, berr *err)
{
	char path[64];
	int n;
	if (ioctl(master, TIOCGPTN, &n) < 0)
		return berr_errno(err, errno, "Get the pty number");
	snprintf(path, sizeof(path), "/dev/pts/%d", n);
	int fd = open("/dev/console", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return berr_errno(err, errno, "Create \"/dev/console\"");
	close(fd);
	if (mount(path, "/dev/console", NULL, MS_BIND, NULL) < 0)
		return berr_errno(err, errno, "Bind \"%s\" on \"/dev/console\"", path);
	return 0;
}

int pty_make_controlling(int slave, berr *err)
{
	if (setsid() < 0)
		return berr_errno(err, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return berr_errno(err, errno, "Set the controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return berr_errno(err, errno, "Attach the pty to fd %d", i);
	if (slave > 2)
		close(slave);
	return 0;
}

int pty_send_to_socket(const char *path, int fd, berr *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof(sa.sun_path))
		return berr_fail(err, ENAMETOOLONG, "Console socket \"%s\" is too long", path);
	strcpy(sa.sun_path, path);
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return berr_errno(err, errno, "Connect to console socket \"%s\"", path);
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	memset(&u, 0, sizeof(u));
	char name[] = "/dev/ptmx";
	struct iovec iov = {.iov_base = name, .iov_len = sizeof(name) - 1};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(s, &mh, MSG_NOSIGNAL) < 0)
		return berr_errno(err, errno, "Send the pty to console socket \"%s\"", path);
	return 0;
}
