// SPDX-License-Identifier: GPL-2.0-or-later
/* pod_spec -> bspec, and the equality that decides what a change recreates. */
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "store/volume.h"
#include "supervisor/objects.h"
#include "supervisor/podspec.h"

static void dump_strv(FILE *f, const char *k, char **v)
{
	fprintf(f, "%s", k);
	for (size_t i = 0; v && v[i]; i++)
		fprintf(f, "\x1f%s", v[i]);
	fputc('\n', f);
}

/* A canonical text of everything that makes a container instance. */
static char *container_fingerprint(const struct container_spec *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "%s\n%s\n%s\n%s\n", c->name, c->image, c->workdir ?: "", c->user ?: "");
	dump_strv(f, "cmd", c->command);
	dump_strv(f, "ep", c->entrypoint);
	dump_strv(f, "env", c->env);
	dump_strv(f, "tmpfs", c->tmpfs);
	fprintf(f, "%d %lld %lld %lld %lld %llu %d %llx %llx %d %llu\n", c->init, (long long)c->memory,
		(long long)c->memory_high, (long long)c->pids, (long long)c->cpu_weight,
		(unsigned long long)c->millicpus, c->read_only, (unsigned long long)c->cap_add,
		(unsigned long long)c->cap_drop, c->stop_signal, (unsigned long long)c->stop_timeout_ms);
	for (size_t i = 0; i < c->ndevices; i++)
		fprintf(f, "dev %s %s %s\n", c->devices[i].host_path, c->devices[i].ctr_path,
			c->devices[i].access);
	for (size_t i = 0; i < c->nmounts; i++)
		fprintf(f, "mnt %s %s %d\n", c->mounts[i].source, c->mounts[i].target,
			c->mounts[i].readonly);
	/* a config or secret changed in the store recreates the container,
	 * unless reload = swaps it in place (then only the signal counts) */
	for (size_t i = 0; i < c->nobjmounts; i++)
		fprintf(f, "obj %d %s %s %s\n", c->objmounts[i].kind, c->objmounts[i].name,
			c->objmounts[i].target, c->reload_signal ? "" : c->objmounts[i].version);
	for (size_t i = 0; i < c->nenvfrom; i++)
		fprintf(f, "envfrom %d %s %s\n", c->envfrom[i].kind, c->envfrom[i].name,
			c->envfrom[i].version);
	if (c->reload_signal)
		fprintf(f, "reload %d\n", c->reload_signal);
	for (int k = 0; k < PROBE_KIND_COUNT; k++) {
		const struct probe_spec *p = &c->probes[k];
		fprintf(f, "probe %d %d %u %s %llu %llu %llu %u %u\n", k, p->type, p->port,
			p->path ?: "/", (unsigned long long)p->initial_delay_ms,
			(unsigned long long)p->period_ms, (unsigned long long)p->timeout_ms,
			p->success_threshold, p->failure_threshold);
		dump_strv(f, "exec", p->exec);
	}
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool container_spec_equal(const struct container_spec *a, const struct container_spec *b)
{
	_cleanup_free_ char *fa = container_fingerprint(a);
	_cleanup_free_ char *fb = container_fingerprint(b);
	return fa && fb && strcmp(fa, fb) == 0;
}

bool pod_spec_sandbox_equal(const struct pod_spec *a, const struct pod_spec *b)
{
	if (a->network != b->network || a->share_pid != b->share_pid || a->nports != b->nports ||
	    a->ncontainers != b->ncontainers)
		return false;
	if ((a->hostname == NULL) != (b->hostname == NULL) ||
	    (a->hostname && strcmp(a->hostname, b->hostname) != 0))
		return false;
	for (size_t i = 0; i < a->nports; i++)
		if (strcmp(a->ports[i].text, b->ports[i].text) != 0)
			return false;
	for (size_t i = 0; i < a->ncontainers; i++)
		if (strcmp(a->containers[i].name, b->containers[i].name) != 0)
			return false;
	return true;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 14695981039346656037ULL;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

uint64_t container_spec_hash(const struct container_spec *c)
{
	_cleanup_free_ char *f = container_fingerprint(c);
	return fnv1a(f);
}

uint64_t pod_spec_sandbox_hash(const struct pod_spec *p)
{
	uint64_t h = fnv1a(p->hostname ?: "") ^ ((uint64_t)p->network << 8) ^ ((uint64_t)p->share_pid << 16);
	for (size_t i = 0; i < p->nports; i++)
		h = h * 31 + fnv1a(p->ports[i].text);
	for (size_t i = 0; i < p->ncontainers; i++)
		h = h * 31 + fnv1a(p->containers[i].name);
	return h;
}

bool pod_spec_equal_all(const struct pod_spec *a, const struct pod_spec *b)
{
	if (!pod_spec_sandbox_equal(a, b) || strcmp(a->name, b->name) != 0 ||
	    a->replicas != b->replicas || a->restart != b->restart ||
	    a->backoff_base_ms != b->backoff_base_ms || a->backoff_max_ms != b->backoff_max_ms ||
	    a->backoff_reset_ms != b->backoff_reset_ms || a->stop_grace_ms != b->stop_grace_ms ||
	    a->log_max_bytes != b->log_max_bytes || a->log_files != b->log_files)
		return false;
	for (size_t i = 0; i < a->ncontainers; i++)
		if (!container_spec_equal(&a->containers[i], &b->containers[i]))
			return false;
	return true;
}

/* Docker semantics: an entrypoint set in the pod drops the image's Cmd
 * unless the pod sets a command too. */
static int fill_args(struct bspec *s, const struct container_spec *ctr,
		     const struct image_defaults *img, berr *err)
{
	char **ep = ctr->entrypoint ?: img->entrypoint;
	char **cmd = ctr->command ?: (ctr->entrypoint ? NULL : img->cmd);
	for (size_t i = 0; ep && ep[i]; i++)
		if (strv_add(&s->process.args, ep[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; cmd && cmd[i]; i++)
		if (strv_add(&s->process.args, cmd[i]) < 0)
			return -ENOMEM;
	if (!s->process.args)
		return berr_fail(err, EINVAL,
				 "[container %s]: no command (the image has no Entrypoint or Cmd: set command)",
				 ctr->name);
	return 0;
}

/* Set K=V in ENV, replacing an existing K. */
static int env_set(char ***env, const char *kv)
{
	size_t klen = strcspn(kv, "=") + 1;
	for (size_t i = 0; *env && (*env)[i]; i++)
		if (strncmp((*env)[i], kv, klen) == 0) {
			char *c = strdup(kv);
			if (!c)
				return -ENOMEM;
			free((*env)[i]);
			(*env)[i] = c;
			return 0;
		}
	return strv_add(env, kv);
}

static int fill_env(struct bspec *s, const struct container_spec *ctr,
		    const struct image_defaults *img, const char *instance)
{
	char host[80];
	snprintf(host, sizeof(host), "HOSTNAME=%s", s->hostname ?: instance);
	for (size_t i = 0; img->env && img->env[i]; i++)
		if (env_set(&s->process.env, img->env[i]) < 0)
			return -ENOMEM;
	if (env_set(&s->process.env, host) < 0)
		return -ENOMEM;
	for (size_t i = 0; ctr->env && ctr->env[i]; i++)
		if (env_set(&s->process.env, ctr->env[i]) < 0)
			return -ENOMEM;
	return 0;
}

static int fill_user(struct bspec *s, const struct container_spec *ctr,
		     const struct image_defaults *img, berr *err)
{
	const char *u = ctr->user ?: img->user;
	if (!u || !*u)
		return 0;
	_cleanup_free_ char *copy = strdup(u);
	if (!copy)
		return -ENOMEM;
	char *g = strchr(copy, ':');
	if (g)
		*g++ = '\0';
	int64_t uid, gid = 0;
	if (parse_int64(copy, 0, UINT32_MAX - 1, &uid) < 0 || (g && parse_int64(g, 0, UINT32_MAX - 1, &gid) < 0))
		return berr_fail(err, EINVAL,
				 "[container %s] user: \"%s\" is not UID[:GID] (names need the image store)",
				 ctr->name, u);
	s->process.uid = (uid_t)uid;
	s->process.gid = (gid_t)(g ? gid : uid);
	return 0;
}

static int add_mount(struct bspec *s, enum bspec_mount_kind kind, const char *src,
		     const char *dst, unsigned long flags, const char *data)
{
	struct bspec_mount *m = realloc(s->mounts, (s->nmounts + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	s->mounts = m;
	m = &s->mounts[s->nmounts];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->flags = flags;
	m->source = strdup(src);
	m->target = strdup(dst);
	m->data = data ? strdup(data) : NULL;
	s->nmounts++;
	return m->source && m->target && (!data || m->data) ? 0 : -ENOMEM;
}

static int fill_volumes(struct bspec *s, const struct mount_spec *ms, size_t n, const char *root,
			const char *ns, berr *err)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *src = NULL;
		if (ms[i].named) {
			char path[PATH_MAX];
			int r = volume_path(root, ns, ms[i].source, path, sizeof(path), err);
			if (r < 0)
				return r;
			if (!(src = strdup(path)))
				return -ENOMEM;
			r = mkdir_p(src, 0755, err);
			if (r < 0)
				return r;
		} else if (!(src = strdup(ms[i].source))) {
			return -ENOMEM;
		}
		unsigned long fl = MS_BIND | MS_REC | (ms[i].readonly ? MS_RDONLY : 0);
		if (add_mount(s, BMNT_BIND, src, ms[i].target, fl, NULL) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int fill_tmpfs(struct bspec *s, char **tmpfs)
{
	for (size_t i = 0; tmpfs && tmpfs[i]; i++) {
		_cleanup_free_ char *path = strdup(tmpfs[i]);
		if (!path)
			return -ENOMEM;
		char *opts = strchr(path, ':');
		if (opts)
			*opts++ = '\0';
		unsigned long fl = MS_NOSUID | MS_NODEV;
		_cleanup_free_ char *data = NULL;
		_cleanup_strv_ char **o = strv_split(opts ?: "", ",");
		for (size_t j = 0; o && o[j]; j++) {
			if (strcmp(o[j], "ro") == 0)
				fl |= MS_RDONLY;
			else if (strcmp(o[j], "noexec") == 0)
				fl |= MS_NOEXEC;
			else if (strcmp(o[j], "rw") && strcmp(o[j], "exec")) {
				char *nd = NULL;
				if (asprintf(&nd, "%s%s%s", data ?: "", data ? "," : "", o[j]) < 0)
					return -ENOMEM;
				free(data);
				data = nd;
			}
		}
		if (add_mount(s, BMNT_TMPFS, "tmpfs", path, fl, data ?: "mode=1777") < 0)
			return -ENOMEM;
	}
	return 0;
}

static int fill_devices(struct bspec *s, const struct container_spec *ctr, berr *err)
{
	if (!ctr->ndevices)
		return 0;
	s->devices = calloc(ctr->ndevices, sizeof(*s->devices));
	s->cgroup.devrules = calloc(ctr->ndevices, sizeof(*s->cgroup.devrules));
	if (!s->devices || !s->cgroup.devrules)
		return -ENOMEM;
	for (size_t i = 0; i < ctr->ndevices; i++) {
		const struct device_spec *d = &ctr->devices[i];
		struct stat st;
		if (stat(d->host_path, &st) < 0)
			return berr_errno(err, errno, "[container %s] devices: \"%s\"", ctr->name,
					  d->host_path);
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			return berr_fail(err, EINVAL, "[container %s] devices: \"%s\" is not a device",
					 ctr->name, d->host_path);
		struct bspec_device *bd = &s->devices[s->ndevices++];
		bd->path = strdup(d->ctr_path);
		if (!bd->path)
			return -ENOMEM;
		bd->type = S_ISCHR(st.st_mode) ? 'c' : 'b';
		bd->major = major(st.st_rdev);
		bd->minor = minor(st.st_rdev);
		bd->mode = st.st_mode & 07777;
		bd->uid = st.st_uid;
		bd->gid = st.st_gid;
		struct bspec_devrule *rule = &s->cgroup.devrules[s->cgroup.ndevrules++];
		*rule = (struct bspec_devrule){ .allow = true, .type = bd->type, .major = bd->major,
						.minor = bd->minor };
		snprintf(rule->access, sizeof(rule->access), "%s", d->access);
	}
	return 0;
}

static void fill_limits(struct bspec *s, const struct container_spec *ctr)
{
	struct bspec_cgroup *cg = &s->cgroup;
	cg->memory_max = ctr->memory;
	cg->memory_high = ctr->memory_high;
	cg->pids_max = ctr->pids;
	cg->cpu_weight = ctr->cpu_weight;
	if (ctr->millicpus) {
		cg->cpu_period_us = 100000;
		cg->cpu_quota_us = (int64_t)ctr->millicpus * 100;
	}
	uint64_t caps = (bspec_default_caps() | ctr->cap_add) & ~ctr->cap_drop;
	caps |= ctr->cap_add; /* cap-drop = ALL, cap-add = X keeps X */
	s->process.caps = (struct bspec_caps){ caps, caps, caps, 0, 0 };
}

static int fill_rootfs(struct bspec *s, const struct container_spec *ctr,
		       const struct image_defaults *img)
{
	s->readonly_rootfs = ctr->read_only;
	if (img->lowers) {
		s->rootfs_lowers = strv_dup(img->lowers);
		return s->rootfs_lowers ? 0 : -ENOMEM;
	}
	free(s->rootfs);
	s->rootfs = strdup(img->rootfs ?: ctr->image);
	return s->rootfs ? 0 : -ENOMEM;
}

int pod_spec_fill_bspec(const struct pod_spec *pod, const struct container_spec *ctr,
			const char *instance, const struct image_defaults *img, const char *root,
			struct bspec **ret, berr *err)
{
	struct bspec *s = bspec_new_default();
	if (!s)
		return berr_fail(err, ENOMEM, "Out of memory");
	int r = -ENOMEM;
	if (asprintf(&s->id, "%s-%s", instance, ctr->name) < 0) {
		s->id = NULL;
		goto out_free;
	}
	s->hostname = strdup(pod->hostname ?: instance);
	if (!s->hostname)
		goto out_free;
	free(s->process.cwd);
	s->process.cwd = strdup(ctr->workdir ?: img->workdir ?: "/");
	if (!s->process.cwd)
		goto out_free;
	if ((r = fill_args(s, ctr, img, err)) < 0 || (r = fill_env(s, ctr, img, instance)) < 0 ||
	    (r = fill_user(s, ctr, img, err)) < 0 || (r = fill_rootfs(s, ctr, img)) < 0 ||
	    (r = fill_volumes(s, ctr->mounts, ctr->nmounts, root, pod_spec_ns(pod), err)) < 0 ||
	    (r = fill_tmpfs(s, ctr->tmpfs)) < 0 || (r = fill_devices(s, ctr, err)) < 0)
		goto out_free;
	fill_limits(s, ctr);
	s->stop_signal = ctr->stop_signal ?: img->stop_signal ?: SIGTERM;
	s->init = ctr->init;
	*ret = s;
	return 0;
out_free:
	bspec_free(s);
	if (r == -ENOMEM)
		return berr_fail(err, ENOMEM, "Out of memory");
	return r;
}
