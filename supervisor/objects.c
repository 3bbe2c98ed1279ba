// SPDX-License-Identifier: GPL-2.0-or-later
/* Configs and secrets in containers: supervisor/objects.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "supervisor/objects.h"
#include "supervisor/sv.h"

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif

static enum obj_kind obj_kind_of(enum objref_kind k)
{
	return k == OBJREF_SECRET ? OBJ_SECRET : OBJ_CONFIG;
}

static int resolve_one(struct objref_spec *o, const struct pod_spec *pod,
		       const struct container_spec *ctr, const char *key, const char *root,
		       berr *err)
{
	berr e = { 0 };
	int r = obj_version(root, obj_kind_of(o->kind), pod_spec_ns(pod), o->name, o->version, &e);
	if (r == -ENOENT)
		return berr_fail(err, ENOENT, "%s: [container %s] %s: %s \"%s\" does not exist in namespace \"%s\"",
				 pod->file, ctr->name, key, o->kind == OBJREF_SECRET ? "secret" : "config",
				 o->name, pod_spec_ns(pod));
	if (r < 0)
		return berr_fail(err, -r, "%s: [container %s] %s: %s", pod->file, ctr->name, key, e.msg);
	return 0;
}

int podspec_store_resolve(struct pod_spec *pod, const char *root, berr *err)
{
	for (size_t i = 0; i < pod->ncontainers; i++) {
		struct container_spec *c = &pod->containers[i];
		for (size_t j = 0; j < c->nobjmounts; j++) {
			struct objref_spec *o = &c->objmounts[j];
			int r = resolve_one(o, pod, c, o->kind == OBJREF_SECRET ? "secrets" : "configs",
					    root, err);
			if (r < 0)
				return r;
		}
		for (size_t j = 0; j < c->nenvfrom; j++) {
			int r = resolve_one(&c->envfrom[j], pod, c, "env-from", root, err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

bool pod_spec_uses(const struct pod_spec *pod, const char *kind, const char *name)
{
	bool vol = strcmp(kind, "volume") == 0;
	enum objref_kind k = strcmp(kind, "secret") == 0 ? OBJREF_SECRET : OBJREF_CONFIG;
	for (size_t i = 0; i < pod->ncontainers; i++) {
		const struct container_spec *c = &pod->containers[i];
		for (size_t j = 0; vol && j < c->nmounts; j++)
			if (c->mounts[j].named && strcmp(c->mounts[j].source, name) == 0)
				return true;
		for (size_t j = 0; !vol && j < c->nobjmounts; j++)
			if (c->objmounts[j].kind == k && strcmp(c->objmounts[j].name, name) == 0)
				return true;
		for (size_t j = 0; !vol && j < c->nenvfrom; j++)
			if (c->envfrom[j].kind == k && strcmp(c->envfrom[j].name, name) == 0)
				return true;
	}
	return false;
}

/* ---- the secrets tmpfs ----------------------------------------------------- */

static void base_dir(const struct sv *sv, enum objref_kind k, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", sv->run_dir, k == OBJREF_SECRET ? "secrets" : "configs");
}

int sv_objects_init(struct sv *sv, berr *err)
{
	char path[PATH_MAX], parent[PATH_MAX];
	base_dir(sv, OBJREF_SECRET, path, sizeof(path));
	snprintf(parent, sizeof(parent), "%s", sv->run_dir);
	int r = mkdir_p(path, 0700, err);
	if (r < 0)
		return r;
	struct statfs sf;
	struct stat st, pst;
	if (statfs(path, &sf) < 0 || stat(path, &st) < 0 || stat(parent, &pst) < 0)
		return berr_errno(err, errno, "\"%s\"", path);
	if (sf.f_type == TMPFS_MAGIC && st.st_dev != pst.st_dev)
		return 0; /* ours, from before a daemon restart */
	char opts[64];
	snprintf(opts, sizeof(opts), "mode=0700,size=%um", (unsigned)CONFIG_STORE_SECRETS_TMPFS_MB);
	if (mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, opts) < 0)
		return berr_errno(err, errno, "Mount the secrets tmpfs on \"%s\"", path);
	return 0;
}

/* ---- projections -------------------------------------------------------- */

/* The host id of container id ID through MAP (none: the same). */
static uint32_t map_id(const struct bspec_idmap *map, size_t n, uint32_t id)
{
	if (!n)
		return id;
	for (size_t i = 0; i < n; i++)
		if (id >= map[i].container_id && id - map[i].container_id < map[i].size)
			return map[i].host_id + (id - map[i].container_id);
	return 65534; /* unmapped: the overflow id */
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* DFD/..VER with D's keys: configs 0444 root, secrets 0400 UID:GID. */
static int write_version_dir(int dfd, const char *ver, const struct obj_data *d, bool secret,
			     uid_t uid, gid_t gid, berr *err)
{
	rm_rf_at(dfd, ver);
	if (mkdirat(dfd, ver, secret ? 0500 : 0755) < 0)
		return berr_errno(err, errno, "Create \"%s\"", ver);
	_cleanup_close_ int vfd = openat(dfd, ver, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (vfd < 0 || (secret && fchown(vfd, uid, gid) < 0))
		return berr_errno(err, errno, "Prepare \"%s\"", ver);
	for (size_t i = 0; i < d->n; i++) {
		_cleanup_close_ int fd = openat(vfd, d->v[i].key, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
						0600);
		int r = fd < 0 ? -errno : write_all(fd, d->v[i].data, d->v[i].len);
		if (r == 0 && secret && fchown(fd, uid, gid) < 0)
			r = -errno;
		if (r == 0 && fchmod(fd, secret ? 0400 : 0444) < 0)
			r = -errno;
		if (r < 0)
			return berr_errno(err, -r, "Write key \"%s\"", d->v[i].key);
	}
	return 0;
}

/* NAME -> TARGET, replacing NAME atomically. */
static int symlink_replace(int dfd, const char *target, const char *name)
{
	char tmp[NAME_MAX + 1];
	snprintf(tmp, sizeof(tmp), "..tmp.%.200s", name);
	unlinkat(dfd, tmp, 0);
	if (symlinkat(target, dfd, tmp) < 0)
		return -errno;
	if (renameat(dfd, tmp, dfd, name) < 0) {
		int e = errno;
		unlinkat(dfd, tmp, 0);
		return -e;
	}
	return 0;
}

/* Write D into the projection DFD as ..VER, flip ..data to it, keep one
 * KEY -> ..data/KEY link per key, and drop the version before. */
static int project_version(int dfd, const char *version, const struct obj_data *d, bool secret,
			   uid_t uid, gid_t gid, berr *err)
{
	char ver[OBJ_VERSION_MAX + 2], old[PATH_MAX] = "";
	snprintf(ver, sizeof(ver), "..%s", version);
	ssize_t n = readlinkat(dfd, "..data", old, sizeof(old) - 1);
	old[n > 0 ? n : 0] = '\0';
	if (strcmp(old, ver) == 0)
		return 0;
	int r = write_version_dir(dfd, ver, d, secret, uid, gid, err);
	if (r < 0)
		return r;
	if ((r = symlink_replace(dfd, ver, "..data")) < 0)
		return berr_errno(err, -r, "Point \"..data\" at \"%s\"", ver);
	for (size_t i = 0; i < d->n; i++) {
		char target[OBJ_KEY_MAX + 8];
		snprintf(target, sizeof(target), "..data/%s", d->v[i].key);
		if ((r = symlink_replace(dfd, target, d->v[i].key)) < 0)
			return berr_errno(err, -r, "Link key \"%s\"", d->v[i].key);
	}
	/* keys the new version no longer has */
	_cleanup_closedir_ DIR *dir = opendir_dup(dfd);
	struct dirent *de;
	while (dir && (de = readdir(dir)))
		if (de->d_name[0] != '.' && !obj_data_get(d, de->d_name))
			unlinkat(dfd, de->d_name, 0);
	if (old[0] && strcmp(old, ver) != 0)
		rm_rf_at(dfd, old);
	return 0;
}

/* Explicit env = wins over env-from. */
static int env_from_set(struct bspec *s, const struct container_spec *ctr, const char *key,
			const struct obj_entry *e)
{
	size_t kl = strlen(key);
	for (size_t i = 0; ctr->env && ctr->env[i]; i++)
		if (strncmp(ctr->env[i], key, kl) == 0 && ctr->env[i][kl] == '=')
			return 0;
	if (memchr(e->data, '\0', e->len))
		return 0; /* cannot be an environment value */
	char *kv = malloc(kl + e->len + 2);
	if (!kv)
		return -ENOMEM;
	memcpy(kv, key, kl);
	kv[kl] = '=';
	memcpy(kv + kl + 1, e->data, e->len);
	kv[kl + 1 + e->len] = '\0';
	for (size_t i = 0; s->process.env && s->process.env[i]; i++)
		if (strncmp(s->process.env[i], key, kl) == 0 && s->process.env[i][kl] == '=') {
			explicit_bzero(s->process.env[i], strlen(s->process.env[i]));
			free(s->process.env[i]);
			s->process.env[i] = kv;
			return 0;
		}
	return strv_push(&s->process.env, kv);
}

static bool env_name_ok(const char *k)
{
	if (!*k || isdigit((unsigned char)*k))
		return false;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_')
			return false;
	return true;
}

static int project_env(struct sv *sv, struct ctr *c, struct bspec *s, berr *err)
{
	const struct container_spec *cs = c->spec;
	for (size_t i = 0; i < cs->nenvfrom; i++) {
		const struct objref_spec *o = &cs->envfrom[i];
		struct obj_data d = { 0 };
		int r = obj_get(sv->root, obj_kind_of(o->kind), pod_spec_ns(c->rep->pod->spec), o->name,
				&d, NULL, err);
		if (r < 0)
			return berr_prefix(err, "env-from");
		for (size_t k = 0; r == 0 && k < d.n; k++)
			if (env_name_ok(d.v[k].key))
				r = env_from_set(s, cs, d.v[k].key, &d.v[k]);
		obj_data_clear(&d);
		if (r < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

static int add_bind(struct bspec *s, const char *src, const char *dst)
{
	struct bspec_mount *m = realloc(s->mounts, (s->nmounts + 1) * sizeof(*m));
	if (!m)
		return -ENOMEM;
	s->mounts = m;
	m = &s->mounts[s->nmounts];
	memset(m, 0, sizeof(*m));
	m->kind = BMNT_BIND;
	m->flags = MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	m->source = strdup(src);
	m->target = strdup(dst);
	s->nmounts++;
	return m->source && m->target ? 0 : -ENOMEM;
}

/* Open (creating) RUN_DIR/{configs,secrets}/ID. */
static int ctr_dir(struct sv *sv, enum objref_kind k, const char *id, bool create, berr *err)
{
	char path[PATH_MAX];
	base_dir(sv, k, path, sizeof(path));
	size_t l = strlen(path);
	snprintf(path + l, sizeof(path) - l, "/%s", id);
	if (create) {
		int r = mkdir_p(path, 0700, err);
		if (r < 0)
			return r;
	}
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int project_mount(struct sv *sv, struct ctr *c, size_t idx, struct bspec *s, berr *err)
{
	const struct objref_spec *o = &c->spec->objmounts[idx];
	bool secret = o->kind == OBJREF_SECRET;
	uid_t uid = map_id(s->uid_map, s->nuid_map, s->process.uid);
	gid_t gid = map_id(s->gid_map, s->ngid_map, s->process.gid);
	if (secret) {
		char base[PATH_MAX];
		struct statfs sf;
		base_dir(sv, o->kind, base, sizeof(base));
		if (statfs(base, &sf) < 0 || sf.f_type != TMPFS_MAGIC)
			return berr_fail(err, EPERM, "secret \"%s\": \"%s\" is not a tmpfs (secrets never go to disk)",
					 o->name, base);
	}
	_cleanup_close_ int cfd = ctr_dir(sv, o->kind, c->id, true, err);
	if (cfd < 0)
		return err->msg[0] ? cfd : berr_errno(err, -cfd, "Create the %s dir", obj_kind_name(obj_kind_of(o->kind)));
	char n[16];
	snprintf(n, sizeof(n), "%zu", idx);
	if (mkdirat(cfd, n, secret ? 0500 : 0755) < 0)
		return berr_errno(err, errno, "Create the %s dir", o->name);
	_cleanup_close_ int dfd = openat(cfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || (secret && fchown(dfd, uid, gid) < 0))
		return berr_errno(err, errno, "Prepare the %s dir", o->name);
	struct obj_data d = { 0 };
	char ver[OBJ_VERSION_MAX];
	int r = obj_get(sv->root, obj_kind_of(o->kind), pod_spec_ns(c->rep->pod->spec), o->name, &d,
			ver, err);
	if (r == 0)
		r = project_version(dfd, ver, &d, secret, uid, gid, err);
	obj_data_clear(&d);
	if (r < 0)
		return berr_prefix(err, "%s \"%s\"", obj_kind_name(obj_kind_of(o->kind)), o->name);
	char src[PATH_MAX];
	base_dir(sv, o->kind, src, sizeof(src));
	size_t l = strlen(src);
	snprintf(src + l, sizeof(src) - l, "/%s/%s", c->id, n);
	return add_bind(s, src, o->target) < 0 ? berr_fail(err, ENOMEM, "Out of memory") : 0;
}

void sv_objects_release(struct sv *sv, const char *ctr_id)
{
	for (int k = OBJREF_CONFIG; k <= OBJREF_SECRET; k++) {
		char path[PATH_MAX];
		base_dir(sv, (enum objref_kind)k, path, sizeof(path));
		_cleanup_close_ int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0)
			rm_rf_at(fd, ctr_id);
	}
}

int sv_objects_project(struct sv *sv, struct ctr *c, struct bspec *s, berr *err)
{
	sv_objects_release(sv, c->id); /* a fresh copy per start */
	int r = project_env(sv, c, s, err);
	for (size_t i = 0; r == 0 && i < c->spec->nobjmounts; i++)
		r = project_mount(sv, c, i, s, err);
	return r;
}

/* ---- reload = : swap in place and signal ------------------------------ */

static bool refresh_mount(struct sv *sv, struct ctr *c, size_t idx)
{
	const struct objref_spec *o = &c->spec->objmounts[idx];
	bool secret = o->kind == OBJREF_SECRET;
	berr err = { 0 };
	char ver[OBJ_VERSION_MAX], cur[PATH_MAX], n[16];
	if (obj_version(sv->root, obj_kind_of(o->kind), pod_spec_ns(c->rep->pod->spec), o->name, ver,
			&err) < 0)
		return false; /* gone: the container keeps what it has */
	_cleanup_close_ int cfd = ctr_dir(sv, o->kind, c->id, false, &err);
	snprintf(n, sizeof(n), "%zu", idx);
	_cleanup_close_ int dfd = cfd < 0 ? -1 : openat(cfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (dfd < 0 || fstat(dfd, &st) < 0)
		return false;
	ssize_t l = readlinkat(dfd, "..data", cur, sizeof(cur) - 1);
	if (l > 2 && (size_t)l - 2 == strlen(ver) && memcmp(cur + 2, ver, (size_t)l - 2) == 0)
		return false;
	struct obj_data d = { 0 };
	int r = obj_get(sv->root, obj_kind_of(o->kind), pod_spec_ns(c->rep->pod->spec), o->name, &d,
			ver, &err);
	if (r == 0)
		r = project_version(dfd, ver, &d, secret, st.st_uid, st.st_gid, &err);
	obj_data_clear(&d);
	if (r < 0) {
		pod_event(c->rep->pod, "%s: %s \"%s\": swap failed: %s", c->id,
			  obj_kind_name(obj_kind_of(o->kind)), o->name, err.msg);
		return false;
	}
	pod_event(c->rep->pod, "%s: %s \"%s\" %s swapped in", c->id,
		  obj_kind_name(obj_kind_of(o->kind)), o->name, ver);
	return true;
}

void sv_objects_refresh(struct sv *sv)
{
	for (size_t p = 0; p < sv->npods; p++) {
		struct pod *pod = sv->pods[p];
		for (size_t i = 0; i < pod->nreps; i++) {
			struct replica *rep = pod->reps[i];
			for (size_t k = 0; !rep->removing && k < rep->nctrs; k++) {
				struct ctr *c = &rep->ctrs[k];
				if (!c->spec->reload_signal || !c->pid ||
				    (c->state != LC_RUNNING && c->state != LC_READY))
					continue;
				bool swapped = false;
				for (size_t m = 0; m < c->spec->nobjmounts; m++)
					swapped |= refresh_mount(sv, c, m);
				if (swapped && kill(c->pid, c->spec->reload_signal) == 0)
					pod_event(pod, "%s: reload: sent signal %d", c->id,
						  c->spec->reload_signal);
			}
		}
	}
}
