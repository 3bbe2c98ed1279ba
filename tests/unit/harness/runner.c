// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main() of the unit binary where it is built with the Criterion-compatible
 * harness (tests/unit/harness/criterion/criterion.h). Takes the options
 * berth's Makefile and the QEMU VM pass to Criterion:
 *
 *   unit [-jN | --jobs=N] [--tap[=FILE|-]] [--filter=GLOB] [--list]
 *
 * Each test runs in a forked child (as in Criterion, a crash or an exit
 * fails only that test), up to N at a time; a child reports a failed assert
 * or a skip over a pipe. --filter matches "suite/name" (fnmatch, with
 * extended patterns). TAP goes to FILE, or stdout for "-", or stderr; the
 * closing "Synthesis" line always goes to stderr. Exit status 0 when no
 * test failed or crashed.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

static struct cr_harness_test *tests;
static struct cr_harness_suite *suites;

void cr_harness_register_test(struct cr_harness_test *t)
{
	t->next = tests;
	tests = t;
}

void cr_harness_register_suite(struct cr_harness_suite *s)
{
	s->next = suites;
	suites = s;
}

/* ---- in the child ---------------------------------------------------------- */

static int report_fd = -1;	/* write end of this test's pipe */
static sigjmp_buf body_end;	/* back to the runner, to run the fini */
static bool in_body;

static void report(char kind, const char *fmt, va_list ap)
{
	char buf[4096];
	int n = snprintf(buf, sizeof(buf), "%c", kind);

	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	/* one write: the parent reads it after the child ends */
	if (write(report_fd, buf, strlen(buf)) < 0)
		_exit(3);
}

static void report_f(char kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(kind, fmt, ap);
	va_end(ap);
}

static __attribute__((noreturn)) void end_test(void)
{
	if (in_body) {
		in_body = false;
		siglongjmp(body_end, 1);
	}
	exit(1); /* a failure in a fini */
}

void cr_harness_fail(const char *file, int line, const char *expr, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_f('F', "%s:%d: Assertion failed: %s%s%s", file, line, expr, *msg ? ": " : "", msg);
	end_test();
}

void cr_harness_fail_str(const char *file, int line, const char *expr, const char *a, const char *b,
			 const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_f('F', "%s:%d: Assertion failed: %s%s%s\nleft:  %s%s%s\nright: %s%s%s", file, line,
		 expr, *msg ? ": " : "", msg, a ? "\"" : "", a ? a : "NULL", a ? "\"" : "",
		 b ? "\"" : "", b ? b : "NULL", b ? "\"" : "");
	end_test();
}

void cr_harness_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report('S', fmt, ap);
	va_end(ap);
	end_test();
}

static const struct cr_harness_suite *suite_of(const struct cr_harness_test *t)
{
	for (const struct cr_harness_suite *s = suites; s; s = s->next)
		if (strcmp(s->name, t->suite) == 0)
			return s;
	return NULL;
}

static __attribute__((noreturn)) void run_child(const struct cr_harness_test *t)
{
	const struct cr_harness_suite *s;

	in_body = true;
	if (sigsetjmp(body_end, 0) == 0) {
		s = suite_of(t);
		if (s && s->data.init)
			s->data.init();
		if (t->data.init)
			t->data.init();
		t->fn();
		in_body = false;
	}
	/* after a failed assert too; looked up again: locals do not survive the jump */
	s = suite_of(t);
	if (t->data.fini)
		t->data.fini();
	if (s && s->data.fini)
		s->data.fini();
	exit(0);
}

/* ---- in the parent ----------------------------------------------------------- */

struct slot {
	pid_t pid;
	int fd;
	const struct cr_harness_test *t;
	struct timespec t0;
};

struct totals {
	int n, pass, fail, crash, skip;
};

static FILE *tap;

static int cmp_tests(const void *a, const void *b)
{
	const struct cr_harness_test *x = *(const struct cr_harness_test *const *)a;
	const struct cr_harness_test *y = *(const struct cr_harness_test *const *)b;
	int c = strcmp(x->suite, y->suite);

	return c ? c : strcmp(x->name, y->name);
}

static double since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* print MSG's lines indented, as Criterion's TAP does */
static void indented(FILE *f, const char *msg)
{
	const char *p = msg;

	while (*p) {
		size_t n = strcspn(p, "\n");
		fprintf(f, "  %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void finish(struct slot *sl, int status, struct totals *tot)
{
	char buf[4096], note[128];
	ssize_t n = read(sl->fd, buf, sizeof(buf) - 1);
	const char *what = "", *msg = n > 1 ? buf + 1 : "";
	char kind = n > 0 ? buf[0] : 0;
	double secs = since(&sl->t0);

	buf[n > 0 ? n : 0] = '\0';
	close(sl->fd);
	tot->n++;
	if (WIFSIGNALED(status)) {
		tot->crash++;
		snprintf(note, sizeof(note), "The test crashed: signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		what = "crash";
		msg = note;
	} else if (kind == 'F' || WEXITSTATUS(status) != 0) {
		tot->fail++;
		what = "fail";
		if (kind != 'F') {
			snprintf(note, sizeof(note), "The test exited with status %d",
				 WEXITSTATUS(status));
			msg = note;
		}
	} else if (kind == 'S') {
		tot->skip++;
		fprintf(tap, "ok %d - %s::%s %.2fs # SKIP %s\n", tot->n, sl->t->suite, sl->t->name, secs,
			msg);
		return;
	} else {
		tot->pass++;
		fprintf(tap, "ok %d - %s::%s %.2fs\n", tot->n, sl->t->suite, sl->t->name, secs);
		return;
	}
	fprintf(tap, "not ok %d - %s::%s %.2fs\n", tot->n, sl->t->suite, sl->t->name, secs);
	indented(tap, msg);
	/* the name on stderr too; the message as well when TAP goes to a file */
	if (tap != stderr)
		fprintf(stderr, "[FAIL] %s::%s (%s)\n", sl->t->suite, sl->t->name, what);
	if (tap != stderr && tap != stdout)
		indented(stderr, msg);
}

static int start(struct slot *sl, const struct cr_harness_test *t)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, &sl->t0);
	sl->pid = fork();
	if (sl->pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (sl->pid == 0) {
		close(p[0]);
		report_fd = p[1];
		run_child(t);
	}
	close(p[1]);
	/* read after the child ended: never wait on a pipe a grandchild holds */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	sl->fd = p[0];
	sl->t = t;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: unit [-jN] [--tap[=FILE|-]] [--filter=GLOB] [--list]\n");
}

/* the value of an option given as "--opt=V", "--opt V", "-oV" or "-o V" */
static const char *optval(int argc, char **argv, int *i, const char *lng, const char *shrt)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (strncmp(a, lng, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (shrt && strncmp(a, shrt, strlen(shrt)) == 0 && a[strlen(shrt)])
		return a + strlen(shrt);
	if (strcmp(a, lng) == 0 || (shrt && strcmp(a, shrt) == 0))
		return *i + 1 < argc ? argv[++*i] : NULL;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *filter = NULL, *tapfile = NULL;
	bool list = false;
	int jobs = 1, n = 0;

	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--tap") == 0) {
			tapfile = "";
		} else if (strncmp(a, "--tap=", 6) == 0) {
			tapfile = a + 6;
		} else if (strcmp(a, "--list") == 0 || strcmp(a, "-l") == 0) {
			list = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strncmp(a, "--filter", 8) == 0) {
			if (!(filter = optval(argc, argv, &i, "--filter", NULL)))
				goto bad;
		} else if (strncmp(a, "-j", 2) == 0 || strncmp(a, "--jobs", 6) == 0) {
			char *end;
			if (!(v = optval(argc, argv, &i, "--jobs", "-j")))
				goto bad;
			jobs = (int)strtol(v, &end, 10);
			if (*end || jobs < 1)
				goto bad;
		} else {
			goto bad;
		}
	}

	for (const struct cr_harness_test *t = tests; t; t = t->next)
		n++;
	const struct cr_harness_test **all = calloc((size_t)n + 1, sizeof(*all));
	struct slot *slots = calloc((size_t)jobs, sizeof(*slots));
	if (!all || !slots)
		return 2;
	n = 0;
	for (const struct cr_harness_test *t = tests; t; t = t->next) {
		char full[512];
		const struct cr_harness_suite *s = suite_of(t);
		snprintf(full, sizeof(full), "%s/%s", t->suite, t->name);
		if (filter && fnmatch(filter, full, FNM_EXTMATCH) != 0)
			continue;
		if (t->data.disabled || (s && s->data.disabled))
			continue;
		all[n++] = t;
	}
	qsort(all, (size_t)n, sizeof(*all), cmp_tests);
	if (list) {
		for (int k = 0; k < n; k++)
			printf("%s::%s\n", all[k]->suite, all[k]->name);
		return 0;
	}

	tap = stderr;
	if (tapfile && strcmp(tapfile, "-") == 0)
		tap = stdout;
	else if (tapfile && *tapfile && !(tap = fopen(tapfile, "we"))) {
		fprintf(stderr, "unit: cannot open TAP file \"%s\": %s\n", tapfile, strerror(errno));
		return 2;
	}
	if (tap != stderr)
		setvbuf(tap, NULL, _IOLBF, 0);
	fprintf(tap, "TAP version 13\n1..%d\n", n);
	fprintf(tap, "# berth's Criterion-compatible harness (no Criterion for this target)\n");

	struct totals tot = { 0 };
	int next = 0, running = 0;
	while (next < n || running > 0) {
		while (running < jobs && next < n) {
			struct slot *sl = NULL;
			for (int j = 0; j < jobs && !sl; j++)
				if (!slots[j].pid)
					sl = &slots[j];
			int r = start(sl, all[next]);
			if (r < 0) {
				fprintf(stderr, "unit: cannot start %s::%s: %s\n", all[next]->suite,
					all[next]->name, strerror(-r));
				return 2;
			}
			next++;
			running++;
		}
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "unit: waitpid: %s\n", strerror(errno));
			return 2;
		}
		for (int j = 0; j < jobs; j++) {
			if (slots[j].pid == pid) {
				finish(&slots[j], status, &tot);
				slots[j].pid = 0;
				running--;
			}
		}
	}
	/* Criterion's closing line; skipped tests count as not tested */
	fprintf(stderr, "[====] Synthesis: Tested: %d | Passing: %d | Failing: %d | Crashing: %d\n",
		tot.n - tot.skip, tot.pass, tot.fail + tot.crash, tot.crash);
	if (tap != stdout && tap != stderr)
		fclose(tap);
	free(all);
	free(slots);
	return tot.fail + tot.crash ? 1 : 0;

bad:
	fprintf(stderr, "unit: bad argument \"%s\"\n", argv[i < argc ? i : argc - 1]);
	usage(stderr);
	return 2;
}
