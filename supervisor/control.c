// SPDX-License-Identifier: GPL-2.0-or-later
/* The control socket: RUN_DIR/berthd.sock, mode 0600, peers checked with
 * SO_PEERCRED (root or the daemon's own user). One request per connection:
 * a JSON object on one line, answered by one JSON object on one line
 * (docs/berthd.md lists the commands). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "supervisor/ini.h"
#include "supervisor/objects.h"
#include "supervisor/service.h"
#include "supervisor/sv.h"

#define CLIENT_BUF 8192

struct client {
	struct watch w;
	size_t len;
	char buf[CLIENT_BUF];
};

int control_listen(struct sv *sv, berr *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(sv->sock_path) >= sizeof(sa.sun_path))
		return berr_fail(err, ENAMETOOLONG, "Socket path \"%s\" is too long", sv->sock_path);
	strcpy(sa.sun_path, sv->sock_path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return berr_errno(err, errno, "Create the control socket");
	/* a daemon killed with -9 left its socket behind */
	unlink(sv->sock_path);
	mode_t old = umask(0177);
	int r = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0 || chmod(sv->sock_path, 0600) < 0 || listen(fd, 16) < 0) {
		r = berr_errno(err, errno, "Listen on \"%s\"", sv->sock_path);
		close(fd);
		return r;
	}
	sv->listen = (struct watch){ W_LISTEN, fd, NULL };
	return sv_watch_add(sv, &sv->listen, EPOLLIN);
}

static bool peer_allowed(int fd)
{
	struct ucred cr;
	socklen_t l = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0)
		return false;
	return cr.uid == 0 || cr.uid == geteuid();
}

void control_on_listen(struct sv *sv)
{
	for (;;) {
		int fd = accept4(sv->listen.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		if (!peer_allowed(fd)) {
			log_warn("Control socket: refused a peer that is neither root nor uid %d",
				 (int)geteuid());
			close(fd);
			continue;
		}
		struct client *c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->w = (struct watch){ W_CLIENT, fd, c };
		if (sv_watch_add(sv, &c->w, EPOLLIN) < 0) {
			close(fd);
			free(c);
		}
	}
}

static void client_close(struct sv *sv, struct client *c)
{
	sv_watch_del(sv, &c->w);
	sv_defer_free(sv, free, c);
}

/* ---- answers -------------------------------------------------------------- */

static json_t *ctr_json(const struct ctr *c)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:I, s:I}", "name", c->name, "id", c->id,
			      "state", lc_state_name(c->state), "ready", c->ready, "restarts",
			      (json_int_t)c->restarts, "pid", (json_int_t)c->pid);
	if (!o)
		return NULL;
	json_object_set_new(o, "exit_code", c->has_exit ? json_integer(c->exit_code) : json_null());
	json_object_set_new(o, "reason", c->has_exit ? json_string(c->reason) : json_null());
	json_object_set_new(o, "started", c->started_wall ? json_integer(c->started_wall) : json_null());
	return o;
}

static json_t *pod_json(const struct pod *pod, bool events)
{
	unsigned ready = 0;
	json_t *reps = json_array();
	for (size_t i = 0; i < pod->nreps; i++) {
		const struct replica *rep = pod->reps[i];
		bool rr = sv_replica_ready(rep);
		ready += rr;
		json_t *ctrs = json_array();
		for (size_t k = 0; k < rep->nctrs; k++)
			json_array_append_new(ctrs, ctr_json(&rep->ctrs[k]));
		json_array_append_new(reps, json_pack("{s:s, s:I, s:b, s:b, s:o}", "name", rep->name,
						      "index", (json_int_t)rep->index, "ready", rr,
						      "terminating", rep->removing, "containers", ctrs));
	}
	json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:b, s:o}", "name", pod->name,
			      "namespace", podspec_ns(pod->spec->namespace), "file",
			      pod->file, "desired", (json_int_t)pod->desired, "ready", (json_int_t)ready,
			      "restart", restart_policy_name(pod->spec->restart), "scaled", pod->scaled,
			      "replicas", reps);
	if (o && events) {
		json_t *ev = json_array();
		unsigned n = pod->nevents < POD_EVENTS ? pod->nevents : POD_EVENTS;
		for (unsigned i = pod->nevents - n; i < pod->nevents; i++) {
			const struct pod_event *e = &pod->events[i % POD_EVENTS];
			json_array_append_new(ev, json_pack("{s:I, s:s}", "time", (json_int_t)e->when,
							    "message", e->what));
		}
		json_object_set_new(o, "events", ev);
	}
	return o;
}

static json_t *reply_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static json_t *reply_error(const char *fmt, ...)
{
	char msg[BERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return json_pack("{s:b, s:s}", "ok", 0, "error", msg);
}

static json_t *do_get(struct sv *sv, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "pod"));
	json_t *pods = json_array();
	for (size_t i = 0; i < sv->npods; i++)
		if (!name || strcmp(name, sv->pods[i]->name) == 0)
			json_array_append_new(pods, pod_json(sv->pods[i], false));
	if (name && json_array_size(pods) == 0) {
		json_decref(pods);
		return reply_error("No such pod: %s", name);
	}
	return json_pack("{s:b, s:o}", "ok", 1, "pods", pods);
}

static json_t *do_describe(struct sv *sv, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "pod"));
	struct pod *pod = name ? sv_pod_find(sv, name) : NULL;
	if (!pod)
		return reply_error("No such pod: %s", name ? name : "(none)");
	json_t *o = pod_json(pod, true);
	const struct svc *svc = svc_lookup(sv, pod->name);
	if (o && svc) {
		char line[160];
		svc_describe(svc, line, sizeof(line));
		json_object_set_new(o, "service", json_string(line));
	}
	return json_pack("{s:b, s:o}", "ok", 1, "pod", o);
}

static json_t *do_scale(struct sv *sv, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "pod"));
	json_t *n = json_object_get(req, "replicas");
	struct pod *pod = name ? sv_pod_find(sv, name) : NULL;
	if (!pod)
		return reply_error("No such pod: %s", name ? name : "(none)");
	if (!json_is_integer(n) || json_integer_value(n) < 0)
		return reply_error("Replicas: not a number");
	berr err = { 0 };
	if (sv_scale(sv, pod, (unsigned)json_integer_value(n), &err) < 0)
		return reply_error("%s", err.msg);
	return json_pack("{s:b}", "ok", 1);
}

static json_t *do_restart(struct sv *sv, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "pod"));
	struct pod *pod = name ? sv_pod_find(sv, name) : NULL;
	if (!pod)
		return reply_error("No such pod: %s", name ? name : "(none)");
	sv_pod_restart(sv, pod);
	return json_pack("{s:b}", "ok", 1);
}

static json_t *do_delete(struct sv *sv, json_t *req)
{
	const char *name = json_string_value(json_object_get(req, "pod"));
	struct pod *pod = name ? sv_pod_find(sv, name) : NULL;
	if (!pod || pod->deleting)
		return reply_error("No such pod: %s", name ? name : "(none)");
	if (unlink(pod->file) < 0 && errno != ENOENT)
		return reply_error("Remove \"%s\": %s", pod->file, strerror(errno));
	berr err = { 0 };
	if (sv_reconcile(sv, &err) < 0)
		return reply_error("%s", err.msg);
	return json_pack("{s:b}", "ok", 1);
}

/* Validate every file first: one bad file applies nothing. */
static json_t *do_apply(struct sv *sv, json_t *req)
{
	json_t *files = json_object_get(req, "files");
	bool dry = json_is_true(json_object_get(req, "dry_run"));
	size_t n = json_array_size(files);
	if (!n)
		return reply_error("Apply: no file");
	struct pod_spec *specs[n];
	json_t *results = json_array(), *warnings = json_array();
	json_t *reply = NULL;
	size_t loaded = 0;
	for (size_t i = 0; i < n; i++) {
		const char *f = json_string_value(json_array_get(files, i));
		berr err = { 0 };
		if (!f || pod_spec_load(f, &specs[i], &err) < 0) {
			reply = reply_error("%s", f ? err.msg : "Apply: bad file name");
			goto out;
		}
		loaded++;
		if (podspec_store_resolve(specs[i], sv->root, &err) < 0) {
			reply = reply_error("%s", err.msg);
			goto out;
		}
		for (size_t w = 0; specs[i]->warnings && specs[i]->warnings[w]; w++)
			json_array_append_new(warnings, json_string(specs[i]->warnings[w]));
		for (size_t j = 0; j < i; j++)
			if (strcmp(specs[j]->name, specs[i]->name) == 0) {
				reply = reply_error("%s: [pod] name: \"%s\" is also used by %s", f,
						    specs[i]->name, specs[j]->file);
				goto out;
			}
		struct pod *pod = sv_pod_find(sv, specs[i]->name);
		char dest[PATH_MAX];
		snprintf(dest, sizeof(dest), "%s/%s.pod", sv->pods_dir, specs[i]->name);
		if (pod && strcmp(pod->file, dest) != 0) {
			reply = reply_error("%s: [pod] name: \"%s\" is already defined by %s", f,
					    specs[i]->name, pod->file);
			goto out;
		}
		const char *action = !pod ? "created" : pod_spec_equal_all(pod->spec, specs[i]) ? "unchanged" : "configured";
		json_array_append_new(results, json_pack("{s:s, s:s, s:s}", "file", f, "pod",
							 specs[i]->name, "action", action));
	}
	for (size_t i = 0; i < n && !dry; i++) {
		_cleanup_free_ char *buf = NULL, *name = NULL;
		size_t len;
		berr err = { 0 };
		_cleanup_close_ int dfd = open(sv->pods_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (asprintf(&name, "%s.pod", specs[i]->name) < 0 || dfd < 0 ||
		    read_file_at(AT_FDCWD, specs[i]->file, INI_MAX_FILE_SIZE, &buf, &len, &err) < 0 ||
		    write_file_atomic(dfd, name, buf, len, 0600, &err) < 0) {
			reply = reply_error("Apply %s: %s", specs[i]->file, err.msg[0] ? err.msg : strerror(errno));
			goto out;
		}
	}
	if (!dry) {
		berr err = { 0 };
		if (sv_reconcile(sv, &err) < 0) {
			reply = reply_error("%s", err.msg);
			goto out;
		}
	}
	reply = json_pack("{s:b, s:b, s:O, s:O}", "ok", 1, "dry_run", dry, "results", results,
			  "warnings", warnings);
out:
	json_decref(results);
	json_decref(warnings);
	for (size_t i = 0; i < loaded; i++)
		pod_spec_free(specs[i]);
	return reply;
}

/* Which pods refer to the configs, secrets or volumes of a namespace:
 * {"kind": "volume", "namespace": NS} -> {"users": [{"name", "pod"}...]} */
static json_t *do_store_users(struct sv *sv, json_t *req)
{
	const char *kind = json_string_value(json_object_get(req, "kind"));
	const char *ns = json_string_value(json_object_get(req, "namespace"));
	const char *name = json_string_value(json_object_get(req, "name"));
	if (!kind || !ns || (strcmp(kind, "volume") && strcmp(kind, "config") && strcmp(kind, "secret")))
		return reply_error("store-users: needs kind (volume, config, secret) and namespace");
	json_t *users = json_array();
	for (size_t i = 0; i < sv->npods; i++) {
		const struct pod *pod = sv->pods[i];
		if (strcmp(pod_spec_ns(pod->spec), ns) != 0)
			continue;
		/* a pod's replicas may still run an older spec (a rollout) */
		const struct pod_spec *specs[1 + pod->nreps];
		size_t n = 0;
		specs[n++] = pod->spec;
		for (size_t r = 0; r < pod->nreps; r++)
			if (pod->reps[r]->sref->spec != pod->spec)
				specs[n++] = pod->reps[r]->sref->spec;
		for (size_t s = 0; s < n; s++) {
			const struct pod_spec *ps = specs[s];
			for (size_t c = 0; c < ps->ncontainers; c++) {
				const struct container_spec *cs = &ps->containers[c];
				for (size_t m = 0; !strcmp(kind, "volume") && m < cs->nmounts; m++)
					if (cs->mounts[m].named && (!name || !strcmp(name, cs->mounts[m].source)))
						json_array_append_new(users, json_pack("{s:s, s:s}", "name", cs->mounts[m].source,
										       "pod", pod->name));
				for (size_t m = 0; strcmp(kind, "volume") && m < cs->nobjmounts + cs->nenvfrom; m++) {
					const struct objref_spec *o = m < cs->nobjmounts ? &cs->objmounts[m]
											 : &cs->envfrom[m - cs->nobjmounts];
					if ((o->kind == OBJREF_SECRET) == !strcmp(kind, "secret") &&
					    (!name || !strcmp(name, o->name)))
						json_array_append_new(users, json_pack("{s:s, s:s}", "name", o->name,
										       "pod", pod->name));
				}
			}
		}
	}
	return json_pack("{s:b, s:o}", "ok", 1, "users", users);
}

static json_t *handle(struct sv *sv, const char *line)
{
	json_error_t je;
	_cleanup_(json_decrefp) json_t *req = json_loads(line, 0, &je);
	if (!json_is_object(req))
		return reply_error("Bad request: %s", je.text);
	const char *cmd = json_string_value(json_object_get(req, "cmd"));
	static const struct {
		const char *name;
		json_t *(*fn)(struct sv *, json_t *);
	} cmds[] = { { "get", do_get },	      { "describe", do_describe }, { "scale", do_scale },
		     { "restart", do_restart }, { "delete", do_delete },   { "apply", do_apply },
		     { "store-users", do_store_users } };
	for (size_t i = 0; cmd && i < ARRAY_SIZE(cmds); i++)
		if (strcmp(cmd, cmds[i].name) == 0)
			return cmds[i].fn(sv, req);
	if (cmd && strcmp(cmd, "reload") == 0) {
		sv->dirty_reconcile = true;
		return json_pack("{s:b}", "ok", 1);
	}
	return reply_error("Unknown command \"%s\"", cmd ? cmd : "(none)");
}

void control_on_client(struct sv *sv, struct watch *w)
{
	struct client *c = w->obj;
	ssize_t n = read(w->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		client_close(sv, c);
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	char *nl = strchr(c->buf, '\n');
	if (!nl && c->len < sizeof(c->buf) - 1)
		return;
	if (nl)
		*nl = '\0';
	json_t *reply = nl ? handle(sv, c->buf) : reply_error("Request too long");
	char *out = reply ? json_dumps(reply, JSON_COMPACT) : NULL;
	json_decref(reply);
	if (out) {
		size_t len = strlen(out);
		out[len] = '\n';
		/* the reply fits the socket buffer; a peer that does not read loses it */
		if (send(w->fd, out, len + 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_debug("Control reply lost: %s", strerror(errno));
		free(out);
	}
	client_close(sv, c);
}
