// SPDX-License-Identifier: GPL-2.0-or-later
/* berth check: the items, what each costs, and the evidence for each. The
 * order of evidence is: what the running kernel shows (/proc, /sys, a
 * harmless syscall on the running host), then the kernel config
 * (/proc/config.gz, /boot/config-RELEASE), then the module lists
 * (modules.builtin, modules.dep). Where none of them answers, the item is
 * "unknown" and its detail says what was missing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cleanup.h"
#include "fs.h"

#define FRAGMENT "board/rpi/kernel.fragment"

static const struct {
	const char *id, *title;
	enum check_need need;
	const char *cost;
} table[CHECK__N] = {
    [CHECK_KERNEL] = {"kernel", "kernel version", CHECK_REQUIRED,
		      "berth needs pidfd_open and clone3 (Linux 5.3)"},
    [CHECK_CONFIG] =
	{"config", "kernel config", CHECK_OPTIONAL,
	 "the kernel options below are judged from /sys/module and the module lists only"},
    [CHECK_NAMESPACES] = {"namespaces", "mount, uts, ipc, pid, net namespaces", CHECK_REQUIRED,
			  "no container can start"},
    [CHECK_USERNS] = {"userns", "user namespaces", CHECK_OPTIONAL,
		      "containers that ask for a user namespace (OCI linux.uidMappings, "
		      "podman --userns) fail"},
    [CHECK_CGROUP2] = {"cgroup2", "cgroup v2 at /sys/fs/cgroup", CHECK_FEATURE,
		       "no resource limits: every limit is refused, containers run without a "
		       "cgroup and without device rules"},
    [CHECK_CG_CPU] = {"cgroup.cpu", "cpu controller", CHECK_FEATURE,
		      "CPU limits and weights (--cpus, a pod's cpus= and cpu-weight=) are refused"},
    [CHECK_CG_MEMORY] = {"cgroup.memory", "memory controller", CHECK_FEATURE,
			 "memory limits (--memory, a pod's memory= and memory-high=) are refused, "
			 "and OOM kills are not reported"},
    [CHECK_CG_IO] = {"cgroup.io", "io controller", CHECK_FEATURE,
		     "io weights (io.weight) are refused"},
    [CHECK_CG_PIDS] = {"cgroup.pids", "pids controller", CHECK_FEATURE,
		       "process limits (--pids-limit, a pod's pids=) are refused: a fork bomb "
		       "in a container can exhaust the board"},
    [CHECK_CG_CPUSET] = {"cgroup.cpuset", "cpuset controller", CHECK_OPTIONAL,
			 "CPU pinning (cpuset.cpus) is refused"},
    [CHECK_CGROUP_BPF] = {"cgroup-bpf", "cgroup BPF device rules", CHECK_REQUIRED,
			  "on cgroup v2 every container gets a device-rules BPF program: no "
			  "container can start"},
    [CHECK_SECCOMP] = {"seccomp", "seccomp filters", CHECK_REQUIRED,
		       "containers with the default seccomp profile cannot start (only "
		       "--security-opt seccomp=unconfined runs)"},
    [CHECK_OVERLAY] = {"overlay", "overlayfs", CHECK_REQUIRED,
		       "containers from images cannot start (their root is an overlay of the "
		       "image's layers)"},
    [CHECK_STORAGE] = {"storage", "storage root file system", CHECK_REQUIRED,
		       "containers from images cannot start (their overlay upper dir lives "
		       "under the storage root)"},
    [CHECK_VETH] =
	{"veth", "veth pairs", CHECK_FEATURE,
	 "pods and containers get no network of their own (only --network host or none)"},
    [CHECK_BRIDGE] = {"bridge", "bridge", CHECK_FEATURE,
		      "pods and containers get no network of their own (only --network host or "
		      "none)"},
    [CHECK_NFT] = {"nftables", "nf_tables with NAT", CHECK_FEATURE,
		   "no published ports (-p, a pod's publish=), no services, and no outbound "
		   "NAT for containers"},
    [CHECK_WATCHDOG] = {"watchdog", "hardware watchdog", CHECK_OPTIONAL,
			"berthd --watchdog cannot be used: a hung board is not reset"},
};

struct ctx {
	const char *prefix; /* "" for the running host */
	bool host;
	struct check_report *r;
	char *config;	      /* kernel .config text, NULL when not found */
	char config_why[160]; /* why not, when not */
	char *modules_dep;    /* NULL when not readable */
	char *modules_builtin;
	char *cmdline; /* NULL when not readable */
	char *mountinfo;
	char *proc_cgroups;
	bool cg2;   /* cgroup2 at /sys/fs/cgroup */
	bool cg_v1; /* some cgroup v1 hierarchy is mounted */
	char cg2_elsewhere[256];
	char *controllers; /* /sys/fs/cgroup/cgroup.controllers */
	char *subtree;	   /* /sys/fs/cgroup/cgroup.subtree_control */
};

static void ctx_free(struct ctx *c)
{
	free(c->config);
	free(c->modules_dep);
	free(c->modules_builtin);
	free(c->cmdline);
	free(c->mountinfo);
	free(c->proc_cgroups);
	free(c->controllers);
	free(c->subtree);
}

/* PATH (absolute, as on the host) below the prefix, into BUF */
static const char *hpath(const struct ctx *c, char buf[PATH_MAX], const char *path)
{
	snprintf(buf, PATH_MAX, "%s%s", c->prefix, path);
	return buf;
}

static bool hexists(const struct ctx *c, const char *path)
{
	char b[PATH_MAX];
	return access(hpath(c, b, path), F_OK) == 0;
}

/* The contents of PATH below the prefix, or NULL (errno set) */
static char *hread(const struct ctx *c, const char *path, size_t max)
{
	char b[PATH_MAX];
	char *buf = NULL;
	berr e;

	int r = read_file_at(AT_FDCWD, hpath(c, b, path), max, &buf, NULL, &e);
	if (r < 0) {
		errno = -r;
		return NULL;
	}
	return buf;
}

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\0'))
		s[--n] = '\0';
}

__attribute__((format(printf, 3, 4))) static void set(struct check_item *it, enum check_status st,
						      const char *fmt, ...)
{
	va_list ap;

	it->status = st;
	va_start(ap, fmt);
	vsnprintf(it->detail, sizeof(it->detail), fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3))) static void fix(struct check_item *it, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(it->fix, sizeof(it->fix), fmt, ap);
	va_end(ap);
}

/* Is MOD listed ("/MOD.ko" as a whole file name) in a modules.dep/.builtin text? */
static bool module_listed(const char *text, const char *mod)
{
	char pat[96];
	snprintf(pat, sizeof(pat), "/%s.ko", mod);
	size_t n = strlen(pat);

	for (const char *p = text; (p = strstr(p, pat)); p += n) {
		char e = p[n];
		if (e == '\0' || e == '\n' || e == ':' || e == '.')
			return true;
	}
	return false;
}

/* How the kernel offers option SYM (module MOD, or NULL for a bool option):
 * 'y' built in or loaded, 'm' a module that loads on first use, 'n' absent,
 * '?' cannot tell. HOW says from which evidence. */
static char kfeature(const struct ctx *c, const char *sym, const char *mod, char *how, size_t size)
{
	char b[PATH_MAX];

	if (mod) {
		snprintf(b, sizeof(b), "/sys/module/%s", mod);
		if (hexists(c, b)) {
			snprintf(how, size, "%s loaded", mod);
			return 'y';
		}
	}
	if (c->config) {
		char v = kconfig_lookup(c->config, sym);
		if (v == 'y') {
			snprintf(how, size, "CONFIG_%s=y", sym);
			return 'y';
		}
		if (v == 'm' && mod && c->modules_dep && !module_listed(c->modules_dep, mod)) {
			snprintf(how, size, "CONFIG_%s=m but %s.ko is not installed", sym, mod);
			return 'n';
		}
		if (v == 'm') {
			snprintf(how, size, "CONFIG_%s=m", sym);
			return 'm';
		}
		snprintf(how, size, "CONFIG_%s is not set", sym);
		return 'n';
	}
	if (mod && c->modules_builtin && module_listed(c->modules_builtin, mod)) {
		snprintf(how, size, "%s built in", mod);
		return 'y';
	}
	if (mod && c->modules_dep && module_listed(c->modules_dep, mod)) {
		snprintf(how, size, "%s module", mod);
		return 'm';
	}
	if (mod && c->modules_builtin && c->modules_dep) {
		snprintf(how, size, "%s neither built in nor installed", mod);
		return 'n';
	}
	snprintf(how, size, "CONFIG_%s: no kernel config, no module list", sym);
	return '?';
}

static const char *rebuild_fix(void)
{
	return "rebuild the kernel with it (" FRAGMENT " lists every option berth needs)";
}

/* ---- sources ---------------------------------------------------------------- */

static void read_release(struct ctx *c)
{
	_cleanup_free_ char *s = hread(c, "/proc/sys/kernel/osrelease", 4096);
	struct utsname u;

	if (s) {
		chomp(s);
		snprintf(c->r->release, sizeof(c->r->release), "%s", s);
	} else if (c->host && uname(&u) == 0) {
		snprintf(c->r->release, sizeof(c->r->release), "%s", u.release);
	}
}

static void read_config(struct ctx *c, const struct check_opts *o)
{
	const size_t max = 8u << 20;
	char p[PATH_MAX], b[PATH_MAX];
	berr e;

	if (hexists(c, "/proc/config.gz")) {
		if (!o->gunzip) {
			snprintf(c->config_why, sizeof(c->config_why),
				 "/proc/config.gz: this berth cannot decompress it");
		} else if (o->gunzip(hpath(c, b, "/proc/config.gz"), max, &c->config, NULL, &e) ==
			   0) {
			snprintf(c->r->config_source, sizeof(c->r->config_source),
				 "/proc/config.gz");
			return;
		} else {
			snprintf(c->config_why, sizeof(c->config_why), "%s", e.msg);
		}
	}
	if (!c->r->release[0])
		return;
	const char *const fmts[] = {"/boot/config-%s", "/lib/modules/%s/config",
				    "/lib/modules/%s/build/.config"};
	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		snprintf(p, sizeof(p), fmts[i], c->r->release);
		c->config = hread(c, p, max);
		if (c->config) {
			snprintf(c->r->config_source, sizeof(c->r->config_source), "%s", p);
			return;
		}
	}
}

static void read_modules(struct ctx *c)
{
	char p[PATH_MAX];

	if (!c->r->release[0])
		return;
	snprintf(p, sizeof(p), "/lib/modules/%s/modules.dep", c->r->release);
	c->modules_dep = hread(c, p, 32u << 20);
	snprintf(p, sizeof(p), "/lib/modules/%s/modules.builtin", c->r->release);
	c->modules_builtin = hread(c, p, 32u << 20);
}

static void read_board(struct ctx *c)
{
	struct check_report *r = c->r;
	char *m = hread(c, "/proc/device-tree/model", 4096);

	if (!m)
		m = hread(c, "/sys/firmware/devicetree/base/model", 4096);
	if (m) {
		chomp(m);
		snprintf(r->model, sizeof(r->model), "%s", m);
		free(m);
	}
	r->raspberry_pi = strstr(r->model, "Raspberry Pi") != NULL;
	if (!r->raspberry_pi)
		return;
	/* Bookworm and later: the boot partition at /boot/firmware */
	const char *t = "/boot/firmware/cmdline.txt";
	if (!hexists(c, t) && hexists(c, "/boot/cmdline.txt"))
		t = "/boot/cmdline.txt";
	snprintf(r->cmdline_txt, sizeof(r->cmdline_txt), "%s", t);
}

static void read_cgroups(struct ctx *c)
{
	struct mount_entry m;

	c->cmdline = hread(c, "/proc/cmdline", 65536);
	c->proc_cgroups = hread(c, "/proc/cgroups", 65536);
	c->mountinfo = hread(c, "/proc/self/mountinfo", 4u << 20);
	if (!c->mountinfo)
		return;
	for (const char *pos = c->mountinfo; mountinfo_next(&pos, &m);) {
		if (strcmp(m.fstype, "cgroup") == 0)
			c->cg_v1 = true;
		else if (strcmp(m.fstype, "cgroup2") == 0 &&
			 strcmp(m.mountpoint, "/sys/fs/cgroup") != 0)
			snprintf(c->cg2_elsewhere, sizeof(c->cg2_elsewhere), "%s", m.mountpoint);
	}
	if (mountinfo_lookup(c->mountinfo, "/sys/fs/cgroup", true, &m) == 0 &&
	    strcmp(m.fstype, "cgroup2") == 0) {
		c->cg2 = true;
		c->controllers = hread(c, "/sys/fs/cgroup/cgroup.controllers", 4096);
		c->subtree = hread(c, "/sys/fs/cgroup/cgroup.subtree_control", 4096);
		if (c->controllers)
			chomp(c->controllers);
		if (c->subtree)
			chomp(c->subtree);
	}
}

/* ---- items -------------------------------------------------------------------- */

static void check_kernel(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_KERNEL];
	unsigned maj, min;

	if (!c->r->release[0]) {
		set(it, CHECK_UNKNOWN, "cannot read /proc/sys/kernel/osrelease");
		return;
	}
	if (kernel_version_parse(c->r->release, &maj, &min) < 0) {
		set(it, CHECK_UNKNOWN, "Linux \"%s\": not a version number", c->r->release);
		return;
	}
	if (maj < 5 || (maj == 5 && min < 3)) {
		set(it, CHECK_MISSING, "Linux %s: pidfd_open and clone3 need 5.3", c->r->release);
		fix(it, "Upgrade the kernel to 5.3 or newer (6.1 or newer recommended)");
	} else if (maj == 5 && min < 14) {
		set(it, CHECK_OK, "Linux %s: clone3 and pidfd; fallbacks for%s cgroup.kill (5.14)",
		    c->r->release, min < 7 ? " CLONE_INTO_CGROUP (5.7) and" : "");
	} else {
		set(it, CHECK_OK, "Linux %s: clone3, pidfd, CLONE_INTO_CGROUP, cgroup.kill",
		    c->r->release);
	}
}

static void check_config(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_CONFIG];

	if (c->config) {
		set(it, CHECK_OK, "read %s", c->r->config_source);
		return;
	}
	if (c->config_why[0])
		set(it, CHECK_UNKNOWN, "%s; no /boot/config-%s", c->config_why,
		    c->r->release[0] ? c->r->release : "RELEASE");
	else
		set(it, CHECK_UNKNOWN, "no /proc/config.gz, no /boot/config-%s",
		    c->r->release[0] ? c->r->release : "RELEASE");
	if (c->r->raspberry_pi)
		fix(it, "Run \"modprobe configs\": Raspberry Pi kernels build /proc/config.gz as a "
			"module");
	else
		fix(it,
		    "Install the kernel's config as /boot/config-%s, or build the kernel with "
		    "CONFIG_IKCONFIG_PROC=y",
		    c->r->release[0] ? c->r->release : "RELEASE");
}

static void check_namespaces(struct ctx *c)
{
	static const struct {
		const char *ns, *sym;
	} nss[] = {{"mnt", NULL},
		   {"uts", "UTS_NS"},
		   {"ipc", "IPC_NS"},
		   {"pid", "PID_NS"},
		   {"net", "NET_NS"}};
	struct check_item *it = &c->r->items[CHECK_NAMESPACES];
	char missing[128] = "", unknown[128] = "", p[PATH_MAX];
	bool nsdir = hexists(c, "/proc/self/ns");

	for (size_t i = 0; i < ARRAY_SIZE(nss); i++) {
		snprintf(p, sizeof(p), "/proc/self/ns/%s", nss[i].ns);
		char v = '?';
		if (nsdir)
			v = hexists(c, p) ? 'y' : 'n';
		else if (!nss[i].sym)
			v = 'y'; /* the mount namespace is always there */
		else if (c->config)
			v = kconfig_lookup(c->config, "NAMESPACES") == 'y'
				? kconfig_lookup(c->config, nss[i].sym)
				: 'n';
		char *l = v == 'n' ? missing : v == '?' ? unknown : NULL;
		if (l)
			snprintf(l + strlen(l), 128 - strlen(l), "%s%s", *l ? " " : "", nss[i].ns);
	}
	if (missing[0]) {
		set(it, CHECK_MISSING, "the kernel has no %s namespace", missing);
		fix(it, "Rebuild the kernel with CONFIG_NAMESPACES, CONFIG_UTS_NS, CONFIG_IPC_NS, "
			"CONFIG_PID_NS and CONFIG_NET_NS (" FRAGMENT ")");
	} else if (unknown[0]) {
		set(it, CHECK_UNKNOWN, "cannot tell (%s): no /proc/self/ns, no kernel config",
		    unknown);
	} else {
		set(it, CHECK_OK, "%s", nsdir ? "/proc/self/ns" : c->r->config_source);
	}
}

static void check_userns(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_USERNS];
	bool nsdir = hexists(c, "/proc/self/ns");
	char v = nsdir	     ? (hexists(c, "/proc/self/ns/user") ? 'y' : 'n')
		 : c->config ? kconfig_lookup(c->config, "USER_NS")
			     : '?';

	if (v == '?') {
		set(it, CHECK_UNKNOWN, "no /proc/self/ns, no kernel config");
		return;
	}
	if (v != 'y') {
		set(it, CHECK_MISSING, "the kernel has no user namespaces");
		fix(it, "Rebuild the kernel with CONFIG_USER_NS=y (" FRAGMENT ")");
		return;
	}
	_cleanup_free_ char *max = hread(c, "/proc/sys/user/max_user_namespaces", 64);
	if (max && atol(max) == 0) {
		set(it, CHECK_MISSING, "user.max_user_namespaces is 0");
		fix(it, "Run \"sysctl -w user.max_user_namespaces=15000\" and keep it in "
			"/etc/sysctl.d/");
		return;
	}
	if (max) {
		chomp(max);
		/* Debian's switch for unprivileged users: berth runs as root */
		_cleanup_free_ char *unpriv =
		    hread(c, "/proc/sys/kernel/unprivileged_userns_clone", 64);
		set(it, CHECK_OK, "user.max_user_namespaces = %s%s", max,
		    unpriv && atol(unpriv) == 0 ? "; unprivileged users may not create them "
						  "(kernel.unprivileged_userns_clone = 0), root may"
						: "");
	} else {
		set(it, CHECK_OK, "/proc/self/ns/user");
	}
}

/* The fix for "not a pure cgroup v2 host" */
static void fix_cgroup2(struct ctx *c, struct check_item *it)
{
	char v[32];
	bool legacy = c->cmdline &&
		      cmdline_value(c->cmdline, "systemd.unified_cgroup_hierarchy", v, sizeof(v)) &&
		      (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0);

	if (c->r->raspberry_pi && legacy)
		fix(it,
		    "Remove systemd.unified_cgroup_hierarchy=%s from the line in %s, then reboot",
		    v, c->r->cmdline_txt);
	else if (c->r->raspberry_pi)
		fix(it,
		    "Add \"systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all\" to the end of "
		    "the single line in %s, then reboot",
		    c->r->cmdline_txt);
	else if (legacy)
		fix(it,
		    "Remove systemd.unified_cgroup_hierarchy=%s from the kernel command line "
		    "(GRUB_CMDLINE_LINUX in /etc/default/grub, U-Boot bootargs or extlinux.conf), "
		    "then reboot",
		    v);
	else
		fix(it,
		    "Boot with a pure cgroup v2 hierarchy: systemd.unified_cgroup_hierarchy=1 "
		    "cgroup_no_v1=all on the kernel command line (systemd), or mount -t cgroup2 "
		    "none /sys/fs/cgroup early in the init scripts");
}

static void check_cgroup2(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_CGROUP2];

	if (!c->mountinfo) {
		set(it, CHECK_UNKNOWN, "cannot read /proc/self/mountinfo");
		return;
	}
	if (c->cg2) {
		set(it, CHECK_OK, "controllers: %s; enabled for children: %s",
		    c->controllers ? (*c->controllers ? c->controllers : "none") : "(unreadable)",
		    c->subtree ? (*c->subtree ? c->subtree : "none, berth enables them")
			       : "(unreadable)");
		return;
	}
	if (c->cg2_elsewhere[0] && c->cg_v1)
		set(it, CHECK_DEGRADED,
		    "hybrid layout: cgroup v1 controllers, an empty cgroup v2 at %s",
		    c->cg2_elsewhere);
	else if (c->cg_v1)
		set(it, CHECK_MISSING, "cgroup v1 only: no cgroup2 mount");
	else if (c->config && kconfig_lookup(c->config, "CGROUPS") != 'y') {
		set(it, CHECK_MISSING, "the kernel has no cgroups (CONFIG_CGROUPS is not set)");
		fix(it,
		    "Rebuild the kernel with CONFIG_CGROUPS and the controllers (" FRAGMENT ")");
		return;
	} else if (c->cg2_elsewhere[0])
		set(it, CHECK_DEGRADED, "cgroup v2 is mounted at %s, not at /sys/fs/cgroup",
		    c->cg2_elsewhere);
	else
		set(it, CHECK_MISSING, "no cgroup file system is mounted");
	fix_cgroup2(c, it);
}

/* Fix for controller CTRL turned off at boot */
static void fix_disabled(struct ctx *c, struct check_item *it, const char *ctrl, bool on_cmdline)
{
	char want[64];
	snprintf(want, sizeof(want), "cgroup_enable=%s", ctrl);

	if (!c->r->raspberry_pi) {
		if (on_cmdline)
			fix(it,
			    "Remove cgroup_disable=%s from the kernel command line "
			    "(GRUB_CMDLINE_LINUX in /etc/default/grub, U-Boot bootargs or "
			    "extlinux.conf), then reboot",
			    ctrl);
		else
			fix(it,
			    "Find what turns it off at boot (the kernel command line, the device "
			    "tree's bootargs), then reboot");
		return;
	}
	/* On a Pi the firmware passes the device tree's cgroup_disable=memory
	 * first and cmdline.txt's single line after it: a later enable wins. */
	_cleanup_free_ char *txt = hread(c, c->r->cmdline_txt, 65536);
	size_t first = txt ? strcspn(txt, "\n") : 0;
	const char *at = txt ? strstr(txt, want) : NULL;
	if (at && (size_t)(at - txt) < first)
		fix(it,
		    "%s already has %s: reboot for it to take effect (if it did not, the "
		    "firmware reads another boot partition)",
		    c->r->cmdline_txt, want);
	else if (at)
		fix(it, "%s must be a single line: move %s onto the first line, then reboot",
		    c->r->cmdline_txt, want);
	else
		fix(it, "Add \"%s\" to the end of the single line in %s, then reboot", want,
		    c->r->cmdline_txt);
}

static void check_controller(struct ctx *c, enum check_id id, const char *ctrl, const char *sym)
{
	struct check_item *it = &c->r->items[id];
	int h = 0, en = 0;
	char how[160];

	if (c->cg2 && c->controllers && word_in_list(c->controllers, ctrl)) {
		if (id == CHECK_CG_CPU && c->config &&
		    kconfig_lookup(c->config, "CFS_BANDWIDTH") != 'y') {
			set(it, CHECK_DEGRADED, "no cpu.max: CONFIG_CFS_BANDWIDTH is not set");
			fix(it, "CPU limits (--cpus) are refused, weights work: %s", rebuild_fix());
			return;
		}
		set(it, CHECK_OK, "%s",
		    c->subtree && word_in_list(c->subtree, ctrl)
			? "available, enabled for children"
			: "available (berth enables it for its cgroups)");
		return;
	}
	int known =
	    c->proc_cgroups ? proc_cgroups_lookup(c->proc_cgroups, ctrl, &h, &en) : -ENODATA;
	/* cgroup v1 calls io "blkio" */
	if (known == -ENOENT && strcmp(ctrl, "io") == 0)
		known = proc_cgroups_lookup(c->proc_cgroups, "blkio", &h, &en);
	enum cmdline_cgroup cl = c->cmdline ? cmdline_cgroup(c->cmdline, ctrl) : CMDLINE_CG_DEFAULT;

	if (known == 0 && en == 0) {
		if (cl == CMDLINE_CG_DISABLED)
			set(it, CHECK_MISSING,
			    "disabled: the kernel command line has cgroup_disable=%s", ctrl);
		else
			set(it, CHECK_MISSING, "disabled at boot (/proc/cgroups: enabled 0)");
		fix_disabled(c, it, ctrl, cl == CMDLINE_CG_DISABLED);
	} else if (known == 0 && h != 0) {
		set(it, CHECK_MISSING,
		    "bound to the cgroup v1 hierarchy %d, so cgroup v2 cannot use it", h);
		fix(it, "Switch to pure cgroup v2 (see cgroup2)");
	} else if (known == -ENOENT) {
		char v = kfeature(c, sym, NULL, how, sizeof(how));
		set(it, CHECK_MISSING, "the kernel was built without it (not in /proc/cgroups%s%s)",
		    v == 'n' ? "; " : "", v == 'n' ? how : "");
		fix(it, "Rebuild the kernel with CONFIG_%s=y (" FRAGMENT ")", sym);
	} else if (!c->mountinfo) {
		set(it, CHECK_UNKNOWN, "cannot read /proc/self/mountinfo");
	} else if (!c->cg2) {
		set(it, CHECK_MISSING, "no cgroup v2 at /sys/fs/cgroup");
		fix(it, "Switch to pure cgroup v2 (see cgroup2)");
	} else if (!c->controllers) {
		set(it, CHECK_UNKNOWN, "cannot read /sys/fs/cgroup/cgroup.controllers");
	} else if (cl == CMDLINE_CG_DISABLED) {
		set(it, CHECK_MISSING, "disabled: the kernel command line has cgroup_disable=%s",
		    ctrl);
		fix_disabled(c, it, ctrl, true);
	} else {
		set(it, CHECK_MISSING, "not in /sys/fs/cgroup/cgroup.controllers%s",
		    c->proc_cgroups ? "" : " (no /proc/cgroups to tell why)");
		if (c->r->raspberry_pi && id == CHECK_CG_MEMORY)
			fix_disabled(c, it, ctrl, false);
		else
			fix(it,
			    "Check that the kernel has CONFIG_%s=y (" FRAGMENT ") and that no "
			    "cgroup v1 hierarchy holds it",
			    sym);
	}
}

/* A BPF_PROG_TYPE_CGROUP_DEVICE program that allows everything: loaded and
 * closed, never attached. 1 loaded, 0 refused (ERRNO), -1 cannot tell. */
static int probe_cgroup_bpf(int *ret_errno)
{
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insn_cnt = ARRAY_SIZE(insns);
	a.insns = (__u64)(unsigned long)insns;
	a.license = (__u64)(unsigned long)"GPL";
	int fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	*ret_errno = errno;
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	return errno == EINVAL || errno == ENOSYS ? 0 : -1;
}

static void check_cgroup_bpf(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_CGROUP_BPF];
	char how[160], how2[160];
	int e = 0;

	if (!c->cg2)
		it->need = CHECK_OPTIONAL; /* device rules only exist on cgroup v2 */
	int p = c->host ? probe_cgroup_bpf(&e) : -1;
	if (p == 1) {
		set(it, CHECK_OK, "the kernel loads a cgroup device program");
		return;
	}
	if (p == 0) {
		set(it, CHECK_MISSING, "the kernel refuses a cgroup device program: %s",
		    e == ENOSYS ? "no bpf() (CONFIG_BPF_SYSCALL)" : "CONFIG_CGROUP_BPF is not set");
		fix(it, "Rebuild the kernel with CONFIG_BPF_SYSCALL=y and CONFIG_CGROUP_BPF=y "
			"(" FRAGMENT ")");
		return;
	}
	char a = kfeature(c, "CGROUP_BPF", NULL, how, sizeof(how));
	char b = kfeature(c, "BPF_SYSCALL", NULL, how2, sizeof(how2));
	if (a == 'y' && b == 'y') {
		set(it, CHECK_OK, "%s, %s", how, how2);
	} else if (a == 'n' || b == 'n') {
		set(it, CHECK_MISSING, "%s", a == 'n' ? how : how2);
		fix(it, "Rebuild the kernel with CONFIG_BPF_SYSCALL=y and CONFIG_CGROUP_BPF=y "
			"(" FRAGMENT ")");
	} else if (p < 0 && c->host) {
		set(it, CHECK_UNKNOWN, "bpf(BPF_PROG_LOAD): %s; no kernel config", strerror(e));
	} else {
		set(it, CHECK_UNKNOWN, "no kernel config");
	}
}

/* Install an allow-all seccomp filter in a child: 0 done, else its errno. */
static int probe_seccomp(void)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0) {
		struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)};
		struct sock_fprog prog = {.len = 1, .filter = f};
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(errno & 0xff);
		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
			_exit(0);
		if (errno == ENOSYS && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
			_exit(0);
		_exit(errno & 0xff);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
}

static void check_seccomp(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_SECCOMP];
	const char *fixtext =
	    "Rebuild the kernel with CONFIG_SECCOMP=y and CONFIG_SECCOMP_FILTER=y "
	    "(" FRAGMENT ")";
	char how[160];

	if (c->host) {
		int e = probe_seccomp();
		if (e == 0) {
			set(it, CHECK_OK, "the kernel installs a seccomp filter");
			return;
		}
		if (e == EINVAL || e == ENOSYS) {
			set(it, CHECK_MISSING, "the kernel refuses seccomp filters (%s)",
			    strerror(e));
			fix(it, "%s", fixtext);
			return;
		}
	}
	_cleanup_free_ char *status = hread(c, "/proc/self/status", 65536);
	if (status && strstr(status, "\nSeccomp_filters:")) {
		set(it, CHECK_OK, "/proc/self/status has Seccomp_filters");
		return;
	}
	char v = kfeature(c, "SECCOMP_FILTER", NULL, how, sizeof(how));
	if (v != '?') {
		set(it, v == 'y' ? CHECK_OK : CHECK_MISSING, "%s", how);
		if (v != 'y')
			fix(it, "%s", fixtext);
	} else if (status && !strstr(status, "\nSeccomp:")) {
		set(it, CHECK_MISSING, "no Seccomp field in /proc/self/status (CONFIG_SECCOMP)");
		fix(it, "%s", fixtext);
	} else {
		set(it, CHECK_UNKNOWN,
		    "no kernel config; /proc/self/status cannot tell filter support");
	}
}

static void check_overlay(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_OVERLAY];
	_cleanup_free_ char *fs = hread(c, "/proc/filesystems", 65536);
	char how[160];

	if (fs && strstr(fs, "\toverlay\n")) {
		set(it, CHECK_OK, "registered (/proc/filesystems)");
		return;
	}
	char v = kfeature(c, "OVERLAY_FS", "overlay", how, sizeof(how));
	if (v == 'y' || v == 'm') {
		set(it, CHECK_OK, "%s%s", how, v == 'm' ? " (loads on first use)" : "");
	} else if (v == 'n') {
		set(it, CHECK_MISSING, "%s", how);
		fix(it, "Rebuild the kernel with CONFIG_OVERLAY_FS (" FRAGMENT ")");
	} else {
		set(it, CHECK_UNKNOWN, "not in /proc/filesystems (not loaded yet?); %s", how);
		fix(it, "Try \"modprobe overlay\"");
	}
}

/* PATH's nearest existing ancestor, resolved, into BUF (the running host) */
static void resolve_storage(const char *path, char *buf, size_t size)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof(tmp), "%s", path);

	for (;;) {
		char *r = realpath(tmp, NULL);
		if (r) {
			snprintf(buf, size, "%s", r);
			free(r);
			return;
		}
		char *slash = strrchr(tmp, '/');
		if (!slash || slash == tmp) {
			snprintf(buf, size, "/");
			return;
		}
		*slash = '\0';
	}
}

static bool has_option(const char *opts, const char *o)
{
	size_t n = strlen(o);
	for (const char *p = opts; *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, o, n) == 0)
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

static void check_storage(struct ctx *c, const char *root)
{
	struct check_item *it = &c->r->items[CHECK_STORAGE];
	struct mount_entry m;
	char where[PATH_MAX];

	if (!root || !*root) {
		set(it, CHECK_UNKNOWN, "no storage root given");
		return;
	}
	if (c->host)
		resolve_storage(root, where, sizeof(where));
	else
		snprintf(where, sizeof(where), "%s", root);
	if (!c->mountinfo || mountinfo_lookup(c->mountinfo, where, false, &m) < 0) {
		set(it, CHECK_UNKNOWN, "%s: cannot find its mount in /proc/self/mountinfo", root);
		return;
	}
	enum check_status st = overlay_upper_fs(m.fstype);
	if (has_option(m.options, "ro")) {
		set(it, CHECK_MISSING, "%s is on a read-only %s mount (%s)", root, m.fstype,
		    m.mountpoint);
		fix(it, "Put the storage root on a writable local file system: --root DIR or "
			"BERTH_ROOT");
	} else if (st == CHECK_OK) {
		set(it, CHECK_OK, "%s is on %s (%s)%s", root, m.fstype, m.mountpoint,
		    strcmp(m.fstype, "tmpfs") == 0 ? ": images and containers are lost at power-off"
						   : "");
	} else if (st == CHECK_MISSING) {
		set(it, CHECK_MISSING, "%s is on %s (%s), which cannot hold an overlay upper dir",
		    root, m.fstype, m.mountpoint);
		fix(it,
		    "Put the storage root on a local file system with xattrs and d_type (ext4, "
		    "xfs, btrfs, f2fs): --root DIR or BERTH_ROOT%s",
		    strcmp(m.fstype, "overlay") == 0
			? " (a read-only root with an overlay on top, as Raspberry Pi OS's overlay "
			  "file system, needs a separate data partition)"
			: "");
	} else {
		set(it, CHECK_UNKNOWN,
		    "%s is on %s (%s): not known to work as an overlay upper dir", root, m.fstype,
		    m.mountpoint);
	}
}

static void nl_attr(struct nlmsghdr *n, size_t cap, unsigned short type, const void *data,
		    size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)n + NLMSG_ALIGN(n->nlmsg_len));
	if (NEVER(NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(len) > cap))
		return;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	n->nlmsg_len = (unsigned)(NLMSG_ALIGN(n->nlmsg_len) + RTA_SPACE(len));
}

/* Create a link of KIND ("veth", "bridge") in a network namespace of a
 * forked child's own, which dies with it: the host's network is never
 * touched (the kernel may load the module). 0 created, else an errno. */
static int probe_link(const char *kind)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return errno;
	if (pid == 0) {
		struct {
			struct nlmsghdr n;
			struct ifinfomsg i;
			char attrs[128];
		} req;
		struct {
			struct nlmsghdr n;
			struct nlmsgerr e;
			char more[256];
		} ack;
		memset(&req, 0, sizeof(req));
		req.n.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
		req.n.nlmsg_type = RTM_NEWLINK;
		req.n.nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
		nl_attr(&req.n, sizeof(req), IFLA_IFNAME, "berthchk0", 10);
		/* IFLA_LINKINFO holding IFLA_INFO_KIND */
		struct rtattr *li = (struct rtattr *)((char *)&req + NLMSG_ALIGN(req.n.nlmsg_len));
		unsigned start = req.n.nlmsg_len;
		nl_attr(&req.n, sizeof(req), IFLA_LINKINFO, NULL, 0);
		nl_attr(&req.n, sizeof(req), IFLA_INFO_KIND, kind, strlen(kind) + 1);
		li->rta_len = (unsigned short)(req.n.nlmsg_len - start);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(errno & 0xff);
		int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
		if (fd < 0 || send(fd, &req, req.n.nlmsg_len, 0) < 0)
			_exit(errno & 0xff);
		ssize_t n = recv(fd, &ack, sizeof(ack), 0);
		if (n < (ssize_t)(sizeof(struct nlmsghdr) + sizeof(struct nlmsgerr)) ||
		    ack.n.nlmsg_type != NLMSG_ERROR)
			_exit(EPROTO);
		_exit(-ack.e.error & 0xff);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : EINTR;
}

static void check_module(struct ctx *c, enum check_id id, const char *sym, const char *mod)
{
	struct check_item *it = &c->r->items[id];
	char how[160];

	if (c->host) {
		int e = probe_link(mod);
		if (e == 0) {
			set(it, CHECK_OK, "a %s link was created in a throwaway network namespace",
			    mod);
			return;
		}
		if (e == EOPNOTSUPP) {
			set(it, CHECK_MISSING, "the kernel cannot create a %s link", mod);
			fix(it,
			    "Run \"modprobe %s\", or rebuild the kernel with CONFIG_%s (" FRAGMENT
			    ")",
			    mod, sym);
			return;
		}
	}
	char v = kfeature(c, sym, mod, how, sizeof(how));

	if (v == 'y' || v == 'm') {
		set(it, CHECK_OK, "%s%s", how, v == 'm' ? " (loads on first use)" : "");
	} else if (v == 'n') {
		set(it, CHECK_MISSING, "%s", how);
		fix(it,
		    "Rebuild the kernel with CONFIG_%s (=y, or =m with the module "
		    "installed; " FRAGMENT ")",
		    sym);
	} else {
		set(it, CHECK_UNKNOWN, "%s", how);
	}
}

static void check_nft(struct ctx *c)
{
	static const struct {
		const char *sym, *mod;
	} parts[] = {{"NF_TABLES", "nf_tables"},
		     {"NF_CONNTRACK", "nf_conntrack"},
		     {"NF_NAT", "nf_nat"},
		     {"NFT_NAT", "nft_nat"},
		     {"NFT_MASQ", "nft_masq"},
		     {"NFT_CT", "nft_ct"},
		     {"NFT_FIB_IPV4", "nft_fib_ipv4"},
		     {"NFT_NUMGEN", "nft_numgen"}};
	struct check_item *it = &c->r->items[CHECK_NFT];
	char missing[256] = "", unknown[256] = "", how[160];
	int loaded = 0, mods = 0;

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		char v = kfeature(c, parts[i].sym, parts[i].mod, how, sizeof(how));
		char *l = v == 'n' ? missing : v == '?' ? unknown : NULL;
		if (l)
			snprintf(l + strlen(l), 256 - strlen(l), "%sCONFIG_%s", *l ? " " : "",
				 parts[i].sym);
		loaded += v == 'y';
		mods += v == 'm';
	}
	if (missing[0]) {
		set(it, CHECK_MISSING, "missing: %s", missing);
		fix(it,
		    "Rebuild the kernel with %s (=y, or =m with the modules installed; " FRAGMENT
		    ")",
		    missing);
	} else if (unknown[0]) {
		set(it, CHECK_UNKNOWN, "cannot tell: %s (no kernel config, no module list)",
		    unknown);
	} else {
		set(it, CHECK_OK, "%d of %zu parts built in or loaded, %d modules that load on use",
		    loaded, ARRAY_SIZE(parts), mods);
	}
}

static void check_watchdog(struct ctx *c)
{
	struct check_item *it = &c->r->items[CHECK_WATCHDOG];
	char b[PATH_MAX], p[PATH_MAX];
	_cleanup_closedir_ DIR *d = opendir(hpath(c, b, "/sys/class/watchdog"));
	struct dirent *de;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "watchdog", 8) != 0)
			continue;
		snprintf(p, sizeof(p), "/sys/class/watchdog/%s/identity", de->d_name);
		_cleanup_free_ char *id = hread(c, p, 256);
		snprintf(p, sizeof(p), "/sys/class/watchdog/%s/max_timeout", de->d_name);
		_cleanup_free_ char *max = hread(c, p, 64);
		if (id)
			chomp(id);
		if (max)
			chomp(max);
		set(it, CHECK_OK, "/dev/%s: %s%s%s%s", de->d_name, id ? id : "(no identity)",
		    max ? ", at most " : "", max ? max : "", max ? " s" : "");
		return;
	}
	if (hexists(c, "/dev/watchdog")) {
		set(it, CHECK_OK, "/dev/watchdog");
		return;
	}
	if (!d && !hexists(c, "/sys/class")) {
		set(it, CHECK_UNKNOWN, "no /sys/class to look in");
		return;
	}
	set(it, CHECK_MISSING, "no /dev/watchdog, nothing in /sys/class/watchdog");
	if (c->r->raspberry_pi) {
		char cfg[64];
		snprintf(cfg, sizeof(cfg), "%s", c->r->cmdline_txt);
		char *slash = strrchr(cfg, '/');
		if (slash)
			snprintf(slash + 1, sizeof(cfg) - (size_t)(slash + 1 - cfg), "config.txt");
		fix(it,
		    "Add \"dtparam=watchdog=on\" to %s (driver bcm2835_wdt, at most 15 s), then "
		    "reboot",
		    cfg);
	} else {
		fix(it,
		    "Load the board's watchdog driver (modprobe it), or softdog as a last resort");
	}
}

int check_run(const struct check_opts *o, struct check_report *r, berr *err)
{
	struct ctx c = {.prefix = o->prefix ? o->prefix : "", .r = r};
	char b[PATH_MAX];

	memset(r, 0, sizeof(*r));
	c.host = c.prefix[0] == '\0';
	if (!c.host && access(hpath(&c, b, "/"), R_OK | X_OK) < 0)
		return berr_errno(err, errno, "Check root \"%s\"", c.prefix);
	for (int i = 0; i < CHECK__N; i++) {
		r->items[i].id = table[i].id;
		r->items[i].title = table[i].title;
		r->items[i].need = table[i].need;
		r->items[i].cost = table[i].cost;
		r->items[i].status = CHECK_UNKNOWN;
	}
	r->probed = c.host;
	read_release(&c);
	read_board(&c);
	read_config(&c, o);
	read_modules(&c);
	read_cgroups(&c);

	check_kernel(&c);
	check_config(&c);
	check_namespaces(&c);
	check_userns(&c);
	check_cgroup2(&c);
	check_controller(&c, CHECK_CG_CPU, "cpu", "CGROUP_SCHED");
	check_controller(&c, CHECK_CG_MEMORY, "memory", "MEMCG");
	check_controller(&c, CHECK_CG_IO, "io", "BLK_CGROUP");
	check_controller(&c, CHECK_CG_PIDS, "pids", "CGROUP_PIDS");
	check_controller(&c, CHECK_CG_CPUSET, "cpuset", "CPUSETS");
	check_cgroup_bpf(&c);
	check_seccomp(&c);
	check_overlay(&c);
	check_storage(&c, o->storage_root);
	check_module(&c, CHECK_VETH, "VETH", "veth");
	check_module(&c, CHECK_BRIDGE, "BRIDGE", "bridge");
	check_nft(&c);
	check_watchdog(&c);
	ctx_free(&c);
	return 0;
}

enum check_verdict check_verdict(const struct check_report *r)
{
	enum check_verdict v = CHECK_READY;

	for (int i = 0; i < CHECK__N; i++) {
		const struct check_item *it = &r->items[i];
		/* a required item nobody could confirm: not "ready" */
		if (it->need == CHECK_REQUIRED && it->status == CHECK_UNKNOWN)
			v = CHECK_VERDICT_DEGRADED;
		if (it->status != CHECK_MISSING && it->status != CHECK_DEGRADED)
			continue;
		if (it->need == CHECK_REQUIRED && it->status == CHECK_MISSING)
			return CHECK_CANNOT_RUN;
		if (it->need != CHECK_OPTIONAL)
			v = CHECK_VERDICT_DEGRADED;
	}
	return v;
}

const char *check_status_name(enum check_status s)
{
	static const char *const n[] = {"ok", "degraded", "missing", "unknown"};
	return (unsigned)s < ARRAY_SIZE(n) ? n[s] : "?";
}

const char *check_need_name(enum check_need n)
{
	static const char *const names[] = {"required", "feature", "optional"};
	return (unsigned)n < ARRAY_SIZE(names) ? names[n] : "?";
}
