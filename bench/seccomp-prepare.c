// SPDX-License-Identifier: GPL-2.0-or-later
/* bench/seccomp helper: median time of seccomp_prepare() for the default
 * profile (embedded at build time) and of berth's run-time compile (one
 * libseccomp filter per arch, joined; custom and non-default profiles),
 * against libseccomp compiling the same profile as one multi-arch filter
 * (what runc and crun do without a cache). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "runtime/seccomp_internal.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	double *emb = calloc((size_t)n, sizeof(double)), *lib = calloc((size_t)n, sizeof(double));
	double *split = calloc((size_t)n, sizeof(double));
	struct bspec_process proc = {.seccomp_mode = BSECCOMP_DEFAULT};
	struct seccomp_prog *p;
	berr err;
	unsigned len = 0;

	proc.caps.bounding = bspec_default_caps();
	for (int i = 0; i < n; i++) {
		/* alternate the two so drift hits both alike */
		double t = now_ms();
		if (seccomp_prepare(&proc, &p, &err) < 0)
			return fprintf(stderr, "%s\n", err.msg), 1;
		emb[i] = now_ms() - t;
		len = p->len;
		seccomp_prog_free(p);

		t = now_ms();
		struct bspec_seccomp *sc = seccomp_default_profile(proc.caps.bounding, true);
		if (!sc || seccomp_compile(sc, NULL, &p, &err) < 0)
			return fprintf(stderr, "%s\n", err.msg), 1;
		split[i] = now_ms() - t;
		seccomp_prog_free(p);

		struct sock_filter *mono;
		size_t mono_len;
		t = now_ms();
		if (seccomp_libseccomp_bpf(sc, seccomp_native_archs(), &mono, &mono_len, &err) < 0)
			return fprintf(stderr, "%s\n", err.msg), 1;
		lib[i] = now_ms() - t;
		free(mono);
		seccomp_default_profile_free(sc);
	}
	double me = median(emb, n), ml = median(lib, n), ms = median(split, n);
	printf("default profile: %u BPF instructions, %d runs each, alternating\n", len, n);
	printf("anchor: libseccomp, one multi-arch filter:   median %8.3f ms\n", ml);
	printf("berth run-time compile (per arch, joined):   median %8.3f ms  ratio %.3fx\n", ms,
	       ms / ml);
	printf("berth seccomp_prepare, default (embedded):   median %8.4f ms  ratio %.5fx\n", me,
	       me / ml);
	return 0;
}
