// SPDX-License-Identifier: GPL-2.0-or-later
/* Seccomp: profiles (built-in or custom) compiled with libseccomp, one arch
 * at a time, into a plain BPF program in the parent; the child installs it
 * with one syscall. runtime/seccomp_bpf.c joins the arches and adds the
 * ENOSYS stub for syscalls newer than the profile
 * (docs/decisions/runtime-seccomp.md). */
#include <ctype.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/seccomp_internal.h"

static void seccomp_ctx_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

static int map_action(enum bsec_action a, int errno_ret, uint32_t *ret)
{
	int e = errno_ret > 0 ? errno_ret : EPERM;
	switch (a) {
	case BSEC_ALLOW:
		*ret = SCMP_ACT_ALLOW;
		return 0;
	case BSEC_ERRNO:
		*ret = SCMP_ACT_ERRNO((uint16_t)e);
		return 0;
	case BSEC_KILL_THREAD:
		*ret = SCMP_ACT_KILL;
		return 0;
	case BSEC_KILL_PROCESS:
		*ret = SCMP_ACT_KILL_PROCESS;
		return 0;
	case BSEC_TRAP:
		*ret = SCMP_ACT_TRAP;
		return 0;
	case BSEC_TRACE:
		*ret = SCMP_ACT_TRACE((uint16_t)(errno_ret > 0 ? errno_ret : 0));
		return 0;
	case BSEC_LOG:
		*ret = SCMP_ACT_LOG;
		return 0;
	case BSEC_NOTIFY:
		return -ENOTSUP;
	}
	return -EINVAL;
}

static int map_op(enum bsec_op op)
{
	switch (op) {
	case BSEC_OP_NE:
		return SCMP_CMP_NE;
	case BSEC_OP_LT:
		return SCMP_CMP_LT;
	case BSEC_OP_LE:
		return SCMP_CMP_LE;
	case BSEC_OP_EQ:
		return SCMP_CMP_EQ;
	case BSEC_OP_GE:
		return SCMP_CMP_GE;
	case BSEC_OP_GT:
		return SCMP_CMP_GT;
	case BSEC_OP_MASKED_EQ:
		return SCMP_CMP_MASKED_EQ;
	}
	return -1;
}

const uint32_t *seccomp_native_archs(void)
{
	static const uint32_t x86_64[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, 0};
	static const uint32_t aarch64[] = {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, 0};
	static uint32_t other[2];

	uint32_t native = seccomp_arch_native();
	if (native == SCMP_ARCH_X86_64)
		return x86_64;
	if (native == SCMP_ARCH_AARCH64)
		return aarch64;
	other[0] = native;
	return other;
}

/* "SCMP_ARCH_X86_64" (OCI) or "x86_64" (libseccomp) -> token, 0 if unknown */
static uint32_t arch_from_name(const char *name)
{
	char buf[32];
	size_t i;

	if (!strncmp(name, "SCMP_ARCH_", 10))
		name += 10;
	for (i = 0; name[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return seccomp_arch_resolve_name(buf);
}

static int resolve_archs(const struct bspec_seccomp *sc, const uint32_t *def, uint32_t *out,
			 size_t max, berr *err)
{
	size_t n = 0;

	if (!sc->archs || !sc->archs[0]) {
		for (; def[n] && n < max - 1; n++)
			out[n] = def[n];
		out[n] = 0;
		return 0;
	}
	for (char **a = sc->archs; *a; a++) {
		uint32_t t = arch_from_name(*a);
		if (!t)
			return berr_fail(err, EINVAL, "Seccomp: unknown architecture \"%s\"", *a);
		if (n == max - 1)
			return berr_fail(err, E2BIG, "Seccomp: too many architectures");
		out[n++] = t;
	}
	out[n] = 0;
	return 0;
}

static int add_archs(scmp_filter_ctx ctx, const uint32_t *archs, berr *err)
{
	bool native_listed = false;
	uint32_t native = seccomp_arch_native();

	for (const uint32_t *a = archs; *a; a++) {
		if (*a == native) {
			native_listed = true;
			continue;
		}
		int r = seccomp_arch_add(ctx, *a);
		if (r < 0 && r != -EEXIST)
			return berr_errno(err, -r, "Seccomp: add architecture %#x", *a);
	}
	if (!native_listed) {
		int r = seccomp_arch_remove(ctx, SCMP_ARCH_NATIVE);
		if (r < 0)
			return berr_errno(err, -r, "Seccomp: remove the native architecture");
	}
	return 0;
}

/* libseccomp knows NAME on at least one arch of the filter */
static bool name_known(const char *name, const uint32_t *archs)
{
	/* multiplexed calls (x86's socket and ipc families) resolve to a
	 * negative pseudo number, and to their multiplexer when rewritten */
	for (const uint32_t *a = archs; *a; a++)
		if (seccomp_syscall_resolve_name_arch(*a, name) >= 0 ||
		    seccomp_syscall_resolve_name_rewrite(*a, name) >= 0)
			return true;
	return false;
}

/* Rules with several comparisons on one argument cannot be expressed by
 * libseccomp: as runc does, they become one rule per comparison. */
static bool args_repeat_index(const struct bspec_seccomp_rule *r)
{
	for (size_t i = 0; i < r->nargs; i++)
		for (size_t j = i + 1; j < r->nargs; j++)
			if (r->args[i].index == r->args[j].index)
				return true;
	return false;
}

static int to_cmp(const struct bspec_seccomp_arg *a, struct scmp_arg_cmp *c, berr *err)
{
	int op = map_op(a->op);
	if (op < 0 || a->index > 5)
		return berr_fail(err, EINVAL, "Seccomp: invalid argument rule (index %u, op %d)",
				 a->index, (int)a->op);
	*c = (struct scmp_arg_cmp){
	    .arg = a->index, .op = op, .datum_a = a->value, .datum_b = a->value2};
	return 0;
}

static int add_one(scmp_filter_ctx ctx, uint32_t action, const char *name,
		   const struct bspec_seccomp_arg *args, size_t nargs, berr *err)
{
	struct scmp_arg_cmp cmps[6];
	int nr = seccomp_syscall_resolve_name(name);

	if (nargs > 6)
		return berr_fail(err, EINVAL, "Seccomp: \"%s\": too many argument rules", name);
	for (size_t i = 0; i < nargs; i++)
		if (to_cmp(&args[i], &cmps[i], err) < 0)
			return -EINVAL;
	int r = seccomp_rule_add_array(ctx, action, nr, (unsigned)nargs, cmps);
	if (r == -EACCES) /* same action as the default: nothing to add */
		return 0;
	if (r < 0)
		return berr_errno(err, -r, "Seccomp: add rule for \"%s\"", name);
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct bspec_seccomp_rule *rule,
		    const uint32_t *archs, berr *err)
{
	uint32_t action;
	int r = map_action(rule->action, rule->errno_ret, &action);
	if (r < 0)
		return berr_fail(err, -r, "Seccomp: action %d is not supported", (int)rule->action);

	for (char **n = rule->names; n && *n; n++) {
		if (!name_known(*n, archs))
			continue; /* newer than libseccomp, or another arch's syscall */
		if (!args_repeat_index(rule)) {
			r = add_one(ctx, action, *n, rule->args, rule->nargs, err);
		} else {
			for (size_t i = 0; i < rule->nargs && r >= 0; i++)
				r = add_one(ctx, action, *n, &rule->args[i], 1, err);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **ret, size_t *ret_len, berr *err)
{
	_cleanup_close_ int fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return berr_errno(err, errno, "Seccomp: memfd_create");
	int r = seccomp_export_bpf(ctx, fd);
	if (r < 0)
		return berr_errno(err, -r, "Seccomp: export the BPF program");
	if (fstat(fd, &st) < 0)
		return berr_errno(err, errno, "Seccomp: fstat");
	size_t len = (size_t)st.st_size / sizeof(struct sock_filter);
	if (len == 0 || (size_t)st.st_size % sizeof(struct sock_filter))
		return berr_fail(err, EIO, "Seccomp: libseccomp exported %lld bytes",
				 (long long)st.st_size);
	_cleanup_free_ struct sock_filter *insns = malloc((size_t)st.st_size);
	if (!insns)
		return berr_errno(err, ENOMEM, "Seccomp");
	if (pread(fd, insns, (size_t)st.st_size, 0) != st.st_size)
		return berr_errno(err, errno ? errno : EIO, "Seccomp: read the BPF program");
	*ret = TAKE_PTR(insns);
	*ret_len = len;
	return 0;
}

/* The stub only makes sense when the default denies: an allow-by-default
 * profile lets the kernel answer ENOSYS itself. */
static bool wants_stub(const struct bspec_seccomp *sc)
{
	return sc->default_action != BSEC_ALLOW && sc->default_action != BSEC_LOG &&
	       sc->default_action != BSEC_TRACE && sc->default_action != BSEC_NOTIFY;
}

/* ---- compile, install --------------------------------------------------- */

static int new_ctx(const struct bspec_seccomp *sc, const uint32_t *archs, scmp_filter_ctx *ret,
		   berr *err)
{
	uint32_t def;
	if (map_action(sc->default_action, sc->default_errno, &def) < 0)
		return berr_fail(err, ENOTSUP, "Seccomp: default action %d is not supported",
				 (int)sc->default_action);
	scmp_filter_ctx ctx = seccomp_init(def);
	if (!ctx)
		return berr_fail(err, ENOMEM, "Seccomp: cannot create a filter");
	/* binary tree of syscalls: fewer instructions run per syscall */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	int r = add_archs(ctx, archs, err);
	if (r < 0) {
		seccomp_release(ctx);
		return r;
	}
	*ret = ctx;
	return 0;
}

int seccomp_libseccomp_bpf(const struct bspec_seccomp *sc, const uint32_t *archs,
			   struct sock_filter **ret, size_t *ret_len, berr *err)
{
	_cleanup_(seccomp_ctx_releasep) scmp_filter_ctx ctx = NULL;
	int r = new_ctx(sc, archs, &ctx, err);
	for (size_t i = 0; r == 0 && i < sc->nrules; i++)
		r = add_rule(ctx, &sc->rules[i], archs, err);
	return r < 0 ? r : export_bpf(ctx, ret, ret_len, err);
}

static void free_progs(struct seccomp_arch_prog *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((void *)p[i].insns);
}

static int prog_from_insns(const struct sock_filter *insns, size_t len, unsigned flags,
			   struct seccomp_prog **ret, berr *err)
{
	struct seccomp_prog *p = calloc(1, sizeof(*p));
	if (!p || !(p->insns = malloc(len * sizeof(*insns)))) {
		free(p);
		return berr_errno(err, ENOMEM, "Seccomp");
	}
	memcpy(p->insns, insns, len * sizeof(*insns));
	p->len = (unsigned short)len;
	p->flags = flags;
	*ret = p;
	return 0;
}

/* Each arch alone through libseccomp (several times faster than one
 * multi-arch filter), then joined behind a dispatcher with the stubs. */
int seccomp_compile(const struct bspec_seccomp *sc, const uint32_t *def_archs,
		    struct seccomp_prog **ret, berr *err)
{
	struct seccomp_arch_prog progs[16];
	_cleanup_free_ struct sock_filter *insns = NULL;
	uint32_t archs[17];
	size_t n = 0, len = 0;

	const unsigned known_flags =
	    SECCOMP_FILTER_FLAG_TSYNC | SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (sc->flags & ~known_flags)
		return berr_fail(err, ENOTSUP, "Seccomp: unsupported filter flags %#x",
				 sc->flags & ~known_flags);
	int r = resolve_archs(sc, def_archs ? def_archs : seccomp_native_archs(), archs,
			      ARRAY_SIZE(archs), err);
	for (; r == 0 && archs[n]; n++) {
		struct sock_filter *body = NULL;
		size_t blen = 0;
		r = seccomp_libseccomp_bpf(sc, (uint32_t[]){archs[n], 0}, &body, &blen, err);
		progs[n] = (struct seccomp_arch_prog){archs[n], body, blen,
						      seccomp_profile_max(sc, archs[n], false),
						      seccomp_profile_max(sc, archs[n], true)};
	}
	if (r == 0 && (r = seccomp_bpf_join(progs, n, wants_stub(sc), &insns, &len)) < 0)
		berr_errno(err, -r, "Seccomp: join the per-arch programs");
	free_progs(progs, n);
	if (r < 0)
		return r;
	if (len > BPF_MAXINSNS)
		return berr_fail(err, E2BIG, "Seccomp: the filter has %zu instructions (max %d)",
				 len, BPF_MAXINSNS);
	return prog_from_insns(insns, len, sc->flags, ret, err);
}

/* ptrace cannot bypass seccomp since 4.8: Docker allows it from there */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma = 0, mi = 0;
	if (uname(&u) < 0 || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/* The default profile: the program embedded at build time when the
 * capabilities match, else compiled (and kept for the next container of
 * this process, e.g. the daemon's). */
static int prepare_default(uint64_t bounding, struct seccomp_prog **ret, berr *err)
{
	static struct seccomp_prog *cached;
	static uint64_t cached_key;
	static bool cached_ptrace;
	const struct sock_filter *insns;
	size_t len;
	uint64_t key = bounding & seccomp_profile_cap_mask();
	static int ptrace_known = -1;
	if (ptrace_known < 0)
		ptrace_known = kernel_at_least(4, 8);
	bool ptrace_ok = ptrace_known;

	if (ptrace_ok && seccomp_embedded_default(key, &insns, &len))
		return prog_from_insns(insns, len, 0, ret, err);
	if (!cached || cached_key != key || cached_ptrace != ptrace_ok) {
		struct bspec_seccomp *sc = seccomp_default_profile(bounding, ptrace_ok);
		struct seccomp_prog *p = NULL;
		if (!sc)
			return berr_errno(err, ENOMEM, "Seccomp");
		int r = seccomp_compile(sc, NULL, &p, err);
		seccomp_default_profile_free(sc);
		if (r < 0)
			return r;
		seccomp_prog_free(cached);
		cached = p;
		cached_key = key;
		cached_ptrace = ptrace_ok;
	}
	return prog_from_insns(cached->insns, cached->len, 0, ret, err);
}

int seccomp_prepare(const struct bspec_process *proc, struct seccomp_prog **ret, berr *err)
{
	switch (proc->seccomp_mode) {
	case BSECCOMP_UNCONFINED:
		*ret = NULL;
		return 0;
	case BSECCOMP_CUSTOM:
		if (!proc->seccomp)
			return berr_fail(err, EINVAL, "Seccomp: custom profile missing");
		return seccomp_compile(proc->seccomp, NULL, ret, err);
	case BSECCOMP_DEFAULT:
		return prepare_default(proc->caps.bounding, ret, err);
	}
	return berr_fail(err, EINVAL, "Seccomp: invalid mode %d", (int)proc->seccomp_mode);
}

int seccomp_install(const struct seccomp_prog *prog)
{
	if (!prog)
		return 0;
	struct sock_fprog f = {.len = prog->len, .filter = prog->insns};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, prog->flags, &f) == 0)
		return 0;
	if (errno == ENOSYS && prog->flags == 0 &&
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &f, 0, 0) == 0)
		return 0;
	return -errno;
}

void seccomp_prog_free(struct seccomp_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	free(prog);
}
