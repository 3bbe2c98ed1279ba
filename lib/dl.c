// SPDX-License-Identifier: GPL-2.0-or-later
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <sys/types.h>

#include "lib/dl.h"

int dl_lib_open(struct dl_lib *lib, berr *err)
{
	if (lib->handle)
		return 0;
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return berr_fail(err, ELIBACC, "Cannot load %s: %s", lib->soname, dlerror());
	for (size_t i = 0; i < lib->n; i++) {
		lib->slots[i] = dlsym(h, lib->names[i]);
		if (!lib->slots[i]) {
			dlclose(h);
			return berr_fail(err, ELIBBAD, "%s has no %s", lib->soname, lib->names[i]);
		}
	}
	lib->handle = h;
	return 0;
}

bool dl_lib_time64(const struct dl_lib *lib)
{
#if (defined(__TIMESIZE) && __TIMESIZE == 64) || __SIZEOF_LONG__ == 8
	(void)lib;
	return true; /* the platform has no other time_t */
#else
	struct link_map *lm = NULL;
	if (!lib->handle || dlinfo(lib->handle, RTLD_DI_LINKMAP, &lm) < 0 || !lm || !lm->l_ld)
		return false;
	ElfW(Addr) strtab = 0;
	size_t strsz = 0;
	for (const ElfW(Dyn) *d = lm->l_ld; d->d_tag != DT_NULL; d++) {
		if (d->d_tag == DT_STRTAB)
			strtab = d->d_un.d_ptr;
		else if (d->d_tag == DT_STRSZ)
			strsz = d->d_un.d_val;
	}
	if (!strtab || !strsz)
		return false;
	/* glibc relocates these addresses in place on most architectures;
	 * musl, and glibc where .dynamic is read-only, do not */
	if (strtab < lm->l_addr)
		strtab += lm->l_addr;
	/* glibc's and musl's 64-bit time_t functions: __time64, __stat64_time64,
	 * __clock_gettime64, __localtime64_r, ... */
	return memmem((const void *)strtab, strsz, "time64", 6) != NULL;
#endif
}
