// SPDX-License-Identifier: GPL-2.0-or-later
/* Desired state (the pods directory, berth scale) against actual state (the
 * replicas the daemon runs). A file with an error changes nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "supervisor/image.h"
#include "supervisor/objects.h"
#include "supervisor/sv.h"

struct spec_ref *spec_ref_new(struct pod_spec *spec)
{
	struct spec_ref *r = calloc(1, sizeof(*r));
	if (r) {
		r->refs = 1;
		r->spec = spec;
	}
	return r;
}

struct spec_ref *spec_ref_get(struct spec_ref *r)
{
	r->refs++;
	return r;
}

void spec_ref_put(struct spec_ref *r)
{
	if (r && --r->refs == 0) {
		pod_spec_free(r->spec);
		free(r);
	}
}

struct pod *sv_pod_find(struct sv *sv, const char *name)
{
	for (size_t i = 0; i < sv->npods; i++)
		if (strcmp(sv->pods[i]->name, name) == 0)
			return sv->pods[i];
	return NULL;
}

static void scale_path(const struct sv *sv, const char *pod, char *buf, size_t len)
{
	snprintf(buf, len, "%s/scale/%s", sv->state_dir, pod);
}

/* berth scale lasts until the spec's replicas change (or a reboot). */
static void scale_save(struct sv *sv, struct pod *pod)
{
	char path[PATH_MAX], dir[PATH_MAX], line[32];
	snprintf(dir, sizeof(dir), "%s/scale", sv->state_dir);
	scale_path(sv, pod->name, path, sizeof(path));
	if (!pod->scaled) {
		unlink(path);
		return;
	}
	mkdir_p(dir, 0700, NULL);
	_cleanup_close_ int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n = snprintf(line, sizeof(line), "%u %u\n", pod->desired, pod->spec->replicas);
	if (dfd >= 0)
		write_file_atomic(dfd, pod->name, line, (size_t)n, 0600, NULL);
}

static void scale_load(struct sv *sv, struct pod *pod)
{
	char path[PATH_MAX];
	_cleanup_free_ char *buf = NULL;
	size_t len;
	unsigned n, base;
	scale_path(sv, pod->name, path, sizeof(path));
	if (read_file_at(AT_FDCWD, path, 64, &buf, &len, NULL) < 0)
		return;
	if (sscanf(buf, "%u %u", &n, &base) == 2 && base == pod->spec->replicas &&
	    n <= POD_MAX_REPLICAS) {
		pod->desired = n;
		pod->scaled = true;
	}
}

static void pod_image_refs(struct sv *sv, struct pod *pod, const struct pod_spec *old,
			   const struct pod_spec *new)
{
	berr err = { 0 };
	if (sv_image_refs(sv->root, pod->name, old, new, &err) < 0)
		pod_event(pod, "image references: %s", err.msg);
}

static struct replica *replica_find(struct pod *pod, unsigned index)
{
	for (size_t i = 0; i < pod->nreps; i++)
		if (pod->reps[i]->index == index)
			return pod->reps[i];
	return NULL;
}

static void ctr_init(struct ctr *c, struct replica *rep, struct container_spec *cs)
{
	memset(c, 0, sizeof(*c));
	c->rep = rep;
	c->spec = cs;
	c->name = cs->name;
	snprintf(c->id, sizeof(c->id), "%s-%s", rep->name, cs->name);
	c->state = LC_PENDING;
	c->shim_pidfd.fd = c->shim_sync.fd = c->timer.fd = -1;
	const struct pod_spec *ps = rep->pod->spec;
	backoff_init(&c->backoff, ps->backoff_base_ms, ps->backoff_max_ms, ps->backoff_reset_ms);
	for (int k = 0; k < PROBE_KIND_COUNT; k++) {
		struct probe_rt *p = &c->probes[k];
		p->ctr = c;
		p->kind = (enum probe_kind)k;
		p->timer.fd = p->sock.fd = p->pidfd.fd = -1;
	}
}

static void replica_free(void *p)
{
	struct replica *rep = p;
	spec_ref_put(rep->sref);
	free(rep->ctrs);
	free(rep);
}

static struct replica *replica_new(struct pod *pod, unsigned index)
{
	struct replica *rep = calloc(1, sizeof(*rep));
	if (!rep)
		return NULL;
	rep->pod = pod;
	rep->index = index;
	rep->netns_fd = -1;
	rep->holder_pidfd.fd = -1;
	snprintf(rep->name, sizeof(rep->name), "%s-%u", pod->name, index);
	rep->sref = spec_ref_get(pod->sref);
	rep->nctrs = pod->spec->ncontainers;
	rep->ctrs = calloc(rep->nctrs, sizeof(*rep->ctrs));
	if (!rep->ctrs) {
		replica_free(rep);
		return NULL;
	}
	for (size_t k = 0; k < rep->nctrs; k++)
		ctr_init(&rep->ctrs[k], rep, &pod->spec->containers[k]);
	return rep;
}

static int replica_create(struct sv *sv, struct pod *pod, unsigned index)
{
	struct replica *rep = replica_new(pod, index);
	struct replica **v = realloc(pod->reps, (pod->nreps + 1) * sizeof(*v));
	if (!rep || !v) {
		if (rep)
			replica_free(rep);
		if (v)
			pod->reps = v;
		pod_event(pod, "%s-%u: out of memory", pod->name, index);
		return -ENOMEM;
	}
	pod->reps = v;
	pod->reps[pod->nreps++] = rep;
	if (state_adopt_replica(sv, rep))
		return 0;
	berr err = { 0 };
	if (holder_start(sv, rep, &err) < 0) {
		/* no sandbox: the containers fail to start and back off */
		pod_event(pod, "%s: sandbox: %s", rep->name, err.msg);
	}
	for (size_t k = 0; k < rep->nctrs; k++)
		ctr_event(sv, &rep->ctrs[k], EV_START);
	state_save_replica(sv, rep);
	return 0;
}

void sv_replica_remove(struct sv *sv, struct replica *rep)
{
	if (rep->removing)
		return;
	rep->removing = true;
	for (size_t k = 0; k < rep->nctrs; k++) {
		struct ctr *c = &rep->ctrs[k];
		c->remove = true;
		if (!c->gone)
			ctr_event(sv, c, EV_STOP);
	}
	sv_replica_maybe_gone(sv, rep);
}

static void pod_free(void *p)
{
	struct pod *pod = p;
	spec_ref_put(pod->sref);
	free(pod->name);
	free(pod->file);
	free(pod->reps);
	free(pod);
}

/* Take POD out of the daemon's list; freed once the loop iteration ends. */
static void pod_forget(struct sv *sv, struct pod *pod)
{
	for (size_t i = 0; i < sv->npods; i++)
		if (sv->pods[i] == pod) {
			memmove(&sv->pods[i], &sv->pods[i + 1], (sv->npods - i - 1) * sizeof(pod));
			sv->npods--;
			break;
		}
	sv_defer_free(sv, pod_free, pod);
}

static void pod_sync_replicas(struct sv *sv, struct pod *pod)
{
	if (pod->deleting || sv->stopping)
		return;
	size_t n = pod->nreps;
	struct replica *reps[n ? n : 1];
	if (n)
		memcpy(reps, pod->reps, n * sizeof(*reps));
	for (size_t i = 0; i < n; i++)
		if (reps[i]->index >= pod->desired)
			sv_replica_remove(sv, reps[i]);
	for (unsigned i = 0; i < pod->desired; i++)
		if (!replica_find(pod, i))
			replica_create(sv, pod, i);
}

void sv_replica_maybe_gone(struct sv *sv, struct replica *rep)
{
	if (!rep->removing || rep->dead)
		return;
	for (size_t k = 0; k < rep->nctrs; k++)
		if (!rep->ctrs[k].gone)
			return;
	struct pod *pod = rep->pod;
	rep->dead = true;
	if (pod->rolling == rep)
		pod->rolling = NULL;
	holder_stop(sv, rep);
	state_remove_replica(sv, rep);
	for (size_t k = 0; k < rep->nctrs; k++)
		ctr_release(sv, &rep->ctrs[k]);
	for (size_t i = 0; i < pod->nreps; i++)
		if (pod->reps[i] == rep) {
			memmove(&pod->reps[i], &pod->reps[i + 1], (pod->nreps - i - 1) * sizeof(rep));
			pod->nreps--;
			break;
		}
	sv_defer_free(sv, replica_free, rep);
	if (pod->deleting && pod->nreps == 0) {
		pod_event(pod, "deleted");
		pod_forget(sv, pod);
		return;
	}
	pod_sync_replicas(sv, pod); /* a replacement, after a sandbox change */
}

static void pod_delete(struct sv *sv, struct pod *pod)
{
	if (pod->deleting)
		return;
	pod->deleting = true;
	pod_event(pod, "spec removed: stopping %zu replica(s)", pod->nreps);
	pod_image_refs(sv, pod, pod->spec, NULL);
	pod->scaled = false;
	scale_save(sv, pod);
	if (pod->nreps == 0) {
		pod_forget(sv, pod);
		return;
	}
	size_t n = pod->nreps;
	struct replica *reps[n ? n : 1];
	if (n)
		memcpy(reps, pod->reps, n * sizeof(*reps));
	for (size_t i = 0; i < n; i++)
		sv_replica_remove(sv, reps[i]);
}

/* Move a replica's containers onto NEW (same sandbox): changed containers
 * restart, the others only see the new settings. */
static void replica_update(struct sv *sv, struct replica *rep, struct spec_ref *nref)
{
	struct pod_spec *ns = nref->spec;
	for (size_t k = 0; k < rep->nctrs; k++) {
		struct ctr *c = &rep->ctrs[k];
		struct container_spec *nc = &ns->containers[k];
		bool same = container_spec_equal(c->spec, nc);
		probes_disarm(sv, c);
		c->spec = nc;
		c->name = nc->name;
		if (same) {
			if (c->state == LC_STARTING && c->pid)
				probes_arm(sv, c, true);
			else if (c->state == LC_RUNNING || c->state == LC_READY)
				probes_arm(sv, c, false);
			continue;
		}
		pod_event(rep->pod, "%s: spec changed: recreating", c->id);
		if (c->state == LC_PENDING || c->state == LC_EXITED) {
			c->timer_use = CT_NONE;
			sv_timer_disarm(&c->timer);
			c->state = LC_EXITED;
			ctr_event(sv, c, EV_START);
		} else {
			c->recreate = true;
			ctr_event(sv, c, EV_STOP);
		}
	}
	spec_ref_put(rep->sref);
	rep->sref = spec_ref_get(nref);
}

static void pod_update(struct sv *sv, struct pod *pod, struct pod_spec *ns, const char *file)
{
	struct spec_ref *nref = spec_ref_new(ns);
	if (!nref) {
		pod_spec_free(ns);
		return;
	}
	struct pod_spec *old = pod->spec;
	bool sandbox_same = pod_spec_sandbox_equal(old, ns);
	if (ns->replicas != old->replicas && pod->scaled) {
		pod->scaled = false;
		scale_save(sv, pod);
	}
	if (!pod->scaled)
		pod->desired = ns->replicas;
	free(pod->file);
	pod->file = strdup(file);
	struct spec_ref *oref = pod->sref;
	pod_image_refs(sv, pod, old, ns);
	pod->sref = nref;
	pod->spec = ns;
	pod_event(pod, "spec changed (%s)", file);
	for (size_t i = 0; ns->warnings && ns->warnings[i]; i++)
		pod_event(pod, "warning: %s", ns->warnings[i]);
	size_t n = pod->nreps, live = 0;
	struct replica *reps[n ? n : 1];
	if (n)
		memcpy(reps, pod->reps, n * sizeof(*reps));
	for (size_t i = 0; i < n; i++)
		live += !reps[i]->removing;
	/* several replicas, same sandbox: a rolling update (sv_rollout), one
	 * replica at a time, each waited for until ready */
	bool rolling = sandbox_same && live > 1 && pod->desired > 1;
	for (size_t i = 0; i < n && !rolling; i++) {
		if (reps[i]->removing)
			continue;
		if (sandbox_same)
			replica_update(sv, reps[i], nref);
		else
			sv_replica_remove(sv, reps[i]);
	}
	/* pod->rolling stays: a replica still getting ready on the previous
	 * update is waited for, unless it is stale now (sv_rollout) */
	pod->rollout = rolling;
	spec_ref_put(oref);
	pod_sync_replicas(sv, pod);
}

bool sv_replica_ready(const struct replica *rep)
{
	if (rep->dead || rep->removing || rep->nctrs == 0)
		return false;
	for (size_t k = 0; k < rep->nctrs; k++)
		if (!rep->ctrs[k].ready)
			return false;
	return true;
}

static bool replica_needs_restart(const struct replica *rep, const struct spec_ref *nref)
{
	for (size_t k = 0; k < rep->nctrs; k++)
		if (!container_spec_equal(rep->ctrs[k].spec, &nref->spec->containers[k]))
			return true;
	return false;
}

/* maxUnavailable 1, no surge: replicas that only see new settings move at
 * once; of those whose containers must restart, one at a time, those that
 * are not ready anyway first (they cost no availability), and the next only
 * once the last one moved is ready: an update whose containers never get
 * ready stops after taking one replica down. */
void sv_rollout(struct sv *sv)
{
	for (size_t i = 0; i < sv->npods; i++) {
		struct pod *pod = sv->pods[i];
		if (!pod->rollout || pod->deleting || sv->stopping)
			continue;
		struct replica *cur = pod->rolling;
		if (cur && cur->sref == pod->sref && !sv_replica_ready(cur))
			continue; /* the one moved last is not ready yet */
		pod->rolling = NULL;
		struct replica *pick = NULL;
		size_t left = 0;
		for (size_t j = 0; j < pod->nreps; j++) {
			struct replica *rep = pod->reps[j];
			if (rep->removing || rep->sref == pod->sref)
				continue;
			if (!replica_needs_restart(rep, pod->sref)) {
				replica_update(sv, rep, pod->sref);
				continue;
			}
			left++;
			if (!pick || (sv_replica_ready(pick) && !sv_replica_ready(rep)) ||
			    (sv_replica_ready(pick) == sv_replica_ready(rep) && rep->index < pick->index))
				pick = rep;
		}
		if (!pick) {
			pod->rollout = false;
			pod_event(pod, "rollout: done");
			continue;
		}
		pod_event(pod, "rollout: %s to the new spec (%zu of the replicas left)", pick->name,
			  left);
		replica_update(sv, pick, pod->sref);
		pod->rolling = pick;
	}
}



static struct pod *pod_create(struct sv *sv, struct pod_spec *spec, const char *file)
{
	struct pod *pod = calloc(1, sizeof(*pod));
	struct pod **v = realloc(sv->pods, (sv->npods + 1) * sizeof(*v));
	if (v)
		sv->pods = v;
	if (!pod || !v || !(pod->name = strdup(spec->name)) || !(pod->file = strdup(file)) ||
	    !(pod->sref = spec_ref_new(spec))) {
		if (pod) {
			free(pod->name);
			free(pod->file);
		}
		free(pod);
		pod_spec_free(spec);
		return NULL;
	}
	pod->spec = spec;
	pod->desired = spec->replicas;
	scale_load(sv, pod);
	pod_image_refs(sv, pod, NULL, spec);
	sv->pods[sv->npods++] = pod;
	pod_event(pod, "created from %s (%u replica%s)", file, pod->desired,
		  pod->desired == 1 ? "" : "s");
	for (size_t i = 0; spec->warnings && spec->warnings[i]; i++)
		pod_event(pod, "warning: %s", spec->warnings[i]);
	return pod;
}

struct loaded {
	char *file;
	struct pod_spec *spec;	/* NULL: the file has an error */
};

static int load_dir(struct sv *sv, struct loaded **ret, size_t *ret_n, berr *err)
{
	struct dirent **names = NULL;
	int n = scandir(sv->pods_dir, &names, NULL, alphasort);
	if (n < 0)
		return berr_errno(err, errno, "Read \"%s\"", sv->pods_dir);
	struct loaded *l = calloc((size_t)n + 1, sizeof(*l));
	size_t cnt = 0;
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		size_t len = strlen(nm);
		if (l && nm[0] != '.' && len > 4 && strcmp(nm + len - 4, ".pod") == 0 &&
		    asprintf(&l[cnt].file, "%s/%s", sv->pods_dir, nm) >= 0) {
			berr e = { 0 };
			if (pod_spec_load(l[cnt].file, &l[cnt].spec, &e) < 0) {
				log_error("%s (not applied)", e.msg);
				l[cnt].spec = NULL;
			} else if (podspec_store_resolve(l[cnt].spec, sv->root, &e) < 0) {
				log_error("%s (not applied)", e.msg);
				pod_spec_free(l[cnt].spec);
				l[cnt].spec = NULL;
			}
			cnt++;
		}
		free(names[i]);
	}
	free(names);
	if (!l)
		return berr_fail(err, ENOMEM, "Out of memory");
	*ret = l;
	*ret_n = cnt;
	return 0;
}

int sv_reconcile(struct sv *sv, berr *err)
{
	struct loaded *l;
	size_t n;
	int r = load_dir(sv, &l, &n, err);
	if (r < 0)
		return r;
	/* duplicate names: the first file (sorted) wins */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; l[i].spec && j < i; j++)
			if (l[j].spec && strcmp(l[j].spec->name, l[i].spec->name) == 0) {
				log_error("%s: [pod] name: \"%s\" is already used by %s (not applied)",
					  l[i].file, l[i].spec->name, l[j].file);
				pod_spec_free(l[i].spec);
				l[i].spec = NULL;
			}
	/* pods whose file is gone (a file with an error keeps its pod) */
	size_t np = sv->npods;
	struct pod *pods[np ? np : 1];
	if (np)
		memcpy(pods, sv->pods, np * sizeof(*pods));
	for (size_t p = 0; p < np; p++) {
		bool keep = false;
		for (size_t i = 0; i < n && !keep; i++)
			keep = l[i].spec ? strcmp(l[i].spec->name, pods[p]->name) == 0
					 : strcmp(l[i].file, pods[p]->file) == 0;
		if (!keep)
			pod_delete(sv, pods[p]);
	}
	for (size_t i = 0; i < n; i++) {
		if (!l[i].spec)
			goto next;
		struct pod *pod = sv_pod_find(sv, l[i].spec->name);
		if (pod && pod->deleting) {
			log_error("%s: pod \"%s\" is still being deleted: retry later", l[i].file, pod->name);
			pod_spec_free(l[i].spec);
		} else if (!pod) {
			pod = pod_create(sv, l[i].spec, l[i].file);
			if (pod)
				pod_sync_replicas(sv, pod);
		} else if (pod_spec_equal_all(pod->spec, l[i].spec) && strcmp(pod->file, l[i].file) == 0) {
			/* labels and affinity are the service's: changed in place,
			 * no replica restarts */
			char **labels = pod->spec->labels;
			pod->spec->labels = l[i].spec->labels;
			l[i].spec->labels = labels;
			pod->spec->affinity = l[i].spec->affinity;
			pod->spec->affinity_timeout_ms = l[i].spec->affinity_timeout_ms;
			pod_spec_free(l[i].spec);
		} else {
			pod_update(sv, pod, l[i].spec, l[i].file);
		}
next:
		free(l[i].file);
	}
	free(l);
	state_adopt_finish(sv);
	sv_objects_refresh(sv);
	return 0;
}

int sv_scale(struct sv *sv, struct pod *pod, unsigned n, berr *err)
{
	if (n > POD_MAX_REPLICAS)
		return berr_fail(err, EINVAL, "Replicas: %u is more than %d", n, POD_MAX_REPLICAS);
	if (pod->deleting)
		return berr_fail(err, ENOENT, "Pod \"%s\" is being deleted", pod->name);
	pod->desired = n;
	pod->scaled = n != pod->spec->replicas;
	scale_save(sv, pod);
	pod_event(pod, "scaled to %u replica%s", n, n == 1 ? "" : "s");
	pod_sync_replicas(sv, pod);
	return 0;
}

void sv_pod_restart(struct sv *sv, struct pod *pod)
{
	pod_event(pod, "restart requested");
	for (size_t i = 0; i < pod->nreps; i++) {
		struct replica *rep = pod->reps[i];
		if (rep->removing)
			continue;
		for (size_t k = 0; k < rep->nctrs; k++) {
			struct ctr *c = &rep->ctrs[k];
			if (c->state == LC_PENDING || c->state == LC_EXITED) {
				c->timer_use = CT_NONE;
				sv_timer_disarm(&c->timer);
				c->state = LC_EXITED;
				ctr_event(sv, c, EV_START);
			} else {
				c->restart_now = true;
				ctr_event(sv, c, EV_STOP);
			}
		}
	}
}

void sv_stop_all(struct sv *sv)
{
	size_t np = sv->npods;
	struct pod *pods[np ? np : 1];
	if (np)
		memcpy(pods, sv->pods, np * sizeof(*pods));
	for (size_t p = 0; p < np; p++) {
		size_t n = pods[p]->nreps;
		struct replica *reps[n ? n : 1];
		if (n)
			memcpy(reps, pods[p]->reps, n * sizeof(*reps));
		for (size_t i = 0; i < n; i++)
			sv_replica_remove(sv, reps[i]);
	}
}

bool sv_all_stopped(const struct sv *sv)
{
	for (size_t p = 0; p < sv->npods; p++)
		if (sv->pods[p]->nreps)
			return false;
	return true;
}
