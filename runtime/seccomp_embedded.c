// SPDX-License-Identifier: GPL-2.0-or-later
/* The default profile compiled at build time (see seccomp_internal.h). */
#include "runtime/seccomp_internal.h"

/* seccomp_default_key, seccomp_default_insns[] */
#include "generated/seccomp_default.h"

bool seccomp_embedded_default(uint64_t key, const struct sock_filter **ret_insns, size_t *ret_len)
{
	if (key != seccomp_default_key || sizeof(seccomp_default_insns) == 0)
		return false;
	*ret_insns = seccomp_default_insns;
	*ret_len = sizeof(seccomp_default_insns) / sizeof(seccomp_default_insns[0]);
	return true;
}
