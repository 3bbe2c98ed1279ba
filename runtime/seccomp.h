/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp: the filter is compiled in the parent (before clone, where errors
 * can still be reported cleanly) into a plain BPF program, and installed by
 * the child with one seccomp(2) call just before exec.
 *
 * Ordering for the child: the kernel accepts a filter only from a task with
 * no_new_privs set or CAP_SYS_ADMIN in its effective set. So: set
 * no_new_privs, drop capabilities, seccomp_install(), execve(). When the
 * spec has no_new_privs=false, install BEFORE dropping capabilities (as
 * runc does) - the filter must then allow the capset/prctl calls that
 * follow (the default profile does). */
#ifndef BERTH_RUNTIME_SECCOMP_H
#define BERTH_RUNTIME_SECCOMP_H

#include "lib/err.h"
#include "lib/kconfig.h"
#include "runtime/spec.h"

struct seccomp_prog; /* a compiled BPF program (struct sock_fprog inside) */

#if IS_ENABLED(CONFIG_SECCOMP)
/* Compile PROC's profile: BSECCOMP_DEFAULT (the built-in Docker-equivalent
 * profile for the native arch and its 32-bit sub-arches; rules that depend
 * on a capability look at proc->caps.bounding), BSECCOMP_CUSTOM
 * (proc->seccomp), or BSECCOMP_UNCONFINED (*ret = NULL). A syscall name
 * that libseccomp does not know for any arch of the filter is skipped (as
 * runc does: profiles name syscalls of newer kernels); an unknown arch,
 * action or operator is an error. Syscalls newer than the profile (numbers
 * above the highest one it names, per arch) answer ENOSYS, so libc falls
 * back; known but unlisted ones get the profile's default action (EPERM).
 * Nothing is cached on disk. The caller owns *ret (seccomp_prog_free). */
int seccomp_prepare(const struct bspec_process *proc, struct seccomp_prog **ret, berr *err);
/* Install in the calling thread. Only syscalls: safe after fork/clone.
 * Returns 0 or -errno. PROG may be NULL (nothing to do). */
int seccomp_install(const struct seccomp_prog *prog);
void seccomp_prog_free(struct seccomp_prog *prog);
/* Keep PROG in DIRFD/NAME (a container's state dir) and read it back:
 * `exec` installs exactly the filter the container's pid 1 got. */
int seccomp_prog_save(const struct seccomp_prog *prog, int dirfd, const char *name, berr *err);
int seccomp_prog_load(int dirfd, const char *name, struct seccomp_prog **ret, berr *err);
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
static inline int seccomp_prog_save(const struct seccomp_prog *prog, int dirfd,
				    const char *name, berr *err)
{
	(void)prog, (void)dirfd, (void)name, (void)err;
	return 0;
}
static inline int seccomp_prog_load(int dirfd, const char *name, struct seccomp_prog **ret,
				    berr *err)
{
	(void)dirfd, (void)name;
	*ret = NULL;
	return berr_fail(err, ENOTSUP, "This berth was built without seccomp (CONFIG_SECCOMP)");
}
#endif

#endif
