// SPDX-License-Identifier: GPL-2.0-or-later
/* Pod spec parsing and validation: docs/pod-spec.md is the reference. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/stat.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "supervisor/ini.h"
#include "supervisor/podspec.h"

/* What a key handler sees. */
struct kctx {
	const char *file, *section, *key, *value;
	struct pod_spec *pod;
	struct container_spec *ctr;
	struct probe_spec *probe;
	berr *err;
};

#define BAD(c, fmt, ...)                                                                           \
	berr_fail((c)->err, EINVAL, "%s: [%s] %s: " fmt, (c)->file, (c)->section, (c)->key,         \
		  ##__VA_ARGS__)

static int oom(berr *err)
{
	return berr_fail(err, ENOMEM, "Out of memory");
}

bool podspec_name_valid(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || !(islower((unsigned char)s[0]) || isdigit((unsigned char)s[0])))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return false;
	return true;
}

int split_words(const char *s, char ***ret)
{
	_cleanup_strv_ char **v = NULL;
	_cleanup_free_ char *w = malloc(strlen(s) + 1);
	if (!w)
		return -ENOMEM;
	const char *p = s;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		size_t n = 0;
		char q = 0;
		for (; *p && (q || !isspace((unsigned char)*p)); p++) {
			if (q && *p == q) {
				q = 0;
			} else if (!q && (*p == '\'' || *p == '"')) {
				q = *p;
			} else if (*p == '\\' && q != '\'' && p[1]) {
				w[n++] = *++p;
			} else {
				w[n++] = *p;
			}
		}
		if (q)
			return -EINVAL;
		w[n] = '\0';
		if (strv_add(&v, w) < 0)
			return -ENOMEM;
	}
	*ret = TAKE_PTR(v);
	return 0;
}

/* A list value: items separated by blanks, and by commas unless COMMAS_IN_ITEMS. */
static int split_list(struct kctx *c, bool commas_in_items, char ***ret)
{
	_cleanup_strv_ char **words = NULL;
	char **out = NULL;
	if (split_words(c->value, &words) < 0)
		return BAD(c, "\"%s\" has an unclosed quote", c->value);
	for (size_t i = 0; words && words[i]; i++) {
		_cleanup_strv_ char **parts =
			commas_in_items ? strv_dup((char *[]){ words[i], NULL }) : strv_split(words[i], ",");
		if (!parts && !commas_in_items)
			continue; /* only commas */
		for (size_t j = 0; parts && parts[j]; j++)
			if (strv_add(&out, parts[j]) < 0) {
				strv_free(out);
				return oom(c->err);
			}
	}
	*ret = out;
	return 0;
}

int parse_signal(const char *s)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {
		{ "HUP", SIGHUP },   { "INT", SIGINT },	  { "QUIT", SIGQUIT }, { "KILL", SIGKILL },
		{ "USR1", SIGUSR1 }, { "USR2", SIGUSR2 }, { "TERM", SIGTERM }, { "PWR", SIGPWR },
		{ "WINCH", SIGWINCH }, { "STOP", SIGSTOP }, { "CONT", SIGCONT }, { "ALRM", SIGALRM },
	};
	int64_t n;
	if (parse_int64(s, 1, 64, &n) == 0)
		return (int)n;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		if (strcasecmp(s, sigs[i].name) == 0)
			return sigs[i].sig;
	return -EINVAL;
}

/* ---- value parsers shared by keys ---------------------------------------- */

static int val_duration(struct kctx *c, uint64_t *out)
{
	if (parse_duration_ms(c->value, out) < 0)
		return BAD(c, "\"%s\" is not a duration (e.g. 500ms, 10s, 5m)", c->value);
	return 0;
}

static int val_size(struct kctx *c, int64_t *out)
{
	uint64_t v;
	if (parse_size(c->value, &v) < 0 || v > INT64_MAX)
		return BAD(c, "\"%s\" is not a size (e.g. 64M, 1.5G, 512Ki)", c->value);
	if (v == 0)
		return BAD(c, "\"%s\" must be more than 0", c->value);
	*out = (int64_t)v;
	return 0;
}

static int val_int(struct kctx *c, int64_t min, int64_t max, int64_t *out)
{
	if (parse_int64(c->value, min, max, out) < 0)
		return BAD(c, "\"%s\" is not a whole number from %lld to %lld", c->value, (long long)min,
			   (long long)max);
	return 0;
}

static int val_bool(struct kctx *c, bool *out)
{
	int b;
	if (parse_bool(c->value, &b) < 0)
		return BAD(c, "\"%s\" is not a boolean (true or false)", c->value);
	*out = b;
	return 0;
}

static int val_words(struct kctx *c, char ***out)
{
	char **v;
	if (split_words(c->value, &v) < 0)
		return BAD(c, "\"%s\" has an unclosed quote", c->value);
	if (!v)
		return BAD(c, "is empty");
	strv_free(*out);
	*out = v;
	return 0;
}

static int val_abs_path(struct kctx *c, const char *p)
{
	if (p[0] != '/')
		return BAD(c, "\"%s\" is not an absolute path", p);
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '/' || !s[2]))
			return BAD(c, "\"%s\" contains \"..\"", p);
	return 0;
}

static int val_port(struct kctx *c, const char *s, uint16_t *out)
{
	int64_t v;
	if (parse_int64(s, 1, 65535, &v) < 0)
		return BAD(c, "\"%s\" is not a port (1-65535)", s);
	*out = (uint16_t)v;
	return 0;
}

static int set_str(struct kctx *c, char **dst)
{
	free(*dst);
	*dst = strdup(c->value);
	return *dst ? 0 : oom(c->err);
}

/* ---- [pod] keys ----------------------------------------------------------- */

static int k_pod_name(struct kctx *c)
{
	if (!podspec_name_valid(c->value, POD_NAME_MAX))
		return BAD(c, "\"%s\" is not a valid name ([a-z0-9][a-z0-9_.-]*, at most %d)", c->value,
			   POD_NAME_MAX);
	return set_str(c, &c->pod->name);
}

static int k_replicas(struct kctx *c)
{
	int64_t v;
	int r = val_int(c, 0, POD_MAX_REPLICAS, &v);
	if (r == 0)
		c->pod->replicas = (unsigned)v;
	return r;
}

static int k_restart(struct kctx *c)
{
	static const char *names[] = { "always", "on-failure", "never" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(c->value, names[i]) == 0) {
			c->pod->restart = (enum restart_policy)i;
			return 0;
		}
	return BAD(c, "\"%s\" is not one of always, on-failure, never", c->value);
}

static int k_backoff(struct kctx *c)
{
	return val_duration(c, &c->pod->backoff_base_ms);
}
static int k_backoff_max(struct kctx *c)
{
	return val_duration(c, &c->pod->backoff_max_ms);
}
static int k_backoff_reset(struct kctx *c)
{
	return val_duration(c, &c->pod->backoff_reset_ms);
}
static int k_stop_grace(struct kctx *c)
{
	return val_duration(c, &c->pod->stop_grace_ms);
}

static int k_network(struct kctx *c)
{
	static const char *names[] = { "bridge", "none", "host" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(c->value, names[i]) == 0) {
			c->pod->network = (enum pod_network)i;
			return 0;
		}
	return BAD(c, "\"%s\" is not one of bridge, none, host", c->value);
}

/* [IP:]HOSTPORT:PORT[/tcp|/udp] */
static int parse_port(struct kctx *c, const char *item, struct port_spec *p)
{
	_cleanup_free_ char *s = strdup(item);
	if (!s)
		return oom(c->err);
	char *proto = strchr(s, '/');
	if (proto) {
		*proto++ = '\0';
		if (strcmp(proto, "udp") == 0)
			p->udp = true;
		else if (strcmp(proto, "tcp") != 0)
			return BAD(c, "\"%s\": protocol \"%s\" is not tcp or udp", item, proto);
	}
	char *last = strrchr(s, ':');
	if (!last)
		return BAD(c, "\"%s\" is not [IP:]HOSTPORT:PORT[/udp]", item);
	*last = '\0';
	char *hp = strrchr(s, ':');
	if (hp) {
		*hp++ = '\0';
		p->host_ip = strdup(s);
		if (!p->host_ip)
			return oom(c->err);
	} else {
		hp = s;
	}
	int r = val_port(c, hp, &p->host_port);
	if (r == 0)
		r = val_port(c, last + 1, &p->container_port);
	if (r == 0 && !(p->text = strdup(item)))
		r = oom(c->err);
	return r;
}

static int k_publish(struct kctx *c)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	size_t n = strv_length(items);
	struct port_spec *ports = calloc(n ? n : 1, sizeof(*ports));
	if (!ports)
		return oom(c->err);
	c->pod->ports = ports;
	for (size_t i = 0; i < n; i++) {
		c->pod->nports = i + 1;
		r = parse_port(c, items[i], &ports[i]);
		if (r < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (ports[j].host_port == ports[i].host_port && ports[j].udp == ports[i].udp)
				return BAD(c, "host port %u is published twice", ports[i].host_port);
	}
	return 0;
}

static int k_hostname(struct kctx *c)
{
	size_t n = strlen(c->value);
	if (n == 0 || n > 63)
		return BAD(c, "\"%s\" is not a host name (1-63 characters)", c->value);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)c->value[i]) && c->value[i] != '-' && c->value[i] != '.')
			return BAD(c, "\"%s\" is not a host name (letters, digits, - and .)", c->value);
	return set_str(c, &c->pod->hostname);
}

static int k_pid(struct kctx *c)
{
	if (strcmp(c->value, "shared") == 0)
		c->pod->share_pid = true;
	else if (strcmp(c->value, "private") == 0)
		c->pod->share_pid = false;
	else
		return BAD(c, "\"%s\" is not private or shared", c->value);
	return 0;
}

static int k_log_size(struct kctx *c)
{
	int64_t v;
	int r = val_size(c, &v);
	if (r == 0 && v < 4096)
		return BAD(c, "\"%s\" is less than 4K", c->value);
	if (r == 0)
		c->pod->log_max_bytes = (uint64_t)v;
	return r;
}

static int k_log_files(struct kctx *c)
{
	int64_t v;
	int r = val_int(c, 1, 100, &v);
	if (r == 0)
		c->pod->log_files = (unsigned)v;
	return r;
}

bool podspec_label_valid(const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv || !eq[1])
		return false;
	for (const char *p = kv; *p; p++) {
		bool first = p == kv || p == eq + 1;
		if (p == eq)
			continue;
		if (!isalnum((unsigned char)*p) && (first || !strchr("_.-", *p)))
			return false;
	}
	return eq - kv <= 63 && strlen(eq + 1) <= 63;
}

int podspec_labels_parse(const char *s, char ***ret, char **ret_bad)
{
	char **v = NULL;
	*ret_bad = NULL;
	if (split_words(s, &v) < 0)
		return -EINVAL;
	for (size_t i = 0; v && v[i]; i++)
		if (!podspec_label_valid(v[i])) {
			*ret_bad = strdup(v[i]);
			strv_free(v);
			return -EINVAL;
		}
	*ret = v;
	return 0;
}

bool podspec_namespace_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '-')
			return false;
	return true;
}

static int k_namespace(struct kctx *c)
{
	if (!podspec_namespace_valid(c->value))
		return BAD(c, "\"%s\" is not a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63)",
			   c->value);
	free(c->pod->namespace);
	c->pod->namespace = strcmp(c->value, "default") ? strdup(c->value) : NULL;
	return 0;
}

static int k_labels(struct kctx *c)
{
	_cleanup_free_ char *bad = NULL;
	char **v = NULL;
	if (podspec_labels_parse(c->value, &v, &bad) < 0)
		return BAD(c, "\"%s\" is not KEY=VALUE ([A-Za-z0-9][A-Za-z0-9_.-]*, at most 63 each)",
			   bad ? bad : c->value);
	strv_free(c->pod->labels);
	c->pod->labels = v;
	return 0;
}

static int k_affinity(struct kctx *c)
{
	if (strcmp(c->value, "client-ip") == 0 || strcmp(c->value, "none") == 0) {
		c->pod->affinity = c->value[0] == 'c';
		return 0;
	}
	return BAD(c, "\"%s\" is not one of none, client-ip", c->value);
}

static int k_affinity_timeout(struct kctx *c)
{
	uint64_t ms;
	int r = val_duration(c, &ms);
	if (r < 0)
		return r;
	if (ms < 1000 || ms > 86400000ULL)
		return BAD(c, "\"%s\" is not from 1s to 24h", c->value);
	c->pod->affinity_timeout_ms = ms;
	return 0;
}

/* ---- [container NAME] keys ------------------------------------------------ */

static int k_image(struct kctx *c)
{
	if (!*c->value)
		return BAD(c, "is empty");
	if (c->value[0] == '/') {
		int r = val_abs_path(c, c->value);
		if (r < 0)
			return r;
	}
	return set_str(c, &c->ctr->image);
}
static int k_command(struct kctx *c)
{
	return val_words(c, &c->ctr->command);
}
static int k_entrypoint(struct kctx *c)
{
	return val_words(c, &c->ctr->entrypoint);
}

static int env_valid(const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv)
		return 0;
	for (const char *p = kv; p < eq; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return 0;
	return !isdigit((unsigned char)kv[0]);
}

static int k_env(struct kctx *c)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, true, &items);
	if (r < 0)
		return r;
	for (size_t i = 0; items && items[i]; i++) {
		if (!env_valid(items[i]))
			return BAD(c, "\"%s\" is not NAME=VALUE", items[i]);
		if (strv_add(&c->ctr->env, items[i]) < 0)
			return oom(c->err);
	}
	return 0;
}

/* env-file is read now, so that validate reports its errors and a change
 * of its content is a change of the spec. Its variables come before env. */
static int k_env_file(struct kctx *c)
{
	_cleanup_free_ char *buf = NULL;
	_cleanup_strv_ char **vars = NULL;
	size_t len;
	berr e = { 0 };
	int r = val_abs_path(c, c->value);
	if (r < 0)
		return r;
	if (read_file_at(AT_FDCWD, c->value, 64 << 10, &buf, &len, &e) < 0)
		return BAD(c, "%s", e.msg);
	struct stat st;
	if (stat(c->value, &st) == 0 && (st.st_mode & S_IROTH)) {
		char *w = NULL;
		if (asprintf(&w, "%s: [%s] %s: \"%s\" is readable by others (mode %04o): chmod o-r it",
			     c->file, c->section, c->key, c->value, (unsigned)(st.st_mode & 07777)) < 0 ||
		    strv_push(&c->pod->warnings, w) < 0)
			return oom(c->err);
	}
	char *save = NULL;
	unsigned n = 0;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		n++;
		while (isspace((unsigned char)*line))
			line++;
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[--l] = '\0';
		if (!*line || *line == '#')
			continue;
		if (!env_valid(line))
			return BAD(c, "\"%s\" line %u: \"%s\" is not NAME=VALUE", c->value, n, line);
		if (strv_add(&vars, line) < 0)
			return oom(c->err);
	}
	for (size_t i = 0; c->ctr->env && c->ctr->env[i]; i++)
		if (strv_add(&vars, c->ctr->env[i]) < 0)
			return oom(c->err);
	strv_free(c->ctr->env);
	c->ctr->env = TAKE_PTR(vars);
	return 0;
}

static int k_workdir(struct kctx *c)
{
	int r = val_abs_path(c, c->value);
	return r < 0 ? r : set_str(c, &c->ctr->workdir);
}

static int k_user(struct kctx *c)
{
	if (!*c->value || strchr(c->value, ' '))
		return BAD(c, "\"%s\" is not USER[:GROUP]", c->value);
	return set_str(c, &c->ctr->user);
}

static int k_memory(struct kctx *c)
{
	return val_size(c, &c->ctr->memory);
}
static int k_memory_high(struct kctx *c)
{
	return val_size(c, &c->ctr->memory_high);
}
static int k_cpus(struct kctx *c)
{
	if (parse_cpus(c->value, &c->ctr->millicpus) < 0)
		return BAD(c, "\"%s\" is not a CPU amount (e.g. 0.5, 2, 500m)", c->value);
	return 0;
}
static int k_cpu_weight(struct kctx *c)
{
	return val_int(c, 1, 10000, &c->ctr->cpu_weight);
}
static int k_pids(struct kctx *c)
{
	return val_int(c, 1, 4194304, &c->ctr->pids);
}
static int k_read_only(struct kctx *c)
{
	return val_bool(c, &c->ctr->read_only);
}
static int k_init(struct kctx *c)
{
	return val_bool(c, &c->ctr->init);
}

/* HOSTPATH[:CTRPATH][:PERMS] */
static int parse_device(struct kctx *c, const char *item, struct device_spec *d)
{
	_cleanup_strv_ char **parts = strv_split(item, ":");
	size_t n = strv_length(parts);
	if (n == 0 || n > 3)
		return BAD(c, "\"%s\" is not HOSTPATH[:PATH][:rwm]", item);
	const char *perm = "rwm";
	const char *ctr = parts[0];
	if (n == 3) {
		ctr = parts[1];
		perm = parts[2];
	} else if (n == 2) {
		if (parts[1][0] == '/')
			ctr = parts[1];
		else
			perm = parts[1];
	}
	int r = val_abs_path(c, parts[0]);
	if (r == 0)
		r = val_abs_path(c, ctr);
	if (r < 0)
		return r;
	if (strncmp(parts[0], "/dev/", 5) != 0)
		return BAD(c, "\"%s\" is not under /dev", parts[0]);
	if (!*perm || strlen(perm) > 3 || strspn(perm, "rwm") != strlen(perm))
		return BAD(c, "\"%s\": \"%s\" is not a subset of rwm", item, perm);
	snprintf(d->access, sizeof(d->access), "%s", perm);
	d->host_path = strdup(parts[0]);
	d->ctr_path = strdup(ctr);
	return d->host_path && d->ctr_path ? 0 : oom(c->err);
}

static int k_devices(struct kctx *c)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	size_t n = strv_length(items);
	c->ctr->devices = calloc(n ? n : 1, sizeof(struct device_spec));
	if (!c->ctr->devices)
		return oom(c->err);
	for (size_t i = 0; i < n; i++) {
		c->ctr->ndevices = i + 1;
		r = parse_device(c, items[i], &c->ctr->devices[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int caps_list(struct kctx *c, bool allow_all, uint64_t *mask)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	for (size_t i = 0; items && items[i]; i++) {
		const char *s = items[i];
		if (strcasecmp(s, "ALL") == 0) {
			if (!allow_all)
				return BAD(c, "ALL is only allowed in cap-drop");
			*mask = ~0ULL;
			continue;
		}
		if (strncasecmp(s, "CAP_", 4) == 0)
			s += 4;
		_cleanup_free_ char *lc = NULL;
		if (asprintf(&lc, "cap_%s", s) < 0)
			return oom(c->err);
		for (char *p = lc; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		cap_value_t v;
		if (cap_from_name(lc, &v) < 0 || v < 0 || v > 63)
			return BAD(c, "\"%s\" is not a capability", items[i]);
		*mask |= 1ULL << v;
	}
	return 0;
}

static int k_cap_add(struct kctx *c)
{
	return caps_list(c, false, &c->ctr->cap_add);
}
static int k_cap_drop(struct kctx *c)
{
	return caps_list(c, true, &c->ctr->cap_drop);
}

/* SOURCE:TARGET[:ro|rw]; SOURCE absolute = bind, else a named volume */
static int parse_mount(struct kctx *c, const char *item, struct mount_spec *m)
{
	_cleanup_strv_ char **parts = strv_split(item, ":");
	size_t n = strv_length(parts);
	if (n < 2 || n > 3)
		return BAD(c, "\"%s\" is not SOURCE:PATH[:ro]", item);
	if (n == 3) {
		if (strcmp(parts[2], "ro") == 0)
			m->readonly = true;
		else if (strcmp(parts[2], "rw") != 0)
			return BAD(c, "\"%s\": \"%s\" is not ro or rw", item, parts[2]);
	}
	int r = val_abs_path(c, parts[1]);
	if (r < 0)
		return r;
	if (parts[0][0] == '/') {
		r = val_abs_path(c, parts[0]);
		if (r < 0)
			return r;
	} else if (!podspec_name_valid(parts[0], 64)) {
		return BAD(c, "\"%s\" is neither an absolute path nor a volume name", parts[0]);
	} else {
		m->named = true;
	}
	m->source = strdup(parts[0]);
	m->target = strdup(parts[1]);
	return m->source && m->target ? 0 : oom(c->err);
}

static int mounts_list(struct kctx *c, struct mount_spec **ms, size_t *nms)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	size_t n = strv_length(items);
	*ms = calloc(n ? n : 1, sizeof(struct mount_spec));
	if (!*ms)
		return oom(c->err);
	for (size_t i = 0; i < n; i++) {
		*nms = i + 1;
		r = parse_mount(c, items[i], &(*ms)[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

static int k_volumes(struct kctx *c)
{
	return mounts_list(c, &c->ctr->mounts, &c->ctr->nmounts);
}

static int k_tmpfs(struct kctx *c)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, true, &items);
	if (r < 0)
		return r;
	for (size_t i = 0; items && items[i]; i++) {
		_cleanup_free_ char *path = strdup(items[i]);
		if (!path)
			return oom(c->err);
		char *colon = strchr(path, ':');
		if (colon)
			*colon = '\0';
		r = val_abs_path(c, path);
		if (r < 0)
			return r;
		if (colon && colon[1]) {
			_cleanup_strv_ char **opts = strv_split(colon + 1, ",");
			for (size_t j = 0; opts && opts[j]; j++) {
				uint64_t sz;
				if (strncmp(opts[j], "size=", 5) == 0 && parse_size(opts[j] + 5, &sz) < 0)
					return BAD(c, "\"%s\": \"%s\" is not a size", items[i], opts[j] + 5);
				if (strncmp(opts[j], "size=", 5) && strncmp(opts[j], "mode=", 5) &&
				    strcmp(opts[j], "noexec") && strcmp(opts[j], "exec") &&
				    strcmp(opts[j], "ro") && strcmp(opts[j], "rw"))
					return BAD(c, "\"%s\": option \"%s\" is not size=, mode=, ro, rw, exec or noexec",
						   items[i], opts[j]);
			}
		}
		if (strv_add(&c->ctr->tmpfs, items[i]) < 0)
			return oom(c->err);
	}
	return 0;
}

static int k_stop_signal(struct kctx *c)
{
	int s = parse_signal(c->value);
	if (s < 0)
		return BAD(c, "\"%s\" is not a signal", c->value);
	c->ctr->stop_signal = s;
	return 0;
}

static int k_stop_timeout(struct kctx *c)
{
	return val_duration(c, &c->ctr->stop_timeout_ms);
}

/* A path where configs and secrets may be mounted: not "/", and not in
 * the kernel's file systems. */
static int val_mount_target(struct kctx *c, const char *p)
{
	int r = val_abs_path(c, p);
	if (r < 0)
		return r;
	static const char *const kernel[] = { "/proc", "/sys", "/dev" };
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	if (n == 1)
		return BAD(c, "\"%s\" is the root directory", p);
	for (size_t i = 0; i < ARRAY_SIZE(kernel); i++) {
		size_t l = strlen(kernel[i]);
		if (strncmp(p, kernel[i], l) == 0 && (p[l] == '/' || !p[l]))
			return BAD(c, "\"%s\" is inside %s", p, kernel[i]);
	}
	return 0;
}

/* A DNS label, as store/objects.h names configs and secrets. */
static bool objname_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int objref_add(struct kctx *c, struct objref_spec **v, size_t *n, enum objref_kind kind,
		      const char *name, const char *target)
{
	if (!objname_valid(name))
		return BAD(c, "\"%s\" is not a %s name (a DNS label: [a-z0-9-], at most 63)", name,
			   kind == OBJREF_SECRET ? "secret" : "config");
	struct objref_spec *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		return oom(c->err);
	*v = nv;
	nv[*n] = (struct objref_spec){ .kind = kind, .name = strdup(name),
				       .target = target ? strdup(target) : NULL };
	(*n)++;
	if (!nv[*n - 1].name || (target && !nv[*n - 1].target))
		return oom(c->err);
	return 0;
}

/* NAME:PATH ... (secrets: PATH defaults to /run/secrets/NAME) */
static int objmounts_list(struct kctx *c, enum objref_kind kind)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	if (!items)
		return BAD(c, "is empty");
	for (size_t i = 0; items[i]; i++) {
		_cleanup_free_ char *name = strdup(items[i]), *dflt = NULL;
		if (!name)
			return oom(c->err);
		char *target = strchr(name, ':');
		if (target) {
			*target++ = '\0';
		} else if (kind == OBJREF_SECRET) {
			if (asprintf(&dflt, "/run/secrets/%s", name) < 0)
				return oom(c->err);
			target = dflt;
		} else {
			return BAD(c, "\"%s\" is not NAME:PATH", items[i]);
		}
		if ((r = val_mount_target(c, target)) < 0 ||
		    (r = objref_add(c, &c->ctr->objmounts, &c->ctr->nobjmounts, kind, name, target)) < 0)
			return r;
	}
	return 0;
}

static int k_configs(struct kctx *c)
{
	return objmounts_list(c, OBJREF_CONFIG);
}
static int k_secrets(struct kctx *c)
{
	return objmounts_list(c, OBJREF_SECRET);
}

/* config:NAME secret:NAME ... */
static int k_env_from(struct kctx *c)
{
	_cleanup_strv_ char **items = NULL;
	int r = split_list(c, false, &items);
	if (r < 0)
		return r;
	if (!items)
		return BAD(c, "is empty");
	for (size_t i = 0; items[i]; i++) {
		enum objref_kind kind;
		const char *name;
		if (strncmp(items[i], "config:", 7) == 0) {
			kind = OBJREF_CONFIG;
			name = items[i] + 7;
		} else if (strncmp(items[i], "secret:", 7) == 0) {
			kind = OBJREF_SECRET;
			name = items[i] + 7;
		} else {
			return BAD(c, "\"%s\" is not config:NAME or secret:NAME", items[i]);
		}
		if ((r = objref_add(c, &c->ctr->envfrom, &c->ctr->nenvfrom, kind, name, NULL)) < 0)
			return r;
	}
	return 0;
}

static int k_reload(struct kctx *c)
{
	int s = parse_signal(c->value);
	if (s < 0 || s == SIGKILL || s == SIGSTOP)
		return BAD(c, "\"%s\" is not a signal a process can handle", c->value);
	c->ctr->reload_signal = s;
	return 0;
}

/* ---- [probe CONTAINER KIND] keys ----------------------------------------- */

static int probe_type_once(struct kctx *c, enum probe_type t)
{
	if (c->probe->type != PROBE_NONE)
		return BAD(c, "a probe has exactly one of exec, http, tcp");
	c->probe->type = t;
	return 0;
}

static int k_probe_exec(struct kctx *c)
{
	int r = probe_type_once(c, PROBE_EXEC);
	return r < 0 ? r : val_words(c, &c->probe->exec);
}
static int k_probe_http(struct kctx *c)
{
	int r = probe_type_once(c, PROBE_HTTP);
	return r < 0 ? r : val_port(c, c->value, &c->probe->port);
}
static int k_probe_tcp(struct kctx *c)
{
	int r = probe_type_once(c, PROBE_TCP);
	return r < 0 ? r : val_port(c, c->value, &c->probe->port);
}
static int k_probe_path(struct kctx *c)
{
	if (c->value[0] != '/')
		return BAD(c, "\"%s\" does not start with /", c->value);
	for (const char *p = c->value; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return BAD(c, "\"%s\" contains a blank or a control character", c->value);
	return set_str(c, &c->probe->path);
}
static int k_probe_initial_delay(struct kctx *c)
{
	return val_duration(c, &c->probe->initial_delay_ms);
}
static int k_probe_period(struct kctx *c)
{
	int r = val_duration(c, &c->probe->period_ms);
	if (r == 0 && c->probe->period_ms < 100)
		return BAD(c, "\"%s\" is less than 100ms", c->value);
	return r;
}
static int k_probe_timeout(struct kctx *c)
{
	int r = val_duration(c, &c->probe->timeout_ms);
	if (r == 0 && c->probe->timeout_ms == 0)
		return BAD(c, "must be more than 0");
	return r;
}
static int k_probe_success(struct kctx *c)
{
	int64_t v;
	int r = val_int(c, 1, 1000, &v);
	if (r == 0)
		c->probe->success_threshold = (unsigned)v;
	return r;
}
static int k_probe_failure(struct kctx *c)
{
	int64_t v;
	int r = val_int(c, 1, 1000, &v);
	if (r == 0)
		c->probe->failure_threshold = (unsigned)v;
	return r;
}

struct keydef {
	const char *name;
	int (*fn)(struct kctx *c);
};

static const struct keydef pod_keys[] = {
	{ "name", k_pod_name },		{ "replicas", k_replicas },
	{ "restart", k_restart },	{ "backoff", k_backoff },
	{ "backoff-max", k_backoff_max }, { "backoff-reset", k_backoff_reset },
	{ "network", k_network },	{ "publish", k_publish },
	{ "hostname", k_hostname },	{ "pid", k_pid },
	{ "stop-grace", k_stop_grace },	{ "log-size", k_log_size },
	{ "log-files", k_log_files },	{ "labels", k_labels },
	{ "session-affinity", k_affinity }, { "session-affinity-timeout", k_affinity_timeout },
	{ "namespace", k_namespace },
	{ NULL, NULL },
};

static const struct keydef container_keys[] = {
	{ "image", k_image },		{ "command", k_command },
	{ "entrypoint", k_entrypoint },	{ "env", k_env },
	{ "env-file", k_env_file },	{ "workdir", k_workdir },
	{ "user", k_user },		{ "memory", k_memory },
	{ "memory-high", k_memory_high }, { "cpus", k_cpus },
	{ "cpu-weight", k_cpu_weight },	{ "pids", k_pids },
	{ "read-only", k_read_only },	{ "devices", k_devices },
	{ "cap-add", k_cap_add },	{ "cap-drop", k_cap_drop },
	{ "volumes", k_volumes },	{ "tmpfs", k_tmpfs },
	{ "stop-signal", k_stop_signal }, { "stop-timeout", k_stop_timeout },
	{ "init", k_init },		{ "configs", k_configs },
	{ "secrets", k_secrets },	{ "env-from", k_env_from },
	{ "reload", k_reload },		{ NULL, NULL },
};

static const struct keydef probe_keys[] = {
	{ "exec", k_probe_exec },	{ "http", k_probe_http },
	{ "tcp", k_probe_tcp },		{ "path", k_probe_path },
	{ "initial-delay", k_probe_initial_delay }, { "period", k_probe_period },
	{ "timeout", k_probe_timeout },	{ "success-threshold", k_probe_success },
	{ "failure-threshold", k_probe_failure }, { NULL, NULL },
};

/* Apply every key of SECTION with TABLE; unknown keys are errors. The
 * env-file key is applied after env, so its variables come first. */
static int apply_section(const struct ini *ini, struct kctx *c, const struct keydef *table)
{
	_cleanup_strv_ char **keys = NULL;
	if (ini_keys(ini, c->section, &keys) < 0)
		return oom(c->err);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; keys && keys[i]; i++) {
			bool late = strcmp(keys[i], "env-file") == 0;
			if (late != (pass == 1))
				continue;
			const struct keydef *k = table;
			while (k->name && strcmp(k->name, keys[i]) != 0)
				k++;
			c->key = keys[i];
			if (!k->name)
				return BAD(c, "unknown key");
			c->value = ini_get(ini, c->section, keys[i]);
			if (!c->value)
				c->value = "";
			int r = k->fn(c);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

const char *probe_kind_name(enum probe_kind k)
{
	static const char *names[] = { "startup", "liveness", "readiness" };
	return k < PROBE_KIND_COUNT ? names[k] : "?";
}

const char *restart_policy_name(enum restart_policy p)
{
	static const char *names[] = { "always", "on-failure", "never" };
	return (unsigned)p < ARRAY_SIZE(names) ? names[p] : "?";
}

static void probe_defaults(struct probe_spec *p)
{
	p->period_ms = 10000;
	p->timeout_ms = 1000;
	p->success_threshold = 1;
	p->failure_threshold = 3;
}

static struct pod_spec *pod_new(void)
{
	struct pod_spec *pod = calloc(1, sizeof(*pod));
	if (!pod)
		return NULL;
	pod->replicas = 1;
	pod->restart = RESTART_ALWAYS;
	pod->backoff_base_ms = POD_DEFAULT_BACKOFF_BASE_MS;
	pod->backoff_max_ms = POD_DEFAULT_BACKOFF_MAX_MS;
	pod->backoff_reset_ms = POD_DEFAULT_BACKOFF_RESET_MS;
	pod->network = PODNET_BRIDGE;
	pod->stop_grace_ms = POD_DEFAULT_STOP_GRACE_MS;
	pod->log_max_bytes = POD_DEFAULT_LOG_MAX_BYTES;
	pod->log_files = POD_DEFAULT_LOG_FILES;
	pod->affinity_timeout_ms = POD_DEFAULT_AFFINITY_MS;
	return pod;
}

static int container_new(struct pod_spec *pod, const char *name, struct container_spec **ret)
{
	struct container_spec *v = realloc(pod->containers, (pod->ncontainers + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	pod->containers = v;
	struct container_spec *c = &v[pod->ncontainers];
	memset(c, 0, sizeof(*c));
	c->memory = c->memory_high = c->pids = c->cpu_weight = BSPEC_UNSET;
	c->init = true;
	for (int k = 0; k < PROBE_KIND_COUNT; k++)
		probe_defaults(&c->probes[k]);
	c->name = strdup(name);
	if (!c->name)
		return -ENOMEM;
	pod->ncontainers++;
	*ret = c;
	return 0;
}

static struct container_spec *find_container(struct pod_spec *pod, const char *name)
{
	for (size_t i = 0; i < pod->ncontainers; i++)
		if (strcmp(pod->containers[i].name, name) == 0)
			return &pod->containers[i];
	return NULL;
}

/* Split "container app" into its words; at most 3. */
static size_t section_words(const char *sec, char w[3][64])
{
	size_t n = 0;
	const char *p = sec;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		size_t l = strcspn(p, " \t");
		if (n == 3 || l >= 64)
			return 4;
		memcpy(w[n], p, l);
		w[n++][l] = '\0';
		p += l;
	}
	return n;
}

static int secerr(struct kctx *c, const char *fmt, const char *arg)
{
	char msg[256];
	snprintf(msg, sizeof(msg), fmt, arg);
	return berr_fail(c->err, EINVAL, "%s: [%s] %s", c->file, c->section, msg);
}

/* Pass 1: [pod] and every [container NAME]; pass 2: [probe NAME KIND]. */
static int load_sections(const struct ini *ini, struct kctx *c)
{
	bool saw_pod = false;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ini_nsections(ini); i++) {
			char w[3][64];
			c->section = ini_section(ini, i);
			size_t n = section_words(c->section, w);
			int r = 0;
			if (n == 1 && strcmp(w[0], "pod") == 0) {
				if (pass == 0) {
					saw_pod = true;
					r = apply_section(ini, c, pod_keys);
				}
			} else if (n == 2 && strcmp(w[0], "container") == 0) {
				if (pass == 1)
					continue;
				if (!podspec_name_valid(w[1], 28))
					return secerr(c, "\"%s\" is not a valid container name ([a-z0-9][a-z0-9_.-]*, at most 28)", w[1]);
				if (c->pod->ncontainers >= POD_MAX_CONTAINERS)
					return secerr(c, "more than %s containers", "16");
				if (container_new(c->pod, w[1], &c->ctr) < 0)
					return oom(c->err);
				r = apply_section(ini, c, container_keys);
			} else if (n == 3 && strcmp(w[0], "probe") == 0) {
				if (pass == 0)
					continue;
				c->ctr = find_container(c->pod, w[1]);
				if (!c->ctr)
					return secerr(c, "there is no [container %s]", w[1]);
				int k = 0;
				while (k < PROBE_KIND_COUNT && strcmp(probe_kind_name(k), w[2]) != 0)
					k++;
				if (k == PROBE_KIND_COUNT)
					return secerr(c, "\"%s\" is not liveness, readiness or startup", w[2]);
				c->probe = &c->ctr->probes[k];
				r = apply_section(ini, c, probe_keys);
				if (r == 0 && c->probe->type == PROBE_NONE)
					return secerr(c, "%s", "a probe needs one of exec, http, tcp");
				if (r == 0 && k != PROBE_READINESS && c->probe->success_threshold != 1)
					return secerr(c, "%s", "success-threshold must be 1 for liveness and startup probes");
			} else if (pass == 0) {
				return secerr(c, "%s",
					      "unknown section (expected [pod], [container NAME] or [probe NAME liveness|readiness|startup])");
			}
			if (r < 0)
				return r;
		}
	}
	if (!saw_pod)
		return berr_fail(c->err, EINVAL, "%s: no [pod] section", c->file);
	return 0;
}

static int check_pod(struct kctx *c)
{
	struct pod_spec *pod = c->pod;
	if (pod->ncontainers == 0)
		return berr_fail(c->err, EINVAL, "%s: no [container NAME] section", c->file);
	for (size_t i = 0; i < pod->ncontainers; i++) {
		struct container_spec *ctr = &pod->containers[i];
		if (!ctr->image)
			return berr_fail(c->err, EINVAL, "%s: [container %s] image: missing (every container needs one)",
					 c->file, ctr->name);
		if (ctr->memory_high != BSPEC_UNSET && ctr->memory != BSPEC_UNSET &&
		    ctr->memory_high > ctr->memory)
			return berr_fail(c->err, EINVAL, "%s: [container %s] memory-high: more than memory",
					 c->file, ctr->name);
		for (size_t j = 0; j < ctr->nmounts; j++)
			for (size_t k = 0; k < j; k++)
				if (strcmp(ctr->mounts[j].target, ctr->mounts[k].target) == 0)
					return berr_fail(c->err, EINVAL,
							 "%s: [container %s] volumes: \"%s\" is mounted twice",
							 c->file, ctr->name, ctr->mounts[j].target);
		for (size_t j = 0; j < ctr->nobjmounts; j++) {
			const struct objref_spec *o = &ctr->objmounts[j];
			const char *key = o->kind == OBJREF_SECRET ? "secrets" : "configs";
			bool twice = false;
			for (size_t k = 0; k < j; k++)
				twice |= strcmp(o->target, ctr->objmounts[k].target) == 0;
			for (size_t k = 0; k < ctr->nmounts; k++)
				twice |= strcmp(o->target, ctr->mounts[k].target) == 0;
			if (twice)
				return berr_fail(c->err, EINVAL, "%s: [container %s] %s: \"%s\" is mounted twice",
						 c->file, ctr->name, key, o->target);
		}
		if (ctr->reload_signal && !ctr->nobjmounts)
			return berr_fail(c->err, EINVAL,
					 "%s: [container %s] reload: no configs or secrets are mounted", c->file,
					 ctr->name);
	}
	if (pod->backoff_max_ms < pod->backoff_base_ms)
		return berr_fail(c->err, EINVAL, "%s: [pod] backoff-max: less than backoff", c->file);
	if (pod->network != PODNET_BRIDGE && pod->nports)
		return berr_fail(c->err, EINVAL, "%s: [pod] publish: needs network = bridge", c->file);
	return 0;
}

/* "dir/web.pod" -> "web" when it is a valid name */
static int name_from_file(struct kctx *c)
{
	_cleanup_free_ char *copy = strdup(c->file);
	if (!copy)
		return oom(c->err);
	char *b = basename(copy);
	size_t n = strlen(b);
	if (n > 4 && strcmp(b + n - 4, ".pod") == 0)
		b[n - 4] = '\0';
	if (!podspec_name_valid(b, POD_NAME_MAX))
		return berr_fail(c->err, EINVAL,
				 "%s: [pod] name: missing, and the file name \"%s\" is not a valid pod name",
				 c->file, b);
	c->pod->name = strdup(b);
	return c->pod->name ? 0 : oom(c->err);
}

int pod_spec_load(const char *path, struct pod_spec **ret, berr *err)
{
	struct ini *ini = NULL;
	int r = ini_load(path, &ini, err);
	if (r < 0)
		return r;
	struct pod_spec *pod = pod_new();
	if (!pod) {
		ini_free(ini);
		return oom(err);
	}
	struct kctx c = { .file = path, .pod = pod, .err = err };
	r = load_sections(ini, &c);
	if (r == 0)
		r = check_pod(&c);
	if (r == 0 && !pod->name)
		r = name_from_file(&c);
	if (r == 0 && pod->namespace) {
		/* pods of another namespace are NAME.NAMESPACE to the daemon */
		char *q = NULL;
		if (asprintf(&q, "%s.%s", pod->name, pod->namespace) < 0)
			r = oom(err);
		else if (strlen(q) > POD_NAME_MAX)
			r = berr_fail(err, EINVAL, "%s: [pod] namespace: \"%s\" in namespace \"%s\" is longer than %d characters",
				      path, q, pod->namespace, POD_NAME_MAX);
		if (q && r == 0) {
			free(pod->name);
			pod->name = q;
		} else {
			free(q);
		}
	}
	if (r == 0 && !(pod->file = strdup(path)))
		r = oom(err);
	ini_free(ini);
	if (r < 0) {
		pod_spec_free(pod);
		return r;
	}
	*ret = pod;
	return 0;
}

static void container_spec_clear(struct container_spec *c)
{
	free(c->name);
	free(c->image);
	strv_free(c->command);
	strv_free(c->entrypoint);
	strv_free(c->env);
	free(c->workdir);
	free(c->user);
	for (size_t i = 0; i < c->ndevices; i++) {
		free(c->devices[i].host_path);
		free(c->devices[i].ctr_path);
	}
	free(c->devices);
	for (size_t i = 0; i < c->nmounts; i++) {
		free(c->mounts[i].source);
		free(c->mounts[i].target);
	}
	free(c->mounts);
	strv_free(c->tmpfs);
	for (size_t i = 0; i < c->nobjmounts; i++) {
		free(c->objmounts[i].name);
		free(c->objmounts[i].target);
	}
	free(c->objmounts);
	for (size_t i = 0; i < c->nenvfrom; i++)
		free(c->envfrom[i].name);
	free(c->envfrom);
	for (int k = 0; k < PROBE_KIND_COUNT; k++) {
		strv_free(c->probes[k].exec);
		free(c->probes[k].path);
	}
}

void pod_spec_free(struct pod_spec *pod)
{
	if (!pod)
		return;
	free(pod->name);
	free(pod->file);
	for (size_t i = 0; i < pod->nports; i++) {
		free(pod->ports[i].host_ip);
		free(pod->ports[i].text);
	}
	free(pod->ports);
	free(pod->hostname);
	free(pod->log_size);
	strv_free(pod->warnings);
	strv_free(pod->labels);
	free(pod->namespace);
	for (size_t i = 0; i < pod->ncontainers; i++)
		container_spec_clear(&pod->containers[i]);
	free(pod->containers);
	free(pod);
}
