// SPDX-License-Identifier: GPL-2.0-or-later
/* The seccomp compiler, checked by running the generated BPF in a small
 * classic-BPF interpreter (and once for real in a forked child). */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/strv.h"
#include "runtime/seccomp_internal.h"
#include "runtime/spec.h"

#define X32_BIT 0x40000000u

/* ---- a classic BPF interpreter (seccomp subset) ----------------------------- */

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t v;
	cr_assert(off + 4 <= sizeof(*d), "load beyond seccomp_data at %u", off);
	memcpy(&v, (const char *)d + off, 4);
	return v;
}

static uint32_t bpf_run(const struct seccomp_prog *p, const struct seccomp_data *d)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {0};
	for (size_t pc = 0; pc < p->len; pc++) {
		const struct sock_filter *f = &p->insns[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? X : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			switch (BPF_MODE(f->code)) {
			case BPF_ABS:
				A = load_word(d, f->k);
				break;
			case BPF_IMM:
				A = f->k;
				break;
			case BPF_MEM:
				A = M[f->k];
				break;
			default:
				cr_assert_fail("ld mode %#x", f->code);
			}
			break;
		case BPF_LDX:
			X = BPF_MODE(f->code) == BPF_MEM ? M[f->k] : f->k;
			break;
		case BPF_ST:
			M[f->k] = A;
			break;
		case BPF_STX:
			M[f->k] = X;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_AND:
				A &= src;
				break;
			case BPF_OR:
				A |= src;
				break;
			case BPF_ADD:
				A += src;
				break;
			case BPF_SUB:
				A -= src;
				break;
			case BPF_RSH:
				A >>= src;
				break;
			case BPF_LSH:
				A <<= src;
				break;
			case BPF_NEG:
				A = -A;
				break;
			default:
				cr_assert_fail("alu op %#x", f->code);
			}
			break;
		case BPF_JMP: {
			bool t;
			switch (BPF_OP(f->code)) {
			case BPF_JA:
				pc += f->k;
				continue;
			case BPF_JEQ:
				t = A == src;
				break;
			case BPF_JGT:
				t = A > src;
				break;
			case BPF_JGE:
				t = A >= src;
				break;
			case BPF_JSET:
				t = (A & src) != 0;
				break;
			default:
				cr_assert_fail("jmp op %#x", f->code);
				t = false;
			}
			pc += t ? f->jt : f->jf;
			break;
		}
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? A : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		}
	}
	cr_assert_fail("fell off the end of the program");
	return 0;
}

/* kernel arch token for a libseccomp arch (x32 runs as x86_64 + X32_BIT) */
static uint32_t kernel_arch(uint32_t arch)
{
	return arch == SCMP_ARCH_X32 ? SCMP_ARCH_X86_64 : arch;
}

static uint32_t run_nr(const struct seccomp_prog *p, uint32_t arch, int nr, uint64_t a0,
		       uint64_t a1)
{
	struct seccomp_data d = {.nr = nr, .arch = kernel_arch(arch)};
	d.args[0] = a0;
	d.args[1] = a1;
	return bpf_run(p, &d);
}

static uint32_t run(const struct seccomp_prog *p, uint32_t arch, const char *name, uint64_t a0,
		    uint64_t a1)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, name);
	cr_assert(nr >= 0, "%s unknown on arch %#x", name, arch);
	return run_nr(p, arch, nr, a0, a1);
}

#define ALLOW	SECCOMP_RET_ALLOW
#define EPERM_	(SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)

static struct seccomp_prog *default_prog(uint64_t bounding)
{
	struct bspec_process proc = {.seccomp_mode = BSECCOMP_DEFAULT};
	struct seccomp_prog *p = NULL;
	berr err = {0};
	proc.caps.bounding = bounding;
	cr_assert_eq(seccomp_prepare(&proc, &p, &err), 0, "%s", err.msg);
	cr_assert_not_null(p);
	return p;
}

/* ---- the default profile ------------------------------------------------ */

Test(seccomp, default_profile_denies_the_dangerous_and_allows_the_usual)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps());
	for (const uint32_t *a = seccomp_native_archs(); *a; a++) {
		cr_assert_eq(run(p, *a, "read", 0, 0), ALLOW);
		cr_assert_eq(run(p, *a, "execve", 0, 0), ALLOW);
		cr_assert_eq(run(p, *a, "chroot", 0, 0), ALLOW); /* CAP_SYS_CHROOT is default */
		cr_assert_eq(run(p, *a, "ptrace", 0, 0), ALLOW);
		const char *denied[] = {"mount",	  "umount2",	     "unshare",
					"setns",	  "keyctl",	     "add_key",
					"request_key",	  "kexec_load",	     "init_module",
					"finit_module",	  "delete_module",   "userfaultfd",
					"io_uring_setup", "swapon",	     "bpf",
					"reboot",	  "perf_event_open", "open_by_handle_at",
					"fsopen"};
		for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++)
			if (seccomp_syscall_resolve_name_arch(*a, denied[i]) >= 0)
				cr_assert_eq(run(p, *a, denied[i], 0, 0), EPERM_, "%s on %#x",
					     denied[i], *a);
	}
	seccomp_prog_free(p);
}

Test(seccomp, unknown_and_newer_syscalls_answer_enosys)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps());
	for (const uint32_t *a = seccomp_native_archs(); *a; a++) {
		uint32_t base = *a == SCMP_ARCH_X32 ? X32_BIT : 0;
		cr_assert_eq(run_nr(p, *a, (int)(base | 1000), 0, 0), ENOSYS_, "arch %#x", *a);
		cr_assert_eq(run_nr(p, *a, (int)(base | 490), 0, 0), ENOSYS_, "arch %#x", *a);
		cr_assert_eq(run(p, *a, "clone3", 0, 0), ENOSYS_, "clone3 on %#x", *a);
		/* the private ranges pass the stub: x32's own calls, ARM's 0x0f0000+ */
		if (*a == SCMP_ARCH_X32) {
			cr_assert_eq(run(p, *a, "rt_sigaction", 0, 0), ALLOW); /* x32: 512 */
			cr_assert_eq(run_nr(p, *a, (int)(X32_BIT | 560), 0, 0), ENOSYS_);
		}
	}
	seccomp_prog_free(p);
}

Test(seccomp, clone_only_without_namespace_flags)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps());
	uint32_t a = seccomp_native_archs()[0];
	cr_assert_eq(run(p, a, "clone", SIGCHLD, 0), ALLOW);
	cr_assert_eq(run(p, a, "clone", CLONE_VM | CLONE_THREAD | CLONE_SIGHAND, 0), ALLOW);
	cr_assert_eq(run(p, a, "clone", CLONE_NEWNS | SIGCHLD, 0), EPERM_);
	cr_assert_eq(run(p, a, "clone", CLONE_NEWUSER, 0), EPERM_);
	cr_assert_eq(run(p, a, "clone", CLONE_NEWCGROUP, 0), EPERM_);
	seccomp_prog_free(p);
}

Test(seccomp, personality_and_socket_arguments)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps());
	uint32_t a = seccomp_native_archs()[0];
	cr_assert_eq(run(p, a, "personality", 0, 0), ALLOW);
	cr_assert_eq(run(p, a, "personality", 0xffffffff, 0), ALLOW);
	cr_assert_eq(run(p, a, "personality", 0x0040000 /* ADDR_NO_RANDOMIZE */, 0), EPERM_);
	cr_assert_eq(run(p, a, "socket", AF_INET, 0), ALLOW);
	cr_assert_eq(run(p, a, "socket", AF_UNIX, 0), ALLOW);
	cr_assert_eq(run(p, a, "socket", AF_NETLINK, 0), ALLOW);
	cr_assert_eq(run(p, a, "socket", 39, 0), ALLOW);
	cr_assert_eq(run(p, a, "socket", AF_ALG, 0), EPERM_);
	cr_assert_eq(run(p, a, "socket", AF_VSOCK, 0), EPERM_);
	cr_assert_eq(run(p, a, "socket", 41, 0), ALLOW);
	seccomp_prog_free(p);
}

Test(seccomp, sys_admin_unlocks_mount_namespaces_and_clone3)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps() | (1ULL << CAP_SYS_ADMIN));
	uint32_t a = seccomp_native_archs()[0];
	cr_assert_eq(run(p, a, "mount", 0, 0), ALLOW);
	cr_assert_eq(run(p, a, "unshare", CLONE_NEWNS, 0), ALLOW);
	cr_assert_eq(run(p, a, "clone", CLONE_NEWNS, 0), ALLOW);
	cr_assert_eq(run(p, a, "clone3", 0, 0), ALLOW);
	cr_assert_eq(run(p, a, "kexec_load", 0, 0), EPERM_);
	seccomp_prog_free(p);

	p = default_prog(bspec_default_caps() | (1ULL << CAP_SYS_MODULE));
	cr_assert_eq(run(p, a, "init_module", 0, 0), ALLOW);
	cr_assert_eq(run(p, a, "mount", 0, 0), EPERM_);
	seccomp_prog_free(p);

	/* without CAP_SYS_CHROOT, no chroot */
	p = default_prog(bspec_default_caps() & ~(1ULL << CAP_SYS_CHROOT));
	cr_assert_eq(run(p, a, "chroot", 0, 0), EPERM_);
	seccomp_prog_free(p);
}

Test(seccomp, default_list_is_sane)
{
	struct bspec_seccomp *sc = seccomp_default_profile(bspec_default_caps(), true);
	cr_assert_not_null(sc);
	size_t allowed = 0, known = 0;
	uint32_t native = seccomp_native_archs()[0];
	for (size_t i = 0; i < sc->nrules; i++) {
		if (sc->rules[i].action != BSEC_ALLOW)
			continue;
		for (char **n = sc->rules[i].names; *n; n++) {
			allowed++;
			known += seccomp_syscall_resolve_name_arch(native, *n) >= 0;
			/* nothing dangerous is allowed with Docker's capabilities */
			for (const char *const *d = seccomp_default_denied; *d; d++)
				cr_assert_str_neq(*n, *d, "%s is both allowed and denied", *n);
			/* no name twice in one rule */
			for (char **m = n + 1; *m; m++)
				cr_assert_str_neq(*n, *m, "%s listed twice", *n);
		}
	}
	cr_assert_geq(allowed, 360, "only %zu names allowed", allowed);
	cr_assert_geq(known, 250, "only %zu allowed names known natively", known);
	seccomp_default_profile_free(sc);
}

/* ---- custom profiles ------------------------------------------------------ */

static struct bspec_seccomp_rule rule(char **names, enum bsec_action act, int e,
				      struct bspec_seccomp_arg *args, size_t nargs)
{
	return (struct bspec_seccomp_rule){
	    .names = names, .action = act, .errno_ret = e, .args = args, .nargs = nargs};
}

Test(seccomp, custom_rules_translate_actions_and_arguments)
{
	char *getpid[] = {"getpid", NULL}, *kill_[] = {"kill", NULL};
	char *dup[] = {"dup", "not_a_syscall_at_all", NULL}, *write_[] = {"write", NULL};
	struct bspec_seccomp_arg kill_args[] = {{.index = 1, .op = BSEC_OP_EQ, .value = 9}};
	/* two comparisons on one index: split into two rules (OR), as runc */
	struct bspec_seccomp_arg dup_args[] = {{.index = 0, .op = BSEC_OP_EQ, .value = 5},
					       {.index = 0, .op = BSEC_OP_EQ, .value = 7}};
	struct bspec_seccomp_arg w_args[] = {
	    {.index = 0, .op = BSEC_OP_MASKED_EQ, .value = 0xf0, .value2 = 0x10}};
	struct bspec_seccomp_rule rules[] = {
	    rule(getpid, BSEC_ERRNO, EACCES, NULL, 0),
	    rule(kill_, BSEC_ERRNO, 0 /* = EPERM */, kill_args, 1),
	    rule(dup, BSEC_ERRNO, EBADF, dup_args, 2),
	    rule(write_, BSEC_KILL_PROCESS, 0, w_args, 1),
	};
	struct bspec_seccomp sc = {.default_action = BSEC_ALLOW, .rules = rules, .nrules = 4};
	struct seccomp_prog *p = NULL;
	berr err = {0};
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), 0, "%s", err.msg);
	uint32_t a = seccomp_native_archs()[0];
	cr_assert_eq(run(p, a, "getpid", 0, 0), SECCOMP_RET_ERRNO | EACCES);
	cr_assert_eq(run(p, a, "kill", 1, 9), EPERM_);
	cr_assert_eq(run(p, a, "kill", 1, 15), ALLOW);
	cr_assert_eq(run(p, a, "dup", 5, 0), SECCOMP_RET_ERRNO | EBADF);
	cr_assert_eq(run(p, a, "dup", 7, 0), SECCOMP_RET_ERRNO | EBADF);
	cr_assert_eq(run(p, a, "dup", 6, 0), ALLOW);
	cr_assert_eq(run(p, a, "write", 0x13, 0), SECCOMP_RET_KILL_PROCESS);
	cr_assert_eq(run(p, a, "write", 0x23, 0), ALLOW);
	/* allow by default: no stub, the kernel itself answers ENOSYS */
	cr_assert_eq(run_nr(p, a, 1000, 0, 0), ALLOW);
	cr_assert_eq(p->insns[0].code, BPF_LD | BPF_W | BPF_ABS);
	cr_assert_eq(p->insns[0].k, offsetof(struct seccomp_data, arch));
	seccomp_prog_free(p);
}

Test(seccomp, custom_archs_by_oci_or_libseccomp_name)
{
	char *getpid[] = {"getpid", NULL};
	struct bspec_seccomp_rule rules[] = {rule(getpid, BSEC_ALLOW, 0, NULL, 0)};
	char native[32];
	/* an OCI name on x86_64, libseccomp's on ARM */
	uint32_t na = seccomp_arch_native();
	snprintf(native, sizeof(native), "%s",
		 na == SCMP_ARCH_X86_64 ? "SCMP_ARCH_X86_64" : na == SCMP_ARCH_ARM ? "arm" : "aarch64");
	char *archs[] = {native, NULL};
	struct bspec_seccomp sc = {
	    .default_action = BSEC_KILL_PROCESS, .archs = archs, .rules = rules, .nrules = 1};
	struct seccomp_prog *p = NULL;
	berr err = {0};
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), 0, "%s", err.msg);
	uint32_t a = seccomp_native_archs()[0];
	cr_assert_eq(run(p, a, "getpid", 0, 0), ALLOW);
	cr_assert_eq(run(p, a, "read", 0, 0), SECCOMP_RET_KILL_PROCESS);
	/* getpid is the highest syscall named: anything above it is "newer" */
	cr_assert_eq(run_nr(p, a, 1000, 0, 0), ENOSYS_);
	/* the sub-arch is not in this filter: libseccomp's bad-arch action */
	if (seccomp_native_archs()[1])
		cr_assert_eq(run_nr(p, seccomp_native_archs()[1], 3, 0, 0) &
				 SECCOMP_RET_ACTION_FULL,
			     SECCOMP_RET_KILL_THREAD);
	seccomp_prog_free(p);
}

Test(seccomp, bad_custom_profiles_are_errors)
{
	char *getpid[] = {"getpid", NULL};
	char *bad_arch[] = {"pdp11", NULL};
	struct bspec_seccomp_rule rules[] = {rule(getpid, BSEC_NOTIFY, 0, NULL, 0)};
	struct bspec_seccomp sc = {.default_action = BSEC_ERRNO, .rules = rules, .nrules = 1};
	struct seccomp_prog *p = NULL;
	berr err = {0};

	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), -ENOTSUP);
	cr_assert(strstr(err.msg, "not supported"), "%s", err.msg);
	rules[0].action = BSEC_ALLOW;
	sc.archs = bad_arch;
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), -EINVAL);
	cr_assert(strstr(err.msg, "\"pdp11\""), "%s", err.msg);
	sc.archs = NULL;
	sc.flags = 1u << 20;
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), -ENOTSUP);
	struct bspec_seccomp_arg bad_arg = {.index = 6, .op = BSEC_OP_EQ};
	rules[0].args = &bad_arg;
	rules[0].nargs = 1;
	sc.flags = 0;
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), -EINVAL);
	cr_assert_null(p);
}

Test(seccomp, unknown_names_are_skipped)
{
	char *names[] = {"no_such_syscall_2099", "getpid", NULL};
	struct bspec_seccomp_rule rules[] = {rule(names, BSEC_ALLOW, 0, NULL, 0)};
	struct bspec_seccomp sc = {
	    .default_action = BSEC_ERRNO, .default_errno = EPERM, .rules = rules, .nrules = 1};
	struct seccomp_prog *p = NULL;
	berr err = {0};
	cr_assert_eq(seccomp_compile(&sc, NULL, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(run(p, seccomp_native_archs()[0], "getpid", 0, 0), ALLOW);
	seccomp_prog_free(p);
}

Test(seccomp, unconfined_is_no_program)
{
	struct bspec_process proc = {.seccomp_mode = BSECCOMP_UNCONFINED};
	struct seccomp_prog *p = (void *)1;
	berr err = {0};
	cr_assert_eq(seccomp_prepare(&proc, &p, &err), 0);
	cr_assert_null(p);
	cr_assert_eq(seccomp_install(NULL), 0);
	proc.seccomp_mode = BSECCOMP_CUSTOM;
	cr_assert_eq(seccomp_prepare(&proc, &p, &err), -EINVAL);
}

/* ---- for real, in a child ------------------------------------------------ */

Test(seccomp, installed_filter_is_enforced)
{
	struct seccomp_prog *p = default_prog(bspec_default_caps());
	pid_t pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(p) < 0)
			_exit(10);
		if (syscall(1000) != -1 || errno != ENOSYS)
			_exit(11);
		if (syscall(SYS_keyctl, 0, -3, 0) != -1 || errno != EPERM)
			_exit(12);
		if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
			_exit(13);
		if (unshare(CLONE_NEWNS) != -1 || errno != EPERM)
			_exit(14);
		if (prctl(PR_GET_SECCOMP) != 2)
			_exit(15);
		pid_t c = fork(); /* glibc's fork: clone without namespace flags */
		if (c == 0)
			_exit(0);
		if (c < 0 || waitpid(c, NULL, 0) != c)
			_exit(16);
		_exit(0);
	}
	int st;
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st), "child died of signal %d", WTERMSIG(st));
	cr_assert_eq(WEXITSTATUS(st), 0, "check %d failed in the child", WEXITSTATUS(st));
	seccomp_prog_free(p);
}

Test(seccomp, embedded_default_is_what_libseccomp_compiles_now)
{
	const struct sock_filter *insns;
	size_t len;
	uint64_t key = bspec_default_caps() & seccomp_profile_cap_mask();
	cr_assert(seccomp_embedded_default(key, &insns, &len), "no embedded program");
	cr_assert_not(seccomp_embedded_default(key | (1ULL << CAP_SYS_ADMIN), &insns, &len));

	struct bspec_seccomp *sc = seccomp_default_profile(bspec_default_caps(), true);
	struct seccomp_prog *p = NULL;
	berr err = {0};
	cr_assert_eq(seccomp_compile(sc, NULL, &p, &err), 0, "%s", err.msg);
	cr_assert(seccomp_embedded_default(key, &insns, &len));
	cr_assert_eq(p->len, len);
	cr_assert_eq(memcmp(p->insns, insns, len * sizeof(*insns)), 0);
	seccomp_prog_free(p);
	seccomp_default_profile_free(sc);
}

Test(seccomp, non_default_caps_compile_once_per_process)
{
	/* the second prepare comes from the in-process cache: same program */
	struct seccomp_prog *a = default_prog(1ULL << CAP_SYS_ADMIN);
	struct seccomp_prog *b = default_prog(1ULL << CAP_SYS_ADMIN);
	cr_assert_eq(a->len, b->len);
	cr_assert_neq(a->insns, b->insns);
	cr_assert_eq(memcmp(a->insns, b->insns, a->len * sizeof(*a->insns)), 0);
	seccomp_prog_free(a);
	seccomp_prog_free(b);
}

/* The joined per-arch program answers exactly as libseccomp's own
 * multi-arch program for every syscall the profile covers, and ENOSYS
 * above: for each arch, each number, a few argument values. */
static struct seccomp_prog raw_prog(struct sock_filter *insns, size_t len)
{
	return (struct seccomp_prog){.insns = insns, .len = (unsigned short)len};
}

static const uint32_t x86_archs[] = {SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, 0};
static const uint32_t arm_archs[] = {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM, 0};

static void differential(uint64_t bounding, const uint32_t *archs)
{
	struct bspec_seccomp *sc = seccomp_default_profile(bounding, true);
	struct seccomp_prog *joined = NULL;
	struct sock_filter *mono = NULL;
	size_t mono_len = 0;
	berr err = {0};
	const uint64_t args[] = {0, 8, AF_INET, AF_ALG, AF_VSOCK, CLONE_NEWNS, 0x20008, 0xffffffff};

	cr_assert_eq(seccomp_compile(sc, archs, &joined, &err), 0, "%s", err.msg);
	cr_assert_eq(seccomp_libseccomp_bpf(sc, archs, &mono, &mono_len, &err), 0, "%s", err.msg);
	struct seccomp_prog m = raw_prog(mono, mono_len);
	for (const uint32_t *a = archs; *a; a++) {
		uint32_t base = *a == SCMP_ARCH_X32 ? X32_BIT : 0;
		int64_t max = seccomp_profile_max(sc, *a, false);
		int64_t max_all = seccomp_profile_max(sc, *a, true);
		cr_assert_geq(max, 100);
		for (uint32_t nr = 0; nr <= (uint32_t)max + 64; nr++) {
			bool newer = nr > max && (*a != SCMP_ARCH_X32 || nr < 512 || nr > max_all);
			for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
				uint32_t j = run_nr(joined, *a, (int)(base | nr), args[i], args[i]);
				uint32_t want =
				    newer ? ENOSYS_
					  : run_nr(&m, *a, (int)(base | nr), args[i], args[i]);
				cr_assert_eq(j, want,
					     "arch %#x nr %u arg %#llx: %#x, libseccomp %#x", *a,
					     nr, (unsigned long long)args[i], j, want);
			}
		}
	}
	seccomp_prog_free(joined);
	free(mono);
	seccomp_default_profile_free(sc);
}

Test(seccomp, joined_program_matches_libseccomp)
{
	/* libseccomp generates for any arch: both families on every host */
	uint64_t more = bspec_default_caps() | (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_SYS_PTRACE);
	differential(bspec_default_caps(), x86_archs);
	differential(more, x86_archs);
	differential(bspec_default_caps(), arm_archs);
	differential(more, arm_archs);
}

Test(seccomp, arm_private_calls_pass_the_stub)
{
	struct bspec_seccomp *sc = seccomp_default_profile(bspec_default_caps(), true);
	struct seccomp_prog *p = NULL;
	berr err = {0};
	cr_assert_eq(seccomp_compile(sc, arm_archs, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(run(p, SCMP_ARCH_ARM, "cacheflush", 0, 0), ALLOW);
	cr_assert_eq(run(p, SCMP_ARCH_ARM, "set_tls", 0, 0), ALLOW);
	cr_assert_eq(run_nr(p, SCMP_ARCH_ARM, 0x0f0100, 0, 0), EPERM_); /* private, unknown */
	cr_assert_eq(run_nr(p, SCMP_ARCH_ARM, 1000, 0, 0), ENOSYS_);
	cr_assert_eq(run(p, SCMP_ARCH_ARM, "mount", 0, 0), EPERM_);
	cr_assert_eq(run(p, SCMP_ARCH_AARCH64, "mount", 0, 0), EPERM_);
	cr_assert_eq(run(p, SCMP_ARCH_AARCH64, "clone3", 0, 0), ENOSYS_);
	cr_assert_eq(run_nr(p, SCMP_ARCH_AARCH64, 1000, 0, 0), ENOSYS_);
	seccomp_prog_free(p);
	seccomp_default_profile_free(sc);
}

/* ---- the program kept in a container's state dir (exec) ---- */

Test(seccomp, saved_program_loads_back_identical_and_corruption_is_refused)
{
	char dir[] = "/tmp/berth-seccomp-store.XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cr_assert_geq(dfd, 0);
	struct seccomp_prog *p = default_prog(0), *q = NULL;
	berr err = {0};

	cr_assert_eq(seccomp_prog_save(p, dfd, "seccomp.bpf", &err), 0, "%s", err.msg);
	cr_assert_eq(seccomp_prog_load(dfd, "seccomp.bpf", &q, &err), 0, "%s", err.msg);
	cr_assert_eq(q->len, p->len);
	cr_assert_eq(q->flags, p->flags);
	cr_assert_eq(memcmp(q->insns, p->insns, p->len * sizeof(*p->insns)), 0);
	seccomp_prog_free(q);
	q = NULL;

	/* truncated: one instruction short */
	char path[64];
	snprintf(path, sizeof(path), "%s/seccomp.bpf", dir);
	cr_assert_eq(truncate(path, (off_t)(12 + (p->len - 1) * sizeof(*p->insns))), 0);
	cr_assert_eq(seccomp_prog_load(dfd, "seccomp.bpf", &q, &err), -EINVAL);
	cr_assert_null(q);
	cr_assert(strstr(err.msg, "corrupt"), "%s", err.msg);
	cr_assert_eq(seccomp_prog_load(dfd, "missing", &q, &err), -ENOENT);

	seccomp_prog_free(p);
	unlinkat(dfd, "seccomp.bpf", 0);
	close(dfd);
	rmdir(dir);
}
