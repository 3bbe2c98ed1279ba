// SPDX-License-Identifier: GPL-2.0-or-later
/* Capabilities: names, and applying the five sets with libcap. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "lib/cleanup.h"
#include "runtime/internal.h"

int cap_last(void)
{
	static int last = -1;
	if (last < 0) {
		last = CAP_LAST_CAP;
		FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
		if (f) {
			if (fscanf(f, "%d", &last) != 1)
				last = CAP_LAST_CAP;
			fclose(f);
		}
		if (last > 63)
			last = 63;
	}
	return last;
}

const char *cap_name_of(int cap)
{
	static char buf[64];
	if (cap < 0 || cap > 63)
		return NULL;
	char *n = cap_to_name((cap_value_t)cap);
	if (!n)
		return NULL;
	snprintf(buf, sizeof(buf), "%s%s", strncasecmp(n, "cap_", 4) ? "CAP_" : "", n);
	cap_free(n);
	for (char *p = buf; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	/* libcap spells unknown ones as a number */
	return isdigit((unsigned char)buf[4]) ? NULL : buf;
}

int cap_parse_name(const char *name, int *ret_cap)
{
	char low[64];
	cap_value_t v;

	if (!name || !*name)
		return -EINVAL;
	if (!strcasecmp(name, "ALL")) {
		*ret_cap = -1;
		return 0;
	}
	if (!strncasecmp(name, "CAP_", 4))
		name += 4;
	if (!*name || strlen(name) >= sizeof(low))
		return -EINVAL;
	for (size_t i = 0;; i++) {
		low[i] = (char)tolower((unsigned char)name[i]);
		if (!name[i])
			break;
		if (!isalpha((unsigned char)name[i]) && name[i] != '_')
			return -EINVAL; /* no numbers: "cap_12" is not a name */
	}
	char full[80];
	snprintf(full, sizeof(full), "cap_%s", low);
	if (cap_from_name(full, &v) < 0 || v < 0 || v > 63)
		return -EINVAL;
	*ret_cap = (int)v;
	return 0;
}

int caps_drop_bounding(uint64_t keep, berr *err)
{
	int last = cap_last();
	for (int c = 0; c <= last; c++) {
		if (keep & (1ULL << c))
			continue;
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			return berr_errno(err, errno, "Drop capability %s from the bounding set",
					  cap_name_of(c) ? cap_name_of(c) : "?");
	}
	return 0;
}

static int set_flag(cap_t c, cap_flag_t which, uint64_t mask)
{
	int last = cap_last();
	for (int i = 0; i <= last; i++) {
		if (!(mask & (1ULL << i)))
			continue;
		cap_value_t v = i;
		if (cap_set_flag(c, which, 1, &v, CAP_SET) < 0)
			return -errno;
	}
	return 0;
}

int caps_apply(const struct bspec_caps *caps, berr *err)
{
	cap_t c = cap_init();
	if (!c)
		return berr_errno(err, errno, "Capabilities");
	int r = set_flag(c, CAP_EFFECTIVE, caps->effective);
	if (r == 0)
		r = set_flag(c, CAP_PERMITTED, caps->permitted | caps->effective | caps->ambient);
	if (r == 0)
		r = set_flag(c, CAP_INHERITABLE, caps->inheritable | caps->ambient);
	if (r == 0 && cap_set_proc(c) < 0)
		r = -errno;
	cap_free(c);
	if (r < 0)
		return berr_errno(err, -r, "Set capabilities");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return berr_errno(err, errno, "Clear ambient capabilities");
	int last = cap_last();
	for (int i = 0; i <= last; i++) {
		if (!(caps->ambient & (1ULL << i)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, i, 0, 0) < 0)
			return berr_errno(err, errno, "Raise ambient capability %s",
					  cap_name_of(i) ? cap_name_of(i) : "?");
	}
	return 0;
}
