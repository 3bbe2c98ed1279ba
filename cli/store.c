// SPDX-License-Identifier: GPL-2.0-or-later
/* berth config|secret create|ls|inspect|rm and berth volume ls|inspect|rm|prune.
 * The CLI writes the store itself (no daemon needed) and then tells a
 * running daemon, which swaps or rolls what uses the object. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/commands.h"
#include "lib/cleanup.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/units.h"
#include "store/objects.h"
#include "store/volume.h"
#include "supervisor/client.h"
#include "supervisor/objects.h"
#include "supervisor/podspec.h"

struct sopts {
	const char *ns;	    /* NULL with --all-namespaces */
	bool all_ns, json, replace;
};

/* berth -n NS, else BERTH_NAMESPACE, else "default"; -n after the verb wins */
static const char *ns_default(const struct cli *cli)
{
	const char *ns = getenv("BERTH_NAMESPACE");
	return cli->ns ? cli->ns : ns && *ns ? ns : OBJ_DEFAULT_NS;
}

static void fmt_time(time_t t, char buf[32])
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Tell a running daemon that the store changed; no daemon is fine. */
static void notify_daemon(struct cli *cli)
{
	json_t *reply = NULL;
	berr err = { 0 };
	json_t *req = json_pack("{s:s}", "cmd", "reload");
	if (sv_request(cli->run_dir, req, &reply, &err) == 0)
		json_decref(reply);
	json_decref(req);
}

/* The pods dir a daemon that is not running would read. */
static const char *pods_dir(void)
{
	const char *d = getenv("BERTH_PODS_DIR");
	return d && *d ? d : CONFIG_DEFAULT_PODS_DIR;
}

/* Pods of NS that refer to KIND NAME, as a JSON array of
 * {"name", "pod"}: asked of the daemon, or read from the pods dir when
 * no daemon runs. NULL on error (printed). */
static json_t *store_users(struct cli *cli, const char *kind, const char *ns, const char *name)
{
	json_t *req = json_pack("{s:s, s:s, s:s, s:s}", "cmd", "store-users", "kind", kind, "namespace",
				ns, "name", name);
	json_t *reply = NULL;
	berr err = { 0 };
	int r = sv_request(cli->run_dir, req, &reply, &err);
	json_decref(req);
	if (r == 0) {
		json_t *users = json_incref(json_object_get(reply, "users"));
		json_decref(reply);
		return users ? users : json_array();
	}
	if (r != -ENOENT && r != -ECONNREFUSED) {
		log_error("%s", err.msg);
		return NULL;
	}
	/* no daemon: what the pod files would run */
	json_t *users = json_array();
	struct dirent **names = NULL;
	int n = scandir(pods_dir(), &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *f = names[i]->d_name;
		size_t l = strlen(f);
		char path[PATH_MAX];
		struct pod_spec *pod = NULL;
		berr e = { 0 };
		if (f[0] != '.' && l > 4 && !strcmp(f + l - 4, ".pod") &&
		    snprintf(path, sizeof(path), "%s/%s", pods_dir(), f) < (int)sizeof(path) &&
		    pod_spec_load(path, &pod, &e) == 0) {
			if (!strcmp(pod_spec_ns(pod), ns) && pod_spec_uses(pod, kind, name))
				json_array_append_new(users, json_pack("{s:s, s:s}", "name", name, "pod", pod->name));
			pod_spec_free(pod);
		}
		free(names[i]);
	}
	free(names);
	return users;
}

/* "pod a, pod b" of the users of NAME, or "" */
static void users_of(json_t *users, const char *name, char *buf, size_t len)
{
	size_t i;
	json_t *u;
	buf[0] = '\0';
	json_array_foreach(users, i, u) {
		const char *pod = json_string_value(json_object_get(u, "pod"));
		if (strcmp(json_string_value(json_object_get(u, "name")), name) != 0 || strstr(buf, pod))
			continue;
		size_t l = strlen(buf);
		snprintf(buf + l, len - l, "%s%s", l ? ", " : "", pod);
	}
}

/* ---- config / secret ------------------------------------------------------ */

static int obj_create(struct cli *cli, enum obj_kind k, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from-file", required_argument, NULL, 'f' }, { "from-literal", required_argument, NULL, 'l' },
		{ "replace", no_argument, NULL, 'r' },	       { "namespace", required_argument, NULL, 'n' },
		{ 0 },
	};
	struct obj_data d = { 0 };
	const char *ns = ns_default(cli);
	bool replace = false;
	int c, rc = EXIT_BERTH;
	berr err = { 0 };
	while ((c = getopt_long(argc, argv, "n:", opts, NULL)) != -1) {
		int r = 0;
		if (c == 'f') {
			/* [KEY=]PATH, as kubectl */
			_cleanup_free_ char *key = NULL;
			const char *path = optarg, *eq = strchr(optarg, '=');
			if (eq && eq != optarg) {
				key = strndup(optarg, (size_t)(eq - optarg));
				if (key && obj_key_valid(key))
					path = eq + 1;
				else
					free(TAKE_PTR(key));
			}
			r = obj_data_add_file(&d, key, path, &err);
			if (r < 0)
				berr_prefix(&err, "--from-file");
		} else if (c == 'l') {
			const char *eq = strchr(optarg, '=');
			_cleanup_free_ char *key = eq ? strndup(optarg, (size_t)(eq - optarg)) : NULL;
			if (!eq || !key)
				r = berr_fail(&err, EINVAL, "--from-literal: expected KEY=VALUE");
			else if ((r = obj_data_add(&d, key, eq + 1, strlen(eq + 1), &err)) < 0)
				berr_prefix(&err, "--from-literal");
		} else if (c == 'r') {
			replace = true;
		} else if (c == 'n') {
			ns = optarg;
		} else {
			goto out;
		}
		if (r < 0) {
			log_error("%s", err.msg);
			goto out;
		}
	}
	if (optind + 1 != argc || d.n == 0) {
		log_error("Usage: berth %s create NAME (--from-file [KEY=]PATH | --from-literal KEY=VALUE)... [--replace] [-n NS]",
			  obj_kind_name(k));
		goto out;
	}
	bool changed = false;
	if (obj_put(cli->root, k, ns, argv[optind], &d, replace, &changed, &err) < 0) {
		log_error("%s", err.msg);
		goto out;
	}
	printf("%s/%s %s\n", obj_kind_name(k), argv[optind], changed ? (replace ? "configured" : "created") : "unchanged");
	if (changed)
		notify_daemon(cli);
	rc = 0;
out:
	obj_data_clear(&d);
	return rc;
}

static int parse_common(const struct cli *cli, int argc, char **argv, struct sopts *o)
{
	static const struct option opts[] = {
		{ "namespace", required_argument, NULL, 'n' }, { "all-namespaces", no_argument, NULL, 'A' },
		{ "output", required_argument, NULL, 'o' },    { 0 },
	};
	int c;
	o->ns = ns_default(cli);
	o->all_ns = cli->all_ns;
	while ((c = getopt_long(argc, argv, "n:Ao:", opts, NULL)) != -1) {
		if (c == 'n')
			o->ns = optarg;
		else if (c == 'A')
			o->all_ns = true;
		else if (c == 'o' && strcmp(optarg, "json") == 0)
			o->json = true;
		else
			return -1;
	}
	if (o->all_ns)
		o->ns = NULL;
	return 0;
}

static int obj_ls(struct cli *cli, enum obj_kind k, struct sopts *o)
{
	struct obj_info *v = NULL;
	size_t n = 0;
	berr err = { 0 };
	if (obj_list(cli->root, k, o->ns, &v, &n, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	if (o->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}", "namespace", v[i].ns,
							   "name", v[i].name, "version", v[i].version, "keys",
							   (json_int_t)v[i].nkeys, "bytes", (json_int_t)v[i].bytes,
							   "created", (json_int_t)v[i].created));
		char *s = json_dumps(a, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(a);
	} else {
		printf("%-16s %-24s %-12s %-5s %-10s %s\n", "NAMESPACE", "NAME", "VERSION", "KEYS", "SIZE", "CREATED");
		for (size_t i = 0; i < n; i++) {
			char sz[16], ts[32];
			fmt_time(v[i].created, ts);
			printf("%-16s %-24s %-12s %-5zu %-10s %s\n", v[i].ns, v[i].name, v[i].version, v[i].nkeys,
			       format_size(v[i].bytes, sz), ts);
		}
	}
	free(v);
	return 0;
}

/* Keys and sizes; a config's values too, a secret's never. */
static int obj_inspect(struct cli *cli, enum obj_kind k, const struct sopts *o, const char *name)
{
	struct obj_data d = { 0 };
	struct obj_info in;
	berr err = { 0 };
	if (obj_info_get(cli->root, k, o->ns, name, &in, &err) < 0 ||
	    obj_get(cli->root, k, o->ns, name, &d, NULL, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	json_t *users = store_users(cli, obj_kind_name(k), o->ns, name);
	char used[512] = "";
	if (users)
		users_of(users, name, used, sizeof(used));
	json_decref(users);
	if (o->json) {
		json_t *keys = json_array();
		for (size_t i = 0; i < d.n; i++) {
			json_t *e = json_pack("{s:s, s:I}", "key", d.v[i].key, "bytes", (json_int_t)d.v[i].len);
			if (k == OBJ_CONFIG)
				json_object_set_new(e, "value", json_stringn(d.v[i].data, d.v[i].len));
			json_array_append_new(keys, e);
		}
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:s}", "kind", obj_kind_name(k), "namespace",
				      in.ns, "name", in.name, "version", in.version, "created",
				      (json_int_t)in.created, "keys", keys, "used_by", used);
		char *s = json_dumps(j, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(j);
	} else {
		char ts[32];
		fmt_time(in.created, ts);
		printf("Name:       %s\nNamespace:  %s\nKind:       %s\nVersion:    %s\nCreated:    %s\nUsed by:    %s\n\nKeys:\n",
		       in.name, in.ns, obj_kind_name(k), in.version, ts, used[0] ? used : "-");
		for (size_t i = 0; i < d.n; i++) {
			printf("  %-30s %zu bytes\n", d.v[i].key, d.v[i].len);
			if (k == OBJ_CONFIG && d.v[i].len && !memchr(d.v[i].data, '\0', d.v[i].len))
				printf("    %.*s%s", (int)d.v[i].len, d.v[i].data,
				       d.v[i].data[d.v[i].len - 1] == '\n' ? "" : "\n");
		}
	}
	obj_data_clear(&d);
	return 0;
}

static int obj_rm(struct cli *cli, enum obj_kind k, const struct sopts *o, int argc, char **argv)
{
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		berr err = { 0 };
		json_t *users = store_users(cli, obj_kind_name(k), o->ns, argv[i]);
		char used[512] = "";
		if (!users)
			return EXIT_BERTH;
		users_of(users, argv[i], used, sizeof(used));
		json_decref(users);
		if (used[0]) {
			log_error("%s \"%s\" is used by pod %s: not removed", k == OBJ_SECRET ? "Secret" : "Config",
				  argv[i], used);
			rc = EXIT_BERTH;
			continue;
		}
		if (obj_remove(cli->root, k, o->ns, argv[i], &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		printf("%s/%s removed\n", obj_kind_name(k), argv[i]);
	}
	return rc;
}

int cmd_store_obj(struct cli *cli, int argc, char **argv)
{
	enum obj_kind k = strcmp(argv[0], "secret") == 0 ? OBJ_SECRET : OBJ_CONFIG;
	const char *verb = argc > 1 ? argv[1] : "";
	struct sopts o = { 0 };
	if (strcmp(verb, "create") == 0)
		return obj_create(cli, k, argc - 1, argv + 1);
	if (!strcmp(verb, "ls") || !strcmp(verb, "list")) {
		if (parse_common(cli, argc - 1, argv + 1, &o) < 0)
			return EXIT_BERTH;
		return obj_ls(cli, k, &o);
	}
	if (!strcmp(verb, "inspect") || !strcmp(verb, "rm")) {
		if (parse_common(cli, argc - 1, argv + 1, &o) < 0 || !o.ns || optind + 1 > argc - 1) {
			log_error("Usage: berth %s %s NAME... [-n NS]", argv[0], verb);
			return EXIT_BERTH;
		}
		if (verb[0] == 'r') {
			int r = obj_rm(cli, k, &o, argc - 1 - optind, argv + 1 + optind);
			notify_daemon(cli);
			return r;
		}
		return obj_inspect(cli, k, &o, argv[1 + optind]);
	}
	log_error("Usage: berth %s create|ls|inspect|rm ... (berth %s create --help)", argv[0], argv[0]);
	return EXIT_BERTH;
}

/* ---- volumes -------------------------------------------------------------- */

static int vol_ls(struct cli *cli, const struct sopts *o)
{
	struct volume_info *v = NULL;
	size_t n = 0;
	berr err = { 0 };
	if (volume_list(cli->root, o->ns, true, &v, &n, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	json_t *out = json_array();
	if (!o->json)
		printf("%-16s %-24s %-10s %-8s %s\n", "NAMESPACE", "NAME", "SIZE", "FILES", "USED BY");
	for (size_t i = 0; i < n; i++) {
		json_t *users = store_users(cli, "volume", v[i].ns, v[i].name);
		char used[512] = "", sz[16];
		if (users)
			users_of(users, v[i].name, used, sizeof(used));
		json_decref(users);
		if (o->json)
			json_array_append_new(out, json_pack("{s:s, s:s, s:I, s:I, s:s}", "namespace", v[i].ns,
							     "name", v[i].name, "bytes", (json_int_t)v[i].bytes,
							     "files", (json_int_t)v[i].files, "used_by", used));
		else
			printf("%-16s %-24s %-10s %-8" PRIu64 " %s\n", v[i].ns, v[i].name,
			       format_size(v[i].bytes, sz), v[i].files, used[0] ? used : "-");
	}
	if (o->json) {
		char *s = json_dumps(out, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
	}
	json_decref(out);
	free(v);
	return 0;
}

static int vol_inspect(struct cli *cli, const struct sopts *o, const char *name)
{
	struct volume_info in;
	char path[PATH_MAX], used[512] = "", sz[16], ts[32];
	berr err = { 0 };
	if (volume_info_get(cli->root, o->ns, name, &in, &err) < 0 ||
	    volume_path(cli->root, o->ns, name, path, sizeof(path), &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	json_t *users = store_users(cli, "volume", o->ns, name);
	if (users)
		users_of(users, name, used, sizeof(used));
	json_decref(users);
	if (o->json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s}", "namespace", in.ns, "name", in.name,
				      "path", path, "bytes", (json_int_t)in.bytes, "files", (json_int_t)in.files,
				      "created", (json_int_t)in.created, "used_by", used);
		char *s = json_dumps(j, JSON_INDENT(2));
		if (s)
			puts(s);
		free(s);
		json_decref(j);
		return 0;
	}
	fmt_time(in.created, ts);
	printf("Name:       %s\nNamespace:  %s\nPath:       %s\nSize:       %s (%" PRIu64 " bytes)\nFiles:      %" PRIu64
	       "\nCreated:    %s\nUsed by:    %s\n",
	       in.name, in.ns, path, format_size(in.bytes, sz), in.bytes, in.files, ts, used[0] ? used : "-");
	return 0;
}

static int vol_rm(struct cli *cli, const struct sopts *o, int argc, char **argv)
{
	int rc = 0;
	for (int i = 0; i < argc; i++) {
		char used[512] = "";
		berr err = { 0 };
		json_t *users = store_users(cli, "volume", o->ns, argv[i]);
		if (!users)
			return EXIT_BERTH;
		users_of(users, argv[i], used, sizeof(used));
		json_decref(users);
		if (used[0]) {
			log_error("Volume \"%s\" is used by pod %s: not removed", argv[i], used);
			rc = EXIT_BERTH;
		} else if (volume_remove(cli->root, o->ns, argv[i], &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
		} else {
			printf("volume/%s removed\n", argv[i]);
		}
	}
	return rc;
}

static int vol_prune(struct cli *cli, const struct sopts *o)
{
	struct volume_info *v = NULL;
	size_t n = 0;
	uint64_t freed = 0;
	berr err = { 0 };
	if (volume_list(cli->root, o->ns, true, &v, &n, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char used[512] = "";
		json_t *users = store_users(cli, "volume", v[i].ns, v[i].name);
		if (!users) {
			rc = EXIT_BERTH;
			break;
		}
		users_of(users, v[i].name, used, sizeof(used));
		json_decref(users);
		if (used[0])
			continue;
		if (volume_remove(cli->root, v[i].ns, v[i].name, &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		freed += v[i].bytes;
		printf("volume/%s removed (namespace %s)\n", v[i].name, v[i].ns);
	}
	char sz[16];
	printf("Reclaimed %s\n", format_size(freed, sz));
	free(v);
	return rc;
}

int cmd_volume(struct cli *cli, int argc, char **argv)
{
	const char *verb = argc > 1 ? argv[1] : "";
	struct sopts o = { 0 };
	if (parse_common(cli, argc - 1, argv + 1, &o) < 0)
		return EXIT_BERTH;
	int nargs = argc - 1 - optind;
	char **args = argv + 1 + optind;
	if (!strcmp(verb, "ls") || !strcmp(verb, "list"))
		return vol_ls(cli, &o);
	if (!strcmp(verb, "prune"))
		return vol_prune(cli, &o);
	if (!strcmp(verb, "inspect") && o.ns && nargs == 1)
		return vol_inspect(cli, &o, args[0]);
	if (!strcmp(verb, "rm") && o.ns && nargs >= 1)
		return vol_rm(cli, &o, nargs, args);
	log_error("Usage: berth volume ls|prune [-n NS|-A] [-o json] | inspect NAME | rm NAME... [-n NS]");
	return EXIT_BERTH;
}
