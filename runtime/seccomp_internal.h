/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Seccomp internals shared by runtime/seccomp*.c and the unit tests. */
#ifndef BERTH_RUNTIME_SECCOMP_INTERNAL_H
#define BERTH_RUNTIME_SECCOMP_INTERNAL_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "runtime/seccomp.h"

struct seccomp_prog {
	struct sock_filter *insns; /* ENOSYS stub + libseccomp's program */
	unsigned short len;
	unsigned flags; /* SECCOMP_FILTER_FLAG_* for seccomp(2) */
};

/* The built-in profile (Docker's default.json, see
 * docs/decisions/runtime-seccomp.md) for a process whose bounding set is
 * BOUNDING. PTRACE_OK: the kernel is >= 4.8 (ptrace cannot bypass seccomp).
 * The rules' name vectors point into static tables: free the result with
 * seccomp_default_profile_free(), never with bspec_free(). NULL on ENOMEM. */
struct bspec_seccomp *seccomp_default_profile(uint64_t bounding, bool ptrace_ok);
void seccomp_default_profile_free(struct bspec_seccomp *sc);
/* The capabilities the default profile looks at: two bounding sets equal
 * under this mask give the same program. */
uint64_t seccomp_profile_cap_mask(void);

/* The default profile for Docker's capabilities and kernels >= 4.8,
 * compiled by libseccomp at build time (runtime/tools/seccomp_gen.c):
 * libseccomp 2.5 needs 14-22 ms for it, a copy needs microseconds. False
 * when KEY (bounding & seccomp_profile_cap_mask()) is not the one
 * embedded. *ret_insns is static. */
bool seccomp_embedded_default(uint64_t key, const struct sock_filter **ret_insns, size_t *ret_len);

/* Syscalls the default profile always denies (EPERM) for a process with
 * Docker's default capabilities; NULL-terminated. For the tests. */
extern const char *const seccomp_default_denied[];

/* Compile SC into a BPF program for ARCHS (libseccomp arch tokens,
 * 0-terminated; used when sc->archs is NULL). Caller owns *ret. */
int seccomp_compile(const struct bspec_seccomp *sc, const uint32_t *archs,
		    struct seccomp_prog **ret, berr *err);

/* libseccomp's own program for SC on ARCHS (0-terminated), as libseccomp
 * exports it: no ENOSYS stub. Caller frees *ret. */
int seccomp_libseccomp_bpf(const struct bspec_seccomp *sc, const uint32_t *archs,
			   struct sock_filter **ret, size_t *ret_len, berr *err);

/* ---- runtime/seccomp_bpf.c ---- */

/* One arch's libseccomp program and the numbers its ENOSYS stub needs. */
struct seccomp_arch_prog {
	uint32_t arch; /* libseccomp token */
	const struct sock_filter *insns;
	size_t len;
	int64_t max;	 /* highest syscall the profile names, outside private ranges; -1 none */
	int64_t max_all; /* the same including them (x32's 512+) */
};
/* Highest syscall number SC names on ARCH; ALL includes the arch's private
 * ranges (x32 512+, ARM 0x0f0000+). -1 when none. */
int64_t seccomp_profile_max(const struct bspec_seccomp *sc, uint32_t arch, bool all);
/* One program: an arch dispatcher (unknown arch: kill, as libseccomp),
 * then per arch the ENOSYS stub (when ENOSYS_STUB) and its program.
 * Returns 0, -ENOMEM, or -EINVAL (more than 16 arches, a jump too far).
 * Caller frees *ret. */
int seccomp_bpf_join(const struct seccomp_arch_prog *progs, size_t n, bool enosys_stub,
		     struct sock_filter **ret, size_t *ret_len);

/* libseccomp arch tokens of the native arch and its 32-bit sub-arches,
 * 0-terminated (x86_64: x86_64 x86 x32; aarch64: aarch64 arm). */
const uint32_t *seccomp_native_archs(void);

#endif
