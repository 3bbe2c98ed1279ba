// SPDX-License-Identifier: GPL-2.0-or-later
/* berth-oci create / start / run / state / kill / delete. */
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/oci.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

struct create_args {
	const char *bundle, *pid_file, *console_socket;
	bool no_pivot, detach;
	int preserve_fds;
	const char *id;
};

static void state_freep(struct container_state **st)
{
	container_state_free(*st);
}
#define _cleanup_state_ _cleanup_(state_freep)

static void config_freep(struct oci_config **c)
{
	oci_config_free(*c);
}
#define _cleanup_config_ _cleanup_(config_freep)

static const char *one_id(struct oci_ctx *ctx, int argc, char **argv, const char *cmd)
{
	if (optind != argc - 1) {
		oci_fail(ctx, "%s needs exactly one container id (got %d arguments)", cmd,
			 argc - optind);
		return NULL;
	}
	return argv[optind];
}

/* A payload that exited but was not reaped yet (its parent, e.g. a test
 * harness, is busy) is a zombie: for OCI it is stopped already. */
bool oci_pid_is_zombie(pid_t pid)
{
	char path[64];
	_cleanup_free_ char *buf = NULL;
	berr err = { 0 };

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (pid <= 0 || read_file_at(AT_FDCWD, path, 4096, &buf, NULL, &err) < 0)
		return false;
	const char *p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

int oci_state_load(const struct oci_ctx *ctx, const char *id, struct container_state **ret,
		   berr *err)
{
	int r = container_state_load(ctx->root, id, ret, err);
	if (r == 0 && (*ret)->status == CONTAINER_RUNNING && oci_pid_is_zombie((*ret)->pid))
		(*ret)->status = CONTAINER_STOPPED;
	return r;
}

static int load_state(struct oci_ctx *ctx, const char *id, struct container_state **ret)
{
	berr err = { 0 };
	if (!container_id_valid(id))
		return -oci_fail(ctx, "Invalid container id \"%s\"", id);
	if (oci_state_load(ctx, id, ret, &err) < 0)
		return -oci_fail(ctx, "%s", err.msg);
	return 0;
}

/* Highest capability the running kernel knows: newer names are dropped. */
static uint64_t kernel_cap_mask(void)
{
	_cleanup_free_ char *buf = NULL;
	berr err = { 0 };
	int last = 40;
	if (read_file_at(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", 64, &buf, NULL, &err) == 0)
		last = atoi(buf);
	return last >= 63 ? ~0ULL : (1ULL << (last + 1)) - 1;
}

static void mask_caps(struct bspec_caps *c)
{
	uint64_t m = kernel_cap_mask();
	c->bounding &= m, c->effective &= m, c->permitted &= m, c->inheritable &= m, c->ambient &= m;
}

/* --cgroup-manager disabled: no cgroup path, no device rules; a real limit
 * cannot be honoured and is an error. */
static int drop_cgroup(struct oci_ctx *ctx, struct bspec_cgroup *cg)
{
	if (cg->memory_max != BSPEC_UNSET || cg->memory_high != BSPEC_UNSET ||
	    cg->memory_swap_max != BSPEC_UNSET || cg->memory_low != BSPEC_UNSET ||
	    cg->cpu_quota_us != BSPEC_UNSET || cg->cpu_weight != BSPEC_UNSET ||
	    cg->pids_max != BSPEC_UNSET || cg->io_weight != BSPEC_UNSET || cg->cpuset_cpus ||
	    cg->cpuset_mems || (cg->unified && cg->unified[0]))
		return -oci_fail(ctx, "linux.resources sets a limit but --cgroup-manager is disabled");
	free(cg->path);
	free(cg->devrules);
	cg->path = NULL;
	cg->devrules = NULL;
	cg->ndevrules = 0;
	return 0;
}

/* Read BUNDLE/config.json; the bundle must be a real directory (a symlink
 * to elsewhere is refused: what was validated is what runs). */
static int read_bundle(struct oci_ctx *ctx, const char *bundle, char **ret_abs, char **ret_text,
		       size_t *ret_len)
{
	_cleanup_free_ char *abs = NULL, *path = NULL;
	struct stat st;
	berr err = { 0 };

	if (lstat(bundle, &st) < 0)
		return -oci_fail(ctx, "Bundle \"%s\": %s", bundle, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return -oci_fail(ctx, "Bundle \"%s\" is a symbolic link: give the real directory", bundle);
	if (!S_ISDIR(st.st_mode))
		return -oci_fail(ctx, "Bundle \"%s\" is not a directory", bundle);
	abs = realpath(bundle, NULL);
	if (!abs || asprintf(&path, "%s/config.json", abs) < 0)
		return -oci_fail(ctx, "Bundle \"%s\": %s", bundle, strerror(errno));
	if (read_file_at(AT_FDCWD, path, 16 << 20, ret_text, ret_len, &err) < 0)
		return -oci_fail(ctx, "%s", err.msg);
	*ret_abs = TAKE_PTR(abs);
	return 0;
}

static int load_config(struct oci_ctx *ctx, struct create_args *a, char **ret_bundle,
		       char **ret_text, size_t *ret_len, struct oci_config **ret)
{
	struct stat st;
	berr err = { 0 };
	int r = read_bundle(ctx, a->bundle, ret_bundle, ret_text, ret_len);

	if (r < 0)
		return r;
	if (oci_config_parse(*ret_text, *ret_len, *ret_bundle, ret, &err) < 0)
		return -oci_fail(ctx, "%s/config.json: %s", *ret_bundle, err.msg);
	struct bspec *s = (*ret)->spec;
	if (stat(s->rootfs, &st) < 0 || !S_ISDIR(st.st_mode))
		return -oci_fail(ctx, "Root file system \"%s\": %s", s->rootfs,
				 errno && !S_ISDIR(st.st_mode) ? strerror(errno) : "not a directory");
	if (!(*ret)->has_process && !a->detach)
		return -oci_fail(ctx, "%s/config.json: process is missing", *ret_bundle);
	if (!(*ret)->has_process) {
		/* runtime-spec: process is OPTIONAL at create, REQUIRED at start; the
		 * container waits with nothing to run and `start` refuses it */
		if (strv_add(&s->process.args, "/.berth-oci-no-process") < 0)
			return -oci_fail(ctx, "Out of memory");
	}
	if (!s->process.args || !s->process.args[0])
		return -oci_fail(ctx, "%s/config.json: process.args is missing", *ret_bundle);
	if (s->process.terminal && !a->console_socket)
		return -oci_fail(ctx, "process.terminal is true but no --console-socket was given");
	if (ctx->no_cgroups && drop_cgroup(ctx, &s->cgroup) < 0)
		return -1;
	s->id = strdup(a->id);
	s->no_pivot = a->no_pivot;
	mask_caps(&s->process.caps);
	return s->id ? 0 : -oci_fail(ctx, "Out of memory");
}

/* Hooks of the "created" phase; on failure the container is removed. */
static int run_create_hooks(struct oci_ctx *ctx, const struct oci_config *cfg, const char *id)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_free_ char *json = NULL;
	berr err = { 0 };
	bool any = cfg->nhooks[OCI_HOOK_PRESTART] || cfg->nhooks[OCI_HOOK_CREATE_RUNTIME] ||
		   cfg->nhooks[OCI_HOOK_CREATE_CONTAINER];

	if (!any)
		return 0;
	if (container_state_load(ctx->root, id, &st, &err) < 0 ||
	    !(json = oci_state_json(st, "created", false)))
		return -oci_fail(ctx, "Hooks: %s", err.msg[0] ? err.msg : "out of memory");
	if (oci_hooks_run(cfg, OCI_HOOK_PRESTART, json, st->pid, false, &err) < 0 ||
	    oci_hooks_run(cfg, OCI_HOOK_CREATE_RUNTIME, json, st->pid, false, &err) < 0 ||
	    oci_hooks_run(cfg, OCI_HOOK_CREATE_CONTAINER, json, st->pid, true, &err) < 0)
		return -oci_fail(ctx, "%s", err.msg);
	return 0;
}

/* create (START false) and run: everything up to "created", then start. */
static int do_create(struct oci_ctx *ctx, struct create_args *a, bool start, struct container **ret)
{
	_cleanup_config_ struct oci_config *cfg = NULL;
	_cleanup_free_ char *bundle = NULL, *text = NULL;
	struct container_opts opts;
	struct container *c = NULL;
	_cleanup_state_ struct container_state *old = NULL;
	berr err = { 0 };
	size_t len;

	if (!container_id_valid(a->id))
		return -oci_fail(ctx, "Invalid container id \"%s\"", a->id);
	if (container_state_load(ctx->root, a->id, &old, &err) == 0)
		return -oci_fail(ctx, "Container \"%s\" already exists", a->id);
	if (load_config(ctx, a, &bundle, &text, &len, &cfg) < 0)
		return -1;
	container_opts_init(&opts);
	opts.run_dir = ctx->root;
	opts.bundle = bundle;
	/* the runtime hands the pty master back; berth-oci sends it on (see oci_console.c) */
	opts.preserve_fds = a->preserve_fds;
	opts.pid_file = a->pid_file;
	opts.create_only = true;
	opts.detached = a->detach;
	if (cfg->umask >= 0)
		umask((mode_t)cfg->umask); /* inherited by the payload */
	if (oci_saved_config_write(ctx, a->id, text, len, &err) < 0)
		return -oci_fail(ctx, "%s", err.msg);
	if (container_create(cfg->spec, &opts, &c, &err) < 0) {
		oci_saved_config_remove(ctx, a->id);
		return -oci_fail(ctx, "%s", err.msg);
	}
	if ((c->pty_master >= 0 && a->console_socket &&
	     oci_console_send(a->console_socket, c->pty_master, &err) < 0) ||
	    run_create_hooks(ctx, cfg, a->id) < 0 ||
	    (start && container_start(ctx->root, a->id, &err) < 0)) {
		if (err.code)
			oci_fail(ctx, "%s", err.msg);
		berr_clear(&err);
		container_delete(ctx->root, a->id, true, &err);
		oci_saved_config_remove(ctx, a->id);
		if (a->pid_file)
			unlink(a->pid_file);
		container_free(c);
		return -1;
	}
	if (ret)
		*ret = c;
	else
		container_free(c);
	return 0;
}

static int parse_create_args(struct oci_ctx *ctx, int argc, char **argv, bool is_run,
			     struct create_args *a)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "no-pivot", no_argument, NULL, 'P' },
		{ "no-new-keyring", no_argument, NULL, 'K' },
		{ "preserve-fds", required_argument, NULL, 'f' },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ 0 },
	};
	int c;
	char *end;

	*a = (struct create_args){ .bundle = ".", .detach = !is_run };
	while ((c = getopt_long_only(argc, argv, "+b:d", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			a->bundle = optarg;
			break;
		case 'p':
			a->pid_file = optarg;
			break;
		case 'c':
			a->console_socket = optarg;
			break;
		case 'P':
			a->no_pivot = true;
			break;
		case 'K': /* berth never creates a session keyring */
		case 'k':
			break;
		case 'f':
			a->preserve_fds = (int)strtol(optarg, &end, 10);
			if (*end || a->preserve_fds < 0 || a->preserve_fds > 1024)
				return -oci_fail(ctx, "--preserve-fds: \"%s\" is not a count", optarg);
			break;
		case 'd':
			if (!is_run)
				goto bad;
			a->detach = true;
			break;
		default:
		bad:
			return -oci_fail(ctx, "%s: unknown option \"%s\"", argv[0], argv[optind - 1]);
		}
	}
	a->id = one_id(ctx, argc, argv, argv[0]);
	return a->id ? 0 : -1;
}

int oci_cmd_create(struct oci_ctx *ctx, int argc, char **argv)
{
	struct create_args a;
	if (parse_create_args(ctx, argc, argv, false, &a) < 0 || do_create(ctx, &a, false, NULL) < 0)
		return OCI_EXIT_FAIL;
	return 0;
}

static void run_poststart(struct oci_ctx *ctx, const struct oci_config *cfg, const char *id)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_free_ char *json = NULL;
	berr err = { 0 };

	if (!cfg || !cfg->nhooks[OCI_HOOK_POSTSTART])
		return;
	if (container_state_load(ctx->root, id, &st, &err) < 0 ||
	    !(json = oci_state_json(st, "running", false)))
		return;
	/* a failing poststart hook is a warning, the container keeps running (OCI) */
	oci_hooks_run_warn(ctx, cfg, OCI_HOOK_POSTSTART, json);
}

static void run_poststop(struct oci_ctx *ctx, const struct oci_config *cfg,
			 const struct container_state *st)
{
	_cleanup_free_ char *json = NULL;

	if (!cfg || !cfg->nhooks[OCI_HOOK_POSTSTOP] || !(json = oci_state_json(st, "stopped", false)))
		return;
	oci_hooks_run_warn(ctx, cfg, OCI_HOOK_POSTSTOP, json);
}

int oci_cmd_run(struct oci_ctx *ctx, int argc, char **argv)
{
	_cleanup_config_ struct oci_config *cfg = NULL;
	_cleanup_state_ struct container_state *st = NULL;
	struct container *c = NULL;
	struct create_args a;
	berr err = { 0 };
	int status = 0;

	if (parse_create_args(ctx, argc, argv, true, &a) < 0)
		return OCI_EXIT_FAIL;
	if (!a.detach && !a.console_socket) {
		/* foreground without a console socket: stdio is ours; a pty would need a relay */
		a.detach = false;
	}
	if (do_create(ctx, &a, true, &c) < 0)
		return OCI_EXIT_FAIL;
	oci_saved_config_load(ctx, a.id, &cfg, &err);
	run_poststart(ctx, cfg, a.id);
	if (a.detach) {
		container_free(c);
		return 0;
	}
	if (container_wait(c, &status, NULL, &err) < 0)
		oci_warn(ctx, "%s", err.msg);
	container_free(c);
	/* runc run removes the container once it is done */
	berr_clear(&err);
	if (container_state_load(ctx->root, a.id, &st, &err) == 0)
		run_poststop(ctx, cfg, st);
	if (container_delete(ctx->root, a.id, true, &err) < 0)
		oci_warn(ctx, "%s", err.msg);
	oci_saved_config_remove(ctx, a.id);
	return status;
}

int oci_cmd_start(struct oci_ctx *ctx, int argc, char **argv)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_config_ struct oci_config *cfg = NULL;
	_cleanup_free_ char *json = NULL;
	berr err = { 0 };
	const char *id;

	optind = 1;
	id = one_id(ctx, argc, argv, "start");
	if (!id || load_state(ctx, id, &st) < 0)
		return OCI_EXIT_FAIL;
	if (st->status != CONTAINER_CREATED)
		return oci_fail(ctx, "Container \"%s\" is %s, not created: cannot start it", id,
				container_status_name(st->status));
	if (oci_saved_config_load(ctx, id, &cfg, &err) < 0)
		oci_warn(ctx, "No saved config for \"%s\" (hooks skipped): %s", id, err.msg);
	if (cfg && !cfg->has_process) {
		/* nothing can ever run in it: let it end (stopped) and say why */
		container_start(ctx->root, id, &err);
		return oci_fail(ctx, "Container \"%s\" has no process in its config.json: nothing to start", id);
	}
	if (cfg && cfg->nhooks[OCI_HOOK_START_CONTAINER]) {
		berr_clear(&err);
		json = oci_state_json(st, NULL, false);
		if (!json || oci_hooks_run(cfg, OCI_HOOK_START_CONTAINER, json, st->pid, true, &err) < 0)
			return oci_fail(ctx, "%s", err.msg);
	}
	berr_clear(&err);
	if (container_start(ctx->root, id, &err) < 0)
		return oci_fail(ctx, "%s", err.msg);
	run_poststart(ctx, cfg, id);
	return 0;
}

int oci_cmd_state(struct oci_ctx *ctx, int argc, char **argv)
{
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_free_ char *json = NULL;
	const char *id;

	optind = 1;
	id = one_id(ctx, argc, argv, "state");
	if (!id || load_state(ctx, id, &st) < 0)
		return OCI_EXIT_FAIL;
	json = oci_state_json(st, NULL, true);
	if (!json)
		return oci_fail(ctx, "Out of memory");
	printf("%s\n", json);
	return 0;
}

int oci_cmd_kill(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "pid", required_argument, NULL, 'p' },
		{ 0 },
	};
	_cleanup_state_ struct container_state *st = NULL;
	berr err = { 0 };
	bool all = false;
	int c, sig = SIGTERM;

	while ((c = getopt_long_only(argc, argv, "+a", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else
			return oci_fail(ctx, "kill: unknown option \"%s\"", argv[optind - 1]);
	}
	if (optind >= argc || argc - optind > 2)
		return oci_fail(ctx, "kill needs a container id and an optional signal");
	if (argc - optind == 2 && (sig = oci_parse_signal(argv[optind + 1])) < 0)
		return oci_fail(ctx, "kill: \"%s\" is not a signal", argv[optind + 1]);
	if (load_state(ctx, argv[optind], &st) < 0)
		return OCI_EXIT_FAIL;
	if (container_kill(ctx->root, argv[optind], sig, all, &err) < 0)
		return oci_fail(ctx, "%s", err.msg);
	return 0;
}

int oci_cmd_delete(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	_cleanup_state_ struct container_state *st = NULL;
	_cleanup_config_ struct oci_config *cfg = NULL;
	berr err = { 0 };
	bool force = false;
	const char *id;
	int c;

	while ((c = getopt_long_only(argc, argv, "+f", opts, NULL)) != -1) {
		if (c != 'f')
			return oci_fail(ctx, "delete: unknown option \"%s\"", argv[optind - 1]);
		force = true;
	}
	id = one_id(ctx, argc, argv, "delete");
	if (!id)
		return OCI_EXIT_FAIL;
	if (!container_id_valid(id))
		return oci_fail(ctx, "Invalid container id \"%s\"", id);
	if (oci_state_load(ctx, id, &st, &err) < 0) {
		if (force && err.code == ENOENT) { /* runc: delete --force of nothing is fine */
			oci_saved_config_remove(ctx, id);
			return 0;
		}
		return oci_fail(ctx, "%s", err.msg);
	}
	/* runtime-spec: deleting a container that is not stopped is an error */
	if (st->status != CONTAINER_STOPPED && !force)
		return oci_fail(ctx, "Container \"%s\" is %s, not stopped: kill it first or use --force", id,
				container_status_name(st->status));
	oci_saved_config_load(ctx, id, &cfg, &err);
	berr_clear(&err);
	/* stopped here but maybe a zombie the runtime still counts as running */
	if (container_delete(ctx->root, id, force || st->status == CONTAINER_STOPPED, &err) < 0)
		return oci_fail(ctx, "%s", err.msg);
	run_poststop(ctx, cfg, st);
	oci_saved_config_remove(ctx, id);
	return 0;
}
