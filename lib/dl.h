/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Heavy optional libraries are opened on first use, not at every start:
 * libcurl alone maps some thirty libraries and costs about 10 ms on each
 * `berth run`, and libarchive (with libxml2 and ICU) another 4 ms, though
 * only image load, save and pull use them. A user of library L keeps its
 * code unchanged: it includes L's header, then a dl_L.h that turns each
 * function it calls into a call through a table, and calls dl_L_open()
 * once before the first use. */
#ifndef BERTH_DL_H
#define BERTH_DL_H

#include <stdbool.h>
#include <stddef.h>

#include "lib/err.h"

struct dl_lib {
	const char *soname;	   /* "libarchive.so.13" */
	const char *const *names;  /* symbol names, in the order of SLOTS */
	void **slots;		   /* filled by dl_lib_open */
	size_t n;
	void *handle;		   /* NULL until opened */
};

/* The table part of a struct dl_lib: SYMS, a struct of function pointers,
 * and NAMES, their names in the same order. DL_LIB_CHECK makes the build
 * fail when they differ in number. Keep `.soname = "..."` spelled out:
 * tests/qemu/run.sh reads it to put the library into the VM.
 *	static struct dl_lib lib = { .soname = "libfoo.so.1", DL_LIB_TABLE(names, foo_syms) };
 *	DL_LIB_CHECK(names, foo_syms); */
#define DL_LIB_TABLE(names_, syms_)                                                              \
	.names = (names_), .slots = (void **)&(syms_), .n = sizeof(names_) / sizeof((names_)[0])
#define DL_LIB_CHECK(names_, syms_)                                                              \
	_Static_assert(sizeof(names_) / sizeof((names_)[0]) * sizeof(void *) == sizeof(syms_),   \
		       "one name per slot")

/* dlopen LIB->soname (RTLD_NOW|RTLD_LOCAL) and resolve every name; 0, or
 * an error naming the library or the missing symbol. Idempotent. */
int dl_lib_open(struct dl_lib *lib, berr *err);

/* Whether the opened LIB was built with a 64-bit time_t. berth is (its
 * build sets _TIME_BITS=64), but on a 32-bit target a library may not be
 * (Debian before trixie, for one), and keeps its soname: a function with
 * time_t, struct timespec, timeval or stat in its signature must be called
 * through a pointer of the library's own type. True on 64-bit platforms;
 * on 32-bit ones, whether the library imports glibc's or musl's 64-bit
 * time functions (__time64, __stat64_time64, ...): any library that uses
 * time or stat at all does. docs/decisions/build-32bit.md */
bool dl_lib_time64(const struct dl_lib *lib);

#endif
