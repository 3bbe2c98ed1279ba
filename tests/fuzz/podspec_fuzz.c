// SPDX-License-Identifier: GPL-2.0-or-later
/* libFuzzer harness for the pod spec parser (iniparser + berth's pre-scan
 * and validation): any input either loads or fails with a message, never
 * crashes or leaks. Build and run:
 *	tests/fuzz/podspec.sh [SECONDS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "supervisor/podspec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	if (!path[0])
		snprintf(path, sizeof(path), "/tmp/berth-fuzz-%d.pod", (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct pod_spec *pod = NULL;
	berr err = { 0 };
	if (pod_spec_load(path, &pod, &err) == 0)
		pod_spec_free(pod);
	else if (!err.msg[0])
		abort(); /* every error has a message */
	return 0;
}
