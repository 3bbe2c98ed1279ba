/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp: the filter is compiled in the parent (before clone, where errors
 * can still be reported cleanly) and installed by the child just before
 * exec, after capabilities and no_new_privs. */
#ifndef BERTH_RUNTIME_SECCOMP_H
#define BERTH_RUNTIME_SECCOMP_H

#include "lib/err.h"
#include "lib/kconfig.h"
#include "runtime/spec.h"

struct seccomp_prog; /* a compiled BPF program (struct sock_fprog inside) */

#if IS_ENABLED(CONFIG_SECCOMP)
/* Compile PROC's profile: BSECCOMP_DEFAULT (the built-in Docker-equivalent
 * profile for the native arch and its 32-bit sub-arch), BSECCOMP_CUSTOM
 * (proc->seccomp), or BSECCOMP_UNCONFINED (*ret = NULL). Unknown syscall
 * names in a custom profile are an error naming the syscall. Unknown
 * syscalls answer ENOSYS. The caller owns *ret (seccomp_prog_free). */
int seccomp_prepare(const struct bspec_process *proc, struct seccomp_prog **ret, berr *err);
/* Install in the calling thread. Only syscalls: safe after fork/clone.
 * Returns 0 or -errno. PROG may be NULL (nothing to do). */
int seccomp_install(const struct seccomp_prog *prog);
void seccomp_prog_free(struct seccomp_prog *prog);
#else
static inline int seccomp_prepare(const struct bspec_process *proc, struct seccomp_prog **ret,
				  berr *err)
{
	*ret = NULL;
	if (proc->seccomp_mode == BSECCOMP_UNCONFINED)
		return 0;
	return berr_fail(err, ENOTSUP,
			 "This berth was built without seccomp (CONFIG_SECCOMP): use "
			 "--security-opt seccomp=unconfined");
}
static inline int seccomp_install(const struct seccomp_prog *prog)
{
	(void)prog;
	return 0;
}
static inline void seccomp_prog_free(struct seccomp_prog *prog)
{
	(void)prog;
}
#endif

#endif
