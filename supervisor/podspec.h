/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Pod specs: INI files (docs/pod-spec.md) -> struct pod_spec -> one struct
 * bspec per container instance. Parsing never touches the system: it reads
 * the file and validates every key; filling a bspec needs the resolved
 * image (lowers + config) from the caller.
 *
 * Ownership: a pod_spec owns all its memory (pod_spec_free). */
#ifndef BERTH_SUPERVISOR_PODSPEC_H
#define BERTH_SUPERVISOR_PODSPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/err.h"
#include "runtime/spec.h"

#define POD_NAME_MAX 30 /* POD-REPLICA-CONTAINER fits a 64-char container id */
#define POD_MAX_REPLICAS 100
#define POD_MAX_CONTAINERS 16

enum restart_policy { RESTART_ALWAYS, RESTART_ON_FAILURE, RESTART_NEVER };
enum pod_network { PODNET_BRIDGE, PODNET_NONE, PODNET_HOST };
enum probe_kind { PROBE_STARTUP, PROBE_LIVENESS, PROBE_READINESS, PROBE_KIND_COUNT };
enum probe_type { PROBE_NONE, PROBE_EXEC, PROBE_HTTP, PROBE_TCP };

struct probe_spec {
	enum probe_type type; /* PROBE_NONE: no probe of this kind */
	char **exec;	      /* argv for PROBE_EXEC */
	uint16_t port;	      /* PROBE_HTTP / PROBE_TCP, on 127.0.0.1 in the pod */
	char *path;	      /* PROBE_HTTP, default "/" */
	uint64_t initial_delay_ms, period_ms, timeout_ms;
	unsigned success_threshold, failure_threshold;
};

struct port_spec {
	char *host_ip;	    /* NULL = all addresses */
	uint16_t host_port, container_port;
	bool udp;
	char *text;	    /* as written, for the network part */
};

struct mount_spec {
	char *source;	    /* host path (absolute) or a named volume */
	char *target;
	bool named;	    /* source is a volume name under ROOT/volumes */
	bool readonly;
};

/* configs = NAME:PATH, secrets = NAME:PATH, env-from = config:NAME|secret:NAME:
 * objects of the store (store/objects.h) in the pod's namespace. */
enum objref_kind { OBJREF_CONFIG, OBJREF_SECRET };
struct objref_spec {
	enum objref_kind kind;
	char *name;
	char *target;	    /* where it is mounted; NULL for env-from */
	char version[24];   /* the store's version in use: set by podspec_store_resolve */
};

struct device_spec {
	char *host_path;
	char *ctr_path;
	char access[4];	    /* subset of "rwm" */
};

struct container_spec {
	char *name;
	char *image;	    /* an image reference, or an absolute rootfs directory */
	char **command;	    /* NULL = image Cmd */
	char **entrypoint;  /* NULL = image Entrypoint */
	char **env;	    /* "K=V", env-file first then env */
	char *workdir;
	char *user;	    /* "uid[:gid]" or a name in the image */
	int64_t memory, memory_high, pids, cpu_weight; /* BSPEC_UNSET */
	uint64_t millicpus;	/* 0 = no limit */
	bool read_only;
	bool init;	    /* a tiny init as pid 1 (default true) */
	struct device_spec *devices;
	size_t ndevices;
	uint64_t cap_add, cap_drop; /* bit masks; cap_drop ALL = ~0 */
	struct mount_spec *mounts;
	size_t nmounts;
	char **tmpfs;	    /* "PATH[:OPTIONS]" */
	struct objref_spec *objmounts; /* configs = and secrets = */
	size_t nobjmounts;
	struct objref_spec *envfrom;
	size_t nenvfrom;
	int reload_signal;  /* reload =: swap mounted configs/secrets and signal; 0 = recreate */
	int stop_signal;    /* 0 = image's or SIGTERM */
	uint64_t stop_timeout_ms; /* 0 = the pod's stop-grace */
	struct probe_spec probes[PROBE_KIND_COUNT];
};

struct pod_spec {
	char *name;
	char *file;	    /* the path it came from */
	unsigned replicas;
	enum restart_policy restart;
	uint64_t backoff_base_ms, backoff_max_ms, backoff_reset_ms;
	enum pod_network network;
	struct port_spec *ports;
	size_t nports;
	char *hostname;	    /* NULL = the replica's name */
	bool share_pid;
	uint64_t stop_grace_ms;
	char *log_size;	    /* as written, for display */
	uint64_t log_max_bytes;
	unsigned log_files;
	struct container_spec *containers;
	size_t ncontainers;
	char **warnings;    /* one line each, e.g. an env-file others can read */
	/* the pod's service (not part of the sandbox: changed in place) */
	char **labels;	    /* "KEY=VALUE", for services' selectors */
	bool affinity;	    /* session-affinity = client-ip */
	char *namespace;    /* NULL = "default"; other namespaces' pods are named NAME.NAMESPACE */
	uint64_t affinity_timeout_ms;
};

/* Defaults (docs/pod-spec.md explains the choices). */
#define POD_DEFAULT_BACKOFF_BASE_MS 1000ULL
#define POD_DEFAULT_BACKOFF_MAX_MS 60000ULL
#define POD_DEFAULT_BACKOFF_RESET_MS 60000ULL
#define POD_DEFAULT_STOP_GRACE_MS 10000ULL
#define POD_DEFAULT_LOG_MAX_BYTES (256ULL << 10)
#define POD_DEFAULT_LOG_FILES 2
#define POD_DEFAULT_AFFINITY_MS (3ULL * 3600 * 1000) /* Kubernetes' 10800 s */

/* Parse and validate PATH. The pod's name is [pod] name, or the file name
 * without ".pod". Errors look like
 *	web.pod: [container app] memory: "12Q" is not a size
 * Caller owns *ret (pod_spec_free). */
int pod_spec_load(const char *path, struct pod_spec **ret, berr *err);
void pod_spec_free(struct pod_spec *pod);
/* Deep equality of what makes a container instance: a change recreates it. */
bool container_spec_equal(const struct container_spec *a, const struct container_spec *b);
/* Equality of the pod-wide settings that need every replica recreated
 * (network, ports, hostname, pid sharing, containers added/removed). */
bool pod_spec_sandbox_equal(const struct pod_spec *a, const struct pod_spec *b);
/* Hashes of the same (FNV-1a), kept in the daemon's state so that a
 * restarted daemon notices a spec changed while it was down. */
uint64_t container_spec_hash(const struct container_spec *c);
uint64_t pod_spec_sandbox_hash(const struct pod_spec *p);
/* Everything equal (nothing to do on reload). */
bool pod_spec_equal_all(const struct pod_spec *a, const struct pod_spec *b);

/* The image as the caller resolved it: overlay lowers (top first) or a
 * plain rootfs directory, plus the image config's defaults. */
struct image_defaults {
	char **lowers;	    /* NULL when rootfs is set */
	char *rootfs;
	char **entrypoint, **cmd, **env;
	char *workdir, *user;
	int stop_signal;    /* 0 = none */
};

/* Fill a new bspec for container CTR of POD (replica named INSTANCE, e.g.
 * "web-1") from the image defaults IMG. The caller sets the namespaces to
 * join, the rootfs upper/work dirs and the cgroup path afterwards. ROOT
 * is the state root (named volumes live in ROOT/volumes/NAME).
 * Caller owns *ret (bspec_free). */
int pod_spec_fill_bspec(const struct pod_spec *pod, const struct container_spec *ctr,
			const char *instance, const struct image_defaults *img, const char *root,
			struct bspec **ret, berr *err);

const char *restart_policy_name(enum restart_policy p);
const char *probe_kind_name(enum probe_kind k);
/* Valid names: [a-z0-9][a-z0-9_.-]*, at most MAX characters. */
bool podspec_name_valid(const char *s, size_t max);
/* A namespace name: a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63). */
bool podspec_namespace_valid(const char *s);
/* "default" for NULL */
static inline const char *podspec_ns(const char *ns) { return ns ? ns : "default"; }
/* A label or selector item "KEY=VALUE": both [A-Za-z0-9][A-Za-z0-9_.-]*,
 * at most 63 characters. */
bool podspec_label_valid(const char *kv);
/* "a=b c=d" -> {"a=b", "c=d"}, each valid; -EINVAL names the bad one in
 * *ret_bad (points into S's copy; caller frees *ret). */
int podspec_labels_parse(const char *s, char ***ret, char **ret_bad);
/* Split a command line into words: blanks separate, '...' and "..." quote,
 * backslash escapes. -EINVAL on an unclosed quote. Caller owns *ret. */
int split_words(const char *s, char ***ret);
/* "TERM", "SIGTERM", "15" -> 15; -EINVAL when unknown. */
int parse_signal(const char *s);

#endif
