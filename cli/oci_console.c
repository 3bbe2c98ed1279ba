// SPDX-License-Identifier: GPL-2.0-or-later
/* The OCI console socket: the pty master goes to the client's unix socket
 * with SCM_RIGHTS (as runc's --console-socket). Sent from berth-oci itself,
 * in the runtime's mount namespace, where the socket path means what the
 * client meant. */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cli/oci.h"
#include "lib/cleanup.h"

int oci_console_send(const char *path, int master, berr *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char name[] = "/dev/ptmx";
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) - 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			     .msg_controllen = sizeof(u.buf) };
	_cleanup_close_ int s = -1;

	if (strlen(path) >= sizeof(sa.sun_path))
		return berr_fail(err, ENAMETOOLONG, "Console socket \"%s\": path too long", path);
	strcpy(sa.sun_path, path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return berr_errno(err, errno, "Connect to console socket \"%s\"", path);
	memset(&u, 0, sizeof(u));
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &master, sizeof(int));
	if (sendmsg(s, &mh, MSG_NOSIGNAL) < 0)
		return berr_errno(err, errno, "Send the pty to console socket \"%s\"", path);
	return 0;
}
