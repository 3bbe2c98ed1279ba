// SPDX-License-Identifier: GPL-2.0-or-later
/* Joining per-arch seccomp programs: an arch dispatcher in front, and per
 * arch an ENOSYS stub for syscalls newer than the profile. libseccomp 2.5
 * builds one multi-arch filter several times slower than the same arches
 * one by one (x86_64+x86+x32: 20 ms against 3 x 2 ms), so berth compiles
 * each arch alone and joins them here. */
#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "runtime/seccomp_internal.h"

#define X32_BIT		  0x40000000u
#define X32_COMPAT_FIRST  512u	    /* x32's own syscalls start here: not "newer" */
#define ARM_PRIVATE_FIRST 0x0f0000u /* __ARM_NR_BASE: cacheflush, set_tls... */
#define NEXT		  (-1)	    /* jump target: the next instruction */
#define RAW		  (-2)	    /* a copied instruction: its jumps are its own */
#define MAX_LABELS	  96

/* A growing program with forward jumps to labels, resolved at the end. */
struct bpf_asm {
	struct sock_filter *f;
	int *jt, *jf;
	size_t n, cap;
	int pos[MAX_LABELS];
	int nlabels;
	bool failed;
};

static int asm_label(struct bpf_asm *a)
{
	if (a->nlabels == MAX_LABELS) {
		a->failed = true;
		return 0;
	}
	a->pos[a->nlabels] = -1;
	return a->nlabels++;
}

static void asm_place(struct bpf_asm *a, int label)
{
	a->pos[label] = (int)a->n;
}

static bool asm_grow(struct bpf_asm *a, size_t more)
{
	if (a->n + more <= a->cap)
		return true;
	size_t cap = (a->n + more) * 2;
	struct sock_filter *f = realloc(a->f, cap * sizeof(*f));
	if (f)
		a->f = f;
	int *jt = realloc(a->jt, cap * sizeof(int));
	if (jt)
		a->jt = jt;
	int *jf = realloc(a->jf, cap * sizeof(int));
	if (jf)
		a->jf = jf;
	if (!f || !jt || !jf)
		return !(a->failed = true);
	a->cap = cap;
	return true;
}

static void asm_emit(struct bpf_asm *a, uint16_t code, uint32_t k, int jt, int jf)
{
	if (!asm_grow(a, 1))
		return;
	a->f[a->n] = (struct sock_filter)BPF_STMT(code, k);
	a->jt[a->n] = jt;
	a->jf[a->n] = jf;
	a->n++;
}

static void asm_raw(struct bpf_asm *a, const struct sock_filter *insns, size_t len)
{
	if (!asm_grow(a, len))
		return;
	memcpy(a->f + a->n, insns, len * sizeof(*insns));
	for (size_t i = 0; i < len; i++)
		a->jt[a->n + i] = a->jf[a->n + i] = RAW;
	a->n += len;
}

static int asm_offset(const struct bpf_asm *a, int label, size_t from, bool *bad)
{
	if (label == NEXT)
		return 0;
	int off = a->pos[label] - (int)from - 1;
	*bad |= a->pos[label] < 0 || off < 0;
	return off;
}

static bool asm_resolve(struct bpf_asm *a)
{
	bool bad = a->failed;
	for (size_t i = 0; i < a->n && !bad; i++) {
		struct sock_filter *f = &a->f[i];
		if (BPF_CLASS(f->code) != BPF_JMP || a->jt[i] == RAW)
			continue;
		int jt = asm_offset(a, a->jt[i], i, &bad), jf = asm_offset(a, a->jf[i], i, &bad);
		if (BPF_OP(f->code) == BPF_JA) {
			f->k = (uint32_t)jt;
			continue;
		}
		bad |= jt > 255 || jf > 255;
		f->jt = (uint8_t)jt;
		f->jf = (uint8_t)jf;
	}
	return !bad;
}

/* ---- the pieces -------------------------------------------------------- */

static uint32_t kernel_arch(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
}

int64_t seccomp_profile_max(const struct bspec_seccomp *sc, uint32_t arch, bool all)
{
	int64_t max = -1;
	for (size_t i = 0; i < sc->nrules; i++)
		for (char **n = sc->rules[i].names; n && *n; n++) {
			int nr = seccomp_syscall_resolve_name_arch(arch, *n);
			if (nr < 0)
				continue;
			uint32_t u = (uint32_t)nr;
			if (arch == SCMP_ARCH_X32)
				u &= ~X32_BIT;
			if (!all && ((arch == SCMP_ARCH_X32 && u >= X32_COMPAT_FIRST) ||
				     (arch == SCMP_ARCH_ARM && u >= ARM_PRIVATE_FIRST)))
				continue;
			if ((int64_t)u > max)
				max = u;
		}
	return max;
}

/* ENOSYS for numbers above the profile's highest on this arch; the arch's
 * private ranges (x32's 512+, ARM's 0x0f0000+) go to the program. */
static void emit_stub(struct bpf_asm *a, const struct seccomp_arch_prog *p, int l_body)
{
	int l_enosys = asm_label(a);
	asm_emit(a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), NEXT, NEXT);
	if (p->arch == SCMP_ARCH_X32) {
		asm_emit(a, BPF_JMP | BPF_JGT | BPF_K, X32_BIT | (uint32_t)p->max_all, l_enosys,
			 NEXT);
		asm_emit(a, BPF_JMP | BPF_JGE | BPF_K, X32_BIT | X32_COMPAT_FIRST, l_body, NEXT);
		asm_emit(a, BPF_JMP | BPF_JGT | BPF_K, X32_BIT | (uint32_t)p->max, l_enosys,
			 l_body);
	} else {
		if (p->arch == SCMP_ARCH_ARM)
			asm_emit(a, BPF_JMP | BPF_JGE | BPF_K, ARM_PRIVATE_FIRST, l_body, NEXT);
		if (p->arch == SCMP_ARCH_X86_64) /* x32 calls: the program decides */
			asm_emit(a, BPF_JMP | BPF_JSET | BPF_K, X32_BIT, l_body, NEXT);
		asm_emit(a, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)p->max, l_enosys, l_body);
	}
	asm_place(a, l_enosys);
	asm_emit(a, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA), NEXT, NEXT);
}

static int find_arch(const struct seccomp_arch_prog *p, size_t n, uint32_t arch)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].arch == arch)
			return (int)i;
	return -1;
}

/* ld arch; one "jeq ARCH / ja ENTRY" pair per kernel arch; bad arch: kill
 * (libseccomp's default). x86_64 and x32 share a kernel arch: its entry
 * splits on the x32 bit. */
static void emit_dispatch(struct bpf_asm *a, const struct seccomp_arch_prog *p, size_t n,
			  const int *l_prog)
{
	int x64 = find_arch(p, n, SCMP_ARCH_X86_64), x32 = find_arch(p, n, SCMP_ARCH_X32);
	int l_split = asm_label(a);

	asm_emit(a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), NEXT, NEXT);
	for (size_t i = 0; i < n; i++) {
		if ((int)i == x32 && x64 >= 0)
			continue; /* x86_64's entry covers it */
		int l_skip = asm_label(a);
		bool split = x64 >= 0 && x32 >= 0 && (int)i == x64;
		asm_emit(a, BPF_JMP | BPF_JEQ | BPF_K, kernel_arch(p[i].arch), NEXT, l_skip);
		asm_emit(a, BPF_JMP | BPF_JA, 0, split ? l_split : l_prog[i], NEXT);
		asm_place(a, l_skip);
	}
	asm_emit(a, BPF_RET | BPF_K, SECCOMP_RET_KILL_THREAD, NEXT, NEXT);
	asm_place(a, l_split);
	if (x64 >= 0 && x32 >= 0) {
		int l_x64 = asm_label(a);
		asm_emit(a, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), NEXT,
			 NEXT);
		asm_emit(a, BPF_JMP | BPF_JSET | BPF_K, X32_BIT, NEXT, l_x64);
		asm_emit(a, BPF_JMP | BPF_JA, 0, l_prog[x32], NEXT);
		asm_place(a, l_x64);
		asm_emit(a, BPF_JMP | BPF_JA, 0, l_prog[x64], NEXT);
	}
}

int seccomp_bpf_join(const struct seccomp_arch_prog *progs, size_t n, bool enosys_stub,
		     struct sock_filter **ret, size_t *ret_len)
{
	struct bpf_asm a = {0};
	int l_prog[16];

	if (n == 0 || n > 16)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		l_prog[i] = asm_label(&a);
	emit_dispatch(&a, progs, n, l_prog);
	for (size_t i = 0; i < n; i++) {
		int l_body = asm_label(&a);
		asm_place(&a, l_prog[i]);
		if (enosys_stub && progs[i].max >= 0)
			emit_stub(&a, &progs[i], l_body);
		asm_place(&a, l_body);
		asm_raw(&a, progs[i].insns, progs[i].len);
	}
	bool ok = asm_resolve(&a);
	free(a.jt);
	free(a.jf);
	if (!ok) {
		free(a.f);
		return a.failed ? -ENOMEM : -EINVAL;
	}
	*ret = a.f;
	*ret_len = a.n;
	return 0;
}
