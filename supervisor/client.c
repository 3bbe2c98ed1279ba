// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "supervisor/client.h"

#define REPLY_MAX (8u << 20)

int sv_request(const char *run_dir, json_t *req, json_t **ret, berr *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/berthd.sock", run_dir) >=
	    sizeof(sa.sun_path))
		return berr_fail(err, ENAMETOOLONG, "Run dir \"%s\" is too long", run_dir);
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return berr_errno(err, errno, "Create socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return berr_errno(err, errno, "Connect to the daemon at \"%s\" (is berth daemon running?)",
				  sa.sun_path);
	_cleanup_free_ char *line = json_dumps(req, JSON_COMPACT);
	if (!line)
		return berr_fail(err, ENOMEM, "Out of memory");
	size_t len = strlen(line);
	if (write(fd, line, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
		return berr_errno(err, errno, "Send to the daemon");
	_cleanup_free_ char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 16384;
			if (cap > REPLY_MAX)
				return berr_fail(err, EMSGSIZE, "The daemon's reply is too long");
			char *nb = realloc(buf, cap);
			if (!nb)
				return berr_fail(err, ENOMEM, "Out of memory");
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return berr_errno(err, errno, "Read the daemon's reply");
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	json_error_t je;
	json_t *reply = json_loads(buf, 0, &je);
	if (!json_is_object(reply)) {
		json_decref(reply);
		return berr_fail(err, EPROTO, "Bad reply from the daemon: %s", je.text);
	}
	if (!json_is_true(json_object_get(reply, "ok"))) {
		const char *m = json_string_value(json_object_get(reply, "error"));
		berr_fail(err, EINVAL, "%s", m ? m : "The daemon refused");
		json_decref(reply);
		return -EINVAL;
	}
	*ret = reply;
	return 0;
}
