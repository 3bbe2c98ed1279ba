// SPDX-License-Identifier: GPL-2.0-or-later
/* What a restarted daemon needs to adopt what the previous one ran: one
 * small text file per replica in RUN_DIR/supervisor/replicas, written
 * atomically when a container starts or exits (never while idle).
 *
 *   replica POD INDEX HOLDER_PID HOLDER_START SANDBOX_HASH
 *   ctr NAME SHIM_PID SHIM_START PID RESTARTS HAS_EXIT EXIT_CODE REASON SPEC_HASH
 *
 * The hashes tell a restarted daemon that a spec changed while it was down:
 * the container (or the whole replica) is then recreated after adoption.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "supervisor/rt.h"
#include "supervisor/sv.h"

struct adopt_ctr {
	char name[64];
	pid_t shim, pid;
	unsigned long long shim_start;
	unsigned restarts;
	int has_exit, exit_code;
	char reason[24];
	unsigned long long hash;
};

struct adopt_rec {
	char file[96];
	char pod[64];
	unsigned index;
	pid_t holder;
	unsigned long long holder_start, hash;
	struct adopt_ctr ctrs[POD_MAX_CONTAINERS];
	size_t nctrs;
	bool claimed;
};

static int replicas_dir(const struct sv *sv)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/replicas", sv->state_dir);
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

void state_save_replica(struct sv *sv, struct replica *rep)
{
	char buf[4096];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "replica %s %u %d %llu %llu\n", rep->pod->name,
				    rep->index, (int)rep->holder_pid, rep->holder_start,
				    (unsigned long long)pod_spec_sandbox_hash(rep->sref->spec));
	for (size_t k = 0; k < rep->nctrs && n < sizeof(buf); k++) {
		const struct ctr *c = &rep->ctrs[k];
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "ctr %s %d %llu %d %u %d %d %s %llu\n",
				      c->name, (int)c->shim_pid, c->shim_start, (int)c->pid, c->restarts,
				      c->has_exit, c->exit_code, c->reason[0] ? c->reason : "-",
				      (unsigned long long)container_spec_hash(c->spec));
	}
	if (n >= sizeof(buf))
		return;
	_cleanup_close_ int dfd = replicas_dir(sv);
	berr err = { 0 };
	if (dfd < 0 || write_file_atomic(dfd, rep->name, buf, n, 0600, &err) < 0)
		log_warn("Cannot save the state of %s: %s", rep->name, err.msg);
}

void state_remove_replica(struct sv *sv, struct replica *rep)
{
	_cleanup_close_ int dfd = replicas_dir(sv);
	if (dfd >= 0)
		unlinkat(dfd, rep->name, 0);
}

static int parse_rec(const char *name, char *buf, struct adopt_rec *r)
{
	char *save = NULL;
	snprintf(r->file, sizeof(r->file), "%s", name);
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "replica ", 8) == 0) {
			if (sscanf(line, "replica %63s %u %d %llu %llu", r->pod, &r->index, &r->holder,
				   &r->holder_start, &r->hash) != 5)
				return -EINVAL;
		} else if (strncmp(line, "ctr ", 4) == 0 && r->nctrs < POD_MAX_CONTAINERS) {
			struct adopt_ctr *c = &r->ctrs[r->nctrs];
			if (sscanf(line, "ctr %63s %d %llu %d %u %d %d %23s %llu", c->name, &c->shim,
				   &c->shim_start, &c->pid, &c->restarts, &c->has_exit, &c->exit_code,
				   c->reason, &c->hash) != 9)
				return -EINVAL;
			if (strcmp(c->reason, "-") == 0)
				c->reason[0] = '\0';
			r->nctrs++;
		}
	}
	return r->pod[0] ? 0 : -EINVAL;
}

int state_adopt(struct sv *sv)
{
	_cleanup_close_ int dfd = replicas_dir(sv);
	if (dfd < 0)
		return 0;
	DIR *d = fdopendir(dup(dfd));
	if (!d)
		return -errno;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		_cleanup_free_ char *buf = NULL;
		size_t len;
		struct adopt_rec *r = calloc(1, sizeof(*r));
		struct adopt_rec **v = realloc(sv->adopt, (sv->nadopt + 1) * sizeof(*v));
		if (v)
			sv->adopt = v;
		if (!r || !v || read_file_at(dfd, de->d_name, 8192, &buf, &len, NULL) < 0 ||
		    parse_rec(de->d_name, buf, r) < 0) {
			free(r);
			unlinkat(dfd, de->d_name, 0);
			continue;
		}
		sv->adopt[sv->nadopt++] = r;
	}
	closedir(d);
	if (sv->nadopt)
		log_info("Found %zu replica(s) of a previous daemon", sv->nadopt);
	return 0;
}

char **state_adopt_names(const struct sv *sv)
{
	char **v = calloc(1, sizeof(*v));
	for (size_t i = 0; v && i < sv->nadopt; i++)
		if (strv_add(&v, sv->adopt[i]->file) < 0) {
			strv_free(v);
			v = NULL;
		}
	return v;
}

static void adopt_ctr(struct sv *sv, struct ctr *c, const struct adopt_ctr *a)
{
	c->restarts = a->restarts;
	c->has_exit = a->has_exit;
	c->exit_code = a->exit_code;
	snprintf(c->reason, sizeof(c->reason), "%s", a->reason);
	if (a->shim > 0) {
		c->shim_pid = a->shim;
		c->shim_start = a->shim_start;
		c->pid = a->pid;
		ctr_adopted(sv, c);
		if (a->hash != container_spec_hash(c->spec) && c->state != LC_EXITED &&
		    c->state != LC_PENDING && c->state != LC_TERMINATING) {
			pod_event(c->rep->pod, "%s: spec changed while the daemon was down: recreating",
				  c->id);
			c->recreate = true;
			ctr_event(sv, c, EV_STOP);
		}
		return;
	}
	/* it was down (back-off, or exited for good) */
	c->state = LC_EXITED;
	if (!c->has_exit || restart_wanted(c->rep->pod->spec->restart, c->exit_code))
		ctr_event(sv, c, EV_START);
}

bool state_adopt_replica(struct sv *sv, struct replica *rep)
{
	struct adopt_rec *r = NULL;
	for (size_t i = 0; i < sv->nadopt && !r; i++)
		if (!sv->adopt[i]->claimed && strcmp(sv->adopt[i]->file, rep->name) == 0)
			r = sv->adopt[i];
	if (!r)
		return false;
	r->claimed = true;
	bool holder_ok = sv_proc_alive(r->holder, r->holder_start);
	if (holder_ok) {
		rep->holder_pid = r->holder;
		rep->holder_start = r->holder_start;
		if (holder_adopt(sv, rep) < 0)
			holder_ok = false;
	}
	for (size_t k = 0; k < rep->nctrs; k++) {
		struct ctr *c = &rep->ctrs[k];
		const struct adopt_ctr *a = NULL;
		for (size_t j = 0; j < r->nctrs && !a; j++)
			if (strcmp(r->ctrs[j].name, c->name) == 0)
				a = &r->ctrs[j];
		if (a)
			adopt_ctr(sv, c, a);
		else
			ctr_event(sv, c, EV_START);
	}
	pod_event(rep->pod, "%s: adopted from the previous daemon", rep->name);
	state_save_replica(sv, rep);
	if (!holder_ok || r->hash != pod_spec_sandbox_hash(rep->sref->spec)) {
		pod_event(rep->pod, "%s: %s: recreating the replica", rep->name,
			  holder_ok ? "the pod's network or containers changed while the daemon was down"
				    : "its sandbox is gone");
		sv_replica_remove(sv, rep);
	}
	return true;
}

void state_adopt_finish(struct sv *sv)
{
	_cleanup_close_ int dfd = replicas_dir(sv);
	for (size_t i = 0; i < sv->nadopt; i++) {
		struct adopt_rec *r = sv->adopt[i];
		if (!r->claimed) {
			log_info("Stopping %s: no spec wants it any more", r->file);
			for (size_t k = 0; k < r->nctrs; k++) {
				char id[160];
				berr err = { 0 };
				snprintf(id, sizeof(id), "%s-%s", r->file, r->ctrs[k].name);
				if (sv_proc_alive(r->ctrs[k].shim, r->ctrs[k].shim_start))
					container_kill(sv->run_dir, id, SIGKILL, true, &err);
			}
			if (sv_proc_alive(r->holder, r->holder_start))
				kill(r->holder, SIGKILL);
			if (dfd >= 0)
				unlinkat(dfd, r->file, 0);
		}
		free(r);
	}
	free(sv->adopt);
	sv->adopt = NULL;
	sv->nadopt = 0;
}
