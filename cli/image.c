// SPDX-License-Identifier: GPL-2.0-or-later
/* berth image load|pull|ls|inspect|tag|rm|prune|save|fsck, and the aliases
 * berth load, berth pull, berth images. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/image.h"
#include "images/gc.h"
#include "images/image.h"
#include "images/load.h"
#include "images/platform.h"
#include "images/pull.h"
#include "images/ref.h"
#include "images/save.h"
#include "lib/cleanup.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "runtime/spec.h"

static int fail(const berr *err)
{
	log_error("%s", err->msg);
	return EXIT_BERTH;
}

static int open_store(struct cli *cli, bool write, struct image_store **s)
{
	berr err = { 0 };
	if (store_open(cli->root, write, s, &err) < 0)
		return fail(&err);
	return 0;
}

static void progress_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

/* Docker loads an image of another architecture and warns: so do we. */
static void warn_platform(struct image_store *s, const char *digest, const struct platform *want)
{
	_cleanup_(image_freep) struct image *img = NULL;
	struct platform here;
	char a[64], b[64];

	if (!want) {
		platform_detect(&here);
		want = &here;
	}
	if (image_open(s, digest, &img, NULL) < 0 || !img->config.architecture || !img->config.os)
		return;
	if (platform_score(want, img->config.os, img->config.architecture, img->config.variant) >= 0)
		return;
	struct platform got = { 0 };
	snprintf(got.os, sizeof(got.os), "%s", img->config.os);
	snprintf(got.arch, sizeof(got.arch), "%s", img->config.architecture);
	snprintf(got.variant, sizeof(got.variant), "%s", img->config.variant ? img->config.variant : "");
	log_warn("Image %.19s is for %s, this board runs %s", digest, platform_str(&got, a),
		 platform_str(want, b));
}

static int usage_load(void)
{
	fprintf(stderr, "Usage: berth image load [-q] [-t NAME] [--platform OS/ARCH[/VARIANT]] [-i] FILE|DIR|-\n");
	return EXIT_BERTH;
}

static int image_cmd_load(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' }, { "tag", required_argument, NULL, 't' },
		{ "platform", required_argument, NULL, 'p' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct load_opts lo = { 0 };
	struct load_result res = { 0 };
	struct platform plat;
	const char *input = NULL;
	bool quiet = false;
	berr err = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "i:t:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 't':
			lo.tag = optarg;
			break;
		case 'p':
			if (platform_parse(optarg, &plat, &err) < 0)
				return fail(&err);
			lo.platform = &plat;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			return usage_load();
		}
	}
	if (!input && optind < argc)
		input = argv[optind++];
	if (!input || optind < argc)
		return usage_load();
	if (strcmp(input, "-") == 0 && isatty(STDIN_FILENO)) {
		log_error("Refusing to read an image from a terminal (give a file, or pipe it in)");
		return EXIT_BERTH;
	}
	if (!quiet && isatty(STDERR_FILENO))
		lo.progress = progress_line;
	if (open_store(cli, true, &s))
		return EXIT_BERTH;
	if (image_load(s, input, &lo, &res, &err) < 0)
		return fail(&err);
	for (size_t i = 0; res.names[i]; i++) {
		printf(strncmp(res.names[i], "sha256:", 7) ? "Loaded image: %s\n" : "Loaded image ID: %s\n",
		       res.names[i]);
		warn_platform(s, res.digests[i], lo.platform);
	}
	if (res.skipped_devices)
		log_warn("Skipped %llu device node(s) in the image's layers",
			 (unsigned long long)res.skipped_devices);
	load_result_free(&res);
	return 0;
}

static void split_name(const char *name, char *repo, size_t rsz, char *tag, size_t tsz)
{
	const char *at = strchr(name, '@');
	const char *colon = at ? at : strrchr(name, ':');
	if (colon && strchr(colon, '/'))
		colon = NULL;
	snprintf(repo, rsz, "%.*s", colon ? (int)(colon - name) : (int)strlen(name), name);
	snprintf(tag, tsz, "%s", colon ? colon + 1 : "<none>");
}

static void print_row(struct image_store *s, const char *name, const char *digest, bool quiet)
{
	_cleanup_(image_freep) struct image *img = NULL;
	char repo[256], tag[160], sz[16];

	if (image_open(s, digest, &img, NULL) < 0) {
		printf("%-30s %-12s %-14s %s\n", name ? name : "<none>", "", "(damaged)", digest);
		return;
	}
	if (quiet) {
		printf("%.12s\n", digest_hex(img->config_digest));
		return;
	}
	if (name)
		split_name(name, repo, sizeof(repo), tag, sizeof(tag));
	else
		snprintf(repo, sizeof(repo), "<none>"), snprintf(tag, sizeof(tag), "<none>");
	printf("%-30s %-12s %-14.12s %-22.20s %s\n", repo, tag, digest_hex(img->config_digest),
	       img->config.created ? img->config.created : "", format_size((uint64_t)img->size, sz));
}

static int image_cmd_ls(struct cli *cli, int argc, char **argv)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct image_records recs = { 0 };
	berr err = { 0 };
	bool quiet = argc > 1 && (!strcmp(argv[1], "-q") || !strcmp(argv[1], "--quiet"));

	if (open_store(cli, false, &s)) {
		/* no store yet: no images */
		if (!quiet)
			printf("%-30s %-12s %-14s %-22s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
		return 0;
	}
	if (store_records_read(s, &recs, &err) < 0)
		return fail(&err);
	if (!quiet)
		printf("%-30s %-12s %-14s %-22s %s\n", "REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
	for (size_t i = 0; i < recs.n; i++)
		print_row(s, recs.v[i].name, recs.v[i].digest, quiet);
	image_records_free(&recs);
	return 0;
}

static json_t *strv_json(char **v)
{
	json_t *a = json_array();
	for (size_t i = 0; v && v[i]; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *inspect_one(struct image_store *s, const char *digest, berr *err)
{
	_cleanup_(image_freep) struct image *img = NULL;
	_cleanup_free_ char *cfgtext = NULL;
	struct image_records recs = { 0 };
	_cleanup_strv_ char **refs = NULL;

	if (image_open(s, digest, &img, err) < 0 ||
	    store_blob_read(s, img->config_digest, IMAGE_JSON_MAX, &cfgtext, NULL, err) < 0 ||
	    store_records_read(s, &recs, err) < 0 || store_refs_list(s, &refs, err) < 0)
		return NULL;
	json_t *cfg = json_loads(cfgtext, 0, NULL);
	json_t *tags = json_array(), *used = json_array(), *layers = json_array();
	for (size_t i = 0; i < recs.n; i++)
		if (recs.v[i].name && !strcmp(recs.v[i].digest, digest))
			json_array_append_new(tags, json_string(recs.v[i].name));
	image_records_free(&recs);
	for (size_t i = 0; refs[i]; i++) {
		char *sp = strchr(refs[i], ' ');
		if (sp && !strcmp(sp + 1, digest))
			json_array_append_new(used, json_stringn(refs[i], (size_t)(sp - refs[i])));
	}
	for (size_t i = 0; i < img->nlayers; i++) {
		_cleanup_free_ char *p = store_layer_path(s, img->layers[i].chain_id);
		json_array_append_new(layers, json_pack("{s:s,s:s,s:s,s:s?,s:I,s:s?}", "Digest",
							img->layers[i].digest, "DiffID", img->layers[i].diff_id,
							"ChainID", img->layers[i].chain_id, "MediaType",
							img->layers[i].media_type, "Size",
							(json_int_t)img->layers[i].size, "Path", p));
	}
	struct image_config *c = &img->config;
	json_t *o = json_pack("{s:s,s:s,s:o,s:s*,s:s*,s:s*,s:s*,s:I,s:O?,s:o,s:o,s:{s:o}}", "Id",
			      img->config_digest, "Digest", digest, "RepoTags", tags, "Created", c->created,
			      "Os", c->os, "Architecture", c->architecture, "Variant", c->variant, "Size",
			      (json_int_t)img->size, "Config", json_object_get(cfg, "config"), "Layers",
			      layers, "UsedBy", used, "RootFS", "Layers", strv_json(NULL));
	json_t *diffs = json_object_get(json_object_get(o, "RootFS"), "Layers");
	for (size_t i = 0; i < img->nlayers; i++)
		json_array_append_new(diffs, json_string(img->layers[i].diff_id));
	json_decref(cfg);
	return o;
}

static int image_cmd_inspect(struct cli *cli, int argc, char **argv)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	berr err = { 0 };
	int rc = 0;

	if (argc < 2) {
		fprintf(stderr, "Usage: berth image inspect IMAGE...\n");
		return EXIT_BERTH;
	}
	if (open_store(cli, false, &s))
		return EXIT_BERTH;
	json_t *all = json_array();
	for (int i = 1; i < argc; i++) {
		char digest[DIGEST_BUF];
		json_t *o = NULL;
		if (image_find(s, argv[i], digest, &err) < 0 || !(o = inspect_one(s, digest, &err))) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		json_array_append_new(all, o);
	}
	char *text = json_dumps(all, JSON_INDENT(4));
	if (text)
		printf("%s\n", text);
	free(text);
	json_decref(all);
	return rc;
}

static int image_cmd_tag(struct cli *cli, int argc, char **argv)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct image_records recs = { 0 };
	char digest[DIGEST_BUF];
	berr err = { 0 };

	if (argc != 3) {
		fprintf(stderr, "Usage: berth image tag SOURCE TARGET\n");
		return EXIT_BERTH;
	}
	_cleanup_free_ char *name = ref_normalize(argv[2], &err);
	if (!name)
		return fail(&err);
	if (strchr(name, '@')) {
		log_error("Cannot tag with a digest: \"%s\"", argv[2]);
		return EXIT_BERTH;
	}
	if (open_store(cli, true, &s))
		return EXIT_BERTH;
	if (image_find(s, argv[1], digest, &err) < 0 || store_records_read(s, &recs, &err) < 0)
		return fail(&err);
	int r = image_records_set(&recs, name, digest) < 0 ? -ENOMEM : store_records_write(s, &recs, &err);
	image_records_free(&recs);
	return r < 0 ? fail(&err) : 0;
}

static int image_cmd_rm(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	_cleanup_(store_closep) struct image_store *s = NULL;
	bool force = false;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c != 'f') {
			fprintf(stderr, "Usage: berth image rm [-f] IMAGE...\n");
			return EXIT_BERTH;
		}
		force = true;
	}
	if (optind >= argc) {
		fprintf(stderr, "Usage: berth image rm [-f] IMAGE...\n");
		return EXIT_BERTH;
	}
	if (open_store(cli, true, &s))
		return EXIT_BERTH;
	for (int i = optind; i < argc; i++) {
		berr err = { 0 };
		char digest[DIGEST_BUF];
		if (image_remove(s, argv[i], force, digest, &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		printf("Untagged: %s\n", argv[i]);
	}
	/* what is no longer used goes at once, as docker rmi does */
	struct prune_stats st;
	berr err = { 0 };
	if (store_prune(s, &st, &err) < 0)
		return fail(&err);
	return rc;
}

static int image_cmd_prune(struct cli *cli, int argc, char **argv)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct prune_stats st;
	berr err = { 0 };
	char sz[16];

	if (open_store(cli, true, &s))
		return EXIT_BERTH;
	if (store_prune(s, &st, &err) < 0)
		return fail(&err);
	printf("Deleted %llu image(s), %llu blob(s), %llu layer(s); reclaimed %s\n",
	       (unsigned long long)st.images, (unsigned long long)st.blobs,
	       (unsigned long long)st.layers, format_size(st.bytes, sz));
	return 0;
}

static void report_line(void *ctx, const char *msg)
{
	(void)ctx;
	printf("%s\n", msg);
}

static int image_cmd_fsck(struct cli *cli, int argc, char **argv)
{
	_cleanup_(store_closep) struct image_store *s = NULL;
	bool verify = argc > 1 && !strcmp(argv[1], "--verify");
	berr err = { 0 };

	if (store_open(cli->root, false, &s, &err) < 0)
		return err.code == ENOENT ? 0 : fail(&err); /* no store: nothing wrong */
	int n = store_fsck(s, verify, report_line, NULL, &err);
	if (n < 0)
		return fail(&err);
	if (n > 0) {
		log_error("Image store \"%s\": %d problem(s)", s->path, n);
		return 1;
	}
	return 0;
}

static int image_cmd_save(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' }, { "format", required_argument, NULL, 'f' }, { 0 },
	};
	_cleanup_(store_closep) struct image_store *s = NULL;
	const char *out = NULL;
	enum save_format fmt = SAVE_DOCKER;
	berr err = { 0 };
	int c;

	while ((c = getopt_long(argc, argv, "o:f:", opts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'f' && !strcmp(optarg, "oci"))
			fmt = SAVE_OCI;
		else if (c == 'f' && (!strcmp(optarg, "docker") || !strcmp(optarg, "docker-archive")))
			fmt = SAVE_DOCKER;
		else
			goto usage;
	}
	if (optind >= argc)
		goto usage;
	if (!out && isatty(STDOUT_FILENO)) {
		log_error("Refusing to write an archive to a terminal (use -o FILE)");
		return EXIT_BERTH;
	}
	if (open_store(cli, false, &s))
		return EXIT_BERTH;
	if (image_save(s, (const char *const *)argv + optind, (size_t)(argc - optind), fmt, out, &err) < 0)
		return fail(&err);
	return 0;
usage:
	fprintf(stderr, "Usage: berth image save [-o FILE] [--format docker|oci] IMAGE...\n");
	return EXIT_BERTH;
}

/* berth image spec [--keep|--release] --name ID IMAGE [CMD...]: what
 * image_fill_spec() gives `berth run` (key=value lines), for tests and
 * debugging. Without --keep the reference is dropped again. */
static void print_strv(const char *key, char **v)
{
	printf("%s=", key);
	for (size_t i = 0; v && v[i]; i++)
		printf("%s%s", i ? " " : "", v[i]);
	printf("\n");
}

static int image_cmd_spec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "keep", no_argument, NULL, 'k' },
		{ "release", no_argument, NULL, 'r' }, { "entrypoint", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' }, { 0 },
	};
	const char *id = "spec-test", *ep = NULL, *user = NULL;
	bool keep = false, release = false;
	berr err = { 0 };
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "+n:u:", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			id = optarg;
			break;
		case 'k':
			keep = true;
			break;
		case 'r':
			release = true;
			break;
		case 'e':
			ep = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			return EXIT_BERTH;
		}
	}
	if (release)
		return image_release_spec(cli, id, &err) < 0 ? fail(&err) : 0;
	if (optind >= argc) {
		fprintf(stderr, "Usage: berth image spec [--keep] [--name ID] [--entrypoint E] [-u USER] IMAGE [CMD...]\n");
		return EXIT_BERTH;
	}
	struct bspec *spec = bspec_new_default();
	if (!spec || !(spec->id = strdup(id)))
		return EXIT_BERTH;
	if (optind + 1 < argc)
		spec->process.args = strv_dup(argv + optind + 1);
	if (image_fill_spec(cli, argv[optind], ep, spec, &err) < 0 ||
	    (user && image_spec_user(spec, user, &err) < 0)) {
		rc = fail(&err);
		goto out;
	}
	print_strv("lowers", spec->rootfs_lowers);
	printf("upper=%s\nwork=%s\nrootfs=%s\n", spec->rootfs_upper, spec->rootfs_work, spec->rootfs);
	print_strv("args", spec->process.args);
	for (size_t i = 0; spec->process.env && spec->process.env[i]; i++)
		printf("env=%s\n", spec->process.env[i]);
	printf("cwd=%s\nuid=%u\ngid=%u\ngroups=", spec->process.cwd ? spec->process.cwd : "/",
	       (unsigned)spec->process.uid, (unsigned)spec->process.gid);
	for (size_t i = 0; i < spec->process.ngroups; i++)
		printf("%s%u", i ? "," : "", (unsigned)spec->process.groups[i]);
	printf("\nstop_signal=%d\n", spec->stop_signal);
out:
	if (!keep || rc)
		image_release_spec(cli, id, NULL);
	bspec_free(spec);
	return rc;
}

struct bar {
	bool tty;
	char last[DIGEST_BUF];
};

static void pull_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	struct bar *b = ctx;
	char d[16], t[16];

	bool complete = total && done == total;
	bool again = strcmp(b->last, what) == 0;
	if (complete && again)
		return; /* said already */
	snprintf(b->last, sizeof(b->last), "%s", complete ? what : "");
	if (!b->tty) {
		/* quiet lines: one when a blob is complete */
		if (complete)
			fprintf(stderr, "Pulled %.19s (%s)\n", what, format_size(total, t));
		return;
	}
	int width = 30, fill = total ? (int)((double)done / (double)total * width) : 0;
	fprintf(stderr, "\r%.19s [%.*s%*s] %s/%s", what, fill, "##############################",
		width - fill, "", format_size(done, d), total ? format_size(total, t) : "?");
	if (total && done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

static void pull_note(void *ctx, const char *line)
{
	struct bar *b = ctx;
	fprintf(stderr, "%s%s\n", b->tty ? "\r" : "", line);
}

static int image_cmd_pull(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "platform", required_argument, NULL, 'p' }, { "insecure", no_argument, NULL, 'k' },
		{ "credentials", required_argument, NULL, 'c' }, { "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	_cleanup_(store_closep) struct image_store *s = NULL;
	struct pull_opts po = { 0 };
	struct platform plat;
	struct bar bar = { .tty = isatty(STDERR_FILENO) };
	char digest[DIGEST_BUF];
	bool quiet = false;
	berr err = { 0 };
	int c;

	if (!IS_ENABLED(CONFIG_IMAGES_PULL))
		return cli_disabled("registry pull", "CONFIG_IMAGES_PULL");
	while ((c = getopt_long(argc, argv, "kqc:", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (platform_parse(optarg, &plat, &err) < 0)
				return fail(&err);
			po.platform = &plat;
			break;
		case 'k':
			po.insecure = true;
			break;
		case 'c':
			po.credentials = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	if (!quiet) {
		po.progress = pull_progress;
		po.note = pull_note;
	}
	po.progress_ctx = &bar;
	if (open_store(cli, true, &s))
		return EXIT_BERTH;
	_cleanup_free_ char *name = NULL;
	if (image_pull(s, argv[optind], &po, &name, digest, &err) < 0)
		return fail(&err);
	printf("Pulled %s (%s)\n", name, digest);
	warn_platform(s, digest, po.platform);
	return 0;
usage:
	fprintf(stderr, "Usage: berth image pull [-q] [--insecure] [--credentials FILE] "
			"[--platform OS/ARCH[/VARIANT]] REF\n");
	return EXIT_BERTH;
}

static const struct {
	const char *name;
	cli_fn fn;
	const char *help;
} subcommands[] = {
	{ "load", image_cmd_load, "Load images from a docker-archive or OCI layout (file, dir or -)" },
	{ "pull", image_cmd_pull, "Pull an image from a registry" },
	{ "ls", image_cmd_ls, "List images" },
	{ "list", image_cmd_ls, NULL },
	{ "inspect", image_cmd_inspect, "Show images as JSON" },
	{ "tag", image_cmd_tag, "Give an image another name" },
	{ "rm", image_cmd_rm, "Remove image names (and what no longer has a use)" },
	{ "prune", image_cmd_prune, "Remove unused blobs, layers and untagged images" },
	{ "save", image_cmd_save, "Write images to a docker-archive or OCI tar" },
	{ "fsck", image_cmd_fsck, "Check the store (--verify: re-hash every blob)" },
	{ "spec", image_cmd_spec, NULL }, /* tests and debugging: what berth run IMAGE gets */
};

static int image_usage(FILE *f)
{
	fprintf(f, "Usage: berth image COMMAND [ARG...]\n\n");
	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++)
		if (subcommands[i].help)
			fprintf(f, "  %-8s %s\n", subcommands[i].name, subcommands[i].help);
	return f == stdout ? 0 : EXIT_BERTH;
}

int cmd_image(struct cli *cli, int argc, char **argv)
{
	const char *word = argv[0];

	if (!strcmp(word, "load"))
		return image_cmd_load(cli, argc, argv);
	if (!strcmp(word, "pull"))
		return image_cmd_pull(cli, argc, argv);
	if (!strcmp(word, "images"))
		return image_cmd_ls(cli, argc, argv);
	if (argc < 2)
		return image_usage(stderr);
	if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return image_usage(stdout);
	for (size_t i = 0; i < ARRAY_SIZE(subcommands); i++) {
		if (strcmp(argv[1], subcommands[i].name) == 0) {
			optind = 0;
			return subcommands[i].fn(cli, argc - 1, argv + 1);
		}
	}
	log_error("Unknown command \"image %s\" (see berth image help)", argv[1]);
	return EXIT_BERTH;
}
