// SPDX-License-Identifier: GPL-2.0-or-later
/* OCI config.json -> struct bspec. See oci_config.h. */
#include <jansson.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli/oci_config.h"
#include "lib/cleanup.h"
#include "lib/strv.h"

/* JSON path of the field being read, for messages ("linux.resources.memory"). */
#define JP_MAX 256

static const char *const hook_names[OCI_HOOK_COUNT] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

const char *oci_hook_name(enum oci_hook_kind k)
{
	return k < OCI_HOOK_COUNT ? hook_names[k] : "?";
}

/* ---- typed getters: absent keys leave *ret alone ------------------------ */

static void jp_join(char *buf, const char *where, const char *key)
{
	if (*where)
		snprintf(buf, JP_MAX, "%s.%s", where, key);
	else
		snprintf(buf, JP_MAX, "%s", key);
}

static int check_keys(json_t *obj, const char *where, const char *const *allowed, berr *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return berr_fail(err, EINVAL, "%s: expected an object", where);
	json_object_foreach(obj, key, v) {
		bool ok = false;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, key) == 0;
		if (!ok) {
			char jp[JP_MAX];
			jp_join(jp, where, key);
			return berr_fail(err, EINVAL, "%s is not supported by berth", jp);
		}
	}
	return 0;
}

static int type_error(const char *where, const char *key, const char *what, berr *err)
{
	char jp[JP_MAX];
	jp_join(jp, where, key);
	return berr_fail(err, EINVAL, "%s: expected %s", jp, what);
}

static int get_str(json_t *obj, const char *where, const char *key, char **ret, berr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return type_error(where, key, "a string", err);
	char *s = strdup(json_string_value(v));
	if (!s)
		return berr_fail(err, ENOMEM, "Out of memory");
	free(*ret);
	*ret = s;
	return 0;
}

static int get_bool(json_t *obj, const char *where, const char *key, bool *ret, berr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return type_error(where, key, "true or false", err);
	*ret = json_is_true(v);
	return 0;
}

static int get_i64(json_t *obj, const char *where, const char *key, int64_t *ret, berr *err)
{
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return type_error(where, key, "an integer", err);
	*ret = json_integer_value(v);
	return 0;
}

static int get_u32(json_t *obj, const char *where, const char *key, uint32_t *ret, berr *err)
{
	int64_t x = -1;
	json_t *v = json_object_get(obj, key);
	if (!v || json_is_null(v))
		return 0;
	if (get_i64(obj, where, key, &x, err) < 0)
		return -err->code;
	if (x < 0 || x > UINT32_MAX)
		return type_error(where, key, "an integer from 0 to 4294967295", err);
	*ret = (uint32_t)x;
	return 0;
}

static int get_strv(json_t *obj, const char *where, const char *key, char ***ret, berr *err)
{
	json_t *v = json_object_get(obj, key), *e;
	_cleanup_strv_ char **out = NULL;
	size_t i;

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return type_error(where, key, "an array of strings", err);
	out = calloc(1, sizeof(char *));
	if (!out)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(v, i, e) {
		if (!json_is_string(e))
			return type_error(where, key, "an array of strings", err);
		if (strv_add(&out, json_string_value(e)) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	strv_free(*ret);
	*ret = TAKE_PTR(out);
	return 0;
}

/* An optional array member: NULL when absent, error when not an array. */
static int get_array(json_t *obj, const char *where, const char *key, json_t **ret, berr *err)
{
	json_t *v = json_object_get(obj, key);
	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return type_error(where, key, "an array", err);
	*ret = v;
	return 0;
}

static int get_object(json_t *obj, const char *where, const char *key, json_t **ret, berr *err)
{
	json_t *v = json_object_get(obj, key);
	*ret = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return type_error(where, key, "an object", err);
	*ret = v;
	return 0;
}

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int r_ = (x);                                                                      \
		if (r_ < 0)                                                                        \
			return r_;                                                                 \
	} while (0)

/* Grow an array of N elements of SIZE by one zeroed element. */
static void *grow(void *arr, size_t *n, size_t size)
{
	char *p = realloc(arr, (*n + 1) * size);
	if (!p)
		return NULL;
	memset(p + *n * size, 0, size);
	(*n)++;
	return p;
}

/* ---- capabilities ------------------------------------------------------- */

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
	"SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
	"NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
	"SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
	"MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ",
	"PERFMON", "BPF", "CHECKPOINT_RESTORE",
};

int oci_cap_last(void)
{
	return (int)ARRAY_SIZE(cap_names) - 1;
}

int oci_cap_from_name(const char *name)
{
	if (strncasecmp(name, "CAP_", 4) == 0)
		name += 4;
	for (size_t i = 0; i < ARRAY_SIZE(cap_names); i++)
		if (strcasecmp(cap_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *oci_cap_name(int cap)
{
	static char buf[32];
	if (cap < 0 || cap > oci_cap_last())
		return NULL;
	snprintf(buf, sizeof(buf), "CAP_%s", cap_names[cap]);
	return buf;
}

static int parse_capset(json_t *caps, const char *key, uint64_t *ret, berr *err)
{
	json_t *arr, *e;
	size_t i;
	uint64_t m = 0;

	TRY(get_array(caps, "process.capabilities", key, &arr, err));
	if (!arr)
		return 0;
	json_array_foreach(arr, i, e) {
		int c = json_is_string(e) ? oci_cap_from_name(json_string_value(e)) : -1;
		if (!json_is_string(e))
			return type_error("process.capabilities", key, "an array of strings", err);
		if (c < 0)
			return berr_fail(err, EINVAL, "process.capabilities.%s: unknown capability \"%s\"",
					 key, json_string_value(e));
		m |= 1ULL << c;
	}
	*ret = m;
	return 0;
}

static int parse_caps(json_t *proc, struct bspec_caps *caps, berr *err)
{
	static const char *const keys[] = { "bounding", "effective", "inheritable", "permitted",
					    "ambient", NULL };
	json_t *c;

	TRY(get_object(proc, "process", "capabilities", &c, err));
	if (!c)
		return 0;
	TRY(check_keys(c, "process.capabilities", keys, err));
	*caps = (struct bspec_caps){ 0 };
	TRY(parse_capset(c, "bounding", &caps->bounding, err));
	TRY(parse_capset(c, "effective", &caps->effective, err));
	TRY(parse_capset(c, "inheritable", &caps->inheritable, err));
	TRY(parse_capset(c, "permitted", &caps->permitted, err));
	TRY(parse_capset(c, "ambient", &caps->ambient, err));
	return 0;
}

/* ---- process -------------------------------------------------------------- */

static const struct {
	const char *name;
	int res;
} rlimit_names[] = {
	{ "RLIMIT_CPU", RLIMIT_CPU },		{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_DATA", RLIMIT_DATA },		{ "RLIMIT_STACK", RLIMIT_STACK },
	{ "RLIMIT_CORE", RLIMIT_CORE },		{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE }, { "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
};

static int parse_rlimits(json_t *proc, struct bspec_process *p, berr *err)
{
	static const char *const keys[] = { "type", "soft", "hard", NULL };
	json_t *arr, *e;
	size_t i;

	TRY(get_array(proc, "process", "rlimits", &arr, err));
	if (!arr)
		return 0;
	free(p->rlimits);
	p->rlimits = NULL;
	p->nrlimits = 0;
	json_array_foreach(arr, i, e) {
		_cleanup_free_ char *type = NULL;
		int64_t soft = -1, hard = -1;
		int res = -1;

		TRY(check_keys(e, "process.rlimits[]", keys, err));
		TRY(get_str(e, "process.rlimits[]", "type", &type, err));
		TRY(get_i64(e, "process.rlimits[]", "soft", &soft, err));
		TRY(get_i64(e, "process.rlimits[]", "hard", &hard, err));
		if (!type)
			return berr_fail(err, EINVAL, "process.rlimits[%zu].type is missing", i);
		for (size_t j = 0; j < ARRAY_SIZE(rlimit_names) && res < 0; j++)
			if (strcmp(rlimit_names[j].name, type) == 0)
				res = rlimit_names[j].res;
		if (res < 0)
			return berr_fail(err, EINVAL, "process.rlimits: unknown type \"%s\"", type);
		for (size_t j = 0; j < p->nrlimits; j++)
			if (p->rlimits[j].resource == res)
				return berr_fail(err, EINVAL, "process.rlimits: \"%s\" given twice", type);
		struct bspec_rlimit *n = grow(p->rlimits, &p->nrlimits, sizeof(*n));
		if (!n)
			return berr_fail(err, ENOMEM, "Out of memory");
		p->rlimits = n;
		/* -1 in JSON (Go's uint64 max written signed) means unlimited */
		n[p->nrlimits - 1] = (struct bspec_rlimit){ res, soft < 0 ? RLIM_INFINITY : (uint64_t)soft,
							    hard < 0 ? RLIM_INFINITY : (uint64_t)hard };
	}
	return 0;
}

static int parse_user(json_t *proc, struct bspec_process *p, int *umask, berr *err)
{
	static const char *const keys[] = { "uid", "gid", "additionalGids", "umask", NULL };
	json_t *u, *arr, *e;
	size_t i;

	TRY(get_object(proc, "process", "user", &u, err));
	if (!u)
		return 0;
	TRY(check_keys(u, "process.user", keys, err));
	/* berth-oci applies the umask to itself: the payload inherits it */
	uint32_t uid = p->uid, gid = p->gid, mask = 0;
	if (json_object_get(u, "umask")) {
		TRY(get_u32(u, "process.user", "umask", &mask, err));
		if (mask > 0777)
			return berr_fail(err, EINVAL, "process.user.umask: %o is not a umask", mask);
		*umask = (int)mask;
	}
	TRY(get_u32(u, "process.user", "uid", &uid, err));
	TRY(get_u32(u, "process.user", "gid", &gid, err));
	p->uid = uid;
	p->gid = gid;
	TRY(get_array(u, "process.user", "additionalGids", &arr, err));
	if (!arr)
		return 0;
	free(p->groups);
	p->ngroups = json_array_size(arr);
	p->groups = calloc(p->ngroups + 1, sizeof(gid_t));
	if (!p->groups)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0 || json_integer_value(e) > UINT32_MAX)
			return type_error("process.user", "additionalGids", "an array of gids", err);
		p->groups[i] = (gid_t)json_integer_value(e);
	}
	return 0;
}

/* An LSM label can only be accepted when empty: berth does not apply them. */
static int reject_label(json_t *obj, const char *where, const char *key, berr *err)
{
	json_t *v = json_object_get(obj, key);
	if (v && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v)))
		return berr_fail(err, EINVAL, "%s.%s is not supported by berth (no LSM support)", where,
				 key);
	return 0;
}

static int parse_process_obj(json_t *proc, struct bspec_process *p, int *umask, berr *err)
{
	static const char *const keys[] = { "terminal", "consoleSize", "user", "args", "env",
					    "cwd", "capabilities", "rlimits", "noNewPrivileges",
					    "apparmorProfile", "oomScoreAdj", "selinuxLabel", NULL };
	static const char *const size_keys[] = { "height", "width", NULL };
	json_t *cs;
	int64_t oom = 0;

	TRY(check_keys(proc, "process", keys, err));
	TRY(get_bool(proc, "process", "terminal", &p->terminal, err));
	/* The pty goes to the client (console socket), which sizes it itself. */
	TRY(get_object(proc, "process", "consoleSize", &cs, err));
	if (cs)
		TRY(check_keys(cs, "process.consoleSize", size_keys, err));
	TRY(parse_user(proc, p, umask, err));
	TRY(get_strv(proc, "process", "args", &p->args, err));
	TRY(get_strv(proc, "process", "env", &p->env, err));
	TRY(get_str(proc, "process", "cwd", &p->cwd, err));
	if (p->cwd && p->cwd[0] != '/')
		return berr_fail(err, EINVAL, "process.cwd: \"%s\" is not an absolute path", p->cwd);
	TRY(parse_caps(proc, &p->caps, err));
	TRY(parse_rlimits(proc, p, err));
	TRY(get_bool(proc, "process", "noNewPrivileges", &p->no_new_privs, err));
	TRY(reject_label(proc, "process", "apparmorProfile", err));
	TRY(reject_label(proc, "process", "selinuxLabel", err));
	if (json_object_get(proc, "oomScoreAdj")) {
		TRY(get_i64(proc, "process", "oomScoreAdj", &oom, err));
		if (oom < -1000 || oom > 1000)
			return berr_fail(err, EINVAL, "process.oomScoreAdj: %lld is not in -1000..1000",
					 (long long)oom);
		p->oom_score_adj = (int)oom;
		p->oom_score_adj_set = true;
	}
	return 0;
}

/* ---- mounts ------------------------------------------------------------- */

static const struct {
	const char *name;
	unsigned long set, clear;
	unsigned long propagation;
} mount_opts[] = {
	{ "ro", MS_RDONLY, 0, 0 },
	{ "rw", 0, MS_RDONLY, 0 },
	{ "suid", 0, MS_NOSUID, 0 },
	{ "nosuid", MS_NOSUID, 0, 0 },
	{ "dev", 0, MS_NODEV, 0 },
	{ "nodev", MS_NODEV, 0, 0 },
	{ "exec", 0, MS_NOEXEC, 0 },
	{ "noexec", MS_NOEXEC, 0, 0 },
	{ "sync", MS_SYNCHRONOUS, 0, 0 },
	{ "async", 0, MS_SYNCHRONOUS, 0 },
	{ "dirsync", MS_DIRSYNC, 0, 0 },
	{ "remount", MS_REMOUNT, 0, 0 },
	{ "mand", MS_MANDLOCK, 0, 0 },
	{ "nomand", 0, MS_MANDLOCK, 0 },
	{ "atime", 0, MS_NOATIME, 0 },
	{ "noatime", MS_NOATIME, 0, 0 },
	{ "diratime", 0, MS_NODIRATIME, 0 },
	{ "nodiratime", MS_NODIRATIME, 0, 0 },
	{ "relatime", MS_RELATIME, 0, 0 },
	{ "norelatime", 0, MS_RELATIME, 0 },
	{ "strictatime", MS_STRICTATIME, 0, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME, 0 },
	{ "bind", MS_BIND, 0, 0 },
	{ "rbind", MS_BIND | MS_REC, 0, 0 },
	{ "private", 0, 0, MS_PRIVATE },
	{ "rprivate", 0, 0, MS_PRIVATE | MS_REC },
	{ "shared", 0, 0, MS_SHARED },
	{ "rshared", 0, 0, MS_SHARED | MS_REC },
	{ "slave", 0, 0, MS_SLAVE },
	{ "rslave", 0, 0, MS_SLAVE | MS_REC },
	{ "unbindable", 0, 0, MS_UNBINDABLE },
	{ "runbindable", 0, 0, MS_UNBINDABLE | MS_REC },
};

/* Options that change what a mount is, which berth does not implement. */
static const char *const unsupported_mount_opts[] = {
	"tmpcopyup", "idmap", "ridmap", "copy-symlink", "rro", "rrw", "rnosuid", "rnodev",
	"rnoexec", "rnoatime", "rrelatime", "rstrictatime", "nosymfollow", NULL,
};

static int add_data(char **data, const char *opt)
{
	char *n;
	if (asprintf(&n, "%s%s%s", *data ? *data : "", *data ? "," : "", opt) < 0)
		return -ENOMEM;
	free(*data);
	*data = n;
	return 0;
}

static int parse_mount_options(json_t *m, size_t idx, struct bspec_mount *bm, berr *err)
{
	_cleanup_strv_ char **opts = NULL;

	TRY(get_strv(m, "mounts[]", "options", &opts, err));
	for (char **o = opts; o && *o; o++) {
		bool known = false;
		for (const char *const *u = unsupported_mount_opts; *u; u++)
			if (strcmp(*u, *o) == 0)
				return berr_fail(err, EINVAL,
						 "mounts[%zu] (\"%s\"): option \"%s\" is not supported by berth",
						 idx, bm->target, *o);
		for (size_t i = 0; i < ARRAY_SIZE(mount_opts) && !known; i++) {
			if (strcmp(mount_opts[i].name, *o) != 0)
				continue;
			known = true;
			bm->flags = (bm->flags | mount_opts[i].set) & ~mount_opts[i].clear;
			if (mount_opts[i].propagation)
				bm->propagation = mount_opts[i].propagation;
		}
		/* anything else is file-system data, as runc and crun do ("mode=755") */
		if (!known && add_data(&bm->data, *o) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

static int parse_mount(json_t *m, size_t idx, struct bspec_mount *bm, berr *err)
{
	static const char *const keys[] = { "destination", "type", "source", "options", NULL };
	struct stat st;

	if (!json_is_object(m))
		return berr_fail(err, EINVAL, "mounts[%zu]: expected an object", idx);
	if (json_object_get(m, "uidMappings") || json_object_get(m, "gidMappings"))
		return berr_fail(err, EINVAL, "mounts[%zu]: idmapped mounts are not supported by berth",
				 idx);
	TRY(check_keys(m, "mounts[]", keys, err));
	TRY(get_str(m, "mounts[]", "destination", &bm->target, err));
	TRY(get_str(m, "mounts[]", "type", &bm->fstype, err));
	TRY(get_str(m, "mounts[]", "source", &bm->source, err));
	if (!bm->target || bm->target[0] != '/')
		return berr_fail(err, EINVAL, "mounts[%zu].destination: \"%s\" is not an absolute path",
				 idx, bm->target ? bm->target : "");
	TRY(parse_mount_options(m, idx, bm, err));
	if (bm->flags & MS_BIND) {
		bm->kind = BMNT_BIND;
		if (!bm->source)
			return berr_fail(err, EINVAL, "mounts[%zu] (\"%s\"): a bind mount needs a source",
					 idx, bm->target);
		/* a file bind needs a file as its target */
		bm->create_file = stat(bm->source, &st) == 0 && !S_ISDIR(st.st_mode);
	} else if (bm->fstype && strcmp(bm->fstype, "cgroup") == 0) {
		/* berth is cgroup v2 only: the container's view of its cgroup is cgroup2
		 * (runc/crun do the same on a unified host) */
		bm->kind = BMNT_OTHER;
		free(bm->fstype);
		if (!(bm->fstype = strdup("cgroup2")))
			return berr_fail(err, ENOMEM, "Out of memory");
		free(bm->data);
		bm->data = NULL;
	} else if (bm->fstype && strcmp(bm->fstype, "tmpfs") == 0) {
		bm->kind = BMNT_TMPFS;
	} else {
		bm->kind = BMNT_OTHER;
		if (!bm->fstype || !*bm->fstype)
			return berr_fail(err, EINVAL, "mounts[%zu] (\"%s\"): type is missing", idx,
					 bm->target);
	}
	return 0;
}

static int parse_mounts(json_t *root, struct bspec *s, berr *err)
{
	json_t *arr, *e;
	size_t i;

	TRY(get_array(root, "", "mounts", &arr, err));
	if (!arr)
		return 0;
	s->mounts = calloc(json_array_size(arr) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		s->nmounts = i + 1;
		TRY(parse_mount(e, i, &s->mounts[i], err));
	}
	return 0;
}

static int parse_propagation(const char *v, unsigned long *ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(mount_opts); i++)
		if (mount_opts[i].propagation && strcmp(mount_opts[i].name, v) == 0) {
			*ret = mount_opts[i].propagation;
			return 0;
		}
	return -EINVAL;
}

/* ---- linux: namespaces, id maps, devices, sysctl ------------------------- */

static const char *const ns_names[BNS_COUNT] = {
	[BNS_MOUNT] = "mount", [BNS_PID] = "pid",	  [BNS_UTS] = "uts",  [BNS_IPC] = "ipc",
	[BNS_NET] = "network", [BNS_CGROUP] = "cgroup", [BNS_USER] = "user", [BNS_TIME] = "time",
};

static int parse_namespaces(json_t *lx, struct bspec *s, berr *err)
{
	static const char *const keys[] = { "type", "path", NULL };
	bool seen[BNS_COUNT] = { 0 };
	json_t *arr, *e;
	size_t i;

	for (int t = 0; t < BNS_COUNT; t++)
		s->ns[t] = (struct bspec_ns){ .create = false, .join_path = NULL, .join_fd = -1 };
	TRY(get_array(lx, "linux", "namespaces", &arr, err));
	if (!arr)
		return 0;
	json_array_foreach(arr, i, e) {
		_cleanup_free_ char *type = NULL, *path = NULL;
		int t = -1;

		TRY(check_keys(e, "linux.namespaces[]", keys, err));
		TRY(get_str(e, "linux.namespaces[]", "type", &type, err));
		TRY(get_str(e, "linux.namespaces[]", "path", &path, err));
		for (int k = 0; k < BNS_COUNT && type; k++)
			if (strcmp(ns_names[k], type) == 0)
				t = k;
		if (t < 0)
			return berr_fail(err, EINVAL, "linux.namespaces[%zu]: unknown namespace type \"%s\"",
					 i, type ? type : "");
		if (seen[t])
			return berr_fail(err, EINVAL, "linux.namespaces: \"%s\" given twice", type);
		seen[t] = true;
		if (path && *path) {
			if (path[0] != '/')
				return berr_fail(err, EINVAL,
						 "linux.namespaces[%zu].path: \"%s\" is not an absolute path",
						 i, path);
			s->ns[t].join_path = TAKE_PTR(path);
		} else {
			s->ns[t].create = true;
		}
	}
	return 0;
}

static int parse_idmap(json_t *lx, const char *key, struct bspec_idmap **ret, size_t *ret_n,
		       berr *err)
{
	static const char *const keys[] = { "containerID", "hostID", "size", NULL };
	json_t *arr, *e;
	size_t i;
	char where[64];

	snprintf(where, sizeof(where), "linux.%s[]", key);
	TRY(get_array(lx, "linux", key, &arr, err));
	if (!arr)
		return 0;
	*ret = calloc(json_array_size(arr) + 1, sizeof(**ret));
	if (!*ret)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		struct bspec_idmap *m = &(*ret)[i];
		TRY(check_keys(e, where, keys, err));
		if (!json_object_get(e, "containerID") || !json_object_get(e, "hostID") ||
		    !json_object_get(e, "size"))
			return berr_fail(err, EINVAL, "linux.%s[%zu]: containerID, hostID and size are required",
					 key, i);
		TRY(get_u32(e, where, "containerID", &m->container_id, err));
		TRY(get_u32(e, where, "hostID", &m->host_id, err));
		TRY(get_u32(e, where, "size", &m->size, err));
		*ret_n = i + 1;
	}
	return 0;
}

static int parse_dev_type(const char *where, const char *t, bool rule, char *ret, berr *err)
{
	if (t && strlen(t) == 1 && strchr(rule ? "acb" : "cbup", t[0])) {
		*ret = t[0] == 'u' ? 'c' : t[0];
		return 0;
	}
	return berr_fail(err, EINVAL, "%s.type: \"%s\" is not one of %s", where, t ? t : "",
			 rule ? "a, c, b" : "c, b, u, p");
}

static int parse_devices(json_t *lx, struct bspec *s, berr *err)
{
	static const char *const keys[] = { "type", "path", "major", "minor", "fileMode", "uid",
					    "gid", NULL };
	json_t *arr, *e;
	size_t i;

	TRY(get_array(lx, "linux", "devices", &arr, err));
	if (!arr)
		return 0;
	s->devices = calloc(json_array_size(arr) + 1, sizeof(*s->devices));
	if (!s->devices)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		struct bspec_device *d = &s->devices[i];
		_cleanup_free_ char *type = NULL;
		uint32_t mode = 0, uid = 0, gid = 0;

		s->ndevices = i + 1;
		d->major = d->minor = 0;
		TRY(check_keys(e, "linux.devices[]", keys, err));
		TRY(get_str(e, "linux.devices[]", "path", &d->path, err));
		TRY(get_str(e, "linux.devices[]", "type", &type, err));
		if (!d->path || d->path[0] != '/')
			return berr_fail(err, EINVAL, "linux.devices[%zu].path: expected an absolute path", i);
		TRY(parse_dev_type("linux.devices[]", type, false, &d->type, err));
		TRY(get_i64(e, "linux.devices[]", "major", &d->major, err));
		TRY(get_i64(e, "linux.devices[]", "minor", &d->minor, err));
		if (d->type != 'p' && (!json_object_get(e, "major") || !json_object_get(e, "minor")))
			return berr_fail(err, EINVAL, "linux.devices[%zu] (\"%s\"): major and minor are required",
					 i, d->path);
		TRY(get_u32(e, "linux.devices[]", "fileMode", &mode, err));
		TRY(get_u32(e, "linux.devices[]", "uid", &uid, err));
		TRY(get_u32(e, "linux.devices[]", "gid", &gid, err));
		d->mode = mode & 07777;
		d->uid = uid;
		d->gid = gid;
	}
	return 0;
}

static int parse_sysctl(json_t *lx, struct bspec *s, berr *err)
{
	json_t *obj, *v;
	const char *key;

	TRY(get_object(lx, "linux", "sysctl", &obj, err));
	if (!obj)
		return 0;
	s->sysctls = calloc(json_object_size(obj) + 1, sizeof(*s->sysctls));
	if (!s->sysctls)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_object_foreach(obj, key, v) {
		if (!json_is_string(v))
			return type_error("linux.sysctl", key, "a string", err);
		struct bspec_sysctl *sc = &s->sysctls[s->nsysctls++];
		sc->key = strdup(key);
		sc->value = strdup(json_string_value(v));
		if (!sc->key || !sc->value)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

/* ---- linux.resources -------------------------------------------------------- */

int64_t oci_cpu_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return BSPEC_UNSET;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + (int64_t)((shares - 2) * 9999) / 262142;
}

/* Keys that exist in the OCI spec but berth cannot honour: an error when
 * present with a non-default value. */
static int reject_set(json_t *obj, const char *where, const char *const *keys, berr *err)
{
	for (const char *const *k = keys; *k; k++) {
		json_t *v = json_object_get(obj, *k);
		if (!v || json_is_null(v) || json_is_false(v) ||
		    (json_is_array(v) && json_array_size(v) == 0) ||
		    (json_is_integer(v) && json_integer_value(v) == 0))
			continue;
		char jp[JP_MAX];
		jp_join(jp, where, *k);
		return berr_fail(err, EINVAL, "%s is not supported by berth", jp);
	}
	return 0;
}

static int parse_memory(json_t *res, struct bspec_cgroup *cg, berr *err)
{
	static const char *const keys[] = { "limit", "reservation", "swap", "kernel", "kernelTCP",
					    "swappiness", "disableOOMKiller", "useHierarchy",
					    "checkBeforeUpdate", NULL };
	static const char *const unsupported[] = { "kernel", "kernelTCP", "disableOOMKiller", NULL };
	const char *w = "linux.resources.memory";
	json_t *m;
	int64_t limit = BSPEC_UNSET, resv = BSPEC_UNSET, swap = BSPEC_UNSET;

	TRY(get_object(res, "linux.resources", "memory", &m, err));
	if (!m)
		return 0;
	TRY(check_keys(m, w, keys, err));
	TRY(reject_set(m, w, unsupported, err));
	/* swappiness does not exist in cgroup v2; podman sends 0 or -1 by default */
	json_t *sw = json_object_get(m, "swappiness");
	if (sw && !json_is_null(sw) && !(json_is_integer(sw) && (json_integer_value(sw) == 0 || json_integer_value(sw) == -1 ||
					(uint64_t)json_integer_value(sw) == UINT64_MAX)))
		return berr_fail(err, EINVAL, "%s.swappiness is not supported by berth (cgroup v2 has none)", w);
	TRY(get_i64(m, w, "limit", &limit, err));
	TRY(get_i64(m, w, "reservation", &resv, err));
	TRY(get_i64(m, w, "swap", &swap, err));
	cg->memory_max = limit > 0 ? limit : BSPEC_UNSET;
	cg->memory_low = resv > 0 ? resv : BSPEC_UNSET;
	/* OCI swap is memory+swap (v1 memsw); v2 memory.swap.max is swap alone */
	if (swap > 0 && limit > 0) {
		if (swap < limit)
			return berr_fail(err, EINVAL, "%s.swap: %lld is below the memory limit %lld", w,
					 (long long)swap, (long long)limit);
		cg->memory_swap_max = swap - limit;
	} else if (swap > 0) {
		return berr_fail(err, EINVAL, "%s.swap needs a memory limit", w);
	}
	return 0;
}

static int parse_cpu(json_t *res, struct bspec_cgroup *cg, berr *err)
{
	static const char *const keys[] = { "shares", "quota", "burst", "period", "realtimeRuntime",
					    "realtimePeriod", "cpus", "mems", "idle", NULL };
	static const char *const unsupported[] = { "burst", "realtimeRuntime", "realtimePeriod",
						   "idle", NULL };
	const char *w = "linux.resources.cpu";
	json_t *c;
	int64_t shares = 0, quota = 0, period = 0;

	TRY(get_object(res, "linux.resources", "cpu", &c, err));
	if (!c)
		return 0;
	TRY(check_keys(c, w, keys, err));
	TRY(reject_set(c, w, unsupported, err));
	TRY(get_i64(c, w, "shares", &shares, err));
	TRY(get_i64(c, w, "quota", &quota, err));
	TRY(get_i64(c, w, "period", &period, err));
	if (shares < 0)
		return berr_fail(err, EINVAL, "%s.shares: %lld is negative", w, (long long)shares);
	cg->cpu_weight = oci_cpu_shares_to_weight((uint64_t)shares);
	if (quota > 0)
		cg->cpu_quota_us = quota;
	if (period > 0)
		cg->cpu_period_us = period;
	TRY(get_str(c, w, "cpus", &cg->cpuset_cpus, err));
	TRY(get_str(c, w, "mems", &cg->cpuset_mems, err));
	return 0;
}

static int parse_devrules(json_t *res, struct bspec_cgroup *cg, berr *err)
{
	static const char *const keys[] = { "allow", "type", "major", "minor", "access", NULL };
	const char *w = "linux.resources.devices[]";
	json_t *arr, *e;
	size_t i;

	TRY(get_array(res, "linux.resources", "devices", &arr, err));
	if (!arr)
		return 0;
	cg->devrules = calloc(json_array_size(arr) + 1, sizeof(*cg->devrules));
	if (!cg->devrules)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		struct bspec_devrule *r = &cg->devrules[i];
		_cleanup_free_ char *type = NULL, *access = NULL;

		cg->ndevrules = i + 1;
		r->major = r->minor = -1;
		r->type = 'a';
		TRY(check_keys(e, w, keys, err));
		if (!json_is_boolean(json_object_get(e, "allow")))
			return berr_fail(err, EINVAL, "linux.resources.devices[%zu].allow: expected true or false", i);
		TRY(get_bool(e, w, "allow", &r->allow, err));
		TRY(get_str(e, w, "type", &type, err));
		if (type)
			TRY(parse_dev_type(w, type, true, &r->type, err));
		TRY(get_i64(e, w, "major", &r->major, err));
		TRY(get_i64(e, w, "minor", &r->minor, err));
		TRY(get_str(e, w, "access", &access, err));
		if (!access || !*access) {
			strcpy(r->access, "rwm");
		} else if (strlen(access) > 3 || strspn(access, "rwm") != strlen(access)) {
			return berr_fail(err, EINVAL, "linux.resources.devices[%zu].access: \"%s\" is not a subset of rwm",
					 i, access);
		} else {
			strcpy(r->access, access);
		}
	}
	return 0;
}

static int parse_unified(json_t *res, struct bspec_cgroup *cg, berr *err)
{
	json_t *obj, *v;
	const char *key;

	TRY(get_object(res, "linux.resources", "unified", &obj, err));
	if (!obj)
		return 0;
	cg->unified = calloc(1, sizeof(char *));
	if (!cg->unified)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_object_foreach(obj, key, v) {
		char *kv;
		if (!json_is_string(v))
			return type_error("linux.resources.unified", key, "a string", err);
		if (strchr(key, '/') || key[0] == '.')
			return berr_fail(err, EINVAL, "linux.resources.unified: \"%s\" is not a cgroup file", key);
		if (asprintf(&kv, "%s=%s", key, json_string_value(v)) < 0 || strv_push(&cg->unified, kv) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

static int parse_resources(json_t *lx, struct bspec_cgroup *cg, berr *err)
{
	static const char *const keys[] = { "devices", "memory", "cpu", "pids", "blockIO",
					    "hugepageLimits", "network", "rdma", "unified", NULL };
	static const char *const unsupported[] = { "hugepageLimits", "rdma", NULL };
	static const char *const pid_keys[] = { "limit", NULL };
	static const char *const bio_keys[] = { "weight", "leafWeight", "weightDevice",
						"throttleReadBpsDevice", "throttleWriteBpsDevice",
						"throttleReadIOPSDevice", "throttleWriteIOPSDevice", NULL };
	json_t *res, *o;

	TRY(get_object(lx, "linux", "resources", &res, err));
	if (!res)
		return 0;
	TRY(check_keys(res, "linux.resources", keys, err));
	TRY(reject_set(res, "linux.resources", unsupported, err));
	TRY(get_object(res, "linux.resources", "network", &o, err));
	if (o && json_object_size(o))
		return berr_fail(err, EINVAL, "linux.resources.network is not supported by berth");
	TRY(parse_devrules(res, cg, err));
	TRY(parse_memory(res, cg, err));
	TRY(parse_cpu(res, cg, err));
	TRY(get_object(res, "linux.resources", "pids", &o, err));
	if (o) {
		int64_t limit = 0;
		TRY(check_keys(o, "linux.resources.pids", pid_keys, err));
		TRY(get_i64(o, "linux.resources.pids", "limit", &limit, err));
		cg->pids_max = limit > 0 ? limit : BSPEC_UNSET;
	}
	TRY(get_object(res, "linux.resources", "blockIO", &o, err));
	if (o) {
		static const char *const bio_unsupported[] = { "leafWeight", "weightDevice",
							       "throttleReadBpsDevice", "throttleWriteBpsDevice",
							       "throttleReadIOPSDevice", "throttleWriteIOPSDevice",
							       NULL };
		int64_t w = 0;
		TRY(check_keys(o, "linux.resources.blockIO", bio_keys, err));
		TRY(reject_set(o, "linux.resources.blockIO", bio_unsupported, err));
		TRY(get_i64(o, "linux.resources.blockIO", "weight", &w, err));
		if (w < 0 || w > 1000)
			return berr_fail(err, EINVAL, "linux.resources.blockIO.weight: %lld is not in 10..1000",
					 (long long)w);
		/* blkio.weight 10..1000 -> io.weight 1..10000, as runc's ConvertBlkIOToIOWeightValue */
		cg->io_weight = w ? 1 + (w - 10) * 9999 / 990 : BSPEC_UNSET;
		if (cg->io_weight != BSPEC_UNSET && cg->io_weight < 1)
			cg->io_weight = 1;
	}
	return parse_unified(res, cg, err);
}

/* ---- linux.seccomp ---------------------------------------------------------- */

static const struct {
	const char *name;
	enum bsec_action action;
} seccomp_actions[] = {
	{ "SCMP_ACT_ALLOW", BSEC_ALLOW },
	{ "SCMP_ACT_ERRNO", BSEC_ERRNO },
	{ "SCMP_ACT_KILL", BSEC_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", BSEC_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", BSEC_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", BSEC_TRAP },
	{ "SCMP_ACT_TRACE", BSEC_TRACE },
	{ "SCMP_ACT_LOG", BSEC_LOG },
};

static const struct {
	const char *name;
	enum bsec_op op;
} seccomp_ops[] = {
	{ "SCMP_CMP_NE", BSEC_OP_NE }, { "SCMP_CMP_LT", BSEC_OP_LT },
	{ "SCMP_CMP_LE", BSEC_OP_LE }, { "SCMP_CMP_EQ", BSEC_OP_EQ },
	{ "SCMP_CMP_GE", BSEC_OP_GE }, { "SCMP_CMP_GT", BSEC_OP_GT },
	{ "SCMP_CMP_MASKED_EQ", BSEC_OP_MASKED_EQ },
};

/* SCMP_ARCH_* -> libseccomp's seccomp_arch_resolve_name() names */
static const struct {
	const char *oci, *name;
} seccomp_archs[] = {
	{ "SCMP_ARCH_X86", "x86" },		{ "SCMP_ARCH_X86_64", "x86_64" },
	{ "SCMP_ARCH_X32", "x32" },		{ "SCMP_ARCH_ARM", "arm" },
	{ "SCMP_ARCH_AARCH64", "aarch64" },	{ "SCMP_ARCH_MIPS", "mips" },
	{ "SCMP_ARCH_MIPS64", "mips64" },	{ "SCMP_ARCH_MIPS64N32", "mips64n32" },
	{ "SCMP_ARCH_MIPSEL", "mipsel" },	{ "SCMP_ARCH_MIPSEL64", "mipsel64" },
	{ "SCMP_ARCH_MIPSEL64N32", "mipsel64n32" }, { "SCMP_ARCH_PPC", "ppc" },
	{ "SCMP_ARCH_PPC64", "ppc64" },		{ "SCMP_ARCH_PPC64LE", "ppc64le" },
	{ "SCMP_ARCH_S390", "s390" },		{ "SCMP_ARCH_S390X", "s390x" },
	{ "SCMP_ARCH_PARISC", "parisc" },	{ "SCMP_ARCH_PARISC64", "parisc64" },
	{ "SCMP_ARCH_RISCV64", "riscv64" },	{ "SCMP_ARCH_LOONGARCH64", "loongarch64" },
};

static const struct {
	const char *name;
	unsigned flag;
} seccomp_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
};

static int seccomp_action(const char *where, const char *v, enum bsec_action *ret, berr *err)
{
	for (size_t i = 0; v && i < ARRAY_SIZE(seccomp_actions); i++)
		if (strcmp(seccomp_actions[i].name, v) == 0) {
			*ret = seccomp_actions[i].action;
			return 0;
		}
	if (v && strcmp(v, "SCMP_ACT_NOTIFY") == 0)
		return berr_fail(err, EINVAL, "%s: SCMP_ACT_NOTIFY is not supported by berth", where);
	return berr_fail(err, EINVAL, "%s: unknown seccomp action \"%s\"", where, v ? v : "");
}

static int parse_seccomp_args(json_t *sc, size_t idx, struct bspec_seccomp_rule *r, berr *err)
{
	static const char *const keys[] = { "index", "value", "valueTwo", "op", NULL };
	const char *w = "linux.seccomp.syscalls[].args[]";
	json_t *arr, *e;
	size_t i;

	TRY(get_array(sc, "linux.seccomp.syscalls[]", "args", &arr, err));
	if (!arr)
		return 0;
	r->args = calloc(json_array_size(arr) + 1, sizeof(*r->args));
	if (!r->args)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		struct bspec_seccomp_arg *a = &r->args[i];
		_cleanup_free_ char *op = NULL;
		int64_t index = -1, v1 = 0, v2 = 0;
		bool found = false;

		TRY(check_keys(e, w, keys, err));
		TRY(get_i64(e, w, "index", &index, err));
		TRY(get_i64(e, w, "value", &v1, err));
		TRY(get_i64(e, w, "valueTwo", &v2, err));
		TRY(get_str(e, w, "op", &op, err));
		if (index < 0 || index > 5)
			return berr_fail(err, EINVAL, "linux.seccomp.syscalls[%zu].args[%zu].index: must be 0..5",
					 idx, i);
		for (size_t k = 0; op && k < ARRAY_SIZE(seccomp_ops) && !found; k++)
			if (strcmp(seccomp_ops[k].name, op) == 0) {
				a->op = seccomp_ops[k].op;
				found = true;
			}
		if (!found)
			return berr_fail(err, EINVAL, "linux.seccomp.syscalls[%zu].args[%zu]: unknown op \"%s\"",
					 idx, i, op ? op : "");
		a->index = (unsigned)index;
		a->value = (uint64_t)v1;
		a->value2 = (uint64_t)v2;
		r->nargs = i + 1;
	}
	return 0;
}

static int parse_seccomp_rules(json_t *sc, struct bspec_seccomp *s, berr *err)
{
	static const char *const keys[] = { "names", "action", "errnoRet", "args", NULL };
	const char *w = "linux.seccomp.syscalls[]";
	json_t *arr, *e;
	size_t i;

	TRY(get_array(sc, "linux.seccomp", "syscalls", &arr, err));
	if (!arr)
		return 0;
	s->rules = calloc(json_array_size(arr) + 1, sizeof(*s->rules));
	if (!s->rules)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_array_foreach(arr, i, e) {
		struct bspec_seccomp_rule *r = &s->rules[i];
		_cleanup_free_ char *action = NULL;
		int64_t ret = EPERM;
		char where[64];

		s->nrules = i + 1;
		TRY(check_keys(e, w, keys, err));
		TRY(get_strv(e, w, "names", &r->names, err));
		if (!r->names || !r->names[0])
			return berr_fail(err, EINVAL, "linux.seccomp.syscalls[%zu].names is empty", i);
		TRY(get_str(e, w, "action", &action, err));
		snprintf(where, sizeof(where), "linux.seccomp.syscalls[%zu].action", i);
		TRY(seccomp_action(where, action, &r->action, err));
		TRY(get_i64(e, w, "errnoRet", &ret, err));
		r->errno_ret = (int)ret;
		TRY(parse_seccomp_args(e, i, r, err));
	}
	return 0;
}

static int parse_seccomp_meta(json_t *sc, struct bspec_seccomp *s, berr *err)
{
	json_t *arr, *e;
	size_t i;

	TRY(get_array(sc, "linux.seccomp", "architectures", &arr, err));
	json_array_foreach(arr, i, e) {
		const char *name = NULL;
		for (size_t k = 0; json_is_string(e) && k < ARRAY_SIZE(seccomp_archs) && !name; k++)
			if (strcmp(seccomp_archs[k].oci, json_string_value(e)) == 0)
				name = seccomp_archs[k].name;
		if (!name)
			return berr_fail(err, EINVAL, "linux.seccomp.architectures: unknown architecture %s",
					 json_is_string(e) ? json_string_value(e) : "(not a string)");
		if (strv_add(&s->archs, name) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	TRY(get_array(sc, "linux.seccomp", "flags", &arr, err));
	json_array_foreach(arr, i, e) {
		bool found = false;
		for (size_t k = 0; json_is_string(e) && k < ARRAY_SIZE(seccomp_flags) && !found; k++)
			if (strcmp(seccomp_flags[k].name, json_string_value(e)) == 0) {
				s->flags |= seccomp_flags[k].flag;
				found = true;
			}
		if (!found)
			return berr_fail(err, EINVAL, "linux.seccomp.flags: %s is not supported by berth",
					 json_is_string(e) ? json_string_value(e) : "(not a string)");
	}
	return 0;
}

static int parse_seccomp(json_t *lx, struct bspec *spec, berr *err)
{
	static const char *const keys[] = { "defaultAction", "defaultErrnoRet", "architectures",
					    "flags", "listenerPath", "listenerMetadata", "syscalls",
					    NULL };
	static const char *const unsupported[] = { "listenerPath", "listenerMetadata", NULL };
	json_t *sc;
	_cleanup_free_ char *def = NULL;
	int64_t def_errno = EPERM;

	spec->process.seccomp_mode = BSECCOMP_UNCONFINED; /* OCI: no filter unless given */
	TRY(get_object(lx, "linux", "seccomp", &sc, err));
	if (!sc)
		return 0;
	TRY(check_keys(sc, "linux.seccomp", keys, err));
	TRY(reject_set(sc, "linux.seccomp", unsupported, err));
	struct bspec_seccomp *s = calloc(1, sizeof(*s));
	if (!s)
		return berr_fail(err, ENOMEM, "Out of memory");
	spec->process.seccomp = s;
	spec->process.seccomp_mode = BSECCOMP_CUSTOM;
	TRY(get_str(sc, "linux.seccomp", "defaultAction", &def, err));
	TRY(seccomp_action("linux.seccomp.defaultAction", def, &s->default_action, err));
	TRY(get_i64(sc, "linux.seccomp", "defaultErrnoRet", &def_errno, err));
	s->default_errno = (int)def_errno;
	TRY(parse_seccomp_meta(sc, s, err));
	return parse_seccomp_rules(sc, s, err);
}

/* ---- linux ------------------------------------------------------------------ */

static int parse_linux(json_t *root, struct bspec *s, berr *err)
{
	static const char *const keys[] = { "namespaces", "uidMappings", "gidMappings", "devices",
					    "cgroupsPath", "resources", "rootfsPropagation", "seccomp",
					    "sysctl", "maskedPaths", "readonlyPaths", "mountLabel",
					    "timeOffsets", "intelRdt", "personality", "memoryPolicy",
					    NULL };
	static const char *const unsupported[] = { "timeOffsets", "intelRdt", "personality",
						   "memoryPolicy", NULL };
	_cleanup_free_ char *prop = NULL;
	json_t *lx;

	TRY(get_object(root, "", "linux", &lx, err));
	if (!lx) {
		for (int t = 0; t < BNS_COUNT; t++)
			s->ns[t].create = false;
		s->process.seccomp_mode = BSECCOMP_UNCONFINED;
		return 0;
	}
	TRY(check_keys(lx, "linux", keys, err));
	TRY(reject_set(lx, "linux", unsupported, err));
	TRY(reject_label(lx, "linux", "mountLabel", err));
	TRY(parse_namespaces(lx, s, err));
	TRY(parse_idmap(lx, "uidMappings", &s->uid_map, &s->nuid_map, err));
	TRY(parse_idmap(lx, "gidMappings", &s->gid_map, &s->ngid_map, err));
	if ((s->nuid_map || s->ngid_map) && !s->ns[BNS_USER].create)
		return berr_fail(err, EINVAL, "linux.uidMappings need a new user namespace");
	TRY(parse_devices(lx, s, err));
	TRY(get_str(lx, "linux", "cgroupsPath", &s->cgroup.path, err));
	TRY(parse_resources(lx, &s->cgroup, err));
	TRY(get_str(lx, "linux", "rootfsPropagation", &prop, err));
	if (prop && *prop && parse_propagation(prop, &s->rootfs_propagation) < 0)
		return berr_fail(err, EINVAL, "linux.rootfsPropagation: unknown value \"%s\"", prop);
	TRY(parse_seccomp(lx, s, err));
	TRY(parse_sysctl(lx, s, err));
	TRY(get_strv(lx, "linux", "maskedPaths", &s->masked_paths, err));
	TRY(get_strv(lx, "linux", "readonlyPaths", &s->readonly_paths, err));
	return 0;
}

/* ---- hooks, root, top level ------------------------------------------------- */

static int parse_hooks(json_t *root, struct oci_config *cfg, berr *err)
{
	static const char *const hook_keys[] = { "path", "args", "env", "timeout", NULL };
	static const char *const keys[] = { "prestart", "createRuntime", "createContainer",
					    "startContainer", "poststart", "poststop", NULL };
	json_t *hooks, *arr, *e;
	size_t i;

	TRY(get_object(root, "", "hooks", &hooks, err));
	if (!hooks)
		return 0;
	TRY(check_keys(hooks, "hooks", keys, err));
	for (int k = 0; k < OCI_HOOK_COUNT; k++) {
		char where[64];
		snprintf(where, sizeof(where), "hooks.%s[]", hook_names[k]);
		TRY(get_array(hooks, "hooks", hook_names[k], &arr, err));
		if (!arr)
			continue;
		cfg->hooks[k] = calloc(json_array_size(arr) + 1, sizeof(struct oci_hook));
		if (!cfg->hooks[k])
			return berr_fail(err, ENOMEM, "Out of memory");
		json_array_foreach(arr, i, e) {
			struct oci_hook *h = &cfg->hooks[k][i];
			int64_t timeout = 0;

			cfg->nhooks[k] = i + 1;
			TRY(check_keys(e, where, hook_keys, err));
			TRY(get_str(e, where, "path", &h->path, err));
			if (!h->path || h->path[0] != '/')
				return berr_fail(err, EINVAL, "hooks.%s[%zu].path: expected an absolute path",
						 hook_names[k], i);
			TRY(get_strv(e, where, "args", &h->args, err));
			TRY(get_strv(e, where, "env", &h->env, err));
			TRY(get_i64(e, where, "timeout", &timeout, err));
			if (json_object_get(e, "timeout") && (timeout <= 0 || timeout > INT32_MAX))
				return berr_fail(err, EINVAL, "hooks.%s[%zu].timeout: must be positive",
						 hook_names[k], i);
			h->timeout = (int)timeout;
		}
	}
	return 0;
}

static int parse_root(json_t *root, const char *bundle, struct bspec *s, berr *err)
{
	static const char *const keys[] = { "path", "readonly", NULL };
	_cleanup_free_ char *path = NULL;
	json_t *r;

	TRY(get_object(root, "", "root", &r, err));
	if (!r)
		return berr_fail(err, EINVAL, "root is missing");
	TRY(check_keys(r, "root", keys, err));
	TRY(get_str(r, "root", "path", &path, err));
	TRY(get_bool(r, "root", "readonly", &s->readonly_rootfs, err));
	if (!path || !*path)
		return berr_fail(err, EINVAL, "root.path is missing");
	if (path[0] == '/' || !bundle)
		s->rootfs = TAKE_PTR(path);
	else if (asprintf(&s->rootfs, "%s/%s", bundle, path) < 0)
		return berr_fail(err, ENOMEM, "Out of memory");
	return 0;
}

static int parse_annotations(json_t *root, struct bspec *s, berr *err)
{
	json_t *obj, *v;
	const char *key;

	TRY(get_object(root, "", "annotations", &obj, err));
	if (!obj)
		return 0;
	s->annotations = calloc(1, sizeof(char *));
	if (!s->annotations)
		return berr_fail(err, ENOMEM, "Out of memory");
	json_object_foreach(obj, key, v) {
		char *kv;
		if (!json_is_string(v))
			return type_error("annotations", key, "a string", err);
		if (asprintf(&kv, "%s=%s", key, json_string_value(v)) < 0 ||
		    strv_push(&s->annotations, kv) < 0)
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

/* The devices every OCI container gets (runtime-spec config-linux.md
 * "Default Devices"), unless config.json lists the same path. /dev/ptmx is a
 * 5:2 node: since Linux 4.7 it opens the devpts instance mounted beside it. */
/* In a new user namespace mknod is refused: bind the host's node instead,
 * as runc does. (/dev/ptmx is left to the /dev/ptmx -> pts/ptmx symlink.) */
static int bind_default_device(struct bspec *s, const char *path, berr *err)
{
	if (strcmp(path, "/dev/ptmx") == 0)
		return 0;
	struct bspec_mount *m = grow(s->mounts, &s->nmounts, sizeof(*m));
	if (!m)
		return berr_fail(err, ENOMEM, "Out of memory");
	s->mounts = m;
	m = &m[s->nmounts - 1];
	m->kind = BMNT_BIND;
	m->flags = MS_BIND | MS_NOSUID | MS_NOEXEC;
	m->create_file = true;
	m->source = strdup(path);
	m->target = strdup(path);
	if (!m->source || !m->target)
		return berr_fail(err, ENOMEM, "Out of memory");
	return 0;
}

static int add_default_devices(struct bspec *s, berr *err)
{
	static const struct {
		const char *path;
		int major, minor;
	} defs[] = {
		{ "/dev/null", 1, 3 },	 { "/dev/zero", 1, 5 }, { "/dev/full", 1, 7 },
		{ "/dev/random", 1, 8 }, { "/dev/urandom", 1, 9 }, { "/dev/tty", 5, 0 },
		{ "/dev/ptmx", 5, 2 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(defs); i++) {
		bool listed = false;
		for (size_t j = 0; j < s->ndevices && !listed; j++)
			listed = strcmp(s->devices[j].path, defs[i].path) == 0;
		if (listed)
			continue;
		if (s->ns[BNS_USER].create) {
			TRY(bind_default_device(s, defs[i].path, err));
			continue;
		}
		struct bspec_device *n = grow(s->devices, &s->ndevices, sizeof(*n));
		if (!n)
			return berr_fail(err, ENOMEM, "Out of memory");
		s->devices = n;
		n[s->ndevices - 1] = (struct bspec_device){ .type = 'c', .major = defs[i].major,
							    .minor = defs[i].minor, .mode = 0666 };
		if (!(n[s->ndevices - 1].path = strdup(defs[i].path)))
			return berr_fail(err, ENOMEM, "Out of memory");
	}
	return 0;
}

/* OCI starts from nothing: only what config.json says, unlike berth's own
 * Docker-grade defaults. */
static void reset_to_oci_defaults(struct bspec *s)
{
	struct bspec_process *p = &s->process;
	strv_free(p->env);
	p->env = NULL;
	p->caps = (struct bspec_caps){ 0 };
	p->no_new_privs = false;
	p->seccomp_mode = BSECCOMP_UNCONFINED;
	s->no_default_mounts = true;
	s->masked_paths = calloc(1, sizeof(char *));
	s->readonly_paths = calloc(1, sizeof(char *));
	s->masked_paths_set = s->readonly_paths_set = true;
}

static json_t *load_json(const char *text, size_t len, const char *what, berr *err)
{
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		berr_fail(err, EINVAL, "Not valid JSON (%s): line %d column %d: %s", what,
			  jerr.line, jerr.column, jerr.text);
	else if (!json_is_object(root)) {
		json_decref(root);
		berr_fail(err, EINVAL, "Not a JSON object (%s)", what);
		return NULL;
	}
	return root;
}

static int parse_config(json_t *root, const char *bundle, struct oci_config *cfg, berr *err)
{
	static const char *const keys[] = { "ociVersion", "process", "root", "hostname", "domainname",
					    "mounts", "hooks", "annotations", "linux", "solaris",
					    "windows", "vm", "zos", NULL };
	static const char *const unsupported[] = { "solaris", "windows", "vm", "zos", NULL };
	struct bspec *s = cfg->spec;
	json_t *proc;

	TRY(check_keys(root, "", keys, err));
	TRY(reject_set(root, "", unsupported, err));
	TRY(get_str(root, "", "ociVersion", &cfg->oci_version, err));
	if (!cfg->oci_version)
		return berr_fail(err, EINVAL, "ociVersion is missing");
	if (strncmp(cfg->oci_version, "1.", 2) != 0)
		return berr_fail(err, EINVAL, "ociVersion: \"%s\" is not supported (berth reads 1.x)",
				 cfg->oci_version);
	reset_to_oci_defaults(s);
	if (!s->masked_paths || !s->readonly_paths)
		return berr_fail(err, ENOMEM, "Out of memory");
	TRY(parse_root(root, bundle, s, err));
	TRY(get_object(root, "", "process", &proc, err));
	cfg->has_process = proc != NULL;
	if (proc)
		TRY(parse_process_obj(proc, &s->process, &cfg->umask, err));
	TRY(get_str(root, "", "hostname", &s->hostname, err));
	TRY(get_str(root, "", "domainname", &s->domainname, err));
	TRY(parse_mounts(root, s, err));
	TRY(parse_hooks(root, cfg, err));
	TRY(parse_annotations(root, s, err));
	TRY(parse_linux(root, s, err));
	TRY(add_default_devices(s, err));
	if (((s->hostname && *s->hostname) || (s->domainname && *s->domainname)) &&
	    !s->ns[BNS_UTS].create && !s->ns[BNS_UTS].join_path)
		return berr_fail(err, EINVAL, "hostname needs a new uts namespace (linux.namespaces)");
	return 0;
}

int oci_config_parse(const char *text, size_t len, const char *bundle, struct oci_config **ret,
		     berr *err)
{
	struct oci_config *cfg;
	json_t *root = load_json(text, len, "config.json", err);
	int r;

	if (!root)
		return -err->code;
	cfg = calloc(1, sizeof(*cfg));
	if (cfg)
		cfg->umask = -1;
	if (!cfg || !(cfg->spec = bspec_new_default())) {
		free(cfg);
		json_decref(root);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	r = parse_config(root, bundle, cfg, err);
	json_decref(root);
	if (r < 0) {
		oci_config_free(cfg);
		return r;
	}
	*ret = cfg;
	return 0;
}

int oci_process_parse(const char *text, size_t len, struct bspec_process *proc, int *ret_umask,
		      berr *err)
{
	json_t *root = load_json(text, len, "process.json", err);
	int r;

	if (!root)
		return -err->code;
	r = parse_process_obj(root, proc, ret_umask, err);
	json_decref(root);
	return r;
}

void oci_config_free(struct oci_config *cfg)
{
	if (!cfg)
		return;
	bspec_free(cfg->spec);
	for (int k = 0; k < OCI_HOOK_COUNT; k++) {
		for (size_t i = 0; i < cfg->nhooks[k]; i++) {
			free(cfg->hooks[k][i].path);
			strv_free(cfg->hooks[k][i].args);
			strv_free(cfg->hooks[k][i].env);
		}
		free(cfg->hooks[k]);
	}
	free(cfg->oci_version);
	free(cfg);
}
