// SPDX-License-Identifier: GPL-2.0-or-later
/* berth run: flags -> struct bspec -> runtime. */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/image.h"
#include "cli/net.h"
#include "cli/run.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "lib/units.h"
#include "runtime/container.h"

struct run_opts {
	bool rm, detach, tty, interactive;
	const char *name, *user, *workdir, *hostname, *rootfs, *network, *ip;
	char **env, **publish;
	bool from_image;	/* rootfs from the image store: release it with the container */
	struct net_run *net;	/* bridge / container:NAME networking, until started */
	char **cap_add, **cap_drop;
	bool overlay;
	char *id;
	char *owned_dir;	/* ROOT/containers/ID for an overlay root */
	char *etc_dir;		/* temporary /etc files, removed after start */
};

static void usage_run(void)
{
	fprintf(stderr,
		"Usage: berth run [OPTIONS] (IMAGE | --rootfs DIR[:O]) [CMD...]\n"
		"  --rm  --name N  -d  -t  -i  -e K=V  -w DIR  -u USER[:GROUP]  --hostname H\n"
		"  --memory SIZE  --memory-high SIZE  --cpus N  --pids-limit N  --read-only\n"
		"  --cap-add C  --cap-drop C  --security-opt seccomp=unconfined|no-new-privileges[=false]\n"
		"  -v SRC:DST[:ro,...]  --tmpfs DST[:opts]  --device HOST[:CTR][:rwm]  --sysctl K=V\n"
		"  --network none|host|bridge|container:NAME  -p [HOSTIP:]HOSTPORT:PORT[/udp]  --ip ADDR\n"
		"  --init  --uidmap CTR:HOST:N  --gidmap CTR:HOST:N (user namespace)\n"
		"  --rootfs DIR:O  runs on an overlay of DIR with a throw-away upper layer\n");
}

/* The image store hook: IMAGE becomes overlay lowers, an upper under
 * ROOT/containers/ID (removed with the container) and the image's defaults. */
static int resolve_image(struct cli *cli, const char *image, struct bspec *spec, struct run_opts *o,
			 berr *err)
{
	int r = image_fill_spec(cli, image, NULL, spec, err);
	if (r < 0)
		return r;
	o->from_image = true;
	if (asprintf(&o->owned_dir, "%s/containers/%s", cli->root, spec->id) < 0)
		return berr_errno(err, ENOMEM, "run");
	return 0;
}

/* The network hook: --network and -p become namespaces, a lease, rules and
 * the /etc/hosts and /etc/resolv.conf the container sees. The default is
 * the bridge, as Docker's (none when networking is compiled out). Called
 * last in build_spec (it replaces the /etc files). */
static int apply_network(struct cli *cli, struct run_opts *o, struct bspec *spec, berr *err)
{
	const char *mode = o->network ? o->network : IS_ENABLED(CONFIG_NET) ? "bridge" : "none";
	pid_t join_pid = 0;

	if (!strcmp(mode, "none") || !strcmp(mode, "host")) {
		if (o->publish || o->ip)
			return berr_fail(err, EINVAL, "-p and --ip need --network bridge, not \"%s\"", mode);
		if (!strcmp(mode, "host"))
			spec->ns[BNS_NET].create = false;
		return 0;
	}
	if (!strncmp(mode, "container:", 10)) {
		struct container_state *st = NULL;
		if (container_state_load(cli->run_dir, mode + 10, &st, err) < 0)
			return berr_prefix(err, "--network %s", mode);
		join_pid = st->status == CONTAINER_RUNNING ? st->pid : 0;
		container_state_free(st);
		if (!join_pid)
			return berr_fail(err, ESRCH, "--network %s: container \"%s\" is not running", mode,
					 mode + 10);
	}
	struct net_run_opts no = { .name = spec->id, .network = mode, .publish = o->publish, .ip = o->ip,
				   .hostname = o->hostname, .join_pid = join_pid };
	return net_run_setup(cli, &no, spec, &o->net, err);
}

/* Give back what run took from the image store and the network. */
static void release_run(struct cli *cli, struct run_opts *o, const char *id)
{
	berr e = { 0 };
	if (o->net) {
		net_run_teardown(cli, o->net);
		net_run_free(o->net);
		o->net = NULL;
	}
	if (o->from_image && image_release_spec(cli, id, &e) < 0)
		log_warn("%s", e.msg);
}

static int add_mount(struct bspec *spec, enum bspec_mount_kind kind, const char *src, const char *dst,
		     const char *opts, unsigned long def_flags, const char *def_data, berr *err)
{
	unsigned long flags, prop;
	char *data = NULL;
	if (mount_options_parse(opts, &flags, &prop, &data) < 0)
		return berr_errno(err, ENOMEM, "Mount options");
	struct bspec_mount *nm = realloc(spec->mounts, (spec->nmounts + 1) * sizeof(*nm));
	if (!nm) {
		free(data);
		return berr_errno(err, ENOMEM, "Mount");
	}
	spec->mounts = nm;
	struct bspec_mount *m = &nm[spec->nmounts++];
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->source = src ? strdup(src) : NULL;
	m->target = strdup(dst);
	m->flags = flags | def_flags | (kind == BMNT_BIND ? MS_BIND | MS_REC : 0);
	m->propagation = prop;
	m->data = data ? data : (def_data ? strdup(def_data) : NULL);
	return 0;
}

/* -v SRC:DST[:OPTS] */
static int parse_volume(struct bspec *spec, const char *arg, berr *err)
{
	_cleanup_free_ char *a = strdup(arg);
	char *dst = a ? strchr(a, ':') : NULL;
	if (!dst)
		return berr_fail(err, EINVAL, "Volume \"%s\": expected SRC:DST[:OPTIONS]", arg);
	*dst++ = '\0';
	char *opts = strchr(dst, ':');
	if (opts)
		*opts++ = '\0';
	if (a[0] != '/')
		return berr_fail(err, EINVAL, "Volume \"%s\": named volumes are not supported, use an absolute path", arg);
	if (dst[0] != '/')
		return berr_fail(err, EINVAL, "Volume \"%s\": the target must be absolute", arg);
	struct stat st;
	if (stat(a, &st) < 0)
		return berr_errno(err, errno, "Mount source \"%s\"", a);
	return add_mount(spec, BMNT_BIND, a, dst, opts, 0, NULL, err);
}

static int parse_tmpfs(struct bspec *spec, const char *arg, berr *err)
{
	_cleanup_free_ char *a = strdup(arg);
	char *opts = a ? strchr(a, ':') : NULL;
	if (!a)
		return -ENOMEM;
	if (opts)
		*opts++ = '\0';
	if (a[0] != '/')
		return berr_fail(err, EINVAL, "tmpfs \"%s\": the target must be absolute", arg);
	return add_mount(spec, BMNT_TMPFS, "tmpfs", a, opts, MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 opts && strstr(opts, "size=") ? NULL : "size=65536k", err);
}

/* --device HOST[:CTR][:rwm] */
static int parse_device(struct bspec *spec, const char *arg, berr *err)
{
	_cleanup_free_ char *a = strdup(arg);
	if (!a)
		return -ENOMEM;
	char *ctr = strchr(a, ':'), *perm = NULL;
	if (ctr) {
		*ctr++ = '\0';
		perm = strchr(ctr, ':');
		if (perm)
			*perm++ = '\0';
		else if (ctr[0] != '/')
			perm = ctr, ctr = NULL;
	}
	if (perm && (!*perm || strspn(perm, "rwm") != strlen(perm)))
		return berr_fail(err, EINVAL, "Device \"%s\": permissions must be a subset of rwm", arg);
	struct stat st;
	if (stat(a, &st) < 0)
		return berr_errno(err, errno, "Device \"%s\"", a);
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return berr_fail(err, EINVAL, "Device \"%s\" is not a device node", a);
	const char *path = ctr && *ctr ? ctr : a;
	if (strncmp(path, "/dev/", 5))
		return berr_fail(err, EINVAL, "Device \"%s\": the container path must be under /dev", arg);
	struct bspec_device *nd = realloc(spec->devices, (spec->ndevices + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	spec->devices = nd;
	struct bspec_device *d = &nd[spec->ndevices++];
	memset(d, 0, sizeof(*d));
	d->path = strdup(path);
	d->type = S_ISCHR(st.st_mode) ? 'c' : 'b';
	d->major = major(st.st_rdev);
	d->minor = minor(st.st_rdev);
	d->mode = st.st_mode & 07777;
	d->uid = st.st_uid;
	d->gid = st.st_gid;
	return 0;
}

static int parse_sysctl(struct bspec *spec, const char *arg, berr *err)
{
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return berr_fail(err, EINVAL, "sysctl \"%s\": expected KEY=VALUE", arg);
	struct bspec_sysctl *ns = realloc(spec->sysctls, (spec->nsysctls + 1) * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	spec->sysctls = ns;
	ns[spec->nsysctls].key = strndup(arg, (size_t)(eq - arg));
	ns[spec->nsysctls].value = strdup(eq + 1);
	spec->nsysctls++;
	return 0;
}

static int parse_security_opt(struct bspec *spec, const char *arg, berr *err)
{
	if (!strcmp(arg, "seccomp=unconfined") || !strcmp(arg, "seccomp:unconfined"))
		spec->process.seccomp_mode = BSECCOMP_UNCONFINED;
	else if (!strcmp(arg, "no-new-privileges") || !strcmp(arg, "no-new-privileges=true") ||
		 !strcmp(arg, "no-new-privileges:true"))
		spec->process.no_new_privs = true;
	else if (!strcmp(arg, "no-new-privileges=false") || !strcmp(arg, "no-new-privileges:false"))
		spec->process.no_new_privs = false;
	else if (!strcmp(arg, "apparmor=unconfined") || !strcmp(arg, "label=disable") ||
		 !strcmp(arg, "label:disable"))
		; /* nothing to relax: berth applies neither */
	else
		return berr_fail(err, EINVAL, "Unknown --security-opt \"%s\"", arg);
	return 0;
}

/* Docker's order: --cap-drop (ALL empties the set), then --cap-add. */
static int apply_caps(struct bspec *spec, struct run_opts *o, berr *err)
{
	uint64_t caps = spec->process.caps.bounding;
	for (char **c = o->cap_drop; c && *c; c++) {
		int n;
		if (cap_parse_name(*c, &n) < 0)
			return berr_fail(err, EINVAL, "Unknown capability \"%s\"", *c);
		caps &= n < 0 ? 0 : ~(1ULL << n);
	}
	for (char **c = o->cap_add; c && *c; c++) {
		int n;
		if (cap_parse_name(*c, &n) < 0)
			return berr_fail(err, EINVAL, "Unknown capability \"%s\"", *c);
		caps |= n < 0 ? ~0ULL : 1ULL << n;
	}
	spec->process.caps = (struct bspec_caps){ caps, caps, caps, 0, 0 };
	return 0;
}

static int parse_limit(const char *flag, const char *v, struct bspec *spec, berr *err)
{
	uint64_t u;
	int64_t i;
	if (!strcmp(flag, "memory") || !strcmp(flag, "memory-high")) {
		if (parse_size(v, &u) < 0 || u == 0)
			return berr_fail(err, EINVAL, "--%s: \"%s\" is not a size", flag, v);
		*(flag[6] ? &spec->cgroup.memory_high : &spec->cgroup.memory_max) = (int64_t)u;
	} else if (!strcmp(flag, "cpus")) {
		if (parse_cpus(v, &u) < 0)
			return berr_fail(err, EINVAL, "--cpus: \"%s\" is not a positive number of CPUs", v);
		spec->cgroup.cpu_period_us = 100000;
		spec->cgroup.cpu_quota_us = (int64_t)u * 100;
	} else if (!strcmp(flag, "pids-limit")) {
		if (parse_int64(v, -1, INT64_MAX, &i) < 0 || i == 0)
			return berr_fail(err, EINVAL, "--pids-limit: \"%s\" is not a positive number", v);
		spec->cgroup.pids_max = i;
	}
	return 0;
}

/* --uidmap CONTAINER:HOST:SIZE (podman's syntax), repeatable */
static int parse_idmap(const char *flag, const char *arg, struct bspec_idmap **map, size_t *n, berr *err)
{
	unsigned long c, h, sz;
	char tail;
	if (!IS_ENABLED(CONFIG_USERNS))
		return berr_fail(err, ENOTSUP, "%s: berth was built without user namespaces (CONFIG_USERNS)", flag);
	if (sscanf(arg, "%lu:%lu:%lu%c", &c, &h, &sz, &tail) != 3 || sz == 0 || c > UINT32_MAX ||
	    h > UINT32_MAX || sz > UINT32_MAX || c + sz - 1 > UINT32_MAX || h + sz - 1 > UINT32_MAX)
		return berr_fail(err, EINVAL, "%s \"%s\": expected CONTAINER_ID:HOST_ID:SIZE", flag, arg);
	struct bspec_idmap *nm = realloc(*map, (*n + 1) * sizeof(*nm));
	if (!nm)
		return -ENOMEM;
	nm[(*n)++] = (struct bspec_idmap){ (uint32_t)c, (uint32_t)h, (uint32_t)sz };
	*map = nm;
	return 0;
}

enum { O_RM = 256, O_NAME, O_HOSTNAME, O_MEMORY, O_MEMHIGH, O_CPUS, O_PIDS, O_RO, O_CAPADD, O_CAPDROP,
       O_SECOPT, O_TMPFS, O_DEVICE, O_NETWORK, O_INIT, O_ROOTFS, O_SYSCTL, O_IP, O_UIDMAP, O_GIDMAP };

static int parse_run_args(int argc, char **argv, struct bspec *spec, struct run_opts *o, berr *err)
{
	static const struct option opts[] = {
		{ "rm", no_argument, NULL, O_RM },	    { "name", required_argument, NULL, O_NAME },
		{ "detach", no_argument, NULL, 'd' },	    { "tty", no_argument, NULL, 't' },
		{ "interactive", no_argument, NULL, 'i' }, { "env", required_argument, NULL, 'e' },
		{ "workdir", required_argument, NULL, 'w' }, { "user", required_argument, NULL, 'u' },
		{ "hostname", required_argument, NULL, O_HOSTNAME }, { "memory", required_argument, NULL, O_MEMORY },
		{ "memory-high", required_argument, NULL, O_MEMHIGH }, { "cpus", required_argument, NULL, O_CPUS },
		{ "pids-limit", required_argument, NULL, O_PIDS }, { "read-only", no_argument, NULL, O_RO },
		{ "cap-add", required_argument, NULL, O_CAPADD }, { "cap-drop", required_argument, NULL, O_CAPDROP },
		{ "security-opt", required_argument, NULL, O_SECOPT }, { "volume", required_argument, NULL, 'v' },
		{ "tmpfs", required_argument, NULL, O_TMPFS }, { "device", required_argument, NULL, O_DEVICE },
		{ "network", required_argument, NULL, O_NETWORK }, { "net", required_argument, NULL, O_NETWORK },
		{ "init", no_argument, NULL, O_INIT },	    { "rootfs", required_argument, NULL, O_ROOTFS },
		{ "sysctl", required_argument, NULL, O_SYSCTL }, { "help", no_argument, NULL, 'h' },
		{ "publish", required_argument, NULL, 'p' }, { "ip", required_argument, NULL, O_IP },
		{ "uidmap", required_argument, NULL, O_UIDMAP }, { "gidmap", required_argument, NULL, O_GIDMAP },
		{ 0 },
	};
	int c, r = 0;
	while (r == 0 && (c = getopt_long(argc, argv, "+dtie:w:u:v:m:hp:", opts, NULL)) != -1) {
		switch (c) {
		case O_RM: o->rm = true; break;
		case O_NAME: o->name = optarg; break;
		case 'd': o->detach = true; break;
		case 't': o->tty = true; break;
		case 'i': o->interactive = true; break;
		case 'e': r = strv_add(&o->env, optarg); break;
		case 'w': o->workdir = optarg; break;
		case 'u': o->user = optarg; break;
		case O_HOSTNAME: o->hostname = optarg; break;
		case 'm':
		case O_MEMORY: r = parse_limit("memory", optarg, spec, err); break;
		case O_MEMHIGH: r = parse_limit("memory-high", optarg, spec, err); break;
		case O_CPUS: r = parse_limit("cpus", optarg, spec, err); break;
		case O_PIDS: r = parse_limit("pids-limit", optarg, spec, err); break;
		case O_RO: spec->readonly_rootfs = true; break;
		case O_CAPADD: r = strv_add(&o->cap_add, optarg); break;
		case O_CAPDROP: r = strv_add(&o->cap_drop, optarg); break;
		case O_SECOPT: r = parse_security_opt(spec, optarg, err); break;
		case 'v': r = parse_volume(spec, optarg, err); break;
		case O_TMPFS: r = parse_tmpfs(spec, optarg, err); break;
		case O_DEVICE: r = parse_device(spec, optarg, err); break;
		case O_NETWORK: o->network = optarg; break;
		case 'p': r = strv_add(&o->publish, optarg); break;
		case O_IP: o->ip = optarg; break;
		case O_UIDMAP: r = parse_idmap("--uidmap", optarg, &spec->uid_map, &spec->nuid_map, err); break;
		case O_GIDMAP: r = parse_idmap("--gidmap", optarg, &spec->gid_map, &spec->ngid_map, err); break;
		case O_INIT: spec->init = true; break;
		case O_ROOTFS: o->rootfs = optarg; break;
		case O_SYSCTL: r = parse_sysctl(spec, optarg, err); break;
		case 'h': usage_run(); exit(0);
		default: return berr_fail(err, EINVAL, "Bad arguments (see berth run --help)");
		}
	}
	if (r < 0 && !err->code)
		return berr_errno(err, -r, "run");
	return r;
}

/* Hostname, hosts and resolv.conf in a temporary directory: bind-mounted
 * into the container, then removed (the mounts keep the files alive). */
static int write_etc_files(struct cli *cli, struct bspec *spec, struct run_opts *o, berr *err)
{
	char tmpl[4096];
	snprintf(tmpl, sizeof(tmpl), "%s/tmp-etc-XXXXXX", cli->run_dir);
	if (mkdir_p(cli->run_dir, 0700, err) < 0)
		return -err->code;
	if (!mkdtemp(tmpl))
		return berr_errno(err, errno, "Create \"%s\"", tmpl);
	o->etc_dir = strdup(tmpl);
	_cleanup_close_ int dfd = open(tmpl, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (!o->etc_dir || dfd < 0)
		return berr_errno(err, errno ? errno : ENOMEM, "Open \"%s\"", tmpl);
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%s\n", spec->hostname);
	int r = write_file_atomic(dfd, "hostname", buf, (size_t)n, 0644, err);
	n = snprintf(buf, sizeof(buf),
		     "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t%s\n",
		     spec->hostname);
	if (r == 0)
		r = write_file_atomic(dfd, "hosts", buf, (size_t)n, 0644, err);
	_cleanup_free_ char *resolv = NULL;
	berr e2;
	size_t len = 0;
	if (read_file_at(AT_FDCWD, "/etc/resolv.conf", 65536, &resolv, &len, &e2) < 0 ||
	    (o->network && !strcmp(o->network, "none"))) {
		free(resolv);
		resolv = strdup("");
		len = 0;
	}
	if (r == 0)
		r = write_file_atomic(dfd, "resolv.conf", resolv ? resolv : "", len, 0644, err);
	if (r < 0)
		return r;
	if (asprintf(&spec->etc_hostname, "%s/hostname", tmpl) < 0 ||
	    asprintf(&spec->etc_hosts, "%s/hosts", tmpl) < 0 ||
	    asprintf(&spec->etc_resolv_conf, "%s/resolv.conf", tmpl) < 0)
		return berr_errno(err, ENOMEM, "run");
	return 0;
}

static void remove_path(const char *path)
{
	_cleanup_free_ char *d = path ? strdup(path) : NULL;
	char *slash = d ? strrchr(d, '/') : NULL;
	if (!slash || slash == d)
		return;
	*slash = '\0';
	_cleanup_close_ int pfd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd >= 0)
		rm_rf_at(pfd, slash + 1);
}

/* --rootfs DIR[:O] */
static int setup_rootfs(struct cli *cli, struct bspec *spec, struct run_opts *o, berr *err)
{
	size_t n = strlen(o->rootfs);
	_cleanup_free_ char *dir = strdup(o->rootfs);
	if (!dir)
		return -ENOMEM;
	if (n > 2 && !strcmp(dir + n - 2, ":O")) {
		dir[n - 2] = '\0';
		o->overlay = true;
	}
	struct stat st;
	if (stat(dir, &st) < 0)
		return berr_errno(err, errno, "Rootfs \"%s\"", dir);
	if (!S_ISDIR(st.st_mode))
		return berr_fail(err, ENOTDIR, "Rootfs \"%s\" is not a directory", dir);
	if (!o->overlay) {
		spec->rootfs = realpath(dir, NULL);
		return spec->rootfs ? 0 : berr_errno(err, errno, "Rootfs \"%s\"", dir);
	}
	char base[4096];
	snprintf(base, sizeof(base), "%s/containers", cli->root);
	if (mkdir_p(base, 0700, err) < 0)
		return -err->code;
	if (asprintf(&o->owned_dir, "%s/%s", base, o->id) < 0)
		return -ENOMEM;
	if (mkdir(o->owned_dir, 0700) < 0) {
		int e = errno;
		free(o->owned_dir);
		o->owned_dir = NULL;
		if (e == EEXIST)
			return berr_fail(err, EEXIST, "Container name \"%s\" is already in use", o->id);
		return berr_errno(err, e, "Create \"%s/%s\"", base, o->id);
	}
	if (strv_push(&spec->rootfs_lowers, realpath(dir, NULL)) < 0 || !spec->rootfs_lowers[0] ||
	    asprintf(&spec->rootfs_upper, "%s/upper", o->owned_dir) < 0 ||
	    asprintf(&spec->rootfs_work, "%s/work", o->owned_dir) < 0 ||
	    asprintf(&spec->rootfs, "%s/merged", o->owned_dir) < 0)
		return berr_errno(err, ENOMEM, "Rootfs");
	if (mkdir(spec->rootfs_upper, 0755) < 0 || mkdir(spec->rootfs_work, 0700) < 0 ||
	    mkdir(spec->rootfs, 0755) < 0)
		return berr_errno(err, errno, "Create the overlay dirs in \"%s\"", o->owned_dir);
	return 0;
}

/* Put KV ("K=V", owned) into ENV, replacing an earlier K (the user's -e wins
 * over the image's Env); with KEEP, an existing K stays and KV is dropped. */
static int env_set(char ***env, char *kv, bool keep)
{
	if (!kv)
		return -ENOMEM;
	size_t klen = strcspn(kv, "=");
	for (char **e = *env; e && *e; e++) {
		if (!strncmp(*e, kv, klen) && (*e)[klen] == '=') {
			if (keep) {
				free(kv);
			} else {
				free(*e);
				*e = kv;
			}
			return 0;
		}
	}
	return strv_push(env, kv);
}

static int build_spec(struct cli *cli, int argc, char **argv, struct bspec *spec, struct run_opts *o,
		      berr *err)
{
	char idbuf[13];
	int r = parse_run_args(argc, argv, spec, o, err);
	if (r < 0)
		return r;
	argc -= optind;
	argv += optind;
	if (o->name && !container_id_valid(o->name))
		return berr_fail(err, EINVAL, "Invalid container name \"%s\"", o->name);
	if (!o->name)
		container_id_random(idbuf);
	o->id = strdup(o->name ? o->name : idbuf);
	spec->id = strdup(o->id);
	struct container_state *taken = NULL;
	if (o->id && container_state_load(cli->run_dir, o->id, &taken, NULL) == 0) {
		container_state_free(taken); /* before the image store or the network is touched */
		return berr_fail(err, EEXIST, "Container name \"%s\" is already in use", o->id);
	}
	spec->hostname = strndup(o->hostname ? o->hostname : o->id, 63);
	if (!o->rootfs) {
		if (argc < 1)
			return berr_fail(err, EINVAL, "No image or --rootfs given (see berth run --help)");
		const char *image = argv[0];
		argc--, argv++;
		if (argc > 0 && !(spec->process.args = strv_dup(argv)))
			return -ENOMEM;
		r = resolve_image(cli, image, spec, o, err);
		if (r < 0)
			return r;
		if (!spec->process.args || !spec->process.args[0])
			return berr_fail(err, EINVAL, "No command given and image \"%s\" has none", image);
	} else {
		if (argc < 1)
			return berr_fail(err, EINVAL, "No command given");
		if (!(spec->process.args = strv_dup(argv)))
			return -ENOMEM;
	}
	if ((r = apply_caps(spec, o, err)) < 0)
		return r;
	if (spec->nuid_map || spec->ngid_map) {
		spec->ns[BNS_USER].create = true;
		if (!spec->ngid_map) { /* podman: the gid map defaults to the uid map */
			spec->gid_map = malloc(spec->nuid_map * sizeof(*spec->gid_map));
			if (!spec->gid_map)
				return -ENOMEM;
			memcpy(spec->gid_map, spec->uid_map, spec->nuid_map * sizeof(*spec->gid_map));
			spec->ngid_map = spec->nuid_map;
		}
	}
	if (o->workdir) {
		free(spec->process.cwd);
		spec->process.cwd = strdup(o->workdir);
	}
	spec->process.terminal = o->tty;
	_cleanup_free_ char *home = NULL;
	if (o->rootfs && (r = setup_rootfs(cli, spec, o, err)) < 0)
		return r;
	if (o->user && o->from_image) {
		if ((r = image_spec_user(spec, o->user, err)) < 0)
			return r;
	} else if (o->user) {
		const char *root = spec->rootfs_lowers ? spec->rootfs_lowers[0] : spec->rootfs;
		if ((r = cli_parse_user(o->user, root, &spec->process, &home, err)) < 0)
			return r;
	}
	char *env_defaults[] = { NULL, NULL, NULL };
	if (asprintf(&env_defaults[0], "HOSTNAME=%s", spec->hostname) < 0 ||
	    asprintf(&env_defaults[1], "HOME=%s", home ? home : spec->process.uid ? "/" : "/root") < 0)
		return -ENOMEM;
	for (int i = 0; i < 2; i++)
		env_set(&spec->process.env, env_defaults[i], i == 1 && !home); /* image's HOME stays */
	if (o->tty)
		env_set(&spec->process.env, strdup("TERM=xterm"), false);
	for (char **e = o->env; e && *e; e++) {
		if (!strchr(*e, '=')) {
			const char *v = getenv(*e); /* -e NAME passes the caller's value */
			if (!v)
				continue;
			char *kv;
			if (asprintf(&kv, "%s=%s", *e, v) < 0 || env_set(&spec->process.env, kv, false) < 0)
				return -ENOMEM;
		} else if (env_set(&spec->process.env, strdup(*e), false) < 0) {
			return -ENOMEM;
		}
	}
	if ((r = write_etc_files(cli, spec, o, err)) < 0)
		return r;
	return apply_network(cli, o, spec, err);
}

static int run_foreground(struct cli *cli, struct bspec *spec, struct run_opts *o,
			  struct container_opts *copts)
{
	struct container *c;
	berr err = { 0 };
	int status;
	bool oom = false;

	cli_block_signals();
	if (container_run(spec, copts, &c, &err) < 0) {
		log_error("%s", err.msg);
		release_run(cli, o, spec->id);
		return EXIT_BERTH;
	}
	if (o->net) {
		net_run_started(o->net); /* the container holds the netns now */
		net_run_free(o->net);
		o->net = NULL;
	}
	remove_path(o->etc_dir);
	cli_wait_forward(c->pidfd, c->pid, c->pty_master);
	if (container_wait(c, &status, &oom, &err) < 0) {
		log_error("%s", err.msg);
		status = EXIT_BERTH;
	}
	trace_phase("exited");
	if (oom)
		log_error("Container \"%s\" was killed: out of memory (OOMKilled)", spec->id);
	if (o->rm && container_delete(cli->run_dir, spec->id, true, &err) < 0)
		log_warn("%s", err.msg);
	trace_phase("removed");
	net_run_release(cli, spec->id); /* the namespace died with the container */
	if (o->rm)
		release_run(cli, o, spec->id);
	container_free(c);
	return status;
}

int cmd_run(struct cli *cli, int argc, char **argv)
{
	struct bspec *spec;
	struct run_opts o = { 0 };
	struct container_opts copts;
	berr err = { 0 };
	int rc;

	if (cli_protect_exe() < 0) /* CVE-2019-5736: may re-execute from a sealed copy */
		return EXIT_BERTH;
	spec = bspec_new_default();
	if (!spec) {
		log_error("Out of memory");
		return EXIT_BERTH;
	}
	container_opts_init(&copts);
	if (build_spec(cli, argc, argv, spec, &o, &err) < 0) {
		log_error("%s", err.msg[0] ? err.msg : strerror(err.code ? err.code : ENOMEM));
		release_run(cli, &o, spec->id ? spec->id : "");
		if (o.owned_dir)
			remove_path(o.owned_dir);
		remove_path(o.etc_dir);
		rc = EXIT_BERTH;
		goto out;
	}
	copts.run_dir = cli->run_dir;
	copts.remove_on_exit = o.rm;
	copts.owned_dir = o.owned_dir;
	if (o.detach) {
		if (o.tty) {
			log_error("-t with -d is not supported: the terminal would have no reader");
			rc = EXIT_BERTH;
			release_run(cli, &o, spec->id);
			remove_path(o.etc_dir);
			remove_path(o.owned_dir);
			goto out;
		}
		rc = container_run_detached(spec, &copts, NULL, &err) < 0 ? EXIT_BERTH : 0;
		remove_path(o.etc_dir);
		if (rc) {
			log_error("%s", err.msg);
			release_run(cli, &o, spec->id);
		} else {
			if (o.net)
				net_run_started(o.net);
			printf("%s\n", spec->id);
		}
		goto out;
	}
	rc = run_foreground(cli, spec, &o, &copts);
	remove_path(o.etc_dir);
out:
	bspec_free(spec);
	net_run_free(o.net);
	strv_free(o.env);
	strv_free(o.publish);
	strv_free(o.cap_add);
	strv_free(o.cap_drop);
	free(o.id);
	free(o.owned_dir);
	free(o.etc_dir);
	return rc;
}
