// SPDX-License-Identifier: GPL-2.0-or-later
/* Parsers of berth check: kernel .config, the kernel command line,
 * /proc/cgroups, mountinfo. Pure functions over text; check.c reads the
 * files. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* The start of the line after P (or the terminating NUL). */
static const char *next_line(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? nl + 1 : p + strlen(p);
}

char kconfig_lookup(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; *p; p = next_line(p)) {
		if (strncmp(p, "CONFIG_", 7) == 0 && strncmp(p + 7, name, n) == 0 &&
		    p[7 + n] == '=') {
			const char *v = p + 7 + n + 1;
			bool end = v[1] == '\n' || v[1] == '\0' || v[1] == '\r';
			if ((*v == 'y' || *v == 'm') && end)
				return *v;
			if (*v == 'n' && end)
				return 'n';
			return 'v';
		}
		if (strncmp(p, "# CONFIG_", 9) == 0 && strncmp(p + 9, name, n) == 0 &&
		    strncmp(p + 9 + n, " is not set", 11) == 0)
			return 'n';
	}
	return 'n';
}

/* The next blank-separated word of a command line into BUF (a double-quoted
 * part may hold blanks; the quotes are dropped). NULL at the end. */
static const char *cmdline_word(const char *p, char *buf, size_t size)
{
	size_t n = 0;
	bool quoted = false;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (!*p)
		return NULL;
	for (; *p && (quoted || !isspace((unsigned char)*p)); p++) {
		if (*p == '"') {
			quoted = !quoted;
			continue;
		}
		if (n + 1 < size)
			buf[n++] = *p;
	}
	buf[n] = '\0';
	return p;
}

/* Is CTRL one of the comma-separated names of LIST? */
static bool in_comma_list(const char *list, const char *ctrl)
{
	size_t n = strlen(ctrl);

	for (const char *p = list; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, ctrl, n) == 0)
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

enum cmdline_cgroup cmdline_cgroup(const char *cmdline, const char *ctrl)
{
	enum cmdline_cgroup r = CMDLINE_CG_DEFAULT;
	char w[512];

	for (const char *p = cmdline; (p = cmdline_word(p, w, sizeof(w)));) {
		if (strcmp(w, "--") == 0)
			break;
		if (strncmp(w, "cgroup_disable=", 15) == 0 && in_comma_list(w + 15, ctrl))
			r = CMDLINE_CG_DISABLED;
		else if (strncmp(w, "cgroup_enable=", 14) == 0 && in_comma_list(w + 14, ctrl))
			r = CMDLINE_CG_ENABLED;
	}
	return r;
}

bool cmdline_value(const char *cmdline, const char *key, char *buf, size_t size)
{
	size_t n = strlen(key);
	bool found = false;
	char w[512];

	for (const char *p = cmdline; (p = cmdline_word(p, w, sizeof(w)));) {
		if (strcmp(w, "--") == 0)
			break;
		if (strncmp(w, key, n) != 0 || (w[n] != '=' && w[n] != '\0'))
			continue;
		found = true;
		if (size) {
			const char *v = w[n] == '=' ? w + n + 1 : "";
			size_t len = strlen(v);
			if (len >= size)
				len = size - 1;
			memcpy(buf, v, len);
			buf[len] = '\0';
		}
	}
	return found;
}

int proc_cgroups_lookup(const char *text, const char *name, int *ret_hierarchy, int *ret_enabled)
{
	size_t n = strlen(name);

	for (const char *p = text; *p; p = next_line(p)) {
		if (*p == '#' || strncmp(p, name, n) != 0 || (p[n] != '\t' && p[n] != ' '))
			continue;
		/* subsys_name hierarchy num_cgroups enabled */
		char *end;
		long h = strtol(p + n, &end, 10);
		if (end == p + n)
			continue;
		const char *q = end;
		(void)strtol(q, &end, 10);
		if (end == q)
			continue;
		q = end;
		long e = strtol(q, &end, 10);
		if (end == q)
			continue;
		*ret_hierarchy = (int)h;
		*ret_enabled = (int)e;
		return 0;
	}
	return -ENOENT;
}

bool word_in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p;) {
		while (*p && isspace((unsigned char)*p))
			p++;
		size_t len = 0;
		while (p[len] && !isspace((unsigned char)p[len]))
			len++;
		if (len == n && n && strncmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* Copy the blank-terminated field at *P into BUF (size SIZE), unescaping the
 * kernel's \ooo octal escapes; advances *P past it and its blank. */
static bool field(const char **p, char *buf, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ')
		s++;
	if (!*s || *s == '\n')
		return false;
	while (*s && *s != ' ' && *s != '\n') {
		char c = *s++;
		if (c == '\\' && s[0] >= '0' && s[0] <= '3' && s[1] >= '0' && s[1] <= '7' &&
		    s[2] >= '0' && s[2] <= '7') {
			c = (char)((s[0] - '0') * 64 + (s[1] - '0') * 8 + (s[2] - '0'));
			s += 3;
		}
		if (n + 1 < size)
			buf[n++] = c;
	}
	buf[n] = '\0';
	*p = s;
	return true;
}

/* One mountinfo line: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
 */
static bool mountinfo_line(const char *p, struct mount_entry *m)
{
	char tmp[256];

	for (int i = 0; i < 4; i++)
		if (!field(&p, tmp, sizeof(tmp)))
			return false;
	if (!field(&p, m->mountpoint, sizeof(m->mountpoint)) ||
	    !field(&p, m->options, sizeof(m->options)))
		return false;
	for (;;) {
		if (!field(&p, tmp, sizeof(tmp)))
			return false;
		if (strcmp(tmp, "-") == 0)
			break;
	}
	if (!field(&p, m->fstype, sizeof(m->fstype)))
		return false;
	if (!field(&p, m->source, sizeof(m->source)))
		m->source[0] = '\0';
	return true;
}

int mountinfo_next(const char **pos, struct mount_entry *ret)
{
	while (**pos) {
		const char *line = *pos;
		*pos = next_line(line);
		if (mountinfo_line(line, ret))
			return 1;
	}
	return 0;
}

/* Does mount point MP contain PATH (component-wise)? */
static bool contains(const char *mp, const char *path)
{
	size_t n = strlen(mp);

	if (strcmp(mp, "/") == 0)
		return path[0] == '/';
	return strncmp(mp, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int mountinfo_lookup(const char *text, const char *path, bool exact, struct mount_entry *ret)
{
	struct mount_entry m, best;
	size_t best_len = 0;
	bool found = false;

	for (const char *p = text; mountinfo_next(&p, &m);) {
		bool match = exact ? strcmp(m.mountpoint, path) == 0 : contains(m.mountpoint, path);
		size_t len = strlen(m.mountpoint);
		/* later lines are mounted over earlier ones at the same point */
		if (match && (!found || len >= best_len)) {
			best = m;
			best_len = len;
			found = true;
		}
	}
	if (!found)
		return -ENOENT;
	*ret = best;
	return 0;
}

int kernel_version_parse(const char *release, unsigned *ret_major, unsigned *ret_minor)
{
	char *end;

	if (!isdigit((unsigned char)release[0]))
		return -EINVAL;
	unsigned long maj = strtoul(release, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -EINVAL;
	unsigned long min = strtoul(end + 1, &end, 10);
	if (maj > 1000 || min > 1000)
		return -EINVAL;
	*ret_major = (unsigned)maj;
	*ret_minor = (unsigned)min;
	return 0;
}

enum check_status overlay_upper_fs(const char *fstype)
{
	/* d_type, trusted.* xattrs, RENAME_WHITEOUT: the local file systems */
	static const char *const ok[] = {"ext4",  "ext3", "ext2",     "xfs", "btrfs",	"f2fs",
					 "tmpfs", "zfs",  "bcachefs", "jfs", "reiserfs"};
	/* refused as upper dir, or no xattrs / no d_type / read-only */
	static const char *const bad[] = {"overlay", "aufs",	"nfs",	    "nfs4",    "cifs",
					  "smb3",    "vfat",	"msdos",    "exfat",   "ntfs",
					  "ntfs3",   "fuseblk", "squashfs", "iso9660", "ecryptfs",
					  "9p",	     "erofs",	"ramfs",    "cramfs",  "romfs"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(fstype, ok[i]) == 0)
			return CHECK_OK;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strcmp(fstype, bad[i]) == 0)
			return CHECK_MISSING;
	return CHECK_UNKNOWN;
}
