// SPDX-License-Identifier: GPL-2.0-or-later
/* berth logs: reads the log files the shims write (supervisor/logfile.h),
 * so it works whether the daemon runs or not. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/podlogs.h"
#include "lib/cleanup.h"
#include "lib/log.h"
#include "lib/strv.h"

struct logs_opts {
	bool follow, previous, timestamps;
	long tail; /* -1 = all */
};

static void emit(const char *line, bool ts)
{
	if (!ts) {
		/* "TS STREAM text" -> "text" */
		const char *p = strchr(line, ' ');
		p = p ? strchr(p + 1, ' ') : NULL;
		line = p ? p + 1 : line;
	}
	fputs(line, stdout);
}

/* Read FILE's lines into the ring (TAIL lines kept, or all). */
static void read_lines(const char *file, char ***lines, long tail)
{
	_cleanup_fclose_ FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		strv_add(lines, line);
		size_t n = strv_length(*lines);
		if (tail >= 0 && n > (size_t)tail) {
			free((*lines)[0]);
			memmove(*lines, *lines + 1, n * sizeof(char *));
		}
	}
	free(line);
}

/* Files of one container, oldest first. */
static char **log_files(const char *base, bool previous)
{
	char **v = NULL;
	char p[PATH_MAX + 16];
	if (previous) {
		snprintf(p, sizeof(p), "%s.previous.log", base);
		strv_add(&v, p);
		return v;
	}
	for (int i = 99; i >= 1; i--) {
		snprintf(p, sizeof(p), "%s.log.%d", base, i);
		if (access(p, F_OK) == 0)
			strv_add(&v, p);
	}
	snprintf(p, sizeof(p), "%s.log", base);
	strv_add(&v, p);
	return v;
}

static void follow(const char *base, bool ts)
{
	char path[PATH_MAX + 8], dir[PATH_MAX];
	snprintf(path, sizeof(path), "%s.log", base);
	snprintf(dir, sizeof(dir), "%s", base);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	_cleanup_close_ int ino = inotify_init1(IN_CLOEXEC);
	if (ino < 0 || inotify_add_watch(ino, dir, IN_MODIFY | IN_CREATE | IN_MOVED_TO) < 0)
		return;
	FILE *f = fopen(path, "re");
	if (f)
		fseek(f, 0, SEEK_END);
	char *line = NULL;
	size_t cap = 0;
	for (;;) {
		char buf[4096];
		if (read(ino, buf, sizeof(buf)) < 0 && errno != EINTR)
			break;
		struct stat a, b;
		if (f && fstat(fileno(f), &a) == 0 && stat(path, &b) == 0 && a.st_ino != b.st_ino) {
			/* rotated: finish the old file, then the new one from its start */
			while (getline(&line, &cap, f) > 0)
				emit(line, ts);
			fclose(f);
			f = NULL;
		}
		if (!f && !(f = fopen(path, "re")))
			continue;
		clearerr(f);
		while (getline(&line, &cap, f) > 0)
			emit(line, ts);
		fflush(stdout);
	}
	free(line);
	if (f)
		fclose(f);
}

/* POD[/CTR] -> DIR/POD/REPLICA-CTR (no suffix) */
static int resolve(const char *logdir, const char *arg, char *ret, size_t len)
{
	char pod[128], rep[128], ctr[128] = "";
	snprintf(pod, sizeof(pod), "%s", arg);
	char *sl = strchr(pod, '/');
	if (sl) {
		snprintf(ctr, sizeof(ctr), "%s", sl + 1);
		*sl = '\0';
	}
	char d[PATH_MAX];
	struct stat st;
	snprintf(d, sizeof(d), "%s/%s", logdir, pod);
	if (stat(d, &st) == 0) {
		snprintf(rep, sizeof(rep), "%s-0", pod);
	} else {
		snprintf(rep, sizeof(rep), "%s", pod);
		char *dash = strrchr(pod, '-');
		if (!dash)
			return -ENOENT;
		*dash = '\0';
		snprintf(d, sizeof(d), "%s/%s", logdir, pod);
	}
	if (!ctr[0]) {
		struct dirent **names;
		int n = scandir(d, &names, NULL, alphasort);
		size_t rl = strlen(rep);
		for (int i = 0; i < n; i++) {
			const char *nm = names[i]->d_name;
			size_t l = strlen(nm);
			if (!ctr[0] && strncmp(nm, rep, rl) == 0 && nm[rl] == '-' && l > rl + 5 &&
			    strcmp(nm + l - 4, ".log") == 0 && !strstr(nm, ".previous.log"))
				snprintf(ctr, sizeof(ctr), "%.*s", (int)(l - rl - 5), nm + rl + 1);
			free(names[i]);
		}
		if (n >= 0)
			free(names);
		if (!ctr[0])
			return -ENOENT;
	}
	snprintf(ret, len, "%s/%s-%s", d, rep, ctr);
	return 0;
}

int cmd_logs(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },	 { "tail", required_argument, NULL, 't' },
		{ "previous", no_argument, NULL, 'p' }, { "timestamps", no_argument, NULL, 'T' },
		{ 0 },
	};
	struct logs_opts o = { .tail = -1 };
	int c;
	while ((c = getopt_long(argc, argv, "fpt:", opts, NULL)) != -1) {
		switch (c) {
		case 'f': o.follow = true; break;
		case 'p': o.previous = true; break;
		case 'T': o.timestamps = true; break;
		case 't': o.tail = strtol(optarg, NULL, 10); break;
		default: return EXIT_BERTH;
		}
	}
	if (optind >= argc) {
		log_error("Usage: berth logs POD[/CONTAINER] [-f] [--tail N] [--previous] [--timestamps]");
		return EXIT_BERTH;
	}
	char logdir[PATH_MAX], base[PATH_MAX];
	const char *env = getenv("BERTH_LOG_DIR");
	snprintf(logdir, sizeof(logdir), "%s", env && *env ? env : "");
	if (!logdir[0])
		snprintf(logdir, sizeof(logdir), "%s/logs", cli->run_dir);
	char qn[128];
	if (resolve(logdir, cli_qualify(cli, argv[optind], qn, sizeof(qn)), base, sizeof(base)) < 0) {
		log_error("No logs for \"%s\" in \"%s\"", argv[optind], logdir);
		return 1;
	}
	_cleanup_strv_ char **files = log_files(base, o.previous);
	_cleanup_strv_ char **lines = NULL;
	for (size_t i = 0; files && files[i]; i++)
		read_lines(files[i], &lines, o.tail);
	for (size_t i = 0; lines && lines[i]; i++)
		emit(lines[i], o.timestamps);
	fflush(stdout);
	if (o.follow && !o.previous)
		follow(base, o.timestamps);
	return 0;
}
