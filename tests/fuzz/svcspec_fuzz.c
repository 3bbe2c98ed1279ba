// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness for the service file parser (NAME.svc): any input
 * either loads or fails with a message, never crashes or leaks. Build and
 * run: tests/fuzz/svcspec.sh [SECONDS] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "supervisor/svcspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/berth-fuzz-%d.svc", (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct svc *s = NULL;
	berr err = { 0 };
	if (svc_spec_load(path, &s, &err) == 0)
		svc_free(s);
	else if (!err.msg[0])
		abort(); /* every error has a message */
	return 0;
}
