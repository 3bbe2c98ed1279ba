// SPDX-License-Identifier: GPL-2.0-or-later
/* Hostile layers: each test crafts a tar in memory with libarchive's
 * writer, unpacks it into SANDBOX/layer and checks that nothing reached
 * SANDBOX/outside (or the host), and that the result is contained or a
 * clear error. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "images/digest.h"
/* berth's calls of libarchive (it is opened on first use); the time_t ones
 * go through it, right for a 32-bit or a 64-bit time_t library */
#include "images/dl_archive.h"
#include "images/unpack.h"
#include "lib/cleanup.h"
#include "lib/fs.h"

struct ent {
	const char *path;
	char type; /* f file, d dir, l symlink, h hardlink, c char, b block, p fifo */
	const char *data; /* content, or link target */
	mode_t mode;
	unsigned rmaj, rmin;
	const char *xattr_name, *xattr_value;
	size_t size; /* zero-filled content of this size when data is NULL */
};

enum { F_NONE, F_GZIP, F_ZSTD };

static char sandbox[64];
static int layer_fd = -1;

static void setup(void)
{
	char p[128];
	berr err = {0};
	cr_assert_eq(archive_dl_open(&err), 0, "%s", err.msg);
	strcpy(sandbox, "/tmp/berth-unit-unpack.XXXXXX");
	cr_assert_not_null(mkdtemp(sandbox));
	snprintf(p, sizeof(p), "%s/layer", sandbox);
	cr_assert_eq(mkdir(p, 0755), 0);
	layer_fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	snprintf(p, sizeof(p), "%s/outside", sandbox);
	cr_assert_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/outside/secret", sandbox);
	FILE *f = fopen(p, "w");
	fputs("secret", f);
	fclose(f);
	chmod(p, 0600);
}

static void teardown(void)
{
	close(layer_fd);
	rm_rf_at(AT_FDCWD, sandbox);
}

TestSuite(unpack, .init = setup, .fini = teardown);

/* The tar of ENTS in a memfd, at offset 0. RAW (optional) gets the
 * uncompressed tar's digest. */
static int make_tar(const struct ent *ents, size_t n, int filter, char raw_digest[DIGEST_BUF])
{
	int fd = memfd_create("layer", MFD_CLOEXEC);
	for (int pass = 0; pass < 2; pass++) {
		struct archive *a = archive_write_new();
		int out = pass == 0 ? memfd_create("raw", MFD_CLOEXEC) : fd;
		archive_write_set_format_pax_restricted(a);
		if (pass == 1 && filter == F_GZIP)
			archive_write_add_filter_gzip(a);
		if (pass == 1 && filter == F_ZSTD)
			archive_write_add_filter_zstd(a);
		archive_write_set_bytes_in_last_block(a, 1);
		cr_assert_eq(archive_write_open_fd(a, out), ARCHIVE_OK);
		for (size_t i = 0; i < n; i++) {
			const struct ent *x = &ents[i];
			struct archive_entry *e = archive_entry_new();
			archive_entry_set_pathname(e, x->path);
			archive_entry_set_perm(e, x->mode ? x->mode : (x->type == 'd' ? 0755 : 0644));
			cr_assert_eq(dl_archive_set_mtime(e, 1000000, 0), 0);
			size_t size = x->data ? strlen(x->data) : x->size;
			switch (x->type) {
			case 'f':
				archive_entry_set_filetype(e, AE_IFREG);
				archive_entry_set_size(e, (la_int64_t)size);
				break;
			case 'd':
				archive_entry_set_filetype(e, AE_IFDIR);
				break;
			case 'l':
				archive_entry_set_filetype(e, AE_IFLNK);
				archive_entry_set_symlink(e, x->data);
				break;
			case 'h':
				archive_entry_set_filetype(e, AE_IFREG);
				archive_entry_set_hardlink(e, x->data);
				break;
			case 'c':
			case 'b':
				archive_entry_set_filetype(e, x->type == 'c' ? AE_IFCHR : AE_IFBLK);
				archive_entry_set_rdevmajor(e, x->rmaj);
				archive_entry_set_rdevminor(e, x->rmin);
				break;
			case 'p':
				archive_entry_set_filetype(e, AE_IFIFO);
				break;
			}
			if (x->xattr_name)
				archive_entry_xattr_add_entry(e, x->xattr_name, x->xattr_value,
							      strlen(x->xattr_value));
			cr_assert_eq(archive_write_header(a, e), ARCHIVE_OK, "%s: %s", x->path,
				     archive_error_string(a));
			if (x->type == 'f' && x->data)
				archive_write_data(a, x->data, size);
			else if (x->type == 'f') {
				char *z = calloc(1, size + 1);
				archive_write_data(a, z, size);
				free(z);
			}
			archive_entry_free(e);
		}
		archive_write_close(a);
		archive_write_free(a);
		if (pass == 0) {
			struct stat st;
			fstat(out, &st);
			char *m = malloc((size_t)st.st_size + 1);
			cr_assert_eq(pread(out, m, (size_t)st.st_size, 0), st.st_size);
			if (raw_digest)
				digest_buf(m, (size_t)st.st_size, raw_digest);
			free(m);
			close(out);
		}
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

static int unpack(const struct ent *ents, size_t n, int filter, uint64_t cap, struct unpack_stats *st,
		  berr *err)
{
	_cleanup_close_ int fd = make_tar(ents, n, filter, NULL);
	struct unpack_opts o = { .max_bytes = cap, .no_sync = true };
	struct unpack_stats local;
	return layer_unpack(fd, layer_fd, &o, st ? st : &local, err);
}

static bool exists_in(const char *rel)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", sandbox, rel);
	return lstat(p, &st) == 0;
}

static void outside_untouched(void)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/outside", sandbox);
	DIR *d = opendir(p);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(n, 1, "something was written into outside/");
	snprintf(p, sizeof(p), "%s/outside/secret", sandbox);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600, "outside/secret changed mode");
	cr_assert_eq(st.st_nlink, 1, "outside/secret gained a link");
	cr_assert_eq(st.st_size, 6);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(unpack, regular_tree_with_metadata)
{
	struct ent e[] = {
		{ "./", 'd', NULL, 0755 },
		{ "bin/", 'd', NULL, 0711 },
		{ "bin/tool", 'f', "#!/bin/sh\n", 04755 },
		{ "bin/sh", 'l', "/bin/tool" },
		{ "etc/hosts", 'f', "127.0.0.1 localhost\n", 0644, .xattr_name = "user.note", .xattr_value = "hi" },
		{ "run/fifo", 'p', NULL, 0600 },
	};
	berr err = { 0 };
	struct unpack_stats st;
	cr_assert_eq(unpack(e, N(e), F_GZIP, 0, &st, &err), 0, "%s", err.msg);
	struct stat s;
	cr_assert_eq(fstatat(layer_fd, "bin/tool", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_eq(s.st_mode & 07777, 04755, "setuid bit restored inside the layer");
	cr_assert_eq(s.st_mtime, 1000000);
	cr_assert_eq(fstatat(layer_fd, "bin", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_eq(s.st_mode & 07777, 0711);
	cr_assert_eq(s.st_mtime, 1000000, "directory mtime set after its children");
	char buf[64] = "";
	cr_assert_gt(readlinkat(layer_fd, "bin/sh", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "/bin/tool");
	cr_assert_eq(fstatat(layer_fd, "run/fifo", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert(S_ISFIFO(s.st_mode));
	_cleanup_close_ int h = openat(layer_fd, "etc/hosts", O_RDONLY);
	char v[8] = "";
	if (fgetxattr(h, "user.note", v, sizeof(v)) >= 0) /* tmpfs before 6.6 has no user.* */
		cr_assert_str_eq(v, "hi");
	cr_assert_eq(st.entries, N(e));
}

Test(unpack, diff_id_is_sha256_of_uncompressed_stream)
{
	struct ent e[] = { { "a", 'f', "hello" }, { "b/", 'd' } };
	char raw[DIGEST_BUF];
	for (int f = F_NONE; f <= F_ZSTD; f++) {
		rm_rf_at(layer_fd, "a");
		rm_rf_at(layer_fd, "b");
		_cleanup_close_ int fd = make_tar(e, N(e), f, raw);
		struct unpack_opts o = { .no_sync = true };
		struct unpack_stats st;
		berr err = { 0 };
		cr_assert_eq(layer_unpack(fd, layer_fd, &o, &st, &err), 0, "filter %d: %s", f, err.msg);
		cr_assert_str_eq(st.diff_id, raw, "filter %d", f);
	}
}

Test(unpack, path_traversal_is_refused)
{
	struct ent e[] = { { "ok", 'f', "x" }, { "../outside/evil", 'f', "pwned" } };
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), -EINVAL);
	cr_assert(strstr(err.msg, "leaves the layer"), "%s", err.msg);
	outside_untouched();
	struct ent e2[] = { { "a/b/../../../outside/evil", 'f', "pwned" } };
	cr_assert_eq(unpack(e2, N(e2), F_NONE, 0, NULL, &err), -EINVAL);
	outside_untouched();
}

Test(unpack, absolute_paths_stay_inside)
{
	char host[128];
	snprintf(host, sizeof(host), "%s/outside/abs", sandbox);
	struct ent e[] = { { host, 'f', "contained" } };
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), 0, "%s", err.msg);
	outside_untouched();
	struct stat st;
	cr_assert_eq(fstatat(layer_fd, host + 1, &st, AT_SYMLINK_NOFOLLOW), 0, "not under the layer");
}

Test(unpack, write_through_symlink_stays_inside)
{
	char abs[128];
	snprintf(abs, sizeof(abs), "%s/outside", sandbox);
	struct ent e[] = {
		{ "rel", 'l', "../outside" },
		{ "rel/evil", 'f', "pwned" },
		{ "abs", 'l', abs },
		{ "abs/evil", 'f', "pwned" },
		{ "up", 'l', "../../../../../../.." },
		{ "up/tmp/evil", 'f', "pwned" },
	};
	berr err = { 0 };
	int r = unpack(e, N(e), F_NONE, 0, NULL, &err);
	cr_assert(r == 0 || r < 0, "ends");
	outside_untouched();
	cr_assert(!exists_in("evil"));
	cr_assert_eq(access("/tmp/evil", F_OK), -1, "wrote /tmp/evil on the host");
}

Test(unpack, hardlink_to_host_file_is_refused)
{
	struct ent e[] = { { "h", 'h', "/etc/passwd" } };
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), -ENOENT);
	cr_assert(strstr(err.msg, "not in the image"), "%s", err.msg);
	struct stat st;
	cr_assert_neq(fstatat(layer_fd, "h", &st, AT_SYMLINK_NOFOLLOW), 0);
	char rel[128];
	snprintf(rel, sizeof(rel), "../outside/secret");
	struct ent e2[] = { { "h2", 'h', rel } };
	cr_assert_lt(unpack(e2, N(e2), F_NONE, 0, NULL, &err), 0);
	outside_untouched();
	/* through a symlink inside the layer: still resolved inside */
	char abs[128];
	snprintf(abs, sizeof(abs), "%s/outside", sandbox);
	struct ent e3[] = { { "lnk", 'l', abs }, { "h3", 'h', "lnk/secret" } };
	cr_assert_lt(unpack(e3, N(e3), F_NONE, 0, NULL, &err), 0);
	outside_untouched();
}

Test(unpack, hardlink_inside_layer)
{
	struct ent e[] = { { "a", 'f', "data" }, { "b", 'h', "a" }, { "./c", 'h', "/a" } };
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), 0, "%s", err.msg);
	struct stat a, b, c;
	fstatat(layer_fd, "a", &a, 0);
	fstatat(layer_fd, "b", &b, 0);
	fstatat(layer_fd, "c", &c, 0);
	cr_assert_eq(a.st_ino, b.st_ino);
	cr_assert_eq(a.st_ino, c.st_ino);
}

Test(unpack, hardlink_to_lower_layer_is_copied)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/lower", sandbox);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/lower/lib", sandbox);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/lower/lib/x", sandbox);
	FILE *f = fopen(p, "w");
	fputs("lower-content", f);
	fclose(f);
	chmod(p, 0751);
	snprintf(p, sizeof(p), "%s/lower", sandbox);
	int lower = open(p, O_PATH | O_DIRECTORY);
	struct ent e[] = { { "y", 'h', "lib/x" } };
	_cleanup_close_ int fd = make_tar(e, N(e), F_NONE, NULL);
	struct unpack_opts o = { .no_sync = true, .lower_fds = &lower, .nlowers = 1 };
	struct unpack_stats st;
	berr err = { 0 };
	cr_assert_eq(layer_unpack(fd, layer_fd, &o, &st, &err), 0, "%s", err.msg);
	struct stat ys, xs;
	cr_assert_eq(fstatat(layer_fd, "y", &ys, AT_SYMLINK_NOFOLLOW), 0);
	snprintf(p, sizeof(p), "%s/lower/lib/x", sandbox);
	stat(p, &xs);
	cr_assert_neq(ys.st_ino, xs.st_ino, "a copy, not a link into the lower layer");
	cr_assert_eq(ys.st_mode & 07777, 0751);
	cr_assert_eq(ys.st_size, 13);
	close(lower);
}

Test(unpack, slash_dot_symlink_cannot_replace_root)
{
	char abs[128];
	snprintf(abs, sizeof(abs), "%s/outside", sandbox);
	const char *names[] = { ".", "/.", "./", "/" };
	for (size_t i = 0; i < N(names); i++) {
		struct ent e[] = { { names[i], 'l', abs }, { "x", 'f', "pwned" } };
		berr err = { 0 };
		cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), -EINVAL, "%s", names[i]);
		cr_assert(strstr(err.msg, "layer root"), "%s", err.msg);
		outside_untouched();
	}
	struct stat st;
	cr_assert_eq(fstat(layer_fd, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
}

Test(unpack, device_nodes_skipped_whiteout_created)
{
	struct ent e[] = {
		{ "dev/null", 'c', NULL, 0666, 1, 3 },
		{ "dev/sda", 'b', NULL, 0660, 8, 0 },
		{ "dev/mem", 'c', NULL, 0640, 1, 1 },
		{ "gone", 'c', NULL, 0, 0, 0 },
	};
	struct unpack_stats st;
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, &st, &err), 0, "%s", err.msg);
	cr_assert_eq(st.skipped_devices, 3);
	struct stat s;
	cr_assert_neq(fstatat(layer_fd, "dev/null", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_neq(fstatat(layer_fd, "dev/sda", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_eq(fstatat(layer_fd, "gone", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert(S_ISCHR(s.st_mode) && s.st_rdev == makedev(0, 0));
}

Test(unpack, whiteouts_and_opaque_dirs)
{
	struct ent e[] = {
		{ "etc/", 'd' },
		{ "etc/.wh.shadow", 'f', "" },
		{ "var/", 'd' },
		{ "var/.wh..wh..opq", 'f', "" },
		{ "var/keep", 'f', "k" },
		{ ".wh..wh.plnk", 'd' },
	};
	struct unpack_stats st;
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, &st, &err), 0, "%s", err.msg);
	struct stat s;
	cr_assert_eq(fstatat(layer_fd, "etc/shadow", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert(S_ISCHR(s.st_mode) && s.st_rdev == 0);
	cr_assert_neq(fstatat(layer_fd, "etc/.wh.shadow", &s, AT_SYMLINK_NOFOLLOW), 0);
	_cleanup_close_ int v = openat(layer_fd, "var", O_RDONLY | O_DIRECTORY);
	char x[4] = "";
	cr_assert_eq(fgetxattr(v, "trusted.overlay.opaque", x, sizeof(x)), 1);
	cr_assert_eq(x[0], 'y');
	cr_assert_eq(fstatat(layer_fd, "var/keep", &s, 0), 0, "siblings of the opaque marker stay");
	cr_assert_neq(fstatat(layer_fd, "var/.wh..wh..opq", &s, AT_SYMLINK_NOFOLLOW), 0);
}

Test(unpack, bad_whiteout_names_refused)
{
	const char *bad[] = { "a/.wh..", "a/.wh...", ".wh.", "a/.wh.x/y", ".wh...//outside/secret" };
	for (size_t i = 0; i < N(bad); i++) {
		struct ent e[] = { { bad[i], 'f', "" } };
		berr err = { 0 };
		cr_assert_lt(unpack(e, N(e), F_NONE, 0, NULL, &err), 0, "%s accepted", bad[i]);
		outside_untouched();
	}
}

Test(unpack, duplicate_entries_last_wins)
{
	char abs[128];
	snprintf(abs, sizeof(abs), "%s/outside", sandbox);
	struct ent e[] = {
		{ "f", 'f', "one" },
		{ "f", 'f', "two" },
		{ "d", 'f', "file first" },
		{ "d/", 'd' },
		{ "d/x", 'f', "x" },
		{ "s/", 'd' },
		{ "s/old", 'f', "old" },
		{ "s", 'l', abs },
		{ "s/x", 'f', "pwned" },
		{ "m", 'l', abs },
		{ "m/", 'd', NULL, 0777 }, /* chmod through a symlink: CVE-2021-32760 */
	};
	berr err = { 0 };
	int r = unpack(e, N(e), F_NONE, 0, NULL, &err);
	cr_assert_eq(r, 0, "%s", err.msg);
	outside_untouched();
	char buf[8] = "";
	_cleanup_close_ int f = openat(layer_fd, "f", O_RDONLY);
	cr_assert_eq(read(f, buf, sizeof(buf)), 3);
	cr_assert_str_eq(buf, "two");
	struct stat s;
	cr_assert_eq(fstatat(layer_fd, "d/x", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert_eq(fstatat(layer_fd, "m", &s, AT_SYMLINK_NOFOLLOW), 0);
	cr_assert(S_ISDIR(s.st_mode), "the symlink was replaced by the directory");
	cr_assert_eq(s.st_mode & 0777, 0777);
	char inside[160];
	snprintf(inside, sizeof(inside), "%s/outside/x", sandbox + 1);
	cr_assert_eq(fstatat(layer_fd, inside, &s, AT_SYMLINK_NOFOLLOW), 0,
		     "write through the absolute symlink landed inside the layer");
}

Test(unpack, decompression_bomb_capped)
{
	struct ent e[] = { { "zeros", 'f', NULL, 0644, .size = 8u << 20 } };
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_GZIP, 1u << 20, NULL, &err), -EFBIG);
	cr_assert(strstr(err.msg, "larger than") || strstr(err.msg, "too large"), "%s", err.msg);
	struct stat st;
	if (fstatat(layer_fd, "zeros", &st, 0) == 0)
		cr_assert_leq(st.st_size, 1u << 20);
	/* and under the cap it passes */
	rm_rf_at(layer_fd, "zeros");
	cr_assert_eq(unpack(e, N(e), F_ZSTD, 64u << 20, NULL, &err), 0, "%s", err.msg);
}

Test(unpack, dangerous_xattrs_dropped)
{
	struct ent e[] = {
		{ "d/", 'd', NULL, 0755, .xattr_name = "trusted.overlay.redirect", .xattr_value = "/etc" },
		{ "f", 'f', "x", 0644, .xattr_name = "trusted.overlay.opaque", .xattr_value = "y" },
		{ "g", 'f', "x", 0644, .xattr_name = "security.evm", .xattr_value = "z" },
	};
	berr err = { 0 };
	cr_assert_eq(unpack(e, N(e), F_NONE, 0, NULL, &err), 0, "%s", err.msg);
	char v[16];
	cr_assert_lt(getxattr(sandbox, "trusted.overlay.redirect", v, sizeof(v)), 0);
	_cleanup_close_ int d = openat(layer_fd, "d", O_RDONLY | O_DIRECTORY);
	_cleanup_close_ int f = openat(layer_fd, "f", O_RDONLY);
	_cleanup_close_ int g = openat(layer_fd, "g", O_RDONLY);
	cr_assert_lt(fgetxattr(d, "trusted.overlay.redirect", v, sizeof(v)), 0);
	cr_assert_lt(fgetxattr(f, "trusted.overlay.opaque", v, sizeof(v)), 0);
	cr_assert_lt(fgetxattr(g, "security.evm", v, sizeof(v)), 0);
}

Test(unpack, garbage_is_an_error)
{
	int fd = memfd_create("junk", MFD_CLOEXEC);
	char junk[4096];
	memset(junk, 'A', sizeof(junk));
	cr_assert_eq(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	lseek(fd, 0, SEEK_SET);
	struct unpack_opts o = { .no_sync = true };
	struct unpack_stats st;
	berr err = { 0 };
	cr_assert_lt(layer_unpack(fd, layer_fd, &o, &st, &err), 0);
	cr_assert(err.msg[0]);
	close(fd);
}
