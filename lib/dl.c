// SPDX-License-Identifier: GPL-2.0-or-later
#include <dlfcn.h>

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
