// SPDX-License-Identifier: GPL-2.0-or-later
/* berth exec, ps, stop, kill, rm. */
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/image.h"
#include "cli/net.h"
#include "cli/run.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "runtime/container.h"

/* ---- -u USER[:GROUP] ---- */

/* Find NAME (or numeric ID) in the passwd/group style file PATH inside
 * ROOTFS: fields[2] is the id, fields[3] the primary gid, fields[5] home. */
static int lookup(const char *rootfs, const char *path, const char *name, int64_t *ret_id, int64_t *ret_gid,
		  char **ret_home)
{
	_cleanup_close_ int rfd = rootfs ? open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	_cleanup_close_ int fd = rfd >= 0 ? safe_openat(rfd, path, O_RDONLY, 0) : -1;
	_cleanup_fclose_ FILE *f = fd >= 0 ? fdopen(fd, "re") : NULL;
	char line[1024];
	if (!f)
		return -ENOENT;
	fd = -1;
	while (fgets(line, sizeof(line), f)) {
		char *fields[7] = { 0 }, *save = NULL, *p = line;
		line[strcspn(line, "\n")] = '\0';
		for (int i = 0; i < 7; i++) {
			fields[i] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		(void)save;
		if (!fields[2] || strcmp(fields[0], name))
			continue;
		*ret_id = strtoll(fields[2], NULL, 10); /* ids above 2^31: not strtol on ILP32 */
		if (ret_gid && fields[3])
			*ret_gid = strtoll(fields[3], NULL, 10);
		if (ret_home && fields[5])
			*ret_home = strdup(fields[5]);
		return 0;
	}
	return -ENOENT;
}

int cli_parse_user(const char *spec, const char *rootfs, struct bspec_process *proc, char **ret_home,
		   berr *err)
{
	_cleanup_free_ char *u = strdup(spec);
	if (!u)
		return -ENOMEM;
	char *g = strchr(u, ':');
	if (g)
		*g++ = '\0';
	int64_t n;
	int64_t uid = -1, gid = 0;
	if (parse_int64(u, 0, UINT32_MAX - 1, &n) == 0) {
		uid = n;
		lookup(rootfs, "/etc/passwd", u, &uid, &gid, ret_home); /* numeric names are rare; harmless */
		uid = n;
	} else if (lookup(rootfs, "/etc/passwd", u, &uid, &gid, ret_home) < 0) {
		return berr_fail(err, ENOENT, "User \"%s\" not found in the container's /etc/passwd", u);
	}
	if (g) {
		if (parse_int64(g, 0, UINT32_MAX - 1, &n) == 0)
			gid = n;
		else if (lookup(rootfs, "/etc/group", g, &gid, NULL, NULL) < 0)
			return berr_fail(err, ENOENT, "Group \"%s\" not found in the container's /etc/group", g);
	}
	proc->uid = (uid_t)uid;
	proc->gid = (gid_t)gid;
	return 0;
}

/* ---- exec ---- */

int cmd_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tty", no_argument, NULL, 't' },	   { "interactive", no_argument, NULL, 'i' },
		{ "detach", no_argument, NULL, 'd' },	   { "env", required_argument, NULL, 'e' },
		{ "workdir", required_argument, NULL, 'w' }, { "user", required_argument, NULL, 'u' },
		{ 0 },
	};
	bool tty = false, detach = false;
	const char *user = NULL, *workdir = NULL;
	_cleanup_strv_ char **env = NULL;
	int c;

	if (cli_protect_exe() < 0) /* CVE-2019-5736: may re-execute from a sealed copy */
		return EXIT_BERTH;
	while ((c = getopt_long(argc, argv, "+tide:w:u:", opts, NULL)) != -1) {
		switch (c) {
		case 't': tty = true; break;
		case 'i': break;
		case 'd': detach = true; break;
		case 'e': strv_add(&env, optarg); break;
		case 'w': workdir = optarg; break;
		case 'u': user = optarg; break;
		default: log_error("Usage: berth exec [-t] [-i] [-d] [-e K=V] [-w DIR] [-u USER] ID CMD..."); return EXIT_BERTH;
		}
	}
	if (argc - optind < 2) {
		log_error("Usage: berth exec [OPTIONS] ID CMD...");
		return EXIT_BERTH;
	}
	const char *id = argv[optind];
	struct container_state *st;
	struct bspec_process *proc = NULL;
	berr err = { 0 };
	if (container_state_load(cli->run_dir, id, &st, &err) < 0 ||
	    container_exec_process(st, argv + optind + 1, &proc, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	if (user) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/root", st->pid);
		if (cli_parse_user(user, p, proc, NULL, &err) < 0) {
			log_error("%s", err.msg);
			return EXIT_BERTH;
		}
	}
	container_state_free(st);
	if (workdir) {
		free(proc->cwd);
		proc->cwd = strdup(workdir);
	}
	proc->terminal = tty;
	if (tty)
		strv_add(&proc->env, "TERM=xterm");
	for (char **e = env; e && *e; e++)
		strv_add(&proc->env, *e);

	struct container_opts copts;
	container_opts_init(&copts);
	copts.run_dir = cli->run_dir;
	int devnull = -1;
	if (detach) {
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		copts.stdio[0] = copts.stdio[1] = copts.stdio[2] = devnull;
	}
	pid_t pid;
	int pidfd = -1, master = -1, rc;
	cli_block_signals();
	if (container_exec(cli->run_dir, id, proc, &copts, &pid, &pidfd, &master, &err) < 0) {
		log_error("%s", err.msg);
		rc = EXIT_BERTH;
	} else if (detach) {
		rc = 0; /* reparented to init when we exit */
	} else {
		cli_wait_forward(pidfd, pid, master);
		rc = cli_reap(pidfd, pid);
		if (rc < 0)
			rc = EXIT_BERTH;
	}
	if (devnull >= 0)
		close(devnull);
	if (pidfd >= 0)
		close(pidfd);
	if (master >= 0)
		close(master);
	container_process_free(proc);
	return rc;
}

/* ---- ps ---- */

int cmd_ps(struct cli *cli, int argc, char **argv)
{
	bool all = false, quiet = false;
	int c;
	static const struct option opts[] = { { "all", no_argument, NULL, 'a' }, { "quiet", no_argument, NULL, 'q' }, { 0 } };
	while ((c = getopt_long(argc, argv, "aq", opts, NULL)) != -1) {
		if (c == 'a')
			all = true;
		else if (c == 'q')
			quiet = true;
		else
			return EXIT_BERTH;
	}
	struct container_state **list;
	berr err = { 0 };
	if (container_state_list(cli->run_dir, &list, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	if (!quiet)
		printf("%-20s %-10s %-8s %-12s %s\n", "NAME", "STATUS", "PID", "CREATED", "COMMAND");
	for (struct container_state **p = list; *p; p++) {
		struct container_state *st = *p;
		if (!all && st->status == CONTAINER_STOPPED)
			continue;
		if (quiet) {
			printf("%s\n", st->id);
			continue;
		}
		char status[32], created[32], cmd[256] = "";
		if (st->status == CONTAINER_STOPPED && st->exited)
			snprintf(status, sizeof(status), "exited(%d)", st->exit_status);
		else
			snprintf(status, sizeof(status), "%s", container_status_name(st->status));
		time_t t = (time_t)st->created;
		struct tm tm;
		strftime(created, sizeof(created), "%m-%d %H:%M:%S", localtime_r(&t, &tm));
		for (char **a = st->args; a && *a; a++)
			snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", a == st->args ? "" : " ", *a);
		printf("%-20s %-10s %-8d %-12s %s\n", st->id, status,
		       st->status == CONTAINER_STOPPED ? 0 : st->pid, created, cmd);
	}
	container_state_list_free(list);
	return 0;
}

/* ---- stop, kill, rm ---- */

static bool wait_gone(const char *run_dir, const char *id, uint64_t ms)
{
	struct container_state *st;
	berr err;
	if (container_state_load(run_dir, id, &st, &err) < 0)
		return true;
	bool gone = st->status == CONTAINER_STOPPED;
	int pidfd = gone ? -1 : (int)syscall(SYS_pidfd_open, st->pid, 0);
	container_state_free(st);
	if (pidfd < 0)
		return true;
	struct pollfd p = { .fd = pidfd, .events = POLLIN };
	int r;
	do
		r = poll(&p, 1, (int)ms);
	while (r < 0 && errno == EINTR);
	close(pidfd);
	return r > 0;
}

int cmd_stop(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "time", required_argument, NULL, 't' }, { "signal", required_argument, NULL, 's' }, { 0 } };
	uint64_t grace_ms = 10000;
	int sig = SIGTERM, c, rc = 0;
	while ((c = getopt_long(argc, argv, "t:s:", opts, NULL)) != -1) {
		if (c == 't' && parse_duration_ms(optarg, &grace_ms) == 0)
			continue;
		if (c == 's' && (sig = cli_parse_signal(optarg)) > 0)
			continue;
		log_error("Usage: berth stop [-t SECONDS] [-s SIGNAL] ID...");
		return EXIT_BERTH;
	}
	for (int i = optind; i < argc; i++) {
		berr err = { 0 };
		if (container_kill(cli->run_dir, argv[i], sig, false, &err) < 0) {
			if (err.code == ESRCH)
				continue; /* already stopped: fine */
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		if (!wait_gone(cli->run_dir, argv[i], grace_ms)) {
			if (container_kill(cli->run_dir, argv[i], SIGKILL, true, &err) < 0 && err.code != ESRCH)
				log_error("%s", err.msg);
			wait_gone(cli->run_dir, argv[i], 10000);
		}
	}
	return rc;
}

int cmd_kill(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "signal", required_argument, NULL, 's' }, { "all", no_argument, NULL, 'a' }, { 0 } };
	int sig = SIGKILL, c, rc = 0;
	bool all = false;
	while ((c = getopt_long(argc, argv, "s:a", opts, NULL)) != -1) {
		if (c == 's' && (sig = cli_parse_signal(optarg)) > 0)
			continue;
		if (c == 'a') {
			all = true;
			continue;
		}
		log_error("Usage: berth kill [-s SIGNAL] [--all] ID...");
		return EXIT_BERTH;
	}
	if (optind >= argc) {
		log_error("Usage: berth kill [-s SIGNAL] [--all] ID...");
		return EXIT_BERTH;
	}
	for (int i = optind; i < argc; i++) {
		berr err = { 0 };
		if (container_kill(cli->run_dir, argv[i], sig, all, &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
		}
	}
	return rc;
}

int cmd_rm(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = { { "force", no_argument, NULL, 'f' }, { 0 } };
	bool force = false;
	int c, rc = 0;
	while ((c = getopt_long(argc, argv, "f", opts, NULL)) != -1) {
		if (c == 'f') {
			force = true;
			continue;
		}
		log_error("Usage: berth rm [-f] ID...");
		return EXIT_BERTH;
	}
	if (optind >= argc) {
		log_error("Usage: berth rm [-f] ID...");
		return EXIT_BERTH;
	}
	for (int i = optind; i < argc; i++) {
		berr err = { 0 };
		if (container_delete(cli->run_dir, argv[i], force, &err) < 0) {
			log_error("%s", err.msg);
			rc = EXIT_BERTH;
			continue;
		}
		/* what run took from the network and the image store */
		net_run_release(cli, argv[i]);
		if (image_release_spec(cli, argv[i], &err) < 0)
			log_warn("%s", err.msg);
	}
	return rc;
}
