// SPDX-License-Identifier: GPL-2.0-or-later
/* Parent/child synchronisation over a SOCK_SEQPACKET socketpair: one
 * message per record, an optional fd attached with SCM_RIGHTS. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "runtime/internal.h"

int sync_send(int sock, int type, int code, const char *msg, int fd)
{
	struct sync_msg m = {.type = type, .code = code};
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	size_t len = offsetof(struct sync_msg, msg);

	if (msg) {
		snprintf(m.msg, sizeof(m.msg), "%s", msg);
		len += strlen(m.msg) + 1;
	}
	struct iovec iov = {.iov_base = &m, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	ssize_t n;
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int sync_recv(int sock, struct sync_msg *m, int *ret_fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {.msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	ssize_t n;

	memset(m, 0, sizeof(*m));
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -EPIPE;
	m->msg[sizeof(m->msg) - 1] = '\0';
	int fd = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (ret_fd)
		*ret_fd = fd;
	else if (fd >= 0)
		close(fd);
	return 0;
}

int sync_expect(int sock, int type, int *ret_fd, berr *err)
{
	struct sync_msg m;
	int r = sync_recv(sock, &m, ret_fd);
	if (r == -EPIPE)
		return berr_fail(err, EPIPE, "Container process exited during setup");
	if (r < 0)
		return berr_errno(err, -r, "Read from the container process");
	if (m.type == SYNC_ERROR) {
		if (ret_fd && *ret_fd >= 0)
			close(*ret_fd);
		return berr_fail(err, m.code > 0 ? m.code : EIO, "%s", m.msg);
	}
	if (m.type != type) {
		if (ret_fd && *ret_fd >= 0)
			close(*ret_fd);
		return berr_fail(err, EPROTO, "Unexpected message %d from the container process",
				 m.type);
	}
	return m.code;
}

void sync_send_error(int sock, const berr *err)
{
	sync_send(sock, SYNC_ERROR, err->code ? err->code : EIO, err->msg, -1);
}
