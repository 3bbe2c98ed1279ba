// SPDX-License-Identifier: GPL-2.0-or-later
/* recvtty: the client side of the OCI console socket, for the tests.
 *
 *   recvtty SOCKET OUTFILE [INPUT]
 *
 * Listens on the unix socket SOCKET, receives one pty master (SCM_RIGHTS),
 * writes INPUT to it (if given), then copies everything the container
 * writes into OUTFILE until the last slave is closed. Exit 0 on success. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int recv_fd(int conn)
{
	char buf[CMSG_SPACE(sizeof(int))], name[256];
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = buf,
			      .msg_controllen = sizeof(buf) };
	if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) < 0)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int fd;
	memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;

	if (argc < 3 || strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "usage: recvtty SOCKET OUTFILE [INPUT]\n");
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0) {
		perror("recvtty: socket");
		return 1;
	}
	int conn = accept4(s, NULL, NULL, SOCK_CLOEXEC);
	int master = conn < 0 ? -1 : recv_fd(conn);
	if (master < 0) {
		perror("recvtty: receive the pty master");
		return 1;
	}
	int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		perror("recvtty: open output");
		return 1;
	}
	if (argc > 3 && write(master, argv[3], strlen(argv[3])) < 0)
		perror("recvtty: write input");
	while ((n = read(master, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && write(out, buf, (size_t)n) != n)
			return 1;
	/* EIO: every slave is closed, the container is done */
	return 0;
}
