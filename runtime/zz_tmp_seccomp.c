// SPDX-License-Identifier: GPL-2.0-or-later
/* TEMPORARY stand-in until rt-sec's seccomp.c lands: no filter. */
#include "runtime/seccomp.h"

int seccomp_prepare(const struct bspec_process *proc, struct seccomp_prog **ret, berr *err)
{
	(void)proc, (void)err;
	*ret = NULL;
	return 0;
}
int seccomp_install(const struct seccomp_prog *prog) { (void)prog; return 0; }
void seccomp_prog_free(struct seccomp_prog *prog) { (void)prog; }
