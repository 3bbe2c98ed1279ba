// SPDX-License-Identifier: GPL-2.0-or-later
/* berth-oci exec / list / ps. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/oci.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"

struct exec_args {
	const char *process_file, *pid_file, *console_socket, *cwd, *user;
	char **env;
	uint64_t add_caps;
	bool detach, tty, tty_set, no_new_privs;
	int preserve_fds;
};

static int parse_user(const char *s, struct bspec_process *p)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10), gid = 0;
	if (end == s || (*end && *end != ':'))
		return -EINVAL;
	if (*end == ':') {
		const char *g = end + 1;
		gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return -EINVAL;
		p->gid = (gid_t)gid;
	}
	p->uid = (uid_t)uid;
	return 0;
}

/* --env K=V replaces K or appends */
static int set_env(char ***env, const char *kv)
{
	size_t klen = strcspn(kv, "=");
	for (char **e = *env; e && *e; e++)
		if (strncmp(*e, kv, klen) == 0 && (*e)[klen] == '=') {
			char *n = strdup(kv);
			if (!n)
				return -ENOMEM;
			free(*e);
			*e = n;
			return 0;
		}
	return strv_add(env, kv);
}

static int parse_exec_args(struct oci_ctx *ctx, int argc, char **argv, struct exec_args *a)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "tty", no_argument, NULL, 't' },
		{ "cwd", required_argument, NULL, 'w' },
		{ "env", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "cap", required_argument, NULL, 'C' },
		{ "no-new-privs", no_argument, NULL, 'n' },
		{ "preserve-fds", required_argument, NULL, 'f' },
		{ 0 },
	};
	int c, cap;

	while ((c = getopt_long_only(argc, argv, "+p:dte:u:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a->process_file = optarg; break;
		case 'd': a->detach = true; break;
		case 'P': a->pid_file = optarg; break;
		case 'c': a->console_socket = optarg; break;
		case 't': a->tty = a->tty_set = true; break;
		case 'w': a->cwd = optarg; break;
		case 'u': a->user = optarg; break;
		case 'n': a->no_new_privs = true; break;
		case 'f': a->preserve_fds = atoi(optarg); break;
		case 'e':
			if (!strchr(optarg, '=') || strv_add(&a->env, optarg) < 0)
				return -oci_fail(ctx, "exec: --env \"%s\" is not KEY=VALUE", optarg);
			break;
		case 'C':
			if ((cap = oci_cap_from_name(optarg)) < 0)
				return -oci_fail(ctx, "exec: unknown capability \"%s\"", optarg);
			a->add_caps |= 1ULL << cap;
			break;
		default:
			return -oci_fail(ctx, "exec: unknown option \"%s\"", argv[optind - 1]);
		}
	}
	return 0;
}

/* The process to exec: the container's own settings, then process.json or flags. */
static int build_process(struct oci_ctx *ctx, const struct container_state *st, struct exec_args *a,
			 char **args, struct bspec_process **ret)
{
	static char *const placeholder[] = { "sh", NULL };
	struct bspec_process *p = NULL;
	berr err = { 0 };

	if (container_exec_process(st, args && args[0] ? args : placeholder, &p, &err) < 0)
		return -oci_fail(ctx, "%s", err.msg);
	*ret = p;
	if (a->process_file) {
		_cleanup_free_ char *buf = NULL;
		size_t len;
		int mask = -1;
		if (read_file_at(AT_FDCWD, a->process_file, 4 << 20, &buf, &len, &err) < 0 ||
		    oci_process_parse(buf, len, p, &mask, &err) < 0)
			return -oci_fail(ctx, "%s: %s", a->process_file, err.msg);
		if (mask >= 0)
			umask((mode_t)mask); /* inherited by the process */
	} else if (!args || !args[0]) {
		return -oci_fail(ctx, "exec needs a command or --process");
	}
	if (a->cwd && (free(p->cwd), !(p->cwd = strdup(a->cwd))))
		return -oci_fail(ctx, "Out of memory");
	for (char **e = a->env; e && *e; e++)
		if (set_env(&p->env, *e) < 0)
			return -oci_fail(ctx, "Out of memory");
	if (a->user && parse_user(a->user, p) < 0)
		return -oci_fail(ctx, "exec: --user \"%s\" is not UID[:GID]", a->user);
	if (a->tty_set)
		p->terminal = a->tty;
	if (a->no_new_privs)
		p->no_new_privs = true;
	p->caps.bounding |= a->add_caps;
	p->caps.effective |= a->add_caps;
	p->caps.permitted |= a->add_caps;
	if (p->terminal && !a->console_socket)
		return -oci_fail(ctx, "exec: a terminal needs --console-socket");
	if (!p->args || !p->args[0])
		return -oci_fail(ctx, "exec: process.args is empty");
	return 0;
}

/* atomically, as runc: a reader never sees a half-written pid */
static int write_pid_file(const char *path, pid_t pid, berr *err)
{
	_cleanup_free_ char *dir = strdup(path);
	_cleanup_close_ int dfd = -1;
	char buf[32];

	if (!dir)
		return berr_fail(err, ENOMEM, "Out of memory");
	char *slash = strrchr(dir, '/');
	const char *name = slash ? path + (slash - dir) + 1 : path;
	if (slash)
		*(slash == dir ? slash + 1 : slash) = 0;
	dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return berr_errno(err, errno, "Pid file \"%s\"", path);
	snprintf(buf, sizeof(buf), "%d", pid);
	return write_file_atomic(dfd, name, buf, strlen(buf), 0644, err);
}

int oci_cmd_exec(struct oci_ctx *ctx, int argc, char **argv)
{
	struct container_state *st = NULL;
	struct bspec_process *proc = NULL;
	struct exec_args a = { 0 };
	struct container_opts opts;
	berr err = { 0 };
	pid_t pid = 0;
	int r = OCI_EXIT_FAIL, status, master = -1;

	if (parse_exec_args(ctx, argc, argv, &a) < 0)
		goto out;
	if (optind >= argc) {
		oci_fail(ctx, "exec needs a container id");
		goto out;
	}
	if (container_state_load(ctx->root, argv[optind], &st, &err) < 0) {
		oci_fail(ctx, "%s", err.msg);
		goto out;
	}
	if (st->status != CONTAINER_RUNNING && st->status != CONTAINER_CREATED) {
		oci_fail(ctx, "Container \"%s\" is %s: cannot exec in it", st->id,
			 container_status_name(st->status));
		goto out;
	}
	if (build_process(ctx, st, &a, argv + optind + 1, &proc) < 0)
		goto out;
	container_opts_init(&opts);
	opts.run_dir = ctx->root;
	opts.preserve_fds = a.preserve_fds;
	opts.detached = a.detach;
	if (container_exec(ctx->root, st->id, proc, &opts, &pid, NULL, &master, &err) < 0) {
		oci_fail(ctx, "%s", err.msg);
		goto out;
	}
	if (master >= 0 && oci_console_send(a.console_socket, master, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		oci_fail(ctx, "%s", err.msg);
		goto out;
	}
	if (master >= 0)
		close(master);
	if (a.pid_file && write_pid_file(a.pid_file, pid, &err) < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		oci_fail(ctx, "%s", err.msg);
		goto out;
	}
	if (a.detach) {
		r = 0;
		goto out;
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			oci_fail(ctx, "Wait for exec'd process %d: %s", pid, strerror(errno));
			goto out;
		}
	r = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	container_process_free(proc);
	container_state_free(st);
	strv_free(a.env);
	return r;
}

int oci_cmd_list(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 },
	};
	struct container_state **list = NULL;
	bool json = false, quiet = false;
	berr err = { 0 };
	int c;

	while ((c = getopt_long_only(argc, argv, "+f:q", opts, NULL)) != -1) {
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = strcmp(optarg, "json") == 0;
		else if (c == 'q')
			quiet = true;
		else
			return oci_fail(ctx, "list: bad option \"%s\" (--format table|json, --quiet)",
					argv[optind - 1]);
	}
	if (!path_exists(ctx->root)) {
		printf(json ? "[]\n" : quiet ? "" : "ID   PID   STATUS   BUNDLE   CREATED   OWNER\n");
		return 0;
	}
	if (container_state_list(ctx->root, &list, &err) < 0)
		return oci_fail(ctx, "%s", err.msg);
	if (json)
		printf("[");
	else if (!quiet)
		printf("%-24s %-8s %-9s %-40s %-21s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED",
		       "OWNER");
	for (struct container_state **s = list; *s; s++) {
		if ((*s)->status == CONTAINER_RUNNING && oci_pid_is_zombie((*s)->pid))
			(*s)->status = CONTAINER_STOPPED; /* as state says */
		if (json) {
			_cleanup_free_ char *j = oci_state_json(*s, NULL, false);
			printf("%s%s", s == list ? "" : ",", j ? j : "{}");
		} else if (quiet) {
			printf("%s\n", (*s)->id);
		} else {
			_cleanup_free_ char *j = oci_state_json(*s, NULL, false);
			json_t *o = j ? json_loads(j, 0, NULL) : NULL;
			printf("%-24s %-8d %-9s %-40s %-21s %s\n", (*s)->id,
			       (*s)->status == CONTAINER_STOPPED ? 0 : (*s)->pid,
			       container_status_name((*s)->status), (*s)->bundle ? (*s)->bundle : "",
			       o ? json_string_value(json_object_get(o, "created")) : "", "root");
			json_decref(o);
		}
	}
	if (json)
		printf("]\n");
	container_state_list_free(list);
	return 0;
}

/* Processes of a container: those in the pid namespace of its init. */
static int list_pids(pid_t init, pid_t **ret, size_t *ret_n)
{
	char path[64], want[64], got[64];
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	pid_t *pids = NULL;
	size_t n = 0;
	ssize_t l;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init);
	if ((l = readlink(path, want, sizeof(want) - 1)) < 0)
		return -errno;
	want[l] = 0;
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		pid_t p = atoi(de->d_name);
		if (p <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/pid", p);
		if ((l = readlink(path, got, sizeof(got) - 1)) < 0)
			continue;
		got[l] = 0;
		if (strcmp(got, want) != 0)
			continue;
		pid_t *np = realloc(pids, (n + 1) * sizeof(*pids));
		if (!np) {
			free(pids);
			return -ENOMEM;
		}
		pids = np;
		pids[n++] = p;
	}
	*ret = pids;
	*ret_n = n;
	return 0;
}

int oci_cmd_ps(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { { "format", required_argument, NULL, 'f' }, { 0 } };
	struct container_state *st = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	bool json = false;
	berr err = { 0 };
	size_t n = 0;
	int c, r;

	while ((c = getopt_long_only(argc, argv, "+f:", opts, NULL)) != -1) {
		if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = strcmp(optarg, "json") == 0;
		else
			return oci_fail(ctx, "ps: bad option \"%s\" (--format table|json)", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return oci_fail(ctx, "ps needs exactly one container id");
	if (container_state_load(ctx->root, argv[optind], &st, &err) < 0)
		return oci_fail(ctx, "%s", err.msg);
	if (st->status == CONTAINER_RUNNING || st->status == CONTAINER_CREATED) {
		if ((r = list_pids(st->pid, &pids, &n)) < 0) {
			container_state_free(st);
			return oci_fail(ctx, "ps: %s", strerror(-r));
		}
	}
	container_state_free(st);
	if (json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%d", i ? "," : "", pids[i]);
		printf("]\n");
		return 0;
	}
	printf("%-8s %s\n", "PID", "CMD");
	for (size_t i = 0; i < n; i++) {
		char path[64];
		_cleanup_free_ char *cmd = NULL;
		size_t len = 0;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pids[i]);
		if (read_file_at(AT_FDCWD, path, 4096, &cmd, &len, &err) < 0)
			continue;
		for (size_t k = 0; k + 1 < len; k++)
			if (!cmd[k])
				cmd[k] = ' ';
		printf("%-8d %s\n", pids[i], cmd);
	}
	return 0;
}
