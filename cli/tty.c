// SPDX-License-Identifier: GPL-2.0-or-later
/* Foreground containers: wait through the pidfd, forward signals, relay a
 * pty (raw mode, window size follows). One poll loop, no threads. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "cli/run.h"
#include "lib/cleanup.h"
#include "lib/log.h"
#include "runtime/container.h"

static const int forwarded[] = {SIGINT,	 SIGTERM, SIGHUP,   SIGQUIT,
				SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT};

static void forward_set(sigset_t *s)
{
	sigemptyset(s);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(s, forwarded[i]);
}

void cli_block_signals(void)
{
	sigset_t s;
	forward_set(&s);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

int cli_protect_exe(void)
{
	berr err = {0};
	if (runtime_protect_exe(&err) < 0) {
		log_error("%s", err.msg);
		return -1;
	}
	return 0;
}

int cli_parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} tab[] = {
	    {"HUP", SIGHUP},   {"INT", SIGINT},	  {"QUIT", SIGQUIT}, {"KILL", SIGKILL},
	    {"USR1", SIGUSR1}, {"USR2", SIGUSR2}, {"TERM", SIGTERM}, {"STOP", SIGSTOP},
	    {"CONT", SIGCONT}, {"ALRM", SIGALRM}, {"PIPE", SIGPIPE}, {"WINCH", SIGWINCH},
	    {"ABRT", SIGABRT}, {"TRAP", SIGTRAP}, {"TSTP", SIGTSTP}, {"CHLD", SIGCHLD},
	    {"PWR", SIGPWR},   {"SYS", SIGSYS},	  {"URG", SIGURG},   {"IO", SIGIO},
	};
	char *end;
	if (!s || !*s)
		return -1;
	long n = strtol(s, &end, 10);
	if (*end == '\0')
		return n > 0 && n < NSIG ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (!strcasecmp(s, tab[i].name))
			return tab[i].sig;
	return -1;
}

static void copy_winsize(int from, int to)
{
	struct winsize ws;
	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Copy what is readable on FROM to TO; false on EOF/error. */
static bool pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));
	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN);
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return false;
		}
		off += w;
	}
	return true;
}

int cli_reap(int pidfd, pid_t pid)
{
	siginfo_t si = {0};
	int r;
	do
		r = pidfd >= 0 ? waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED)
			       : waitid(P_PID, (id_t)pid, &si, WEXITED);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return si.si_code == CLD_EXITED ? si.si_status : 128 + si.si_status;
}

void cli_wait_forward(int pidfd, pid_t pid, int master)
{
	sigset_t s;
	struct termios saved;
	bool raw = false, in_open = master >= 0;

	forward_set(&s);
	_cleanup_close_ int sfd = signalfd(-1, &s, SFD_CLOEXEC);
	if (master >= 0 && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		struct termios t = saved;
		cfmakeraw(&t);
		raw = tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0;
		copy_winsize(STDIN_FILENO, master);
	}
	for (;;) {
		struct pollfd p[4] = {
		    {.fd = pidfd, .events = POLLIN},
		    {.fd = sfd, .events = POLLIN},
		    {.fd = master, .events = POLLIN},
		    {.fd = in_open ? STDIN_FILENO : -1, .events = POLLIN},
		};
		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGWINCH && master >= 0)
					copy_winsize(STDIN_FILENO, master);
				else if (si.ssi_signo != SIGWINCH)
					syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo,
						NULL, 0);
			}
		}
		if (p[3].revents & (POLLIN | POLLHUP))
			in_open = pump(STDIN_FILENO, master);
		if (p[2].revents & POLLIN)
			pump(master, STDOUT_FILENO);
		if (p[0].revents & POLLIN) {
			/* drain what the payload wrote before it died */
			if (master >= 0) {
				int fl = fcntl(master, F_GETFL);
				fcntl(master, F_SETFL, fl | O_NONBLOCK);
				char buf[8192];
				ssize_t n;
				while ((n = read(master, buf, sizeof(buf))) > 0)
					if (write(STDOUT_FILENO, buf, (size_t)n) < 0)
						break;
			}
			break;
		}
	}
	(void)pid;
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
}
