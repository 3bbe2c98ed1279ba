// SPDX-License-Identifier: GPL-2.0-or-later
/* Per-container state: RUN_DIR/containers/ID/state, "key=value" lines
 * written atomically. Values escape '\\' and newlines. The live status is
 * computed on load: the recorded pid must still exist with the recorded
 * start time (pid reuse), and the exec fifo tells created from running. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"
#include "runtime/cgroup.h"
#include "runtime/internal.h"

#define STATE_MAX (256 * 1024)

int64_t now_realtime_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec;
}

unsigned long long proc_start_time(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p)
		return 0;
	/* after ") " comes field 3 (state); starttime is field 22 */
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 0; /* a zombie counts as gone */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	return p ? strtoull(p, NULL, 10) : 0;
}

bool proc_alive(pid_t pid, unsigned long long start)
{
	return pid > 0 && start != 0 && proc_start_time(pid) == start;
}

const char *container_status_name(enum container_status s)
{
	static const char *const names[] = {"creating", "created", "running", "stopped"};
	return (unsigned)s < ARRAY_SIZE(names) ? names[s] : "unknown";
}

static int status_from_name(const char *s)
{
	for (int i = CONTAINER_CREATING; i <= CONTAINER_STOPPED; i++)
		if (!strcmp(s, container_status_name(i)))
			return i;
	return CONTAINER_STOPPED;
}

/* ---- format ---- */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_putc(struct sbuf *b, char c)
{
	if (b->oom)
		return;
	if (b->len + 2 > b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 1024;
		char *np = realloc(b->p, ncap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}

static void sb_kv(struct sbuf *b, const char *key, const char *val)
{
	if (!val)
		return;
	for (const char *k = key; *k; k++)
		sb_putc(b, *k);
	sb_putc(b, '=');
	for (const char *v = val; *v; v++) {
		if (*v == '\\' || *v == '\n') {
			sb_putc(b, '\\');
			sb_putc(b, *v == '\n' ? 'n' : '\\');
		} else {
			sb_putc(b, *v);
		}
	}
	sb_putc(b, '\n');
}

static void sb_kvu(struct sbuf *b, const char *key, unsigned long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%llu", v);
	sb_kv(b, key, num);
}

static void sb_kvi(struct sbuf *b, const char *key, long long v)
{
	char num[32];
	snprintf(num, sizeof(num), "%lld", v);
	sb_kv(b, key, num);
}

char *state_format(const struct container_state *st)
{
	struct sbuf b = {0};
	sb_kv(&b, "id", st->id);
	sb_kv(&b, "status", container_status_name(st->status));
	sb_kvi(&b, "pid", st->pid);
	sb_kvu(&b, "start_time", st->start_time);
	sb_kv(&b, "bundle", st->bundle);
	sb_kv(&b, "rootfs", st->rootfs);
	sb_kv(&b, "cgroup", st->cgroup_path);
	sb_kvi(&b, "created", st->created);
	if (st->exited)
		sb_kvi(&b, "exit_status", st->exit_status);
	sb_kvi(&b, "oom_killed", st->oom_killed);
	sb_kvi(&b, "remove_on_exit", st->remove_on_exit);
	sb_kvi(&b, "monitor_pid", st->monitor_pid);
	sb_kvu(&b, "monitor_start", st->monitor_start);
	for (char **a = st->args; a && *a; a++)
		sb_kv(&b, "arg", *a);
	for (char **a = st->annotations; a && *a; a++)
		sb_kv(&b, "annotation", *a);
	sb_kvu(&b, "cap_bnd", st->caps.bounding);
	sb_kvu(&b, "cap_eff", st->caps.effective);
	sb_kvu(&b, "cap_prm", st->caps.permitted);
	sb_kvu(&b, "cap_inh", st->caps.inheritable);
	sb_kvu(&b, "cap_amb", st->caps.ambient);
	sb_kvi(&b, "no_new_privs", st->no_new_privs);
	sb_kvi(&b, "seccomp", st->seccomp_mode);
	sb_kvu(&b, "uid", st->uid);
	sb_kvu(&b, "gid", st->gid);
	sb_kvi(&b, "userns", st->userns);
	sb_kvi(&b, "host_mounts", st->host_mounts);
	sb_kv(&b, "owned_dirs", st->owned_dirs);
	if (b.oom || !b.p) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- parse ---- */

static void unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

static int state_set(struct container_state *st, const char *k, const char *v)
{
	unsigned long long u = strtoull(v, NULL, 10);
	long long i = strtoll(v, NULL, 10);
	char **sp = NULL;

	if (!strcmp(k, "id"))
		sp = &st->id;
	else if (!strcmp(k, "bundle"))
		sp = &st->bundle;
	else if (!strcmp(k, "rootfs"))
		sp = &st->rootfs;
	else if (!strcmp(k, "cgroup"))
		sp = &st->cgroup_path;
	else if (!strcmp(k, "owned_dirs"))
		sp = &st->owned_dirs;
	else if (!strcmp(k, "arg"))
		return strv_add(&st->args, v);
	else if (!strcmp(k, "annotation"))
		return strv_add(&st->annotations, v);
	else if (!strcmp(k, "status"))
		st->status = status_from_name(v);
	else if (!strcmp(k, "pid"))
		st->pid = (pid_t)i;
	else if (!strcmp(k, "start_time"))
		st->start_time = u;
	else if (!strcmp(k, "created"))
		st->created = i;
	else if (!strcmp(k, "exit_status"))
		st->exit_status = (int)i, st->exited = true;
	else if (!strcmp(k, "oom_killed"))
		st->oom_killed = i != 0;
	else if (!strcmp(k, "remove_on_exit"))
		st->remove_on_exit = i != 0;
	else if (!strcmp(k, "monitor_pid"))
		st->monitor_pid = (pid_t)i;
	else if (!strcmp(k, "monitor_start"))
		st->monitor_start = u;
	else if (!strcmp(k, "cap_bnd"))
		st->caps.bounding = u;
	else if (!strcmp(k, "cap_eff"))
		st->caps.effective = u;
	else if (!strcmp(k, "cap_prm"))
		st->caps.permitted = u;
	else if (!strcmp(k, "cap_inh"))
		st->caps.inheritable = u;
	else if (!strcmp(k, "cap_amb"))
		st->caps.ambient = u;
	else if (!strcmp(k, "no_new_privs"))
		st->no_new_privs = i != 0;
	else if (!strcmp(k, "seccomp"))
		st->seccomp_mode = (enum bspec_seccomp_mode)i;
	else if (!strcmp(k, "uid"))
		st->uid = (uid_t)u;
	else if (!strcmp(k, "gid"))
		st->gid = (gid_t)u;
	else if (!strcmp(k, "userns"))
		st->userns = i != 0;
	else if (!strcmp(k, "host_mounts"))
		st->host_mounts = i != 0;
	/* unknown keys are ignored: newer berth, older reader */
	if (sp) {
		free(*sp);
		*sp = strdup(v);
		if (!*sp)
			return -ENOMEM;
	}
	return 0;
}

int state_parse(const char *text, struct container_state **ret, berr *err)
{
	struct container_state *st = calloc(1, sizeof(*st));
	_cleanup_free_ char *copy = strdup(text);
	if (!st || !copy) {
		free(st);
		return berr_errno(err, ENOMEM, "Parse state");
	}
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		unescape(eq + 1);
		if (state_set(st, line, eq + 1) < 0) {
			container_state_free(st);
			return berr_errno(err, ENOMEM, "Parse state");
		}
	}
	if (!st->id) {
		container_state_free(st);
		return berr_fail(err, EINVAL, "State file has no id");
	}
	*ret = st;
	return 0;
}

void container_state_free(struct container_state *st)
{
	if (!st)
		return;
	free(st->id);
	free(st->bundle);
	free(st->rootfs);
	free(st->cgroup_path);
	free(st->owned_dirs);
	strv_free(st->args);
	strv_free(st->annotations);
	free(st);
}

void container_state_list_free(struct container_state **list)
{
	for (struct container_state **p = list; p && *p; p++)
		container_state_free(*p);
	free(list);
}

/* ---- files ---- */

int state_root_open(const char *run_dir, bool create, berr *err)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s/containers", run_dir) >= (int)sizeof(path))
		return berr_fail(err, ENAMETOOLONG, "Run dir \"%s\" is too long", run_dir);
	if (create) {
		int r = mkdir_p(path, 0700, err);
		if (r < 0)
			return r;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return berr_errno(err, errno, "Open state dir \"%s\"", path);
	return fd;
}

int state_save(int dirfd, const struct container_state *st, berr *err)
{
	_cleanup_free_ char *text = state_format(st);
	if (!text)
		return berr_errno(err, ENOMEM, "Write state of \"%s\"", st->id);
	_cleanup_close_ int cfd =
	    openat(dirfd, st->id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (cfd < 0)
		return berr_errno(err, errno, "Open state dir of \"%s\"", st->id);
	return write_file_atomic(cfd, "state", text, strlen(text), 0600, err);
}

/* Fill in the live status from the process and the fifo. */
static void state_refresh(int cfd, struct container_state *st)
{
	if (st->status == CONTAINER_STOPPED || st->exited) {
		st->status = CONTAINER_STOPPED;
		return;
	}
	if (!proc_alive(st->pid, st->start_time)) {
		st->status = CONTAINER_STOPPED;
		return;
	}
	if (faccessat(cfd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		st->status = CONTAINER_CREATED;
	else
		st->status = CONTAINER_RUNNING;
}

static int state_load_at(int rootfd, const char *id, struct container_state **ret, berr *err)
{
	_cleanup_close_ int cfd =
	    openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (cfd < 0) {
		if (errno == ENOENT)
			return berr_fail(err, ENOENT, "No such container: %s", id);
		return berr_errno(err, errno, "Open state of \"%s\"", id);
	}
	_cleanup_free_ char *text = NULL;
	int r = read_file_at(cfd, "state", STATE_MAX, &text, NULL, err);
	if (r == -ENOENT) {
		/* being created, or a leftover of a crash: report it as such */
		struct container_state *st = calloc(1, sizeof(*st));
		if (!st || !(st->id = strdup(id))) {
			free(st);
			return berr_errno(err, ENOMEM, "Load state");
		}
		st->status = CONTAINER_CREATING;
		*ret = st;
		return 0;
	}
	if (r < 0)
		return r;
	struct container_state *st;
	r = state_parse(text, &st, err);
	if (r < 0)
		return berr_prefix(err, "State of \"%s\"", id);
	state_refresh(cfd, st);
	*ret = st;
	return 0;
}

int container_state_load(const char *run_dir, const char *id, struct container_state **ret,
			 berr *err)
{
	if (!container_id_valid(id))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"", id);
	berr e2;
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, &e2);
	if (rootfd < 0)
		return berr_fail(err, ENOENT, "No such container: %s", id);
	return state_load_at(rootfd, id, ret, err);
}

static int cmp_state(const void *a, const void *b)
{
	return strcmp((*(struct container_state *const *)a)->id,
		      (*(struct container_state *const *)b)->id);
}

int container_state_list(const char *run_dir, struct container_state ***ret, berr *err)
{
	berr e2;
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, &e2);
	struct container_state **list = calloc(1, sizeof(*list));
	size_t n = 0;

	if (!list)
		return berr_errno(err, ENOMEM, "List containers");
	if (rootfd < 0) {
		*ret = list;
		return 0;
	}
	int dfd = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	_cleanup_closedir_ DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		free(list);
		return berr_errno(err, errno, "List containers in \"%s\"", run_dir);
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		struct container_state *st;
		if (de->d_name[0] == '.' || !container_id_valid(de->d_name))
			continue;
		if (state_load_at(rootfd, de->d_name, &st, &e2) < 0)
			continue;
		struct container_state **nl = realloc(list, (n + 2) * sizeof(*list));
		if (!nl) {
			container_state_free(st);
			container_state_list_free(list);
			return berr_errno(err, ENOMEM, "List containers");
		}
		list = nl;
		list[n++] = st;
		list[n] = NULL;
	}
	qsort(list, n, sizeof(*list), cmp_state);
	*ret = list;
	return 0;
}

int state_record_exit(const char *run_dir, const char *id, int status, bool oom, berr *err)
{
	_cleanup_close_ int rootfd = state_root_open(run_dir, false, err);
	if (rootfd < 0)
		return rootfd;
	_cleanup_close_ int cfd =
	    openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (cfd < 0)
		return berr_errno(err, errno, "Open state of \"%s\"", id);
	/* a concurrent container_delete holds the lock while it removes the dir */
	while (flock(cfd, LOCK_EX) < 0 && errno == EINTR)
		;
	_cleanup_free_ char *text = NULL;
	int r = read_file_at(cfd, "state", STATE_MAX, &text, NULL, err);
	if (r < 0)
		return r; /* removed meanwhile: nothing to record */
	struct container_state *st;
	r = state_parse(text, &st, err);
	if (r < 0)
		return r;
	st->status = CONTAINER_STOPPED;
	st->exited = true;
	st->exit_status = status;
	st->oom_killed = oom;
	r = state_save(rootfd, st, err);
	container_state_free(st);
	return r;
}

bool container_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		bool alnum =
		    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-')))
			return false;
	}
	return true;
}

void container_id_random(char buf[static 13])
{
	unsigned char r[6] = {0};
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, r, sizeof(r)) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		unsigned long long x =
		    (unsigned long long)ts.tv_nsec ^ ((unsigned long long)getpid() << 20);
		memcpy(r, &x, sizeof(r));
	}
	if (fd >= 0)
		close(fd);
	for (int i = 0; i < 6; i++)
		snprintf(buf + 2 * i, 3, "%02x", r[i]);
}
