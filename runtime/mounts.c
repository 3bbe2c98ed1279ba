// SPDX-License-Identifier: GPL-2.0-or-later
/* The container's file system, built inside its own mount namespace (run
 * by the container's first process before pivot_root), or in a joined one,
 * or (OCI config without a "mount" namespace) in the runtime's own, where
 * everything is stacked on a bind of rootfs (detached at delete or on a
 * failed setup) and the root is changed with chroot, never pivot_root
 * (which would move the root of every process there). Every target inside
 * the rootfs is opened with safe_openat/safe_mkdirat_p from the rootfs fd
 * and mounted by fd (move_mount), so a symlink in an image can never
 * redirect a mount onto the host (CVE-2021-30465 family). */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/log.h"
#include "runtime/internal.h"
#include "runtime/mountapi.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static const char *const default_masked[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/interrupts",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/proc/scsi",
    "/sys/firmware",
    "/sys/devices/virtual/powercap",
    NULL,
};
static const char *const default_readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

struct mctx {
	const struct bspec *spec;
	int rootfd;  /* O_PATH of the new root (a mount point) */
	int devnull; /* O_PATH of the host's real /dev/null */
	bool legacy; /* no fsopen: mount(2) on /proc/self/fd/N */
};

static unsigned attr_from_flags(unsigned long f)
{
	unsigned a = 0;
	if (f & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (f & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (f & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (f & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (f & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	else if (f & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	if (f & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	return a;
}

/* Legacy mount(2) onto an fd-resolved target. */
static int mount_on_fd(const char *src, int targetfd, const char *fstype, unsigned long flags,
		       const char *data)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/self/fd/%d", targetfd);
	return mount(src, p, fstype, flags, data) < 0 ? -errno : 0;
}

/* A new file system FSTYPE with comma-separated DATA options, attached on
 * TARGETFD with mount flags FLAGS. */
static int mount_fs(struct mctx *m, const char *fstype, const char *source, const char *data,
		    unsigned long flags, int targetfd, const char *what, berr *err)
{
	if (m->legacy) {
		int r = mount_on_fd(source ? source : fstype, targetfd, fstype, flags, data);
		return r < 0 ? berr_errno(err, -r, "Mount %s on \"%s\"", fstype, what) : 0;
	}
	_cleanup_close_ int fsfd = sys_fsopen(fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return berr_errno(err, errno, "Mount %s on \"%s\"", fstype, what);
	if (source && sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", source, 0) < 0)
		return berr_errno(err, errno, "Mount %s on \"%s\": source", fstype, what);
	_cleanup_free_ char *opts = data ? strdup(data) : NULL;
	char *save = NULL;
	for (char *o = opts ? strtok_r(opts, ",", &save) : NULL; o;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int r;
		if (eq) {
			*eq = '\0';
			r = sys_fsconfig(fsfd, FSCONFIG_SET_STRING, o, eq + 1, 0);
		} else {
			r = sys_fsconfig(fsfd, FSCONFIG_SET_FLAG, o, NULL, 0);
		}
		if (r < 0)
			return berr_errno(err, errno, "Mount %s on \"%s\": option \"%s\"", fstype,
					  what, o);
	}
	if (sys_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return berr_errno(err, errno, "Mount %s on \"%s\"", fstype, what);
	_cleanup_close_ int mfd = sys_fsmount(fsfd, FSMOUNT_CLOEXEC, attr_from_flags(flags));
	if (mfd < 0)
		return berr_errno(err, errno, "Mount %s on \"%s\"", fstype, what);
	if (sys_move_mount(mfd, "", targetfd, "",
			   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berr_errno(err, errno, "Attach %s on \"%s\"", fstype, what);
	return 0;
}

/* Bind SRCFD (any fd, O_PATH fine) or SRC on TARGETFD with FLAGS and
 * PROPAGATION (0 = leave). */
static int mount_bind(struct mctx *m, int srcfd, const char *src, int targetfd, unsigned long flags,
		      unsigned long propagation, const char *what, berr *err)
{
	bool rec = flags & MS_REC;
	if (m->legacy) {
		char sp[64];
		if (srcfd >= 0)
			snprintf(sp, sizeof(sp), "/proc/self/fd/%d", srcfd);
		const char *s = srcfd >= 0 ? sp : src;
		int r = mount_on_fd(s, targetfd, NULL, MS_BIND | (rec ? MS_REC : 0), NULL);
		if (r == 0 && (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)))
			r = mount_on_fd(
			    NULL, targetfd, NULL,
			    MS_BIND | MS_REMOUNT |
				(flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)),
			    NULL);
		if (r == 0 && propagation)
			r = mount_on_fd(NULL, targetfd, NULL, propagation, NULL);
		return r < 0 ? berr_errno(err, -r, "Bind mount on \"%s\"", what) : 0;
	}
	unsigned otflags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0);
	_cleanup_close_ int tfd = srcfd >= 0 ? sys_open_tree(srcfd, "", otflags | AT_EMPTY_PATH)
					     : sys_open_tree(AT_FDCWD, src, otflags);
	if (tfd < 0)
		return berr_errno(err, errno, "Bind \"%s\" on \"%s\"", src ? src : "(fd)", what);
	struct mount_attr a = {.attr_set = attr_from_flags(flags)};
	if (a.attr_set & MOUNT_ATTR__ATIME)
		a.attr_clr = MOUNT_ATTR__ATIME;
	if (a.attr_set &&
	    sys_mount_setattr(tfd, "", AT_EMPTY_PATH | (rec ? AT_RECURSIVE : 0), &a) < 0)
		return berr_errno(err, errno, "Set options of the bind mount on \"%s\"", what);
	if (sys_move_mount(tfd, "", targetfd, "",
			   MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berr_errno(err, errno, "Attach bind mount on \"%s\"", what);
	if (propagation) {
		struct mount_attr p = {.propagation = propagation & ~MS_REC};
		if (sys_mount_setattr(tfd, "",
				      AT_EMPTY_PATH | ((propagation & MS_REC) ? AT_RECURSIVE : 0),
				      &p) < 0)
			return berr_errno(err, errno, "Set propagation of \"%s\"", what);
	}
	return 0;
}

/* O_PATH fd of the directory PATH in the rootfs, created if needed. */
static int target_dir(struct mctx *m, const char *path, berr *err)
{
	int fd = safe_mkdirat_p(m->rootfd, path, 0755);
	if (fd < 0)
		return berr_errno(err, -fd, "Mount target \"%s\"", path);
	return fd;
}

/* O_PATH fd of the regular (or device) file PATH in the rootfs, created
 * empty if missing. A symlink as the last component is refused. */
static int target_file(struct mctx *m, const char *path, berr *err)
{
	_cleanup_free_ char *dup = strdup(path);
	if (!dup)
		return berr_errno(err, ENOMEM, "Mount target \"%s\"", path);
	char *slash = strrchr(dup, '/');
	const char *base = slash ? slash + 1 : dup;
	if (slash)
		*slash = '\0';
	_cleanup_close_ int dfd = safe_mkdirat_p(m->rootfd, slash && dup[0] ? dup : "/", 0755);
	if (dfd < 0)
		return berr_errno(err, -dfd, "Mount target \"%s\"", path);
	int fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		int c =
		    openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (c < 0 && errno != EEXIST)
			return berr_errno(err, errno, "Create mount target \"%s\"", path);
		if (c >= 0)
			close(c);
		fd = openat(dfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return berr_errno(err, errno, "Mount target \"%s\"", path);
	struct stat st;
	if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
		close(fd);
		return berr_fail(err, ENOTDIR, "Mount target \"%s\" is not a file", path);
	}
	return fd;
}

/* ---- the root ---- */

static int overlay_mount_api(const struct bspec *spec, berr *err)
{
	_cleanup_close_ int fsfd = sys_fsopen("overlay", FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -errno;
	sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "source", "overlay", 0);
	for (char **l = spec->rootfs_lowers; *l; l++)
		if (sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "lowerdir+", *l, 0) < 0)
			return -errno; /* before 6.8: no lowerdir+ */
	if (spec->rootfs_upper &&
	    (sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "upperdir", spec->rootfs_upper, 0) < 0 ||
	     sys_fsconfig(fsfd, FSCONFIG_SET_STRING, "workdir", spec->rootfs_work, 0) < 0))
		return berr_errno(err, errno, "Overlay upper \"%s\"", spec->rootfs_upper);
	if (sys_fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return berr_errno(err, errno, "Mount overlay on \"%s\"", spec->rootfs);
	_cleanup_close_ int mfd = sys_fsmount(fsfd, FSMOUNT_CLOEXEC, 0);
	if (mfd < 0 || sys_move_mount(mfd, "", AT_FDCWD, spec->rootfs, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		return berr_errno(err, errno, "Mount overlay on \"%s\"", spec->rootfs);
	return 0;
}

static int overlay_mount_legacy(const struct bspec *spec, berr *err)
{
	char opts[4096];
	size_t n = (size_t)snprintf(opts, sizeof(opts), "lowerdir=");
	for (char **l = spec->rootfs_lowers; *l && n < sizeof(opts); l++)
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, "%s%s",
				      l == spec->rootfs_lowers ? "" : ":", *l);
	if (spec->rootfs_upper && n < sizeof(opts))
		n += (size_t)snprintf(opts + n, sizeof(opts) - n, ",upperdir=%s,workdir=%s",
				      spec->rootfs_upper, spec->rootfs_work);
	if (n >= sizeof(opts) || n >= (size_t)getpagesize())
		return berr_fail(err, E2BIG,
				 "Overlay lower list is too long for this kernel (no lowerdir+)");
	if (mount("overlay", spec->rootfs, "overlay", 0, opts) < 0)
		return berr_errno(err, errno, "Mount overlay on \"%s\"", spec->rootfs);
	return 0;
}

static int root_mount(const struct bspec *spec, berr *err)
{
	/* nothing we mount may propagate back to the host; a shared or
	 * unbindable rootfsPropagation would make the bind and pivot_root
	 * fail (EINVAL): it is applied to the new root after the pivot */
	unsigned long prop = spec->rootfs_propagation & (MS_PRIVATE | MS_SLAVE);
	/* the runtime's own namespace (inherited) keeps its propagation */
	if (!bspec_mount_ns_inherited(spec) &&
	    mount(NULL, "/", NULL, MS_REC | (prop ? prop : MS_PRIVATE), NULL) < 0)
		return berr_errno(err, errno, "Make / private");
	if (spec->rootfs_lowers && spec->rootfs_lowers[0]) {
		if (!spec->rootfs_upper && !spec->rootfs_lowers[1]) {
			/* one lower, no upper: overlay needs two; a read-only bind does the job */
			if (mount(spec->rootfs_lowers[0], spec->rootfs, NULL, MS_BIND | MS_REC,
				  NULL) < 0)
				return berr_errno(err, errno, "Bind \"%s\"",
						  spec->rootfs_lowers[0]);
			return 0;
		}
		int r = overlay_mount_api(spec, err);
		if (r == -ENOSYS || r == -EINVAL)
			r = overlay_mount_legacy(spec, err);
		return r;
	}
	if (mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return berr_errno(err, errno, "Bind rootfs \"%s\"", spec->rootfs);
	return 0;
}

/* ---- /dev ---- */

static const struct {
	const char *name;
	unsigned maj, min;
} dev_nodes[] = {
    {"null", 1, 3},   {"zero", 1, 5},	 {"full", 1, 7},
    {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
};

/* Create a node NAME in DIRFD: mknod, or (user namespace) a bind of the
 * host's node. */
static int make_node(struct mctx *m, int dirfd, const char *name, mode_t type, dev_t dev,
		     mode_t mode, const char *host, const char *what, berr *err)
{
	if (mknodat(dirfd, name, type | mode, dev) == 0) {
		if (fchmodat(dirfd, name, mode, 0) < 0)
			return berr_errno(err, errno, "chmod device \"%s\"", what);
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno != EPERM || !host)
		return berr_errno(err, errno, "Create device \"%s\"", what);
	int c = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (c < 0)
		return berr_errno(err, errno, "Create device \"%s\"", what);
	close(c);
	_cleanup_close_ int tfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (tfd < 0)
		return berr_errno(err, errno, "Create device \"%s\"", what);
	return mount_bind(m, -1, host, tfd, 0, 0, what, err);
}

/* The /dev symbolic links of every container (runtime-spec "Dev symbolic
 * links"); what the image or config.json already has there stays, except a
 * 5:2 /dev/ptmx node when a devpts is mounted beside it. */
static int dev_links(int devfd, berr *err)
{
	static const char *const links[][2] = {
	    {"/proc/self/fd", "fd"},	   {"/proc/self/fd/0", "stdin"},
	    {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
	    {"pts/ptmx", "ptmx"},
	};
	struct stat st;
	if (fstatat(devfd, "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISCHR(st.st_mode) &&
	    st.st_rdev == makedev(5, 2) && faccessat(devfd, "pts/ptmx", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		unlinkat(devfd, "ptmx", 0);
	for (size_t i = 0; i < ARRAY_SIZE(links); i++)
		if (symlinkat(links[i][0], devfd, links[i][1]) < 0 && errno != EEXIST)
			return berr_errno(err, errno, "Create \"/dev/%s\"", links[i][1]);
	return 0;
}

/* no_default_mounts (OCI: config.json lists the mounts): the links in the
 * /dev that config.json mounted, if there is one */
static int dev_links_setup(struct mctx *m, berr *err)
{
	_cleanup_close_ int devfd = safe_openat(m->rootfd, "/dev", O_PATH | O_DIRECTORY, 0);
	if (devfd == -ENOENT || devfd == -ENOTDIR)
		return 0;
	if (devfd < 0)
		return berr_errno(err, -devfd, "Open \"/dev\"");
	return dev_links(devfd, err);
}

static int dev_setup(struct mctx *m, berr *err)
{
	_cleanup_close_ int devfd = target_dir(m, "/dev", err);
	if (devfd < 0)
		return devfd;
	int r = mount_fs(m, "tmpfs", "tmpfs", "mode=755,size=65536k", MS_NOSUID | MS_STRICTATIME,
			 devfd, "/dev", err);
	if (r < 0)
		return r;
	close(devfd);
	devfd = safe_openat(m->rootfd, "/dev", O_PATH | O_DIRECTORY, 0); /* the tmpfs now */
	if (devfd < 0)
		return berr_errno(err, -devfd, "Open \"/dev\"");
	for (size_t i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		char host[32], what[32];
		snprintf(host, sizeof(host), "/dev/%s", dev_nodes[i].name);
		snprintf(what, sizeof(what), "/dev/%s", dev_nodes[i].name);
		r = make_node(m, devfd, dev_nodes[i].name, S_IFCHR,
			      makedev(dev_nodes[i].maj, dev_nodes[i].min), 0666, host, what, err);
		if (r < 0)
			return r;
	}
	if ((r = dev_links(devfd, err)) < 0)
		return r;
	static const struct {
		const char *dir, *fs, *data;
		unsigned long flags;
	} subs[] = {
	    {"pts", "devpts", "newinstance,ptmxmode=0666,mode=0620,gid=5", MS_NOSUID | MS_NOEXEC},
	    {"shm", "tmpfs", "mode=1777,size=65536k", MS_NOSUID | MS_NOEXEC | MS_NODEV},
	    {"mqueue", "mqueue", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV},
	};
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		char what[32];
		snprintf(what, sizeof(what), "/dev/%s", subs[i].dir);
		if (mkdirat(devfd, subs[i].dir, 0755) < 0 && errno != EEXIST)
			return berr_errno(err, errno, "Create \"%s\"", what);
		_cleanup_close_ int fd =
		    openat(devfd, subs[i].dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return berr_errno(err, errno, "Open \"%s\"", what);
		r = mount_fs(m, subs[i].fs, subs[i].fs, subs[i].data, subs[i].flags, fd, what, err);
		if (r < 0)
			return r;
	}
	close(devfd);
	return 0;
}

static int devices_setup(struct mctx *m, berr *err)
{
	const struct bspec *spec = m->spec;
	for (size_t i = 0; i < spec->ndevices; i++) {
		const struct bspec_device *d = &spec->devices[i];
		_cleanup_free_ char *dir = strdup(d->path), *base = strdup(d->path);
		if (!dir || !base)
			return berr_errno(err, ENOMEM, "Device \"%s\"", d->path);
		_cleanup_close_ int dfd = safe_mkdirat_p(m->rootfd, dirname(dir), 0755);
		if (dfd < 0)
			return berr_errno(err, -dfd, "Device \"%s\"", d->path);
		const char *b = basename(base);
		mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
		unlinkat(dfd, b, 0); /* a device replaces what the image had there */
		int r = make_node(m, dfd, b, type, makedev(d->major, d->minor),
				  d->mode ? d->mode & 07777 : 0666, NULL, d->path, err);
		if (r < 0)
			return r;
		if (fchownat(dfd, b, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			return berr_errno(err, errno, "Chown device \"%s\"", d->path);
	}
	return 0;
}

/* ---- default mounts ---- */

static int proc_sys_setup(struct mctx *m, berr *err)
{
	_cleanup_close_ int fd = target_dir(m, "/proc", err);
	if (fd < 0)
		return fd;
	int r =
	    mount_fs(m, "proc", "proc", NULL, MS_NOSUID | MS_NOEXEC | MS_NODEV, fd, "/proc", err);
	if (r < 0)
		return r;
	_cleanup_close_ int sfd = target_dir(m, "/sys", err);
	if (sfd < 0)
		return sfd;
	r = mount_fs(m, "sysfs", "sysfs", NULL, MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, sfd,
		     "/sys", err);
	if (r == -EPERM) /* a user namespace that does not own the net namespace */
		r = mount_bind(m, -1, "/sys", sfd,
			       MS_REC | MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, 0, "/sys",
			       err);
	if (r < 0)
		return r;
	/* cgroup2 at /sys/fs/cgroup when the host has a pure cgroup v2 hierarchy */
	struct statfs sf;
	if (statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC &&
	    m->spec->ns[BNS_CGROUP].create) {
		_cleanup_close_ int cfd =
		    safe_openat(m->rootfd, "/sys/fs/cgroup", O_PATH | O_DIRECTORY, 0);
		if (cfd >= 0)
			r = mount_fs(m, "cgroup2", "cgroup2", NULL,
				     MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, cfd,
				     "/sys/fs/cgroup", err);
	}
	return r;
}

static int sysctls_setup(struct mctx *m, berr *err)
{
	for (size_t i = 0; i < m->spec->nsysctls; i++) {
		const struct bspec_sysctl *s = &m->spec->sysctls[i];
		char path[512];
		int n = snprintf(path, sizeof(path), "/proc/sys/%s", s->key);
		if (n >= (int)sizeof(path))
			return berr_fail(err, ENAMETOOLONG, "sysctl \"%s\"", s->key);
		for (char *p = path + 10; *p; p++)
			if (*p == '.')
				*p = '/';
		_cleanup_close_ int fd = safe_openat(m->rootfd, path, O_WRONLY | O_TRUNC, 0);
		if (fd < 0)
			return berr_errno(err, -fd, "sysctl \"%s\"", s->key);
		if (write(fd, s->value, strlen(s->value)) < 0)
			return berr_errno(err, errno, "sysctl \"%s\" = \"%s\"", s->key, s->value);
	}
	return 0;
}

static int etc_files_setup(struct mctx *m, berr *err)
{
	const char *files[][2] = {
	    {m->spec->etc_hostname, "/etc/hostname"},
	    {m->spec->etc_hosts, "/etc/hosts"},
	    {m->spec->etc_resolv_conf, "/etc/resolv.conf"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		if (!files[i][0])
			continue;
		_cleanup_close_ int fd = target_file(m, files[i][1], err);
		if (fd < 0)
			return fd;
		int r = mount_bind(m, -1, files[i][0], fd, MS_NOSUID | MS_NODEV | MS_NOEXEC, 0,
				   files[i][1], err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int user_mounts_setup(struct mctx *m, berr *err)
{
	for (size_t i = 0; i < m->spec->nmounts; i++) {
		const struct bspec_mount *mt = &m->spec->mounts[i];
		_cleanup_close_ int fd = -1;
		bool file = mt->create_file;
		if (mt->kind == BMNT_BIND && !file) {
			struct stat st;
			if (stat(mt->source, &st) < 0)
				return berr_errno(err, errno, "Mount source \"%s\"", mt->source);
			file = !S_ISDIR(st.st_mode);
		}
		fd = file ? target_file(m, mt->target, err) : target_dir(m, mt->target, err);
		if (fd < 0)
			return fd;
		int r;
		if (mt->kind == BMNT_BIND)
			r = mount_bind(m, -1, mt->source, fd, mt->flags, mt->propagation,
				       mt->target, err);
		else
			r = mount_fs(m, mt->kind == BMNT_TMPFS ? "tmpfs" : mt->fstype,
				     mt->source ? mt->source
						: (mt->kind == BMNT_TMPFS ? "tmpfs" : mt->fstype),
				     mt->data, mt->flags, fd, mt->target, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int masked_setup(struct mctx *m, berr *err)
{
	const char *const *list =
	    m->spec->masked_paths_set ? (const char *const *)m->spec->masked_paths : default_masked;
	for (; list && *list; list++) {
		_cleanup_close_ int fd = safe_openat(m->rootfd, *list, O_PATH | O_NOFOLLOW, 0);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return berr_errno(err, -fd, "Masked path \"%s\"", *list);
		struct stat st;
		if (fstat(fd, &st) < 0)
			return berr_errno(err, errno, "Masked path \"%s\"", *list);
		int r;
		if (S_ISDIR(st.st_mode))
			r = mount_fs(m, "tmpfs", "tmpfs", "size=0,mode=755",
				     MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, fd, *list, err);
		else
			r = mount_bind(m, m->devnull, NULL, fd, 0, 0, *list, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int readonly_setup(struct mctx *m, berr *err)
{
	const char *const *list = m->spec->readonly_paths_set
				      ? (const char *const *)m->spec->readonly_paths
				      : default_readonly;
	for (; list && *list; list++) {
		_cleanup_close_ int fd = safe_openat(m->rootfd, *list, O_PATH | O_NOFOLLOW, 0);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return berr_errno(err, -fd, "Read-only path \"%s\"", *list);
		int r = mount_bind(m, fd, *list, fd,
				   MS_REC | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, *list,
				   err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The host's /dev/null, verified to be the real one (masking with
 * anything else would expose data). */
static int open_devnull(berr *err)
{
	int fd = open("/dev/null", O_PATH | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return berr_errno(err, errno, "Open \"/dev/null\"");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(fd);
		return berr_fail(err, EINVAL, "\"/dev/null\" is not the null device");
	}
	return fd;
}

static int do_pivot(const struct bspec *spec, int rootfd, berr *err)
{
	if (fchdir(rootfd) < 0)
		return berr_errno(err, errno, "chdir to the rootfs");
	if (bspec_mount_ns_inherited(spec)) {
		/* pivot_root would move the root of every process of the
		 * runtime's namespace: only this process changes its root */
		if (chroot(".") < 0)
			return berr_errno(err, errno, "chroot to \"%s\"", spec->rootfs);
	} else if (spec->no_pivot) {
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
			return berr_errno(err, errno, "Move the rootfs to \"/\"");
	} else {
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return berr_errno(err, errno, "pivot_root to \"%s\"", spec->rootfs);
		/* the old root is now stacked under "."; detach it (private already) */
		if (umount2(".", MNT_DETACH) < 0)
			return berr_errno(err, errno, "Detach the old root");
	}
	if (chdir("/") < 0)
		return berr_errno(err, errno, "chdir \"/\"");
	if ((spec->rootfs_propagation & (MS_SHARED | MS_UNBINDABLE)) &&
	    mount(NULL, "/", NULL, spec->rootfs_propagation, NULL) < 0)
		return berr_errno(err, errno, "Set the propagation of the root");
	if (spec->readonly_rootfs) {
		struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
		if (sys_mount_setattr(AT_FDCWD, "/", 0, &a) < 0 &&
		    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			return berr_errno(err, errno, "Make the root read-only");
	}
	return 0;
}

/* Everything after the rootfs is mounted, up to the pivot (or chroot). */
static int rootfs_populate(struct mctx *m, berr *err)
{
	const struct bspec *spec = m->spec;
	int r;

	_cleanup_close_ int devnull = open_devnull(err);
	if (devnull < 0)
		return devnull;
	m->devnull = devnull;
	if (!spec->no_default_mounts) {
		if ((r = proc_sys_setup(m, err)) < 0 || (r = dev_setup(m, err)) < 0)
			return r;
	}
	if ((r = etc_files_setup(m, err)) < 0 || (r = user_mounts_setup(m, err)) < 0 ||
	    (r = devices_setup(m, err)) < 0 || (r = sysctls_setup(m, err)) < 0)
		return r;
	if (spec->no_default_mounts && (r = dev_links_setup(m, err)) < 0)
		return r;
	if ((r = masked_setup(m, err)) < 0 || (r = readonly_setup(m, err)) < 0)
		return r;
	m->devnull = -1;
	return 0;
}

int rootfs_setup(const struct bspec *spec, berr *err)
{
	struct mctx m = {.spec = spec, .rootfd = -1, .devnull = -1};
	int r;

	_cleanup_close_ int probe = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
	m.legacy = probe < 0 && errno == ENOSYS;
	r = root_mount(spec, err);
	if (r < 0)
		return r;
	trace_phase("rootfs mounted");
	_cleanup_close_ int rootfd = open(spec->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		r = berr_errno(err, errno, "Open rootfs \"%s\"", spec->rootfs);
	m.rootfd = rootfd;
	if (r == 0)
		r = rootfs_populate(&m, err);
	/* in the runtime's own mount namespace (inherited) nothing may stay
	 * behind: everything is stacked on the bind of rootfs */
	if (r < 0 && bspec_mount_ns_inherited(spec))
		umount2(spec->rootfs, MNT_DETACH);
	if (r < 0)
		return r;
	trace_phase("mounts");
	return do_pivot(spec, rootfd, err);
}

/* ---- option parsing (CLI -v/--tmpfs/--mount, OCI mounts[].options) ---- */

int mount_options_parse(const char *opts, unsigned long *ret_flags, unsigned long *ret_prop,
			char **ret_data)
{
	static const struct {
		const char *name;
		unsigned long set, clear;
		bool prop;
	} tab[] = {
	    {"ro", MS_RDONLY, 0, false},
	    {"rw", 0, MS_RDONLY, false},
	    {"nosuid", MS_NOSUID, 0, false},
	    {"suid", 0, MS_NOSUID, false},
	    {"nodev", MS_NODEV, 0, false},
	    {"dev", 0, MS_NODEV, false},
	    {"noexec", MS_NOEXEC, 0, false},
	    {"exec", 0, MS_NOEXEC, false},
	    {"noatime", MS_NOATIME, 0, false},
	    {"strictatime", MS_STRICTATIME, 0, false},
	    {"relatime", MS_RELATIME, 0, false},
	    {"nodiratime", MS_NODIRATIME, 0, false},
	    {"bind", MS_BIND, 0, false},
	    {"rbind", MS_BIND | MS_REC, 0, false},
	    {"private", MS_PRIVATE, 0, true},
	    {"rprivate", MS_PRIVATE | MS_REC, 0, true},
	    {"slave", MS_SLAVE, 0, true},
	    {"rslave", MS_SLAVE | MS_REC, 0, true},
	    {"shared", MS_SHARED, 0, true},
	    {"rshared", MS_SHARED | MS_REC, 0, true},
	    {"unbindable", MS_UNBINDABLE, 0, true},
	    {"runbindable", MS_UNBINDABLE | MS_REC, 0, true},
	};
	unsigned long flags = 0, prop = 0;
	_cleanup_free_ char *copy = strdup(opts ? opts : "");
	_cleanup_free_ char *data = NULL;
	size_t dlen = 0;

	if (!copy)
		return -ENOMEM;
	char *save = NULL;
	for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(tab); i++)
			if (!strcmp(o, tab[i].name))
				break;
		if (i < ARRAY_SIZE(tab)) {
			if (tab[i].prop)
				prop = tab[i].set;
			else
				flags = (flags | tab[i].set) & ~tab[i].clear;
			continue;
		}
		if (!strcmp(o, "z") || !strcmp(o, "Z"))
			continue; /* SELinux relabel: not supported, ignored as podman does without
				     SELinux */
		size_t ol = strlen(o);
		char *nd = realloc(data, dlen + ol + 2);
		if (!nd)
			return -ENOMEM;
		data = nd;
		if (dlen)
			data[dlen++] = ',';
		memcpy(data + dlen, o, ol + 1);
		dlen += ol;
	}
	*ret_flags = flags;
	*ret_prop = prop;
	*ret_data = TAKE_PTR(data);
	return 0;
}
