// SPDX-License-Identifier: GPL-2.0-or-later
/* berth-oci: a runc-compatible command line over runtime/container.h.
 * Global flags, dispatch, logging in runc's formats, state JSON. */
#include <fcntl.h>
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/oci.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "runtime/container.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.1"
#endif

/* ---- logging: stderr + --log (logrus text or JSON lines, as runc) ------- */

static void log_to_file(const struct oci_ctx *ctx, const char *level, const char *msg)
{
	char ts[64];
	struct timespec now;
	struct tm tm;

	if (!ctx->log_path)
		return;
	int fd = open(ctx->log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (ctx->log_json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", ts);
		char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
		if (s)
			dprintf(fd, "%s\n", s);
		free(s);
		json_decref(o);
	} else {
		json_t *q = json_string(msg); /* logrus quotes the message */
		char *s = q ? json_dumps(q, JSON_ENCODE_ANY) : NULL;
		dprintf(fd, "time=\"%s\" level=%s msg=%s\n", ts, level, s ? s : "\"\"");
		free(s);
		json_decref(q);
	}
	close(fd);
}

static void vlog(const struct oci_ctx *ctx, const char *level, const char *fmt, va_list ap)
{
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* one line, whatever the cause contained */
	for (char *p = msg; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (strcmp(level, "error") == 0)
		fprintf(stderr, "%s: %s\n", ctx->prog, msg);
	else
		fprintf(stderr, "%s: %s: %s\n", ctx->prog, level, msg);
	log_to_file(ctx, level, msg);
}

int oci_fail(const struct oci_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(ctx, "error", fmt, ap);
	va_end(ap);
	return OCI_EXIT_FAIL;
}

void oci_warn(const struct oci_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(ctx, "warning", fmt, ap);
	va_end(ap);
}

void oci_debug(const struct oci_ctx *ctx, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	if (!ctx->debug)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_to_file(ctx, "debug", msg);
}

/* ---- state JSON ------------------------------------------------------------- */

static void rfc3339(int64_t t, char *buf, size_t len)
{
	struct tm tm;
	time_t tt = (time_t)t;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

char *oci_state_json(const struct container_state *st, const char *status, bool pretty)
{
	char created[64];
	json_t *o, *ann = json_object();

	/* a stopped container has no pid; hooks of the running phase get the
	 * pid even when the payload already ended (short-lived processes) */
	bool show_pid = status ? strcmp(status, "stopped") != 0 : st->status != CONTAINER_STOPPED;

	rfc3339(st->created, created, sizeof(created));
	for (char **a = st->annotations; a && *a; a++) {
		char *eq = strchr(*a, '=');
		if (!eq)
			continue;
		_cleanup_free_ char *k = strndup(*a, (size_t)(eq - *a));
		if (k)
			json_object_set_new(ann, k, json_string(eq + 1));
	}
	o = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:o}", "ociVersion",
		      OCI_SPEC_VERSION, "id", st->id, "pid",
		      show_pid ? (json_int_t)st->pid : 0, "status",
		      status ? status : container_status_name(st->status), "bundle",
		      st->bundle ? st->bundle : "", "rootfs", st->rootfs ? st->rootfs : "",
		      "created", created, "owner", "", "annotations", ann);
	if (!o)
		return NULL;
	char *s = json_dumps(o, pretty ? JSON_INDENT(2) | JSON_PRESERVE_ORDER
				       : JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

/* ---- the saved config ------------------------------------------------------- */

static char *saved_dir(const struct oci_ctx *ctx)
{
	char *p;
	return asprintf(&p, "%s/configs", ctx->root) < 0 ? NULL : p;
}

int oci_saved_config_write(const struct oci_ctx *ctx, const char *id, const char *text, size_t len,
			   berr *err)
{
	_cleanup_free_ char *dir = saved_dir(ctx), *name = NULL;
	_cleanup_close_ int fd = -1;

	if (!dir || asprintf(&name, "%s.json", id) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	if (mkdir_p(dir, 0700, err) < 0)
		return -err->code;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return berr_errno(err, errno, "Open \"%s\"", dir);
	/* volatile state on tmpfs: no need to fsync, but atomic all the same */
	return write_file_atomic(fd, name, text, len, 0600, err);
}

int oci_saved_config_load(const struct oci_ctx *ctx, const char *id, struct oci_config **ret,
			  berr *err)
{
	_cleanup_free_ char *path = NULL, *buf = NULL;
	size_t len;

	if (asprintf(&path, "%s/configs/%s.json", ctx->root, id) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	if (read_file_at(AT_FDCWD, path, 16 << 20, &buf, &len, err) < 0)
		return -err->code;
	return oci_config_parse(buf, len, NULL, ret, err);
}

void oci_saved_config_remove(const struct oci_ctx *ctx, const char *id)
{
	_cleanup_free_ char *path = NULL;
	if (asprintf(&path, "%s/configs/%s.json", ctx->root, id) >= 0)
		unlink(path);
}

/* ---- signals ------------------------------------------------------------------ */

int oci_parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbr = sigabbrev_np(i);
		if (abbr && strcasecmp(abbr, s) == 0)
			return i;
	}
	if (strncasecmp(s, "RTMIN+", 6) == 0 || strncasecmp(s, "RTMAX-", 6) == 0) {
		n = strtol(s + 6, &end, 10);
		if (*end || n < 0)
			return -1;
		n = toupper((unsigned char)s[4]) == 'I' ? SIGRTMIN + n : SIGRTMAX - n;
		return n >= SIGRTMIN && n <= SIGRTMAX ? (int)n : -1;
	}
	return -1;
}

/* ---- dispatch ---------------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct oci_ctx *ctx, int argc, char **argv);
	const char *help;
} oci_commands[] = {
	{ "create", oci_cmd_create, "Create a container from a bundle (OCI \"created\")" },
	{ "start", oci_cmd_start, "Start a created container" },
	{ "run", oci_cmd_run, "Create and start a container" },
	{ "state", oci_cmd_state, "Print a container's state as JSON" },
	{ "kill", oci_cmd_kill, "Send a signal to a container's init (or --all)" },
	{ "delete", oci_cmd_delete, "Delete a stopped (or --force any) container" },
	{ "exec", oci_cmd_exec, "Run a process in a running container" },
	{ "list", oci_cmd_list, "List containers" },
	{ "ps", oci_cmd_ps, "List a container's processes" },
	{ "features", oci_cmd_features, "Print what this runtime supports (JSON)" },
	{ "spec", oci_cmd_spec, "Write a default config.json" },
};

static void oci_usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s [--root DIR] [--log FILE] [--log-format text|json] [--debug] COMMAND ...\n\n"
		   "An OCI runtime (runc-compatible command line) over berth.\n\nCommands:\n", prog);
	for (size_t i = 0; i < ARRAY_SIZE(oci_commands); i++)
		fprintf(f, "  %-10s %s\n", oci_commands[i].name, oci_commands[i].help);
}

/* Global flags runc has that berth cannot honour: a clear refusal. */
static int refuse_global(struct oci_ctx *ctx, const char *flag)
{
	if (strcmp(flag, "systemd-cgroup") == 0)
		return oci_fail(ctx, "--systemd-cgroup is not supported: berth manages cgroups itself "
				     "(use the cgroupfs cgroup manager, e.g. podman --cgroup-manager cgroupfs)");
	return oci_fail(ctx, "--%s is not supported by berth-oci (no checkpoint/restore)", flag);
}

static int parse_globals(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'D' },
		{ "systemd-cgroup", no_argument, NULL, 'S' },
		{ "criu", required_argument, NULL, 'C' },
		{ "rootless", required_argument, NULL, 'R' },
		{ "cgroup-manager", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long_only(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			free(ctx->root);
			ctx->root = strdup(optarg);
			break;
		case 'l':
			ctx->log_path = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return -oci_fail(ctx, "--log-format: \"%s\" is not text or json", optarg);
			ctx->log_json = strcmp(optarg, "json") == 0;
			break;
		case 'D':
			ctx->debug = true;
			break;
		case 'S':
			return -refuse_global(ctx, "systemd-cgroup");
		case 'C':
			return -refuse_global(ctx, "criu");
		case 'G': /* crun's flag; podman passes "disabled" with --cgroups=disabled */
			if (strcmp(optarg, "systemd") == 0)
				return -refuse_global(ctx, "systemd-cgroup");
			if (strcmp(optarg, "cgroupfs") && strcmp(optarg, "disabled"))
				return -oci_fail(ctx, "--cgroup-manager: \"%s\" is not cgroupfs or disabled",
						 optarg);
			ctx->no_cgroups = strcmp(optarg, "disabled") == 0;
			break;
		case 'R':
			if (strcmp(optarg, "true") == 0)
				return -oci_fail(ctx, "--rootless true is not supported: berth-oci runs as root");
			break;
		case 'h':
			oci_usage(stdout, ctx->prog);
			return 0;
		case 'v':
			printf("%s version %s\nspec: %s\n", ctx->prog, BERTH_VERSION, OCI_SPEC_VERSION);
			return 0;
		default:
			return -oci_fail(ctx, "Unknown global option \"%s\" (see %s --help)",
					 argv[optind - 1], ctx->prog);
		}
	}
	return optind;
}

int cmd_oci(struct cli *cli, int argc, char **argv)
{
	struct oci_ctx ctx = { .prog = strcmp(argv[0], "oci") == 0 ? "berth oci" : "berth-oci" };
	int r, first;

	if (asprintf(&ctx.root, "%s/oci", cli->run_dir) < 0)
		return OCI_EXIT_FAIL;
	first = parse_globals(&ctx, argc, argv);
	if (first <= 0) {
		r = first < 0 ? OCI_EXIT_FAIL : 0;
		goto out;
	}
	if (first >= argc) {
		oci_usage(stderr, ctx.prog);
		r = OCI_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < ARRAY_SIZE(oci_commands); i++) {
		if (strcmp(argv[first], oci_commands[i].name) == 0) {
			const char *w = argv[first];
			berr perr = { 0 };
			/* CVE-2019-5736: may re-execute from a sealed copy of berth */
			if ((!strcmp(w, "create") || !strcmp(w, "run") || !strcmp(w, "exec")) &&
			    runtime_protect_exe(&perr) < 0) {
				r = oci_fail(&ctx, "%s", perr.msg);
				goto out;
			}
			optind = 0; /* full reset for the command's getopt */
			r = oci_commands[i].fn(&ctx, argc - first, argv + first);
			goto out;
		}
	}
	r = oci_fail(&ctx, "Unknown command \"%s\" (see %s --help)", argv[first], ctx.prog);
out:
	free(ctx.root);
	return r;
}
