// SPDX-License-Identifier: GPL-2.0-or-later
/* The store, load, references, names, platforms and the image's user. */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "images/digest.h"
#include "images/gc.h"
#include "images/image.h"
#include "images/load.h"
#include "images/platform.h"
#include "images/ref.h"
#include "images/store.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

static char root[64];

static void setup(void)
{
	strcpy(root, "/tmp/berth-unit-store.XXXXXX");
	cr_assert_not_null(mkdtemp(root));
}

static void teardown(void)
{
	rm_rf_at(AT_FDCWD, root);
}

TestSuite(store, .init = setup, .fini = teardown);
TestSuite(names);

/* ---- building archives ---- */

struct mem {
	char *p;
	size_t n;
};

struct file {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
	char type;  /* 0 file, 'l' symlink, 'p' fifo */
};

static struct mem tar_of(const struct file *f, size_t n, bool gzip)
{
	struct archive *a = archive_write_new();
	size_t cap = 1 << 22, used = 0;
	struct mem m = { malloc(cap), 0 };

	archive_write_set_format_pax_restricted(a);
	if (gzip)
		archive_write_add_filter_gzip(a);
	archive_write_set_bytes_in_last_block(a, 1);
	cr_assert_eq(archive_write_open_memory(a, m.p, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t len = f[i].len ? f[i].len : (f[i].data ? strlen(f[i].data) : 0);
		archive_entry_set_pathname(e, f[i].name);
		archive_entry_set_perm(e, 0644);
		if (f[i].type == 'l') {
			archive_entry_set_filetype(e, AE_IFLNK);
			archive_entry_set_symlink(e, f[i].data);
			len = 0;
		} else if (f[i].type == 'p') {
			archive_entry_set_filetype(e, AE_IFIFO);
			len = 0;
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_size(e, (la_int64_t)len);
		}
		archive_write_header(a, e);
		if (len)
			archive_write_data(a, f[i].data, len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	m.n = used;
	return m;
}

/* An OCI layout tar with one image of the given layers; returns its path.
 * Each layer is a tar of FILES. Knobs to make it hostile. */
struct knobs {
	const char *wrong_diff_id;	/* config claims this diff_id */
	const char *manifest_digest;	/* index.json points here instead */
	bool corrupt_layer_name;	/* layer stored under the wrong name */
	const char *ref_name;
};

static char *oci_tar(const char *name, struct mem *layers, size_t nl, const struct knobs *k)
{
	char diff[8][DIGEST_BUF], ld[8][DIGEST_BUF], cfgd[DIGEST_BUF], mand[DIGEST_BUF];
	char cfg[4096], man[4096], idx[2048], path[8][96], cpath[96], mpath[96];
	struct file f[20];
	size_t n = 0;
	int o;

	o = snprintf(cfg, sizeof(cfg), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"],"
		     "\"User\":\"www\",\"WorkingDir\":\"/srv\",\"Env\":[\"A=1\"],\"StopSignal\":\"SIGQUIT\"},"
		     "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[");
	for (size_t i = 0; i < nl; i++) {
		/* gzip the layers: diff_id is of the raw tar */
		digest_buf(layers[i].p, layers[i].n, diff[i]);
		o += snprintf(cfg + o, sizeof(cfg) - o, "%s\"%s\"", i ? "," : "",
			      k && k->wrong_diff_id && i == nl - 1 ? k->wrong_diff_id : diff[i]);
	}
	snprintf(cfg + o, sizeof(cfg) - o, "]}}");
	digest_buf(cfg, strlen(cfg), cfgd);
	o = snprintf(man, sizeof(man), "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"config\":{\"mediaType\":\"%s\","
		     "\"digest\":\"%s\",\"size\":%zu},\"layers\":[", MEDIA_OCI_MANIFEST, MEDIA_OCI_CONFIG, cfgd,
		     strlen(cfg));
	for (size_t i = 0; i < nl; i++) {
		digest_buf(layers[i].p, layers[i].n, ld[i]);
		o += snprintf(man + o, sizeof(man) - o, "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}",
			      i ? "," : "", MEDIA_OCI_LAYER, ld[i], layers[i].n);
	}
	snprintf(man + o, sizeof(man) - o, "]}");
	digest_buf(man, strlen(man), mand);
	snprintf(idx, sizeof(idx), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\","
		 "\"size\":%zu,\"annotations\":{\"org.opencontainers.image.ref.name\":\"%s\"}}]}",
		 MEDIA_OCI_MANIFEST, k && k->manifest_digest ? k->manifest_digest : mand, strlen(man),
		 k && k->ref_name ? k->ref_name : "test/img:1");
	f[n++] = (struct file){ "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}" };
	f[n++] = (struct file){ "index.json", idx };
	snprintf(cpath, sizeof(cpath), "blobs/sha256/%s", digest_hex(cfgd));
	f[n++] = (struct file){ cpath, cfg };
	snprintf(mpath, sizeof(mpath), "blobs/sha256/%s", digest_hex(mand));
	f[n++] = (struct file){ mpath, man };
	for (size_t i = 0; i < nl; i++) {
		char bogus[DIGEST_BUF];
		digest_buf("bogus", 5, bogus);
		snprintf(path[i], sizeof(path[i]), "blobs/sha256/%s",
			 k && k->corrupt_layer_name ? digest_hex(bogus) : digest_hex(ld[i]));
		f[n++] = (struct file){ path[i], layers[i].p, layers[i].n };
	}
	struct mem t = tar_of(f, n, false);
	char *out;
	cr_assert_geq(asprintf(&out, "%s/%s.tar", root, name), 0);
	FILE *fp = fopen(out, "w");
	fwrite(t.p, 1, t.n, fp);
	fclose(fp);
	free(t.p);
	return out;
}

static struct mem base_layer(void)
{
	struct file f[] = {
		{ "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nwww:x:33:44:www:/var/www:/bin/false\n" },
		{ "etc/group", "root:x:0:\nweb:x:44:\nstaff:x:50:alice,www\n" },
		{ "bin/sh", "#!" },
		{ "shared", "same inode?" },
	};
	return tar_of(f, 4, false);
}

static int load(const char *path, struct load_result *res, berr *err)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct platform p;
	platform_from("x86_64", NULL, &p);
	struct load_opts o = { .platform = &p };
	int r = store_open(root, true, &s, err);
	return r < 0 ? r : image_load(s, path, &o, res, err);
}

static int fsck_count(void)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	berr err = { 0 };
	cr_assert_eq(store_open(root, false, &s, &err), 0, "%s", err.msg);
	return store_fsck(s, true, NULL, NULL, &err);
}

static int count_records(void)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct image_records r = { 0 };
	berr err = { 0 };
	if (store_open(root, false, &s, &err) < 0)
		return 0;
	store_records_read(s, &r, &err);
	int n = (int)r.n;
	image_records_free(&r);
	return n;
}

Test(store, load_two_layers_and_resolve_rootfs)
{
	struct mem l[2] = { base_layer() };
	struct file top[] = { { "srv/app", "app" }, { "etc/.wh.group", "" } };
	l[1] = tar_of(top, 2, false);
	_cleanup_free_ char *p = oci_tar("ok", l, 2, NULL);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_eq(load(p, &res, &err), 0, "%s", err.msg);
	cr_assert_str_eq(res.names[0], "test/img:1");
	load_result_free(&res);

	char **lowers = NULL;
	struct image_config *cfg = NULL;
	char digest[DIGEST_BUF];
	cr_assert_eq(image_resolve_rootfs(root, "test/img:1", &lowers, &cfg, digest, &err), 0, "%s", err.msg);
	cr_assert_eq(strv_length(lowers), 2);
	cr_assert(strstr(lowers[0], "/images/layers/"));
	struct stat st;
	char q[512];
	snprintf(q, sizeof(q), "%s/srv/app", lowers[0]);
	cr_assert_eq(stat(q, &st), 0, "top layer first");
	cr_assert_eq(cfg->uid, 33);
	cr_assert_eq(cfg->gid, 44);
	/* /etc/group is whited out in the top layer: no supplementary groups */
	cr_assert_eq(cfg->ngroups, 0);
	cr_assert_str_eq(cfg->working_dir, "/srv");
	cr_assert_str_eq(cfg->home, "/var/www");
	cr_assert_eq(cfg->stop_signo, 3);
	cr_assert_str_eq(cfg->cmd[0], "sh");
	strv_free(lowers);
	image_config_free(cfg);
	free(cfg);

	/* the store is private: layers hold setuid files */
	snprintf(q, sizeof(q), "%s/images", root);
	cr_assert_eq(stat(q, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	cr_assert_eq(fsck_count(), 0);

	/* loading again reuses everything */
	cr_assert_eq(load(p, &res, &err), 0, "%s", err.msg);
	load_result_free(&res);
	cr_assert_eq(count_records(), 1);
	free(l[0].p);
	free(l[1].p);
}

Test(store, user_groups_from_etc_group)
{
	struct mem l[1] = { base_layer() };
	_cleanup_free_ char *p = oci_tar("grp", l, 1, NULL);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_eq(load(p, &res, &err), 0, "%s", err.msg);
	load_result_free(&res);
	char **lowers = NULL;
	struct image_config *cfg = NULL;
	cr_assert_eq(image_resolve_rootfs(root, "test/img:1", &lowers, &cfg, NULL, &err), 0, "%s", err.msg);
	cr_assert_eq(cfg->ngroups, 1);
	cr_assert_eq(cfg->groups[0], 50);
	int fd = open(lowers[0], O_PATH | O_DIRECTORY);
	struct image_config c2 = { 0 };
	cr_assert_eq(image_resolve_user(&fd, 1, "root:web", &c2, &err), 0, "%s", err.msg);
	cr_assert_eq(c2.uid, 0);
	cr_assert_eq(c2.gid, 44);
	cr_assert_eq(image_resolve_user(&fd, 1, "1234:5", &c2, &err), 0);
	cr_assert_eq(c2.uid, 1234);
	cr_assert_eq(c2.gid, 5);
	cr_assert_eq(image_resolve_user(&fd, 1, "4321", &c2, &err), 0);
	cr_assert_eq(c2.gid, 0, "unknown numeric uid gets gid 0");
	cr_assert_eq(image_resolve_user(&fd, 1, "nobody", &c2, &err), -ENOENT);
	cr_assert(strstr(err.msg, "nobody"), "%s", err.msg);
	image_config_free(&c2);
	close(fd);
	strv_free(lowers);
	image_config_free(cfg);
	free(cfg);
	free(l[0].p);
}

Test(store, passwd_symlink_and_fifo_are_not_followed)
{
	/* /etc/passwd -> host file; /etc/group a FIFO: neither leaks nor hangs */
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/layer", root);
	mkdir(dir, 0755);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	berr err = { 0 };
	mkdirat(dfd, "etc", 0755);
	cr_assert_eq(symlinkat("/etc/passwd", dfd, "etc/passwd"), 0);
	cr_assert_eq(mkfifoat(dfd, "etc/group", 0644), 0);
	struct image_config c = { 0 };
	cr_assert_eq(image_resolve_user(&dfd, 1, "root", &c, &err), -ENOENT,
		     "the host's /etc/passwd was read through the link");
	cr_assert_eq(image_resolve_user(&dfd, 1, "0:0", &c, &err), 0, "%s", err.msg);
	image_config_free(&c);
	close(dfd);
}

Test(store, hostile_digest_in_index_is_refused)
{
	struct mem l[1] = { base_layer() };
	const char *bad[] = { "sha256:../../../../etc/passwd", "sha512:abcd", "sha256:ABCDEF",
			      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde/" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct knobs k = { .manifest_digest = bad[i] };
		_cleanup_free_ char *p = oci_tar("bad", l, 1, &k);
		struct load_result res = { 0 };
		berr err = { 0 };
		cr_assert_lt(load(p, &res, &err), 0, "%s accepted", bad[i]);
		cr_assert(strstr(err.msg, "nvalid digest"), "%s", err.msg);
		cr_assert_eq(count_records(), 0);
	}
	free(l[0].p);
}

Test(store, blob_under_wrong_name_is_refused)
{
	struct mem l[1] = { base_layer() };
	struct knobs k = { .corrupt_layer_name = true };
	_cleanup_free_ char *p = oci_tar("wrong", l, 1, &k);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_lt(load(p, &res, &err), 0);
	cr_assert(strstr(err.msg, "digest"), "%s", err.msg);
	cr_assert_eq(count_records(), 0);
	cr_assert_eq(fsck_count(), 0);
	free(l[0].p);
}

Test(store, diff_id_mismatch_leaves_no_layer)
{
	struct mem l[1] = { base_layer() };
	struct knobs k = { .wrong_diff_id = "sha256:1111111111111111111111111111111111111111111111111111111111111111" };
	_cleanup_free_ char *p = oci_tar("diff", l, 1, &k);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_lt(load(p, &res, &err), 0);
	cr_assert(strstr(err.msg, "diff_id"), "%s", err.msg);
	cr_assert_eq(count_records(), 0);
	char q[256];
	snprintf(q, sizeof(q), "%s/images/layers", root);
	DIR *d = opendir(q);
	struct dirent *de;
	int n = 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(n, 0, "a layer dir was left");
	snprintf(q, sizeof(q), "%s/images/blobs/sha256", root);
	d = opendir(q);
	n = 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	cr_assert_eq(n, 0, "blobs of the failed load were left");
	free(l[0].p);
}

Test(store, references_block_rm_and_prune)
{
	struct mem l[1] = { base_layer() };
	_cleanup_free_ char *p = oci_tar("ref", l, 1, NULL);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_eq(load(p, &res, &err), 0, "%s", err.msg);
	char digest[DIGEST_BUF];
	snprintf(digest, sizeof(digest), "%s", res.digests[0]);
	load_result_free(&res);

	_cleanup_(store_closep) struct image_store *s = NULL;
	cr_assert_eq(store_open(root, true, &s, &err), 0);
	char cdir[128];
	snprintf(cdir, sizeof(cdir), "%s/containers", root);
	mkdir(cdir, 0700);
	snprintf(cdir, sizeof(cdir), "%s/containers/web-1", root);
	mkdir(cdir, 0700);
	cr_assert_eq(store_ref_add(s, "web-1", digest, &err), 0);
	cr_assert_eq(store_ref_add(s, "../evil", digest, &err), -EINVAL);
	cr_assert_eq(image_remove(s, "test/img:1", false, NULL, &err), -EBUSY);
	cr_assert(strstr(err.msg, "web-1"), "%s", err.msg);
	/* forced: the name goes, the content stays while the container holds it */
	cr_assert_eq(image_remove(s, "test/img:1", true, NULL, &err), 0);
	struct prune_stats st;
	cr_assert_eq(store_prune(s, &st, &err), 0);
	cr_assert_eq(st.layers, 0, "layers %lu blobs %lu images %lu", st.layers, st.blobs, st.images);
	cr_assert_eq(st.blobs, 0);
	cr_assert(store_has_blob(s, digest));
	/* the container's dir goes (deleted without a release): the reference is stale */
	rmdir(cdir);
	cr_assert_eq(store_prune(s, &st, &err), 0);
	cr_assert_eq(st.layers, 1);
	cr_assert_eq(st.blobs, 3);
	cr_assert(!store_has_blob(s, digest));
	free(l[0].p);
}

Test(store, tag_untag_and_find_by_id)
{
	struct mem l[1] = { base_layer() };
	struct knobs k = { .ref_name = "latest" }; /* a bare tag names nothing */
	_cleanup_free_ char *p = oci_tar("untagged", l, 1, &k);
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_eq(load(p, &res, &err), 0, "%s", err.msg);
	cr_assert(digest_valid(res.names[0]), "untagged: named by digest, got %s", res.names[0]);
	_cleanup_(store_closep) struct image_store *s = NULL;
	cr_assert_eq(store_open(root, true, &s, &err), 0);
	char d[DIGEST_BUF], prefix[16];
	snprintf(prefix, sizeof(prefix), "%.12s", digest_hex(res.digests[0]));
	cr_assert_eq(image_find(s, prefix, d, &err), 0, "%s", err.msg);
	cr_assert_str_eq(d, res.digests[0]);
	struct prune_stats st;
	cr_assert_eq(store_prune(s, &st, &err), 0);
	cr_assert_eq(st.images, 1, "untagged and unused: pruned");
	cr_assert_eq(image_find(s, prefix, d, &err), -ENOENT);
	load_result_free(&res);
	free(l[0].p);
}

Test(store, crash_injection_never_leaves_dangling_records)
{
	struct mem l[2] = { base_layer() };
	struct file top[] = { { "srv/app", "app" } };
	l[1] = tar_of(top, 1, false);
	_cleanup_free_ char *p = oci_tar("crash", l, 2, NULL);
	for (int n = 1; n < 40; n++) {
		pid_t pid = fork();
		if (pid == 0) {
			char v[16];
			snprintf(v, sizeof(v), "%d", n);
			setenv("BERTH_TEST_CRASH_AT", v, 1);
			struct load_result res = { 0 };
			berr err = { 0 };
			_exit(load(p, &res, &err) < 0 ? 1 : 0);
		}
		int status;
		waitpid(pid, &status, 0);
		cr_assert(WIFEXITED(status));
		cr_assert_eq(fsck_count(), 0, "store inconsistent after a crash at write %d", n);
		if (WEXITSTATUS(status) == 0)
			break; /* got past every crash point */
		cr_assert_eq(WEXITSTATUS(status), 99, "load failed at %d", n);
	}
	cr_assert_eq(count_records(), 1);
	free(l[0].p);
	free(l[1].p);
}

/* A nested index: index.json -> image index -> one manifest per platform
 * (amd64, arm64, arm/v6, arm/v7 unless SKIP_V7), each with its own config. */
static char *multi_arch_tar(bool skip_v7)
{
	static const char *const plats[][3] = {
		{ "amd64", "", "x" }, { "arm64", "v8", "y" }, { "arm", "v6", "z" }, { "arm", "v7", "w" },
	};
	struct mem layer = base_layer();
	char diff[DIGEST_BUF], ld[DIGEST_BUF], lpath[96];
	char cfg[4][1024], cfgd[4][DIGEST_BUF], cpath[4][96], man[4][1024], mand[4][DIGEST_BUF], mpath[4][96];
	char index[4096], indexd[DIGEST_BUF], ipath[96], top[1024];
	struct file f[16];
	size_t n = 0, np = skip_v7 ? 3 : 4;
	int o;

	digest_buf(layer.p, layer.n, diff);
	digest_buf(layer.p, layer.n, ld);
	o = snprintf(index, sizeof(index), "{\"schemaVersion\":2,\"mediaType\":\"%s\",\"manifests\":[", MEDIA_OCI_INDEX);
	for (size_t i = 0; i < np; i++) {
		snprintf(cfg[i], sizeof(cfg[i]), "{\"architecture\":\"%s\",\"variant\":\"%s\",\"os\":\"linux\","
			 "\"config\":{\"Cmd\":[\"%s\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"%s\"]}}",
			 plats[i][0], plats[i][1], plats[i][2], diff);
		digest_buf(cfg[i], strlen(cfg[i]), cfgd[i]);
		snprintf(man[i], sizeof(man[i]), "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"%s\",\"digest\":\"%s\","
			 "\"size\":%zu},\"layers\":[{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu}]}",
			 MEDIA_OCI_CONFIG, cfgd[i], strlen(cfg[i]), MEDIA_OCI_LAYER, ld, layer.n);
		digest_buf(man[i], strlen(man[i]), mand[i]);
		o += snprintf(index + o, sizeof(index) - o, "%s{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%zu,"
			      "\"platform\":{\"os\":\"linux\",\"architecture\":\"%s\",\"variant\":\"%s\"}}",
			      i ? "," : "", MEDIA_OCI_MANIFEST, mand[i], strlen(man[i]), plats[i][0], plats[i][1]);
		snprintf(cpath[i], sizeof(cpath[i]), "blobs/sha256/%s", digest_hex(cfgd[i]));
		snprintf(mpath[i], sizeof(mpath[i]), "blobs/sha256/%s", digest_hex(mand[i]));
		f[n++] = (struct file){ cpath[i], cfg[i] };
		f[n++] = (struct file){ mpath[i], man[i] };
	}
	snprintf(index + o, sizeof(index) - o, "]}");
	digest_buf(index, strlen(index), indexd);
	snprintf(ipath, sizeof(ipath), "blobs/sha256/%s", digest_hex(indexd));
	snprintf(lpath, sizeof(lpath), "blobs/sha256/%s", digest_hex(ld));
	snprintf(top, sizeof(top), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"%s\",\"digest\":\"%s\","
		 "\"size\":%zu,\"annotations\":{\"io.containerd.image.name\":\"docker.io/library/multi:1\"}}]}",
		 MEDIA_OCI_INDEX, indexd, strlen(index));
	f[n++] = (struct file){ ipath, index };
	f[n++] = (struct file){ lpath, layer.p, layer.n };
	f[n++] = (struct file){ "index.json", top };
	struct mem t = tar_of(f, n, true);
	char *out;
	cr_assert_geq(asprintf(&out, "%s/multi%d.tar.gz", root, skip_v7), 0);
	FILE *fp = fopen(out, "w");
	fwrite(t.p, 1, t.n, fp);
	fclose(fp);
	free(t.p);
	free(layer.p);
	return out;
}

static const char *loaded_cmd(const char *plat, const char *tar)
{
	static char cmd[8];
	_cleanup_(store_closep) struct image_store *s = NULL;
	_cleanup_(image_freep) struct image *img = NULL;
	struct platform p;
	struct load_result res = { 0 };
	berr err = { 0 };
	cr_assert_eq(platform_parse(plat, &p, &err), 0);
	struct load_opts o = { .platform = &p };
	cr_assert_eq(store_open(root, true, &s, &err), 0);
	cr_assert_eq(image_load(s, tar, &o, &res, &err), 0, "%s: %s", plat, err.msg);
	cr_assert_str_eq(res.names[0], "multi:1");
	cr_assert_eq(image_open(s, res.digests[0], &img, &err), 0);
	snprintf(cmd, sizeof(cmd), "%s", img->config.cmd[0]);
	load_result_free(&res);
	return cmd;
}

Test(store, index_picks_the_platform)
{
	_cleanup_free_ char *all = multi_arch_tar(false);
	_cleanup_free_ char *no_v7 = multi_arch_tar(true);
	cr_assert_str_eq(loaded_cmd("linux/amd64", all), "x");
	cr_assert_str_eq(loaded_cmd("linux/arm64", all), "y");
	cr_assert_str_eq(loaded_cmd("linux/arm/v7", all), "w");
	cr_assert_str_eq(loaded_cmd("linux/arm/v6", all), "z");
	cr_assert_str_eq(loaded_cmd("linux/arm/v7", no_v7), "z", "a v7 board runs v6 code");
	/* other platforms' blobs are not kept */
	cr_assert_eq(fsck_count(), 0);
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct platform p;
	struct load_result res = { 0 };
	berr err = { 0 };
	platform_parse("linux/riscv64", &p, NULL);
	struct load_opts o = { .platform = &p };
	cr_assert_eq(store_open(root, true, &s, &err), 0);
	cr_assert_eq(image_load(s, all, &o, &res, &err), -ENOENT);
	cr_assert(strstr(err.msg, "riscv64"), "%s", err.msg);
}

/* ---- names and platforms ---- */

Test(names, digests_are_validated)
{
	cr_assert(digest_valid("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	cr_assert(!digest_valid("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	cr_assert(!digest_valid("sha256:../../etc/passwd"));
	cr_assert(!digest_valid("sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0"));
	cr_assert(!digest_valid("md5:0123"));
	cr_assert(!digest_valid(NULL));
}

Test(names, chain_ids)
{
	char c[DIGEST_BUF], want[DIGEST_BUF];
	const char *a = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	const char *b = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
	digest_chain(NULL, a, c);
	cr_assert_str_eq(c, a);
	digest_chain(a, b, c);
	char buf[200];
	snprintf(buf, sizeof(buf), "%s %s", a, b);
	digest_buf(buf, strlen(buf), want);
	cr_assert_str_eq(c, want);
}

Test(names, references_normalize)
{
	struct {
		const char *in, *out;
	} t[] = {
		{ "busybox", "busybox:latest" },
		{ "docker.io/library/busybox:1.36", "busybox:1.36" },
		{ "index.docker.io/library/busybox", "busybox:latest" },
		{ "user/app", "user/app:latest" },
		{ "127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest" },
		{ "localhost/app:v1", "localhost/app:v1" },
		{ "ghcr.io/a/b/c:v2", "ghcr.io/a/b/c:v2" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *n = ref_normalize(t[i].in, NULL);
		cr_assert_not_null(n, "%s", t[i].in);
		cr_assert_str_eq(n, t[i].out);
		free(n);
	}
	/* found by tests/fuzz/images.sh: a leading "_" (read before the string),
	 * a familiar name that re-parsed as a host */
	const char *stable[] = { "library/a.b/c", "docker.io/user.name/app:1", "docker.io/library/x/y" };
	for (size_t i = 0; i < sizeof(stable) / sizeof(stable[0]); i++) {
		char *n = ref_normalize(stable[i], NULL);
		cr_assert_not_null(n, "%s", stable[i]);
		char *again = ref_normalize(n, NULL);
		cr_assert_not_null(again, "%s -> %s", stable[i], n);
		cr_assert_str_eq(again, n);
		free(n);
		free(again);
	}
	const char *bad[] = { "", "UPPER", "a/../b", "a:b:c/d", "a@sha256:xyz", "a:-bad", "/abs", "__x", "_" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_null(ref_normalize(bad[i], NULL), "%s accepted", bad[i]);
	struct image_ref r;
	cr_assert_eq(ref_parse("busybox", &r, NULL), 0);
	cr_assert_str_eq(r.registry, "docker.io");
	cr_assert_str_eq(r.repo, "library/busybox");
	ref_free(&r);
}

Test(names, platforms)
{
	struct platform p;
	platform_from("x86_64", NULL, &p);
	cr_assert_str_eq(p.arch, "amd64");
	platform_from("aarch64", NULL, &p);
	cr_assert_str_eq(p.arch, "arm64");
	platform_from("armv7l", "processor\t: 0\nmodel name\t: ARMv7 Processor rev 4 (v7l)\n", &p);
	cr_assert_str_eq(p.variant, "v7");
	/* Pi Zero / Pi 1: "CPU architecture: 7" but an ARMv6 core */
	platform_from("armv7l",
		      "processor\t: 0\nmodel name\t: ARMv6-compatible processor rev 7 (v6l)\n"
		      "CPU architecture: 7\n",
		      &p);
	cr_assert_str_eq(p.arch, "arm");
	cr_assert_str_eq(p.variant, "v6");
	/* a v6 board must not pick v7 code; a v7 board prefers v7 over v6 */
	cr_assert_lt(platform_score(&p, "linux", "arm", "v7"), 0);
	cr_assert_geq(platform_score(&p, "linux", "arm", "v6"), 0);
	struct platform v7;
	platform_parse("linux/arm/v7", &v7, NULL);
	cr_assert_gt(platform_score(&v7, "linux", "arm", "v7"), platform_score(&v7, "linux", "arm", "v6"));
	cr_assert_gt(platform_score(&v7, "linux", "arm", "v6"), platform_score(&v7, "linux", "arm", "v5"));
	cr_assert_lt(platform_score(&v7, "linux", "arm64", "v8"), 0);
	cr_assert_lt(platform_score(&v7, "unknown", "unknown", NULL), 0);
	cr_assert_eq(platform_parse("arm64", &p, NULL), 0);
	cr_assert_str_eq(p.variant, "v8");
	cr_assert_lt(platform_parse("", &p, NULL), 0);
}

Test(names, signals)
{
	cr_assert_eq(image_signal_number("SIGTERM"), 15);
	cr_assert_eq(image_signal_number("quit"), 3);
	cr_assert_eq(image_signal_number("9"), 9);
	cr_assert_eq(image_signal_number("SIGNOPE"), 0);
}
