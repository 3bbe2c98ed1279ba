// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "images/platform.h"
#include "lib/cleanup.h"
#include "lib/fs.h"

static void set(struct platform *p, const char *arch, const char *variant)
{
	snprintf(p->os, sizeof(p->os), "linux");
	snprintf(p->arch, sizeof(p->arch), "%s", arch);
	snprintf(p->variant, sizeof(p->variant), "%s", variant);
}

/* ARM 32-bit variant: the model name is the truth ("ARMv6-compatible
 * processor rev 7 (v6l)" on a Pi Zero whose "CPU architecture" says 7). */
static const char *arm_variant(const char *machine, const char *cpuinfo)
{
	const char *m = cpuinfo ? strstr(cpuinfo, "model name") : NULL;
	if (!m && cpuinfo)
		m = strstr(cpuinfo, "Processor");
	if (m) {
		size_t len = strcspn(m, "\n");
		if (memmem(m, len, "ARMv6", 5) || memmem(m, len, "(v6l)", 5))
			return "v6";
		if (memmem(m, len, "ARMv5", 5) || memmem(m, len, "(v5l)", 5))
			return "v5";
	}
	if (strncmp(machine, "armv6", 5) == 0)
		return "v6";
	if (strncmp(machine, "armv5", 5) == 0)
		return "v5";
	return "v7"; /* armv7l, armv8l (32-bit userland on a 64-bit CPU) */
}

void platform_from(const char *machine, const char *cpuinfo, struct platform *ret)
{
	if (!strcmp(machine, "x86_64"))
		set(ret, "amd64", "");
	else if (!strcmp(machine, "aarch64") || !strcmp(machine, "arm64"))
		set(ret, "arm64", "v8");
	else if (!strncmp(machine, "arm", 3))
		set(ret, "arm", arm_variant(machine, cpuinfo));
	else if (!strcmp(machine, "i686") || !strcmp(machine, "i386"))
		set(ret, "386", "");
	else
		set(ret, machine, "");
}

void platform_detect(struct platform *ret)
{
	struct utsname u;
	_cleanup_free_ char *cpuinfo = NULL;

	uname(&u);
	if (!strncmp(u.machine, "arm", 3))
		read_file_at(-1, "/proc/cpuinfo", 1 << 20, &cpuinfo, NULL, NULL);
	platform_from(u.machine, cpuinfo, ret);
}

int platform_parse(const char *s, struct platform *ret, berr *err)
{
	char buf[64], *parts[4] = { 0 };
	int n = 0;

	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
		return berr_fail(err, EINVAL, "Invalid platform \"%s\"", s);
	for (char *save = NULL, *t = strtok_r(buf, "/", &save); t && n < 4; t = strtok_r(NULL, "/", &save))
		parts[n++] = t;
	if (n == 0 || n == 4)
		return berr_fail(err, EINVAL, "Invalid platform \"%s\"", s);
	int a = strcmp(parts[0], "linux") == 0 ? 1 : 0;
	if (!parts[a])
		return berr_fail(err, EINVAL, "Invalid platform \"%s\": no architecture", s);
	const char *variant = parts[a + 1] ? parts[a + 1] : "";
	if (!strcmp(parts[a], "arm64") && !*variant)
		variant = "v8";
	if (!strcmp(parts[a], "arm") && !*variant)
		variant = "v7";
	set(ret, parts[a], variant);
	return 0;
}

int platform_score(const struct platform *want, const char *os, const char *arch, const char *variant)
{
	if (!os || !arch || strcmp(os, want->os) != 0 || strcmp(arch, want->arch) != 0)
		return -1;
	variant = variant ? variant : "";
	if (!strcmp(variant, want->variant))
		return 100;
	if (!*variant)
		return 50; /* unspecified: v7 for arm, v8 for arm64 by convention */
	if (!*want->variant && strcmp(want->arch, "arm") != 0)
		return 40; /* amd64 v2/v3...: accepted, below an exact match */
	if (!strcmp(want->arch, "arm") && variant[0] == 'v' && want->variant[0] == 'v') {
		int have = atoi(variant + 1), can = atoi(want->variant + 1);
		/* a newer core runs older code; a v6 board cannot run v7 code */
		return have < can ? 10 * have : -1;
	}
	if (!strcmp(want->arch, "arm64"))
		return !strcmp(variant, "v8") ? 100 : 40;
	return -1;
}

const char *platform_str(const struct platform *p, char buf[64])
{
	snprintf(buf, 64, "%s/%s%s%s", p->os, p->arch, p->variant[0] ? "/" : "", p->variant);
	return buf;
}
