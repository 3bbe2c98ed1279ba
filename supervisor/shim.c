// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "supervisor/rt.h"
#include "supervisor/logfile.h"
#include "supervisor/shim.h"

struct stream {
	int fd;
	const char *name;
	char buf[LOG_LINE_MAX];
	size_t len;
};

static void stream_flush_lines(struct stream *s, struct logfile *lf, bool all)
{
	size_t start = 0;
	for (size_t i = 0; i < s->len; i++)
		if (s->buf[i] == '\n') {
			logfile_write(lf, s->name, s->buf + start, i - start);
			start = i + 1;
		}
	if (start == 0 && s->len == sizeof(s->buf))
		all = true; /* a line longer than the buffer: cut it */
	if (all && start < s->len) {
		logfile_write(lf, s->name, s->buf + start, s->len - start);
		start = s->len;
	}
	memmove(s->buf, s->buf + start, s->len - start);
	s->len -= start;
}

/* Read what is there: 1 data, 0 EOF or error, -1 nothing now. */
static int stream_read(struct stream *s, struct logfile *lf)
{
	ssize_t n = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return -1;
	if (n <= 0) {
		stream_flush_lines(s, lf, true);
		return 0;
	}
	s->len += (size_t)n;
	stream_flush_lines(s, lf, false);
	return 1;
}

/* After the payload died: what it wrote just before, without waiting for
 * descendants that may still hold the pipe (bounded). */
static void stream_drain(struct stream *s, struct logfile *lf)
{
	fcntl(s->fd, F_SETFL, O_NONBLOCK);
	for (int i = 0; i < 64 && stream_read(s, lf) > 0; i++)
		;
	stream_flush_lines(s, lf, true);
}

static void write_exit(const char *dir, const char *id, int status, bool oom)
{
	char line[64];
	int n = snprintf(line, sizeof(line), "%d %d\n", status, oom);
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		write_file_atomic(dfd, id, line, (size_t)n, 0600, NULL);
}

static void sync_report(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sync_report(int fd, const char *fmt, ...)
{
	char buf[BERR_MSG_MAX + 16];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	for (int i = 0; i < n; i++)
		if (buf[i] == '\n')
			buf[i] = ' ';
	buf[n++] = '\n';
	if (write(fd, buf, (size_t)n) < 0) {
		/* the daemon is gone: carry on, the exit record still matters */
	}
	close(fd);
}

static void shim_isolate(int sync_fd)
{
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	setsid();
	prctl(PR_SET_NAME, "berth-shim");
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup3(null, 0, 0);
		dup3(null, 1, 0);
		dup3(null, 2, 0);
		if (null > 2)
			close(null);
	}
	if (sync_fd != 3) {
		dup3(sync_fd, 3, O_CLOEXEC);
		close(sync_fd);
	}
	syscall(SYS_close_range, 4U, ~0U, 0U);
}

static void shim_loop(struct container *c, struct stream *out, struct stream *errs,
		      struct logfile *lf)
{
	int pidfd = c->pidfd >= 0 ? c->pidfd : (int)syscall(SYS_pidfd_open, c->pid, 0);
	bool open_out = true, open_err = true;
	for (;;) {
		struct pollfd p[3] = { { open_out ? out->fd : -1, POLLIN, 0 },
				       { open_err ? errs->fd : -1, POLLIN, 0 },
				       { pidfd, POLLIN, 0 } };
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents && stream_read(out, lf) == 0)
			open_out = false;
		if (p[1].revents && stream_read(errs, lf) == 0)
			open_err = false;
		if (p[2].revents)
			break;
	}
	if (open_out)
		stream_drain(out, lf);
	if (open_err)
		stream_drain(errs, lf);
}

static void __attribute__((noreturn))
shim_main(const struct bspec *spec, const struct shim_args *a, int sync_fd)
{
	shim_isolate(sync_fd);
	sync_fd = 3;
	struct logfile lf;
	berr err = { 0 };
	if (logfile_open(&lf, a->log_dir, spec->id, a->log_max, a->log_files, true, &err) < 0) {
		sync_report(sync_fd, "err %s", err.msg);
		_exit(1);
	}
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		sync_report(sync_fd, "err Create log pipes: %s", strerror(errno));
		_exit(1);
	}
	struct container_opts opts;
	container_opts_init(&opts);
	opts.run_dir = a->run_dir;
	opts.owned_dir = a->owned_dir;
	opts.stdio[0] = 0; /* /dev/null */
	opts.stdio[1] = po[1];
	opts.stdio[2] = pe[1];
	struct container *c = NULL;
	if (container_run(spec, &opts, &c, &err) < 0) {
		sync_report(sync_fd, "err %s", err.msg);
		_exit(1);
	}
	close(po[1]);
	close(pe[1]);
	sync_report(sync_fd, "ok %d", (int)c->pid);
	static struct stream out, errs;
	out.fd = po[0];
	out.name = "stdout";
	errs.fd = pe[0];
	errs.name = "stderr";
	shim_loop(c, &out, &errs, &lf);
	int status = 255;
	bool oom = false;
	container_wait(c, &status, &oom, &err);
	write_exit(a->exits_dir, spec->id, status, oom);
	container_delete(a->run_dir, spec->id, true, &err);
	_exit(0);
}

int shim_spawn(const struct bspec *spec, const struct shim_args *a, pid_t *ret_pid, int *ret_sync,
	       berr *err)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return berr_errno(err, errno, "Create sync pipe for \"%s\"", spec->id);
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return berr_errno(err, e, "Fork shim for \"%s\"", spec->id);
	}
	if (pid == 0) {
		close(p[0]);
		shim_main(spec, a, p[1]);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	*ret_pid = pid;
	*ret_sync = p[0];
	return 0;
}

int shim_parse_sync(const char *buf, pid_t *ret_pid, berr *err)
{
	const char *nl = strchr(buf, '\n');
	if (!nl)
		return -EAGAIN;
	if (strncmp(buf, "ok ", 3) == 0) {
		*ret_pid = (pid_t)atoi(buf + 3);
		return *ret_pid > 0 ? 1 : berr_fail(err, EPROTO, "Shim reported a bad pid");
	}
	if (strncmp(buf, "err ", 4) == 0) {
		berr_fail(err, EIO, "%.*s", (int)(nl - buf - 4), buf + 4);
		return 0;
	}
	berr_fail(err, EPROTO, "Shim sent \"%.*s\"", (int)(nl - buf), buf);
	return 0;
}

int shim_read_exit(const char *exits_dir, const char *id, int *ret_status, bool *ret_oom)
{
	_cleanup_close_ int dfd = open(exits_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	_cleanup_free_ char *buf = NULL;
	size_t len;
	if (read_file_at(dfd, id, 64, &buf, &len, NULL) < 0)
		return -ENOENT;
	int status, oom;
	if (sscanf(buf, "%d %d", &status, &oom) != 2)
		return -EINVAL;
	unlinkat(dfd, id, 0);
	*ret_status = status;
	*ret_oom = oom;
	return 0;
}
