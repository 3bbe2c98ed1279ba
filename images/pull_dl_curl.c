// SPDX-License-Identifier: GPL-2.0-or-later
#define BERTH_IMAGES_PULL_DL_CURL_H_IMPL
#include "images/pull_dl_curl.h"
#include "lib/dl.h"

struct curl_syms curl_syms;

static const char *const names[] = {
	"curl_easy_cleanup",
	"curl_easy_escape",
	"curl_easy_getinfo",
	"curl_easy_init",
	"curl_easy_perform",
	"curl_easy_reset",
	"curl_easy_setopt",
	"curl_easy_strerror",
	"curl_free",
	"curl_global_init",
	"curl_slist_append",
	"curl_slist_free_all",
};

int curl_dl_open(berr *err)
{
	static struct dl_lib lib = { .soname = "libcurl.so.4", DL_LIB_TABLE(names, curl_syms) };
	DL_LIB_CHECK(names, curl_syms);
	return dl_lib_open(&lib, err);
}
