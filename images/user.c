// SPDX-License-Identifier: GPL-2.0-or-later
/* The image's User, looked up in its own /etc/passwd and /etc/group. The
 * files are read from the top-most layer that has them, opened with
 * safe_openat (links never leave the layer), non-blocking (a FIFO cannot
 * hang us), and only when they are regular files; a whiteout hides them. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "images/image.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/units.h"

#define ETC_MAX (1 << 20) /* int: compares with off_t and size_t alike */

/* Contents of PATH from the top-most layer with it; NULL if none. */
static int read_layered(const int *fds, size_t n, const char *path, char **ret)
{
	*ret = NULL;
	for (size_t i = 0; i < n; i++) {
		_cleanup_close_ int fd = safe_openat(fds[i], path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK, 0);
		struct stat st;

		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return 0; /* a whiteout (0/0 device, ENXIO), a file as parent: hidden */
		if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > ETC_MAX)
			return 0;
		char *buf = malloc((size_t)st.st_size + 1);
		if (!buf)
			return -ENOMEM;
		ssize_t got = read(fd, buf, (size_t)st.st_size);
		buf[got > 0 ? got : 0] = '\0';
		*ret = buf;
		return 0;
	}
	return 0;
}

/* Field F (0-based) of a ':'-separated line, copied into OUT. */
static const char *field(const char *line, int f, char *out, size_t outsz)
{
	for (; f > 0 && line; f--) {
		line = strchr(line, ':');
		if (line)
			line++;
	}
	if (!line)
		return NULL;
	size_t len = strcspn(line, ":\n");
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, line, len);
	out[len] = '\0';
	return out;
}

/* Find the line of TEXT whose field 0 equals NAME (or field 2 equals ID). */
static const char *find_entry(const char *text, const char *name, int64_t id)
{
	char f0[256], f2[32];

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (*l == '#' || *l == '\n')
			continue;
		if (name && field(l, 0, f0, sizeof(f0)) && strcmp(f0, name) == 0)
			return l;
		int64_t v;
		if (!name && field(l, 2, f2, sizeof(f2)) && parse_int64(f2, 0, UINT32_MAX, &v) == 0 &&
		    v == id)
			return l;
	}
	return NULL;
}

static int lookup_group(const char *group, const char *text, gid_t *gid)
{
	int64_t v;
	char f2[32];

	if (parse_int64(group, 0, UINT32_MAX - 1, &v) == 0) {
		*gid = (gid_t)v;
		return 0;
	}
	const char *l = text ? find_entry(text, group, 0) : NULL;
	if (!l || !field(l, 2, f2, sizeof(f2)) || parse_int64(f2, 0, UINT32_MAX - 1, &v) < 0)
		return -ENOENT;
	*gid = (gid_t)v;
	return 0;
}

/* Supplementary groups: every group that lists NAME as a member. */
static int member_groups(const char *text, const char *name, struct image_config *cfg)
{
	char members[4096], f2[32];

	for (const char *l = text; name && l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		int64_t v;
		if (!field(l, 3, members, sizeof(members)) || !field(l, 2, f2, sizeof(f2)) ||
		    parse_int64(f2, 0, UINT32_MAX - 1, &v) < 0)
			continue;
		for (char *save = NULL, *m = strtok_r(members, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
			if (strcmp(m, name) != 0 || (gid_t)v == cfg->gid)
				continue;
			gid_t *ng = realloc(cfg->groups, (cfg->ngroups + 1) * sizeof(*ng));
			if (!ng)
				return -ENOMEM;
			cfg->groups = ng;
			ng[cfg->ngroups++] = (gid_t)v;
		}
	}
	return 0;
}

int image_resolve_user(const int *fds, size_t n, const char *user, struct image_config *cfg,
		       berr *err)
{
	_cleanup_free_ char *passwd = NULL, *group = NULL, *u = strdup(user && *user ? user : "0");
	char f[256];
	int64_t v;

	if (!u || read_layered(fds, n, "/etc/passwd", &passwd) < 0 ||
	    read_layered(fds, n, "/etc/group", &group) < 0)
		return berr_errno(err, ENOMEM, "User");
	char *g = strchr(u, ':');
	if (g)
		*g++ = '\0';
	bool numeric = parse_int64(u, 0, UINT32_MAX - 1, &v) == 0;
	const char *line = passwd ? find_entry(passwd, numeric ? NULL : u, v) : NULL;
	if (!line && !numeric)
		return berr_fail(err, ENOENT, "User \"%s\" is not in the image's /etc/passwd", u);
	cfg->uid = numeric ? (uid_t)v : 0;
	cfg->gid = 0;
	if (line) {
		int64_t id;
		if (field(line, 2, f, sizeof(f)) && parse_int64(f, 0, UINT32_MAX - 1, &id) == 0)
			cfg->uid = (uid_t)id;
		if (field(line, 3, f, sizeof(f)) && parse_int64(f, 0, UINT32_MAX - 1, &id) == 0)
			cfg->gid = (gid_t)id;
		free(cfg->home);
		cfg->home = field(line, 5, f, sizeof(f)) && *f ? strdup(f) : NULL;
	}
	if (g && lookup_group(g, group, &cfg->gid) < 0)
		return berr_fail(err, ENOENT, "Group \"%s\" is not in the image's /etc/group", g);
	free(cfg->groups);
	cfg->groups = NULL;
	cfg->ngroups = 0;
	if (group && line && field(line, 0, f, sizeof(f)) && member_groups(group, f, cfg) < 0)
		return berr_errno(err, ENOMEM, "User");
	return 0;
}
