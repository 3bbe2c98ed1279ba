// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup v2: one cgroup per container under a parent, controllers enabled
 * on the way down, limits written, an eBPF device program attached. Only a
 * pure cgroup2 mount at /sys/fs/cgroup is used: never a hybrid host's
 * "unified" directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "runtime/cgroup.h"
#include "runtime/cgroup_internal.h"

#define CGROUP_ROOT		  "/sys/fs/cgroup"
#define CGROUP_DESTROY_TIMEOUT_MS 10000
#define MAX_DEPTH		  16

struct cgroup {
	int fd;
	char *path;
};

/* ---- pure helpers ----------------------------------------------------- */

int cgroup_parse_keyed(const char *buf, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);
	for (const char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (strncmp(l, key, kl) || l[kl] != ' ')
			continue;
		char *end;
		errno = 0;
		unsigned long long v = strtoull(l + kl + 1, &end, 10);
		if (errno || end == l + kl + 1 || (*end && *end != '\n'))
			return -EINVAL;
		*ret = v;
		return 0;
	}
	return -ENOENT;
}

bool cgroup_list_has(const char *list, const char *word)
{
	size_t wl = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += wl) {
		bool start = p == list || p[-1] == ' ' || p[-1] == '\n';
		bool end = p[wl] == '\0' || p[wl] == ' ' || p[wl] == '\n';
		if (start && end)
			return true;
	}
	return false;
}

bool cgroup_path_valid(const char *path)
{
	if (!path || !*path || *path == '/' || strlen(path) >= 4096)
		return false;
	for (const char *c = path; *c;) {
		size_t n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += n;
		if (*c == '/' && *++c == '\0')
			return false;
	}
	return true;
}

static bool set(int64_t v)
{
	return v != BSPEC_UNSET;
}

static size_t add_need(struct cgroup_need *out, size_t n, size_t max, const char *c,
		       const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i].controller, c))
			return n;
	if (n < max)
		out[n++] = (struct cgroup_need){c, what};
	return n;
}

size_t cgroup_needed_controllers(const struct bspec_cgroup *cg, struct cgroup_need *out, size_t max)
{
	static const char *const known[] = {"cpu",  "cpuset",  "io",   "memory",
					    "pids", "hugetlb", "rdma", "misc"};
	size_t n = 0;
	if (set(cg->cpu_quota_us) || set(cg->cpu_period_us) || set(cg->cpu_weight))
		n = add_need(out, n, max, "cpu", "CPU limit");
	if (cg->cpuset_cpus || cg->cpuset_mems)
		n = add_need(out, n, max, "cpuset", "cpuset");
	if (set(cg->io_weight))
		n = add_need(out, n, max, "io", "I/O weight");
	if (set(cg->memory_max) || set(cg->memory_high) || set(cg->memory_low) ||
	    set(cg->memory_swap_max))
		n = add_need(out, n, max, "memory", "memory limit");
	if (set(cg->pids_max))
		n = add_need(out, n, max, "pids", "pids limit");
	for (char **u = cg->unified; u && *u; u++)
		for (size_t k = 0; k < ARRAY_SIZE(known); k++) {
			size_t kl = strlen(known[k]);
			if (!strncmp(*u, known[k], kl) && (*u)[kl] == '.')
				n = add_need(out, n, max, known[k], "unified setting");
		}
	return n;
}

static void fmt_limit(char *buf, size_t n, int64_t v)
{
	if (v < 0)
		snprintf(buf, n, "max");
	else
		snprintf(buf, n, "%" PRId64, v);
}

static size_t add_setting(struct cgroup_setting *out, size_t n, size_t max, const char *file,
			  int64_t v)
{
	if (n < max) {
		out[n].file = file;
		fmt_limit(out[n].value, sizeof(out[n].value), v);
	}
	return n + 1;
}

int cgroup_limit_settings(const struct bspec_cgroup *cg, struct cgroup_setting *out, size_t max,
			  size_t *ret_n, berr *err)
{
	size_t n = 0;

	/* memory.low/high before memory.max, so no step is below another */
	if (set(cg->memory_low))
		n = add_setting(out, n, max, "memory.low", cg->memory_low);
	if (set(cg->memory_high))
		n = add_setting(out, n, max, "memory.high", cg->memory_high);
	if (set(cg->memory_max))
		n = add_setting(out, n, max, "memory.max", cg->memory_max);
	if (set(cg->memory_swap_max))
		n = add_setting(out, n, max, "memory.swap.max", cg->memory_swap_max);
	if (set(cg->cpu_quota_us) || set(cg->cpu_period_us)) {
		int64_t period = set(cg->cpu_period_us) ? cg->cpu_period_us : 100000;
		if (period < 1000 || period > 1000000 ||
		    (set(cg->cpu_quota_us) && cg->cpu_quota_us < 1000 && cg->cpu_quota_us >= 0))
			return berr_fail(err, EINVAL,
					 "CPU limit: quota %" PRId64 " us / period %" PRId64
					 " us is out of range (quota >= 1000, period 1000-1000000)",
					 cg->cpu_quota_us, period);
		if (n < max) {
			out[n].file = "cpu.max";
			char q[24];
			fmt_limit(q, sizeof(q), set(cg->cpu_quota_us) ? cg->cpu_quota_us : -1);
			snprintf(out[n].value, sizeof(out[n].value), "%s %" PRId64, q, period);
		}
		n++;
	}
	if (set(cg->cpu_weight)) {
		if (cg->cpu_weight < 1 || cg->cpu_weight > 10000)
			return berr_fail(err, EINVAL, "CPU weight %" PRId64 " is not in 1-10000",
					 cg->cpu_weight);
		n = add_setting(out, n, max, "cpu.weight", cg->cpu_weight);
	}
	if (set(cg->io_weight)) {
		if (cg->io_weight < 1 || cg->io_weight > 10000)
			return berr_fail(err, EINVAL, "I/O weight %" PRId64 " is not in 1-10000",
					 cg->io_weight);
		if (n < max) {
			out[n].file = "io.weight";
			snprintf(out[n].value, sizeof(out[n].value), "default %" PRId64,
				 cg->io_weight);
		}
		n++;
	}
	if (set(cg->pids_max))
		n = add_setting(out, n, max, "pids.max", cg->pids_max);
	if (n > max)
		return berr_fail(err, E2BIG, "Too many cgroup settings");
	*ret_n = n;
	return 0;
}

bool cgroup_spec_has_limits(const struct bspec_cgroup *cg)
{
	struct cgroup_need need[8];
	return cgroup_needed_controllers(cg, need, ARRAY_SIZE(need)) > 0 || cg->ndevrules > 0 ||
	       (cg->unified && cg->unified[0]);
}

/* ---- the host --------------------------------------------------------- */

static int open_root(bool *ret_v2)
{
	struct statfs sfs;
	int fd = open(CGROUP_ROOT, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	*ret_v2 = fstatfs(fd, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
	return fd;
}

static char *read_small(int dirfd, const char *file)
{
	char *buf = NULL;
	if (read_file_at(dirfd, file, 1 << 16, &buf, NULL, NULL) < 0)
		return NULL;
	return buf;
}

bool cgroup_has_controller(const char *controller)
{
	bool v2 = false;
	_cleanup_close_ int root = open_root(&v2);
	if (root < 0 || !v2)
		return false;
	_cleanup_free_ char *list = read_small(root, "cgroup.controllers");
	return list && cgroup_list_has(list, controller);
}

static int missing_controller(const struct cgroup_need *need, const char *why, berr *err)
{
	return berr_fail(err, ENOTSUP,
			 "%s requested but the cgroup v2 %s controller is not available%s",
			 need->what, need->controller, why);
}

/* ---- create ------------------------------------------------------------- */

struct created {
	int dirfds[MAX_DEPTH]; /* parent dir fd of each created component */
	char *names[MAX_DEPTH];
	size_t n;
};

static void created_undo(struct created *c)
{
	while (c->n > 0) {
		c->n--;
		unlinkat(c->dirfds[c->n], c->names[c->n], AT_REMOVEDIR);
		close(c->dirfds[c->n]);
		free(c->names[c->n]);
	}
}

static void created_forget(struct created *c)
{
	for (size_t i = 0; i < c->n; i++) {
		close(c->dirfds[i]);
		free(c->names[i]);
	}
	c->n = 0;
}

/* Enable each needed (and each available optional) controller in DIRFD's
 * cgroup.subtree_control. A required one that cannot be enabled is an
 * error; "no internal processes" (EBUSY) is explained. */
static int enable_controllers(int dirfd, const char *where, const struct cgroup_need *need,
			      size_t nneed, const char *const *optional, berr *err)
{
	_cleanup_free_ char *avail = read_small(dirfd, "cgroup.controllers");
	_cleanup_free_ char *on = read_small(dirfd, "cgroup.subtree_control");
	char tok[32];

	if (!avail || !on)
		return berr_errno(err, errno ? errno : EIO, "Read the controllers of cgroup \"%s\"",
				  where);
	for (size_t i = 0; i < nneed; i++) {
		if (cgroup_list_has(on, need[i].controller))
			continue;
		if (!cgroup_list_has(avail, need[i].controller))
			return missing_controller(&need[i], "", err);
		snprintf(tok, sizeof(tok), "+%s", need[i].controller);
		if (write_file_at(dirfd, "cgroup.subtree_control", tok, NULL) < 0) {
			if (errno == EBUSY)
				return berr_fail(
				    err, EBUSY,
				    "Enable the %s controller in cgroup \"%s\": it has "
				    "processes of its own (cgroup v2 allows controllers "
				    "only above leaves); choose a cgroup parent without "
				    "processes",
				    need[i].controller, where);
			return berr_errno(err, errno, "Enable the %s controller in cgroup \"%s\"",
					  need[i].controller, where);
		}
	}
	for (const char *const *o = optional; *o; o++) {
		if (cgroup_list_has(on, *o) || !cgroup_list_has(avail, *o))
			continue;
		snprintf(tok, sizeof(tok), "+%s", *o);
		(void)write_file_at(dirfd, "cgroup.subtree_control", tok, NULL);
	}
	return 0;
}

static int mkdir_component(int dirfd, const char *name, bool leaf, struct created *c, berr *err)
{
	if (mkdirat(dirfd, name, 0755) == 0) {
		if (c->n == MAX_DEPTH)
			return berr_fail(err, E2BIG, "cgroup path too deep");
		c->dirfds[c->n] = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
		c->names[c->n] = strdup(name);
		c->n++;
		if (c->dirfds[c->n - 1] < 0 || !c->names[c->n - 1])
			return berr_errno(err, ENOMEM, "cgroup \"%s\"", name);
		return 0;
	}
	if (errno != EEXIST)
		return berr_errno(err, errno, "Create cgroup \"%s\"", name);
	if (!leaf)
		return 0;
	/* a leftover of a crash: reusable only when nothing runs there */
	if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0)
		return berr_fail(err, EEXIST, "cgroup \"%s\" already exists and is in use", name);
	return mkdir_component(dirfd, name, false, c, err);
}

/* Walk PATH down from ROOT, enabling controllers in every ancestor and
 * creating what is missing. Returns the leaf's fd. */
static int create_path(int root, const char *path, const struct cgroup_need *need, size_t nneed,
		       struct created *c, berr *err)
{
	static const char *const optional[] = {"cpu", "io", "memory", "pids", NULL};
	_cleanup_free_ char *copy = strdup(path);
	_cleanup_close_ int dirfd = fcntl(root, F_DUPFD_CLOEXEC, 3);
	char where[4096] = "/";
	char *save = NULL;

	if (!copy || dirfd < 0)
		return berr_errno(err, ENOMEM, "cgroup \"%s\"", path);
	for (char *name = strtok_r(copy, "/", &save); name; name = strtok_r(NULL, "/", &save)) {
		bool leaf = save == NULL || *save == '\0';
		int r = enable_controllers(dirfd, where, need, nneed, optional, err);
		if (r < 0 || (r = mkdir_component(dirfd, name, leaf, c, err)) < 0)
			return r;
		int next = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (next < 0)
			return berr_errno(err, errno, "Open cgroup \"%s\"", path);
		close(dirfd);
		dirfd = next;
		snprintf(where + strlen(where), sizeof(where) - strlen(where), "%s%s",
			 where[1] ? "/" : "", name);
	}
	return TAKE_FD(dirfd);
}

static int write_limits(int fd, const char *path, const struct bspec_cgroup *cg, berr *err)
{
	struct cgroup_setting s[16];
	size_t n = 0;
	int r = cgroup_limit_settings(cg, s, ARRAY_SIZE(s), &n, err);
	if (r < 0)
		return r;
	if (cg->cpuset_cpus && (r = write_file_at(fd, "cpuset.cpus", cg->cpuset_cpus, err)) < 0)
		return berr_prefix(err, "cgroup \"%s\"", path);
	if (cg->cpuset_mems && (r = write_file_at(fd, "cpuset.mems", cg->cpuset_mems, err)) < 0)
		return berr_prefix(err, "cgroup \"%s\"", path);
	for (size_t i = 0; i < n; i++) {
		if (write_file_at(fd, s[i].file, s[i].value, err) == 0)
			continue;
		if (err && err->code == ENOENT && !strcmp(s[i].file, "memory.swap.max"))
			return berr_fail(err, ENOTSUP,
					 "Swap limit requested but the kernel has no "
					 "swap accounting (memory.swap.max)");
		return berr_prefix(err, "cgroup \"%s\"", path);
	}
	for (char **u = cg->unified; u && *u; u++) {
		_cleanup_free_ char *key = strdup(*u);
		char *eq = key ? strchr(key, '=') : NULL;
		if (!eq || eq == key || strchr(key, '/') || key[0] == '.')
			return berr_fail(err, EINVAL, "cgroup setting \"%s\" is not FILE=VALUE",
					 *u);
		*eq = '\0';
		if (write_file_at(fd, key, eq + 1, err) < 0)
			return berr_prefix(err, "cgroup \"%s\"", path);
	}
	return 0;
}

static char *spec_cgroup_path(const struct bspec *spec)
{
	char *p = NULL;
	if (spec->cgroup.path)
		return strdup(spec->cgroup.path[0] == '/' ? spec->cgroup.path + 1
							  : spec->cgroup.path);
	if (!spec->id || asprintf(&p, "%s/%s", CONFIG_DEFAULT_CGROUP_PARENT, spec->id) < 0)
		return NULL;
	return p;
}

static int check_root_controllers(int root, const struct cgroup_need *need, size_t n, berr *err)
{
	_cleanup_free_ char *avail = read_small(root, "cgroup.controllers");
	for (size_t i = 0; i < n; i++)
		if (!avail || !cgroup_list_has(avail, need[i].controller))
			return missing_controller(&need[i], "", err);
	return 0;
}

int cgroup_create(const struct bspec *spec, struct cgroup **ret, berr *err)
{
	struct cgroup_need need[16];
	size_t nneed = cgroup_needed_controllers(&spec->cgroup, need, ARRAY_SIZE(need));
	struct created c = {.n = 0};
	bool v2 = false;

	_cleanup_close_ int root = open_root(&v2);
	if (root < 0 || !v2) {
		*ret = NULL;
		if (nneed > 0)
			return missing_controller(&need[0],
						  " (" CGROUP_ROOT " is not a cgroup2 mount)", err);
		/* Device rules are not an error here: every OCI client sends
		 * them, and without cgroup v2 there is no eBPF device program to
		 * carry them (docs/decisions/runtime-no-cgroup2.md). */
		if (spec->cgroup.unified && spec->cgroup.unified[0])
			return berr_fail(err, ENOTSUP,
					 "cgroup v2 settings (linux.resources.unified) requested "
					 "but " CGROUP_ROOT " is not a cgroup2 mount");
		return 0;
	}
	_cleanup_free_ char *path = spec_cgroup_path(spec);
	if (!path)
		return berr_errno(err, ENOMEM, "cgroup path");
	if (!cgroup_path_valid(path))
		return berr_fail(err, EINVAL, "cgroup path \"%s\" is not a plain relative path",
				 path);
	int r = check_root_controllers(root, need, nneed, err);
	if (r < 0)
		return r;

	_cleanup_close_ int fd = create_path(root, path, need, nneed, &c, err);
	if (fd < 0)
		r = fd;
	else if ((r = write_limits(fd, path, &spec->cgroup, err)) == 0 &&
		 (r = cgroup_devices_attach(fd, spec, err)) < 0)
		berr_prefix(err, "cgroup \"%s\"", path);
	if (r < 0) {
		created_undo(&c);
		return r;
	}
	created_forget(&c);
	struct cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg)
		return berr_errno(err, ENOMEM, "cgroup");
	cg->fd = TAKE_FD(fd);
	cg->path = TAKE_PTR(path);
	*ret = cg;
	return 0;
}

/* ---- use ---------------------------------------------------------------- */

int cgroup_open(const char *path, struct cgroup **ret, berr *err)
{
	bool v2 = false;
	_cleanup_close_ int root = open_root(&v2);
	if (root < 0 || !v2)
		return berr_fail(err, ENOTSUP, CGROUP_ROOT " is not a cgroup2 mount");
	if (path[0] == '/')
		path++;
	if (!cgroup_path_valid(path))
		return berr_fail(err, EINVAL, "cgroup path \"%s\" is not a plain relative path",
				 path);
	_cleanup_close_ int fd =
	    openat(root, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return berr_errno(err, errno, "Open cgroup \"%s\"", path);
	struct cgroup *cg = calloc(1, sizeof(*cg));
	if (!cg || !(cg->path = strdup(path))) {
		free(cg);
		return berr_errno(err, ENOMEM, "cgroup");
	}
	cg->fd = TAKE_FD(fd);
	*ret = cg;
	return 0;
}

int cgroup_fd(const struct cgroup *cg)
{
	return cg ? cg->fd : -1;
}

const char *cgroup_path(const struct cgroup *cg)
{
	return cg ? cg->path : NULL;
}

int cgroup_enter(const struct cgroup *cg, pid_t pid, berr *err)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%d", (int)pid);
	if (write_file_at(cg->fd, "cgroup.procs", buf, err) < 0)
		return berr_prefix(err, "Move process %d into cgroup \"%s\"", (int)pid, cg->path);
	return 0;
}

bool cgroup_oom_killed(const struct cgroup *cg)
{
	uint64_t v = 0;
	_cleanup_free_ char *buf = cg ? read_small(cg->fd, "memory.events") : NULL;
	return buf && cgroup_parse_keyed(buf, "oom_kill", &v) == 0 && v > 0;
}

static bool populated(int fd)
{
	uint64_t v = 1;
	_cleanup_free_ char *buf = read_small(fd, "cgroup.events");
	return !buf || cgroup_parse_keyed(buf, "populated", &v) < 0 || v != 0;
}

/* Kernels before 5.14: freeze, SIGKILL each member, thaw (killed tasks
 * then exit). */
int cgroup_kill_by_procs(const struct cgroup *cg, berr *err)
{
	bool frozen = write_file_at(cg->fd, "cgroup.freeze", "1", NULL) == 0;
	_cleanup_free_ char *procs = read_small(cg->fd, "cgroup.procs");
	int r = 0;

	if (!procs)
		r = berr_errno(err, errno ? errno : EIO, "Read \"%s/cgroup.procs\"", cg->path);
	for (char *p = procs; p && *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, SIGKILL) < 0 && errno != ESRCH && r == 0)
			r = berr_errno(err, errno, "Kill process %ld of cgroup \"%s\"", pid,
				       cg->path);
		p = end + strspn(end, "\n");
	}
	if (frozen)
		(void)write_file_at(cg->fd, "cgroup.freeze", "0", NULL);
	return r;
}

int cgroup_kill_all(const struct cgroup *cg, berr *err)
{
	if (write_file_at(cg->fd, "cgroup.kill", "1", NULL) == 0)
		return 0;
	if (errno != ENOENT)
		return berr_errno(err, errno, "Kill the processes of cgroup \"%s\"", cg->path);
	return cgroup_kill_by_procs(cg, err);
}

static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Wait for "populated 0" in cgroup.events: inotify, no polling loop. */
static int wait_empty(const struct cgroup *cg, berr *err)
{
	_cleanup_free_ char *evpath = NULL;
	struct timespec start;
	_cleanup_close_ int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);

	if (in < 0)
		return berr_errno(err, errno, "inotify");
	if (asprintf(&evpath, CGROUP_ROOT "/%s/cgroup.events", cg->path) < 0)
		return berr_errno(err, ENOMEM, "cgroup \"%s\"", cg->path);
	if (inotify_add_watch(in, evpath, IN_MODIFY) < 0)
		return berr_errno(err, errno, "Watch \"%s/cgroup.events\"", cg->path);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (populated(cg->fd)) {
		long left = CGROUP_DESTROY_TIMEOUT_MS - elapsed_ms(&start);
		struct pollfd pfd = {.fd = in, .events = POLLIN};
		char buf[4096];
		if (left <= 0)
			return berr_fail(err, EBUSY, "cgroup \"%s\" still has processes after %d s",
					 cg->path, CGROUP_DESTROY_TIMEOUT_MS / 1000);
		if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
			return berr_errno(err, errno, "poll");
		while (read(in, buf, sizeof(buf)) > 0)
			;
	}
	return 0;
}

/* rmdir NAME under DIRFD and, first, the cgroups the container made inside
 * it (a delegated or writable cgroup mount): cgroupfs lets an empty cgroup
 * go only when it has no children. */
static int rmdir_tree(int parent, const char *name, int depth)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	_cleanup_closedir_ DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	struct dirent *de;
	while (depth < MAX_DEPTH && (de = readdir(d)))
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			(void)rmdir_tree(dirfd(d), de->d_name, depth + 1);
	return unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -errno : 0;
}

int cgroup_destroy(struct cgroup *cg, berr *err)
{
	int r = 0;
	if (!cg)
		return 0;
	if (populated(cg->fd)) {
		r = cgroup_kill_all(cg, err);
		if (r == 0)
			r = wait_empty(cg, err);
	}
	if (r == 0) {
		bool v2 = false;
		_cleanup_close_ int root = open_root(&v2);
		if (root < 0)
			r = berr_errno(err, -root, "Open " CGROUP_ROOT);
		else if ((r = rmdir_tree(root, cg->path, 0)) < 0)
			berr_errno(err, -r, "Remove cgroup \"%s\"", cg->path);
	}
	cgroup_free(cg);
	return r;
}

void cgroup_free(struct cgroup *cg)
{
	if (!cg)
		return;
	if (cg->fd >= 0)
		close(cg->fd);
	free(cg->path);
	free(cg);
}
