// SPDX-License-Identifier: GPL-2.0-or-later
/* Configs, secrets and volumes under a state root. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "store/objects.h"
#include "store/volume.h"

static char root[64];

static void setup(void)
{
	strcpy(root, "/tmp/berth-unit-objstore.XXXXXX");
	cr_assert_not_null(mkdtemp(root));
}

static void teardown(void)
{
	rm_rf_at(AT_FDCWD, root);
}

TestSuite(objstore, .init = setup, .fini = teardown);

static void put_literal(enum obj_kind k, const char *name, const char *key, const char *val,
			bool replace, bool *changed)
{
	struct obj_data d = { 0 };
	berr err = { 0 };
	cr_assert_eq(obj_data_add(&d, key, val, strlen(val), &err), 0, "%s", err.msg);
	cr_assert_eq(obj_put(root, k, "default", name, &d, replace, changed, &err), 0, "%s", err.msg);
	obj_data_clear(&d);
}

Test(objstore, names_are_dns_labels)
{
	cr_assert(obj_name_valid("db-password"));
	cr_assert(obj_name_valid("a"));
	cr_assert_not(obj_name_valid("-a"));
	cr_assert_not(obj_name_valid("a-"));
	cr_assert_not(obj_name_valid("A"));
	cr_assert_not(obj_name_valid("a_b"));
	cr_assert_not(obj_name_valid("a.b"));
	cr_assert_not(obj_name_valid(""));
	char longname[70];
	memset(longname, 'a', 64);
	longname[64] = '\0';
	cr_assert_not(obj_name_valid(longname));
	cr_assert(obj_key_valid("app.conf"));
	cr_assert_not(obj_key_valid(".."));
	cr_assert_not(obj_key_valid("..data"));
	cr_assert_not(obj_key_valid("a/b"));
}

Test(objstore, new_version_behind_current_link)
{
	bool changed = false;
	put_literal(OBJ_CONFIG, "app", "mode", "prod", false, &changed);
	cr_assert(changed);
	char ver[OBJ_VERSION_MAX];
	berr err = { 0 };
	cr_assert_eq(obj_version(root, OBJ_CONFIG, "default", "app", ver, &err), 0);
	cr_assert_eq(strncmp(ver, "v1-", 3), 0, "%s", ver);
	cr_assert_eq(strlen(ver), 11);
	/* the same content again: no new version */
	put_literal(OBJ_CONFIG, "app", "mode", "prod", true, &changed);
	cr_assert_not(changed);
	put_literal(OBJ_CONFIG, "app", "mode", "dev", true, &changed);
	cr_assert(changed);
	struct obj_data d = { 0 };
	cr_assert_eq(obj_get(root, OBJ_CONFIG, "default", "app", &d, ver, &err), 0, "%s", err.msg);
	cr_assert_eq(strncmp(ver, "v2-", 3), 0, "%s", ver);
	cr_assert_eq(d.n, 1);
	cr_assert_eq(d.v[0].len, 3);
	cr_assert_eq(memcmp(d.v[0].data, "dev", 3), 0);
	obj_data_clear(&d);
	/* the old version is gone, the link points at the new one */
	char path[256], link[32];
	snprintf(path, sizeof(path), "%s/configs/default/app", root);
	struct obj_info in;
	cr_assert_eq(obj_info_get(root, OBJ_CONFIG, "default", "app", &in, &err), 0);
	cr_assert_str_eq(in.version, ver);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "test $(ls %s | wc -l) = 2", path); /* current + v2-T */
	cr_assert_eq(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/configs/default/app/current", root);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	cr_assert_eq(n, 11);
	cr_assert_eq(memcmp(link, ver, 11), 0);
}

Test(objstore, create_refuses_existing)
{
	put_literal(OBJ_SECRET, "db", "password", "x", false, NULL);
	struct obj_data d = { 0 };
	berr err = { 0 };
	obj_data_add(&d, "password", "y", 1, &err);
	cr_assert_eq(obj_put(root, OBJ_SECRET, "default", "db", &d, false, NULL, &err), -EEXIST);
	obj_data_clear(&d);
}

Test(objstore, secrets_are_private_at_rest)
{
	put_literal(OBJ_SECRET, "db", "password", "hunter2", false, NULL);
	struct stat st;
	char path[256];
	snprintf(path, sizeof(path), "%s/secrets/default/db/current/password", root);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0600);
	snprintf(path, sizeof(path), "%s/secrets/default/db", root);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700);
	snprintf(path, sizeof(path), "%s/secrets", root);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700);
}

Test(objstore, fifo_and_oversize_refused_without_blocking)
{
	char fifo[128], big[128];
	snprintf(fifo, sizeof(fifo), "%s/fifo", root);
	snprintf(big, sizeof(big), "%s/big", root);
	cr_assert_eq(mkfifo(fifo, 0600), 0);
	struct obj_data d = { 0 };
	berr err = { 0 };
	cr_assert_eq(obj_data_add_file(&d, NULL, fifo, &err), -EINVAL);
	cr_assert(strstr(err.msg, "not a regular file"), "%s", err.msg);
	int fd = open(big, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)obj_max_bytes() + 1), 0);
	close(fd);
	berr_clear(&err);
	cr_assert_eq(obj_data_add_file(&d, NULL, big, &err), -EFBIG);
	cr_assert(strstr(err.msg, "larger than"), "%s", err.msg);
	/* a symlink is not followed */
	char ln[128];
	snprintf(ln, sizeof(ln), "%s/ln", root);
	cr_assert_eq(symlink("/etc/passwd", ln), 0);
	cr_assert_lt(obj_data_add_file(&d, NULL, ln, &err), 0);
	cr_assert_eq(d.n, 0);
}

Test(objstore, namespaces_scope_names)
{
	struct obj_data d = { 0 };
	berr err = { 0 };
	obj_data_add(&d, "k", "1", 1, &err);
	cr_assert_eq(obj_put(root, OBJ_CONFIG, "dev", "app", &d, false, NULL, &err), 0);
	cr_assert_eq(obj_put(root, OBJ_CONFIG, "prod", "app", &d, false, NULL, &err), 0);
	cr_assert_lt(obj_put(root, OBJ_CONFIG, "Bad_NS", "app", &d, false, NULL, &err), 0);
	obj_data_clear(&d);
	struct obj_info *v;
	size_t n;
	cr_assert_eq(obj_list(root, OBJ_CONFIG, NULL, &v, &n, &err), 0);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(v[0].ns, "dev");
	cr_assert_str_eq(v[1].ns, "prod");
	free(v);
	cr_assert_eq(obj_list(root, OBJ_CONFIG, "dev", &v, &n, &err), 0);
	cr_assert_eq(n, 1);
	free(v);
	char ver[OBJ_VERSION_MAX], ver2[OBJ_VERSION_MAX];
	cr_assert_eq(obj_version(root, OBJ_CONFIG, "dev", "app", ver, &err), 0);
	cr_assert_eq(obj_remove(root, OBJ_CONFIG, "dev", "app", &err), 0);
	cr_assert_eq(obj_version(root, OBJ_CONFIG, "dev", "app", ver2, &err), -ENOENT);
	/* created again: a version never seen before */
	obj_data_add(&d, "k", "2", 1, &err);
	cr_assert_eq(obj_put(root, OBJ_CONFIG, "dev", "app", &d, false, NULL, &err), 0);
	obj_data_clear(&d);
	cr_assert_eq(obj_version(root, OBJ_CONFIG, "dev", "app", ver2, &err), 0);
	cr_assert_str_neq(ver, ver2);
	cr_assert_eq(obj_version(root, OBJ_CONFIG, "prod", "app", ver, &err), 0);
}

Test(objstore, volume_usage_counts_blocks_and_links_once)
{
	char dir[128], f[160], l[160];
	berr err = { 0 };
	cr_assert_eq(volume_path(root, "default", "data", dir, sizeof(dir), &err), 0);
	cr_assert(strstr(dir, "/volumes/data"));
	cr_assert_eq(mkdir_p(dir, 0755, &err), 0);
	snprintf(f, sizeof(f), "%s/f", dir);
	snprintf(l, sizeof(l), "%s/l", dir);
	int fd = open(f, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	static char buf[65536];
	memset(buf, 'x', sizeof(buf));
	cr_assert_eq(write(fd, buf, sizeof(buf)), (ssize_t)sizeof(buf));
	fsync(fd);
	close(fd);
	cr_assert_eq(link(f, l), 0);
	uint64_t bytes, files;
	cr_assert_eq(volume_usage(dir, &bytes, &files, &err), 0, "%s", err.msg);
	struct stat st;
	stat(f, &st);
	struct stat dst;
	stat(dir, &dst);
	cr_assert_eq(bytes, (uint64_t)st.st_blocks * 512 + (uint64_t)dst.st_blocks * 512);
	cr_assert_eq(files, 2); /* the dir and the file once */
	char other[128];
	cr_assert_eq(volume_path(root, "dev", "data", other, sizeof(other), &err), 0);
	cr_assert_str_neq(other, dir);
	struct volume_info *v;
	size_t n;
	cr_assert_eq(volume_list(root, NULL, false, &v, &n, &err), 0);
	cr_assert_eq(n, 1);
	free(v);
	cr_assert_eq(volume_remove(root, "default", "data", &err), 0);
	cr_assert_not(path_exists(dir));
}
