// SPDX-License-Identifier: GPL-2.0-or-later
/* A container's compiled seccomp program kept in its state dir, so that
 * `exec` installs exactly the filter of the container's pid 1 (a custom
 * OCI profile is not in the state and is not compiled again).
 * File: "BSC1", u32 flags, u32 instruction count, then the instructions
 * (native byte order: the file never leaves this machine). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "runtime/seccomp_internal.h"

#define STORE_MAGIC "BSC1"
#define STORE_MAX_INSNS 65535u

struct store_hdr {
	char magic[4];
	uint32_t flags;
	uint32_t len;
};

int seccomp_prog_save(const struct seccomp_prog *prog, int dirfd, const char *name, berr *err)
{
	struct store_hdr h = {.flags = prog->flags, .len = prog->len};
	size_t n = sizeof(h) + (size_t)prog->len * sizeof(struct sock_filter);
	_cleanup_free_ char *buf = malloc(n);

	if (!buf)
		return berr_errno(err, ENOMEM, "Save the seccomp filter");
	memcpy(h.magic, STORE_MAGIC, 4);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), prog->insns, n - sizeof(h));
	return write_file_atomic(dirfd, name, buf, n, 0600, err);
}

int seccomp_prog_load(int dirfd, const char *name, struct seccomp_prog **ret, berr *err)
{
	_cleanup_free_ char *buf = NULL;
	size_t n = 0;
	struct store_hdr h;
	int r = read_file_at(dirfd, name, sizeof(h) + STORE_MAX_INSNS * sizeof(struct sock_filter),
			     &buf, &n, err);
	if (r < 0)
		return r;
	if (n < sizeof(h))
		goto bad;
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, STORE_MAGIC, 4) || h.len == 0 || h.len > STORE_MAX_INSNS ||
	    n != sizeof(h) + (size_t)h.len * sizeof(struct sock_filter))
		goto bad;
	struct seccomp_prog *p = calloc(1, sizeof(*p));
	if (!p || !(p->insns = malloc((size_t)h.len * sizeof(struct sock_filter)))) {
		free(p);
		return berr_errno(err, ENOMEM, "Load the seccomp filter");
	}
	memcpy(p->insns, buf + sizeof(h), (size_t)h.len * sizeof(struct sock_filter));
	p->len = (unsigned short)h.len;
	p->flags = h.flags;
	*ret = p;
	return 0;
bad:
	return berr_fail(err, EINVAL, "The saved seccomp filter \"%s\" is corrupt", name);
}
