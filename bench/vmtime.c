/* vmtime: time one command for the benchmarks that run inside the QEMU VM
 * (busybox only there; busybox `time` has 10 ms resolution).
 *
 *   vmtime CMD [ARG...]
 *
 * Forks, execs CMD (PATH lookup) with stdout on /dev/null, waits for it, and
 * prints "NANOSECONDS MAXRSS_KIB" (CLOCK_MONOTONIC around fork+exec+wait;
 * the peak resident set of CMD's process tree, from wait4) on stdout. CMD's
 * stderr is passed through. Exits with CMD's status (128+signal when
 * killed), so a failing run is never mistaken for a fast one. Built static
 * by tests/qemu/run.sh for the guest. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "Usage: vmtime CMD [ARG...]\n");
		return 2;
	}
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null < 0) {
		fprintf(stderr, "vmtime: Cannot open \"/dev/null\": %s\n", strerror(errno));
		return 2;
	}
	long long t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "vmtime: Cannot fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		if (dup2(null, STDOUT_FILENO) < 0)
			_exit(126);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "vmtime: Cannot execute \"%s\": %s\n", argv[1], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "vmtime: Cannot wait for \"%s\": %s\n", argv[1], strerror(errno));
			return 2;
		}
	}
	long long t1 = now_ns();
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	if (WEXITSTATUS(status) != 0)
		return WEXITSTATUS(status);
	printf("%lld %ld\n", t1 - t0, ru.ru_maxrss);
	return 0;
}
