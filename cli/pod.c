// SPDX-License-Identifier: GPL-2.0-or-later
/* berth daemon, and the pod commands: apply, validate, get, describe,
 * delete, logs, scale, restart. Everything but validate and logs
 * talks to the daemon over its control socket. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/run.h"
#include "cli/podlogs.h"
#include "lib/cleanup.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/units.h"
#include "supervisor/client.h"
#include "supervisor/daemon.h"
#include "supervisor/objects.h"
#include "supervisor/podspec.h"

static int cmd_validate(struct cli *cli, int argc, char **argv)
{
	int rc = 0;
	if (argc < 2) {
		log_error("Usage: berth validate FILE...");
		return EXIT_BERTH;
	}
	for (int i = 1; i < argc; i++) {
		struct pod_spec *pod = NULL;
		berr err = { 0 };
		if (pod_spec_load(argv[i], &pod, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			rc = 1;
			continue;
		}
		for (size_t w = 0; pod->warnings && pod->warnings[w]; w++)
			fprintf(stderr, "Warning: %s\n", pod->warnings[w]);
		if (podspec_store_resolve(pod, cli->root, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			pod_spec_free(pod);
			rc = 1;
			continue;
		}
		printf("%s: pod %s, %u replica%s, %zu container%s\n", argv[i], pod->name, pod->replicas,
		       pod->replicas == 1 ? "" : "s", pod->ncontainers, pod->ncontainers == 1 ? "" : "s");
		pod_spec_free(pod);
	}
	return rc;
}

/* Without --foreground the daemon detaches once it serves its socket. */
static int daemonize(int *ret_ready_fd)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		char c;
		close(p[1]);
		ssize_t n = read(p[0], &c, 1);
		_exit(n == 1 ? 0 : EXIT_BERTH);
	}
	close(p[0]);
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup3(null, 0, 0);
		dup3(null, 1, 0);
		close(null);
	}
	*ret_ready_fd = p[1];
	return 0;
}

/* --ready-fd N (s6's notification-fd): an fd the caller opened, which the
 * daemon writes "1" to and closes once it serves; its forks never keep it
 * (shims and holders close what they do not own), so a reader sees EOF
 * without "1" when the daemon died first. */
static int parse_ready_fd(const char *arg, int *ret_fd)
{
	char *end;
	errno = 0;
	long fd = strtol(arg, &end, 10);
	if (errno || end == arg || *end || fd < 3 || fd > INT_MAX) {
		log_error("--ready-fd: \"%s\" is not a file descriptor number of 3 or more", arg);
		return -EINVAL;
	}
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		log_error("--ready-fd: %ld: %s", fd, strerror(errno));
		return -errno;
	}
	*ret_fd = (int)fd;
	return 0;
}

int cmd_daemon(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pods-dir", required_argument, NULL, 'p' }, { "log-dir", required_argument, NULL, 'l' },
		{ "root", required_argument, NULL, 'r' },     { "run-dir", required_argument, NULL, 'R' },
		{ "foreground", no_argument, NULL, 'f' },     { "help", no_argument, NULL, 'h' },
		{ "watchdog", required_argument, NULL, 'w' }, { "watchdog-timeout", required_argument, NULL, 'W' },
		{ "ready-fd", required_argument, NULL, 'F' }, { 0 },
	};
	struct daemon_opts o = { .root = cli->root, .run_dir = cli->run_dir,
				 .pods_dir = getenv("BERTH_PODS_DIR"), .ready_fd = -1 };
	bool fg = false;
	int c;
	if (cli_protect_exe() < 0) /* CVE-2019-5736: may re-execute from a sealed copy */
		return EXIT_BERTH;
	if (!o.pods_dir || !*o.pods_dir)
		o.pods_dir = CONFIG_DEFAULT_PODS_DIR;
	while ((c = getopt_long(argc, argv, "p:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.pods_dir = optarg; break;
		case 'l': o.log_dir = optarg; break;
		case 'r': o.root = optarg; break;
		case 'R': o.run_dir = optarg; break;
		case 'f': fg = true; break;
		case 'w': o.watchdog = optarg; break;
		case 'W': {
			uint64_t ms;
			if (parse_duration_ms(optarg, &ms) < 0 || ms < 1000 || ms > 3600 * 1000) {
				log_error("--watchdog-timeout: \"%s\" is not a duration from 1s to 1h", optarg);
				return EXIT_BERTH;
			}
			o.watchdog_timeout_s = (unsigned)(ms / 1000);
			break;
		}
		case 'F':
			if (parse_ready_fd(optarg, &o.ready_fd) < 0)
				return EXIT_BERTH;
			break;
		case 'h':
			printf("Usage: berth daemon [--root DIR] [--run-dir DIR] [--pods-dir DIR] [--log-dir DIR] [--foreground]\n"
			       "                    [--ready-fd N] [--watchdog DEVICE [--watchdog-timeout DURATION]]\n");
			return 0;
		default:
			return EXIT_BERTH;
		}
	}
	if (o.ready_fd >= 0 && !fg) {
		log_error("--ready-fd: needs --foreground (without it the daemon reports readiness by detaching)");
		return EXIT_BERTH;
	}
	if (!fg && daemonize(&o.ready_fd) < 0) {
		log_error("Cannot detach: %s", strerror(errno));
		return EXIT_BERTH;
	}
	log_init("berthd");
	berr err = { 0 };
	if (daemon_run(&o, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	return 0;
}

/* ---- client commands ------------------------------------------------------ */

static json_t *request(struct cli *cli, json_t *req)
{
	json_t *reply = NULL;
	berr err = { 0 };
	int r = sv_request(cli->run_dir, req, &reply, &err);
	json_decref(req);
	if (r < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return NULL;
	}
	return reply;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (s)
		puts(s);
	free(s);
}

static const char *pod_status(json_t *pod)
{
	size_t i, k;
	json_t *rep, *ctr;
	bool starting = false, backoff = false, term = false, exited_ok = false, failed = false;
	json_array_foreach(json_object_get(pod, "replicas"), i, rep) {
		term |= json_is_true(json_object_get(rep, "terminating"));
		json_array_foreach(json_object_get(rep, "containers"), k, ctr) {
			const char *st = json_string_value(json_object_get(ctr, "state"));
			json_t *code = json_object_get(ctr, "exit_code");
			if (!st)
				continue;
			if (strcmp(st, "pending") == 0 && json_integer_value(json_object_get(ctr, "restarts")))
				backoff = true;
			else if (strcmp(st, "starting") == 0 || strcmp(st, "pending") == 0 ||
				 strcmp(st, "running") == 0)
				starting = true;
			else if (strcmp(st, "exited") == 0)
				*(json_integer_value(code) == 0 ? &exited_ok : &failed) = true;
		}
	}
	if (term)
		return "Terminating";
	if (backoff)
		return "CrashLoopBackOff";
	if (failed)
		return "Error";
	if (starting)
		return "Starting";
	if (exited_ok)
		return "Completed";
	return json_array_size(json_object_get(pod, "replicas")) ? "Running" : "Scaled-0";
}

static long pod_restarts(json_t *pod)
{
	long n = 0;
	size_t i, k;
	json_t *rep, *ctr;
	json_array_foreach(json_object_get(pod, "replicas"), i, rep)
		json_array_foreach(json_object_get(rep, "containers"), k, ctr)
			n += (long)json_integer_value(json_object_get(ctr, "restarts"));
	return n;
}

static void print_wide(json_t *pods)
{
	size_t i, j, k;
	json_t *pod, *rep, *ctr;
	printf("%-22s %-14s %-12s %-6s %-9s %-8s %s\n", "REPLICA", "CONTAINER", "STATE", "READY",
	       "RESTARTS", "PID", "LAST EXIT");
	json_array_foreach(pods, i, pod)
		json_array_foreach(json_object_get(pod, "replicas"), j, rep)
			json_array_foreach(json_object_get(rep, "containers"), k, ctr) {
				json_t *code = json_object_get(ctr, "exit_code");
				char last[48] = "-";
				if (json_is_integer(code))
					snprintf(last, sizeof(last), "%lld (%s)", json_integer_value(code),
						 json_string_value(json_object_get(ctr, "reason")));
				printf("%-22s %-14s %-12s %-6s %-9lld %-8lld %s\n",
				       json_string_value(json_object_get(rep, "name")),
				       json_string_value(json_object_get(ctr, "name")),
				       json_string_value(json_object_get(ctr, "state")),
				       json_is_true(json_object_get(ctr, "ready")) ? "yes" : "no",
				       json_integer_value(json_object_get(ctr, "restarts")),
				       json_integer_value(json_object_get(ctr, "pid")), last);
			}
}

const char *cli_qualify(const struct cli *cli, const char *name, char *buf, size_t len)
{
	size_t pod = strcspn(name, "/");
	if (!cli->ns || strcmp(cli->ns, "default") == 0)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%.*s.%s%s", (int)pod, name, cli->ns, name + pod);
	return buf;
}

/* Is POD of the namespace the command is about? */
static bool ns_wanted(const struct cli *cli, json_t *pod)
{
	const char *ns = json_string_value(json_object_get(pod, "namespace"));
	return cli->all_ns || strcmp(ns ? ns : "default", cli->ns ? cli->ns : "default") == 0;
}

/* NAME without its ".NAMESPACE" */
static void short_name(json_t *pod, char *buf, size_t len)
{
	const char *name = json_string_value(json_object_get(pod, "name"));
	const char *ns = json_string_value(json_object_get(pod, "namespace"));
	size_t n = strlen(name), m = ns ? strlen(ns) : 0;
	if (ns && strcmp(ns, "default") && n > m + 1 && name[n - m - 1] == '.' && !strcmp(name + n - m, ns))
		n -= m + 1;
	snprintf(buf, len, "%.*s", (int)n, name);
}

static int cmd_get(struct cli *cli, int argc, char **argv)
{
	const char *out = NULL;
	int c;
	while ((c = getopt(argc, argv, "o:")) != -1) {
		if (c != 'o')
			return EXIT_BERTH;
		out = optarg;
	}
	if (optind >= argc || (strcmp(argv[optind], "pods") && strcmp(argv[optind], "pod"))) {
		log_error("Usage: berth get pods [NAME] [-o json|wide]");
		return EXIT_BERTH;
	}
	json_t *req = json_pack("{s:s}", "cmd", "get");
	char qn[128];
	if (optind + 1 < argc)
		json_object_set_new(req, "pod", json_string(cli_qualify(cli, argv[optind + 1], qn, sizeof(qn))));
	json_t *reply = request(cli, req);
	if (!reply)
		return 1;
	json_t *all = json_object_get(reply, "pods"), *pods = json_array(), *one;
	size_t k;
	json_array_foreach(all, k, one)
		if (ns_wanted(cli, one))
			json_array_append(pods, one);
	if (out && strcmp(out, "json") == 0) {
		json_t *o = json_pack("{s:O}", "pods", pods);
		print_json(o);
		json_decref(o);
	} else if (out && strcmp(out, "wide") == 0) {
		print_wide(pods);
	} else {
		size_t i;
		json_t *pod;
		if (cli->all_ns)
			printf("%-16s ", "NAMESPACE");
		printf("%-20s %-8s %-18s %s\n", "NAME", "READY", "STATUS", "RESTARTS");
		json_array_foreach(pods, i, pod) {
			char ready[32], name[128];
			const char *ns = json_string_value(json_object_get(pod, "namespace"));
			snprintf(ready, sizeof(ready), "%lld/%lld", json_integer_value(json_object_get(pod, "ready")),
				 json_integer_value(json_object_get(pod, "desired")));
			short_name(pod, name, sizeof(name));
			if (cli->all_ns)
				printf("%-16s ", ns ? ns : "default");
			printf("%-20s %-8s %-18s %ld\n", name, ready, pod_status(pod), pod_restarts(pod));
		}
	}
	json_decref(pods);
	json_decref(reply);
	return 0;
}

static int cmd_describe(struct cli *cli, int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "pod") != 0) {
		log_error("Usage: berth describe pod NAME [-o json]");
		return EXIT_BERTH;
	}
	char qn[128];
	json_t *reply = request(cli, json_pack("{s:s, s:s}", "cmd", "describe", "pod",
					       cli_qualify(cli, argv[2], qn, sizeof(qn))));
	if (!reply)
		return 1;
	json_t *pod = json_object_get(reply, "pod");
	if (argc > 4 && strcmp(argv[3], "-o") == 0 && strcmp(argv[4], "json") == 0) {
		print_json(pod);
		json_decref(reply);
		return 0;
	}
	printf("Name:      %s\nFile:      %s\nReplicas:  %lld desired, %lld ready%s\nRestart:   %s\n\n",
	       json_string_value(json_object_get(pod, "name")),
	       json_string_value(json_object_get(pod, "file")),
	       json_integer_value(json_object_get(pod, "desired")),
	       json_integer_value(json_object_get(pod, "ready")),
	       json_is_true(json_object_get(pod, "scaled")) ? " (berth scale)" : "",
	       json_string_value(json_object_get(pod, "restart")));
	if (json_is_string(json_object_get(pod, "service")))
		printf("Service:   %s\n\n", json_string_value(json_object_get(pod, "service")));
	json_t *one = json_array();
	json_array_append(one, pod);
	print_wide(one);
	json_decref(one);
	printf("\nEvents:\n");
	size_t i;
	json_t *ev;
	json_array_foreach(json_object_get(pod, "events"), i, ev) {
		time_t t = (time_t)json_integer_value(json_object_get(ev, "time"));
		struct tm tm;
		char ts[32];
		localtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		printf("  %s  %s\n", ts, json_string_value(json_object_get(ev, "message")));
	}
	json_decref(reply);
	return 0;
}

static int simple_pod_cmd(struct cli *cli, const char *cmd, const char *name, json_t *extra)
{
	json_t *req = json_pack("{s:s, s:s}", "cmd", cmd, "pod", name);
	if (extra)
		json_object_update(req, extra);
	json_decref(extra);
	json_t *reply = request(cli, req);
	if (!reply)
		return 1;
	json_decref(reply);
	return 0;
}

static int cmd_delete(struct cli *cli, int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "pod") != 0) {
		log_error("Usage: berth delete pod NAME");
		return EXIT_BERTH;
	}
	char qn[128];
	int r = simple_pod_cmd(cli, "delete", cli_qualify(cli, argv[2], qn, sizeof(qn)), NULL);
	if (r == 0)
		printf("pod/%s deleted\n", argv[2]);
	return r;
}

static int cmd_restart(struct cli *cli, int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "pod") != 0) {
		log_error("Usage: berth restart pod NAME");
		return EXIT_BERTH;
	}
	char qn[128];
	int r = simple_pod_cmd(cli, "restart", cli_qualify(cli, argv[2], qn, sizeof(qn)), NULL);
	if (r == 0)
		printf("pod/%s restarted\n", argv[2]);
	return r;
}

static int cmd_scale(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "replicas", required_argument, NULL, 'n' }, { 0 } };
	long n = -1;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'n')
			return EXIT_BERTH;
		char *end;
		n = strtol(optarg, &end, 10);
		if (*end || n < 0)
			n = -2;
	}
	if (n < 0 || optind + 2 > argc || strcmp(argv[optind], "pod") != 0) {
		log_error("Usage: berth scale pod NAME --replicas N");
		return EXIT_BERTH;
	}
	char qn[128];
	int r = simple_pod_cmd(cli, "scale", cli_qualify(cli, argv[optind + 1], qn, sizeof(qn)),
			       json_pack("{s:I}", "replicas", (json_int_t)n));
	if (r == 0)
		printf("pod/%s scaled to %ld\n", argv[optind + 1], n);
	return r;
}

/* FILE, or every *.pod of DIR (sorted) */
static int collect_files(const char *arg, json_t *files)
{
	struct stat st;
	if (stat(arg, &st) < 0) {
		log_error("\"%s\": %s", arg, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		char *abs = realpath(arg, NULL);
		json_array_append_new(files, json_string(abs ? abs : arg));
		free(abs);
		return 0;
	}
	struct dirent **names;
	int n = scandir(arg, &names, NULL, alphasort);
	if (n < 0) {
		log_error("\"%s\": %s", arg, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);
		if (l > 4 && strcmp(names[i]->d_name + l - 4, ".pod") == 0) {
			char p[PATH_MAX];
			snprintf(p, sizeof(p), "%s/%s", arg, names[i]->d_name);
			char *abs = realpath(p, NULL);
			json_array_append_new(files, json_string(abs ? abs : p));
			free(abs);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static int cmd_apply(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "dry-run", no_argument, NULL, 'd' },
					      { "filename", required_argument, NULL, 'f' }, { 0 } };
	json_t *files = json_array();
	bool dry = false, json = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:o:", opts, NULL)) != -1) {
		if (c == 'd')
			dry = true;
		else if (c == 'o')
			json = strcmp(optarg, "json") == 0;
		else if (c != 'f' || collect_files(optarg, files) < 0) {
			json_decref(files);
			return EXIT_BERTH;
		}
	}
	if (!json_array_size(files)) {
		json_decref(files);
		log_error("Usage: berth apply -f FILE|DIR [--dry-run] [-o json]");
		return EXIT_BERTH;
	}
	json_t *reply = request(cli, json_pack("{s:s, s:o, s:b}", "cmd", "apply", "files", files,
					       "dry_run", dry));
	if (!reply)
		return 1;
	size_t wi;
	json_t *w;
	json_array_foreach(json_object_get(reply, "warnings"), wi, w)
		fprintf(stderr, "Warning: %s\n", json_string_value(w));
	if (json) {
		print_json(reply);
	} else {
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(reply, "results"), i, r)
			printf("pod/%s %s%s\n", json_string_value(json_object_get(r, "pod")),
			       json_string_value(json_object_get(r, "action")), dry ? " (dry run)" : "");
	}
	json_decref(reply);
	return 0;
}

/* POD[/CONTAINER] -> the runtime's id REPLICA-CONTAINER: POD is a pod (its
 * replica 0) or a replica ("web-1"); without CONTAINER, the pod's first. */
static int pod_exec_target(struct cli *cli, const char *arg, char *ret, size_t len)
{
	char pod[128], want[160];
	const char *ctr = strchr(arg, '/');
	snprintf(pod, sizeof(pod), "%.*s", ctr ? (int)(ctr - arg) : (int)strlen(arg), arg);
	json_t *reply = request(cli, json_pack("{s:s}", "cmd", "get"));
	if (!reply)
		return -1;
	int r = -1;
	size_t i, j, k;
	json_t *p, *rep, *c;
	json_array_foreach(json_object_get(reply, "pods"), i, p) {
		const char *pn = json_string_value(json_object_get(p, "name"));
		json_array_foreach(json_object_get(p, "replicas"), j, rep) {
			const char *rn = json_string_value(json_object_get(rep, "name"));
			bool match = strcmp(rn, pod) == 0 ||
				     (strcmp(pn, pod) == 0 && json_integer_value(json_object_get(rep, "index")) == 0);
			json_array_foreach(json_object_get(rep, "containers"), k, c) {
				const char *cn = json_string_value(json_object_get(c, "name"));
				if (r < 0 && match && (!ctr || strcmp(cn, ctr + 1) == 0)) {
					snprintf(ret, len, "%s", json_string_value(json_object_get(c, "id")));
					r = 0;
				}
			}
		}
	}
	json_decref(reply);
	if (r < 0 && !ctr) {
		snprintf(ret, len, "%s", arg); /* a container id as the runtime knows it */
		r = 0;
	} else if (r < 0) {
		snprintf(want, sizeof(want), "%s", arg);
		log_error("No container \"%s\" in the daemon's pods", want);
	}
	return r;
}

/* berth exec POD[/CONTAINER] [--] CMD... -> berth exec ID CMD... */
static int cmd_pod_exec(struct cli *cli, int argc, char **argv)
{
	if (argc < 3) {
		log_error("Usage: berth exec POD[/CONTAINER] [--] CMD...");
		return EXIT_BERTH;
	}
	char id[160];
	char qn[128];
	if (pod_exec_target(cli, cli_qualify(cli, argv[1], qn, sizeof(qn)), id, sizeof(id)) < 0)
		return EXIT_BERTH;
	int first = strcmp(argv[2], "--") == 0 ? 3 : 2;
	if (first >= argc) {
		log_error("Usage: berth exec POD[/CONTAINER] [--] CMD...");
		return EXIT_BERTH;
	}
	char *nargv[argc - first + 3];
	int n = 0;
	nargv[n++] = "exec";
	nargv[n++] = id;
	for (int i = first; i < argc; i++)
		nargv[n++] = argv[i];
	nargv[n] = NULL;
	optind = 0;
	return cmd_exec(cli, n, nargv);
}

int cmd_pod(struct cli *cli, int argc, char **argv)
{
	if (strcmp(argv[0], "exec") == 0)
		return cmd_pod_exec(cli, argc, argv);
	static const struct {
		const char *verb;
		int (*fn)(struct cli *, int, char **);
	} verbs[] = {
		{ "get", cmd_get },	    { "describe", cmd_describe }, { "delete", cmd_delete },
		{ "restart", cmd_restart }, { "scale", cmd_scale },	  { "apply", cmd_apply },
	};
	if (strcmp(argv[0], "validate") == 0)
		return cmd_validate(cli, argc, argv);
	if (strcmp(argv[0], "logs") == 0)
		return cmd_logs(cli, argc, argv);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[0], verbs[i].verb) == 0)
			return verbs[i].fn(cli, argc, argv);
	log_error("\"%s\" is not implemented yet", argv[0]);
	return EXIT_BERTH;
}
