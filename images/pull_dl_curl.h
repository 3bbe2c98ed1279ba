/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libcurl.so.4, opened on first use (lib/dl.h). Include after curl/curl.h;
 * call curl_dl_open() before the first call. Add a function here when
 * the code starts calling it: the build fails until then. */
#ifndef BERTH_IMAGES_PULL_DL_CURL_H
#define BERTH_IMAGES_PULL_DL_CURL_H

/* no typecheck-gcc wrappers: curl_easy_setopt must stay a plain name */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "lib/err.h"

struct curl_syms {
	__typeof__(curl_easy_cleanup) *curl_easy_cleanup;
	__typeof__(curl_easy_escape) *curl_easy_escape;
	__typeof__(curl_easy_getinfo) *curl_easy_getinfo;
	__typeof__(curl_easy_init) *curl_easy_init;
	__typeof__(curl_easy_perform) *curl_easy_perform;
	__typeof__(curl_easy_reset) *curl_easy_reset;
	__typeof__(curl_easy_setopt) *curl_easy_setopt;
	__typeof__(curl_easy_strerror) *curl_easy_strerror;
	__typeof__(curl_free) *curl_free;
	__typeof__(curl_global_init) *curl_global_init;
	__typeof__(curl_slist_append) *curl_slist_append;
	__typeof__(curl_slist_free_all) *curl_slist_free_all;
};
extern struct curl_syms curl_syms;
int curl_dl_open(berr *err);

#ifndef BERTH_IMAGES_PULL_DL_CURL_H_IMPL
/* curl.h wraps these two in same-name function-like macros */
#undef curl_easy_getinfo
#undef curl_easy_setopt
#define curl_easy_cleanup (*curl_syms.curl_easy_cleanup)
#define curl_easy_escape (*curl_syms.curl_easy_escape)
#define curl_easy_getinfo (*curl_syms.curl_easy_getinfo)
#define curl_easy_init (*curl_syms.curl_easy_init)
#define curl_easy_perform (*curl_syms.curl_easy_perform)
#define curl_easy_reset (*curl_syms.curl_easy_reset)
#define curl_easy_setopt (*curl_syms.curl_easy_setopt)
#define curl_easy_strerror (*curl_syms.curl_easy_strerror)
#define curl_free (*curl_syms.curl_free)
#define curl_global_init (*curl_syms.curl_global_init)
#define curl_slist_append (*curl_syms.curl_slist_append)
#define curl_slist_free_all (*curl_syms.curl_slist_free_all)
#endif

#endif
