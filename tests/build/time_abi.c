// SPDX-License-Identifier: GPL-2.0-or-later
/* Driver of tests/build/abi32.sh, built like berth (64-bit time_t) and run
 * on the target (qemu-user for a foreign one):
 *   time_abi [LIB.so...]
 * prints, for each LIB, whether dl_lib_time64() finds a 64-bit time_t in it,
 * then round-trips times through the system's libarchive with
 * dl_archive_set_mtime() / dl_archive_mtime() (images/dl_archive.c). */
#include <errno.h>
#include <stdio.h>

#include "images/dl_archive.h"
#include "lib/dl.h"

int main(int argc, char **argv)
{
	berr err = { 0 };

	for (int i = 1; i < argc; i++) {
		struct dl_lib l = { .soname = argv[i] };
		if (dl_lib_open(&l, &err) < 0) {
			fprintf(stderr, "time_abi: %s\n", err.msg);
			return 2;
		}
		printf("%s: %s\n", argv[i], dl_lib_time64(&l) ? "time64" : "time32");
	}
	if (archive_dl_open(&err) < 0) {
		fprintf(stderr, "time_abi: %s\n", err.msg);
		return 2;
	}
	struct archive_entry *e = archive_entry_new();
	int r = dl_archive_set_mtime(e, 1000000, 5);
	printf("libarchive 1000000.5: %d %lld.%ld\n", r, (long long)dl_archive_mtime(e),
	       archive_entry_mtime_nsec(e));
	/* 2065: a 64-bit library holds it; a 32-bit one cannot, and says so */
	r = dl_archive_set_mtime(e, 3000000000LL, 0);
	printf("libarchive 3000000000: %s %lld\n", r == -EOVERFLOW ? "EOVERFLOW" : r == 0 ? "0" : "?",
	       (long long)dl_archive_mtime(e));
	archive_entry_free(e);
	return 0;
}
