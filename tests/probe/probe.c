// SPDX-License-Identifier: GPL-2.0-or-later
/* probe: a tiny static program that runs inside containers and reports what
 * it sees, one "key=value" per line, for the integration tests (after crun's
 * tests/init.c).
 *
 *   probe [info]            pid, ids, hostname, caps, seccomp, nnp, fds, mounts, limits
 *   probe syscall NAME...   try each syscall; "syscall NAME=ok" or "=EPERM" etc.
 *                           (also socket_inet/_alg/_vsock, personality_bad, clone_newns)
 *   probe exit N | signal N | sleep S | spin S | pause
 *   probe alloc MIB         allocate and touch MIB MiB
 *   probe forkbomb N        try N forks; "forked=K errno=E"
 *   probe write PATH | read PATH | stat PATH | ls PATH | env
 *   probe zombies N         leave N zombie children, then sleep
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const char *errname(int e)
{
	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EROFS: return "EROFS";
	case EFAULT: return "EFAULT";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EEXIST: return "EEXIST";
	case ENOTDIR: return "ENOTDIR";
	case EBUSY: return "EBUSY";
	case ESRCH: return "ESRCH";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	default: {
		static char b[16];
		snprintf(b, sizeof(b), "E%d", e);
		return b;
	}
	}
}

static void status_field(const char *key, const char *out)
{
	char line[512];
	FILE *f = fopen("/proc/self/status", "re");
	size_t kl = strlen(key);
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			char *v = line + kl + 1;
			v += strspn(v, " \t");
			v[strcspn(v, "\n")] = '\0';
			printf("%s=%s\n", out, v);
		}
	}
	if (f)
		fclose(f);
}

static void print_file(const char *key, const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("%s=!%s\n", key, errname(errno));
		return;
	}
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("%s=%s\n", key, line);
}

static int count_pids(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
			n++;
	if (d)
		closedir(d);
	return n;
}

static void info(void)
{
	char host[256] = "", cwd[4096] = "";
	gid_t groups[64];

	gethostname(host, sizeof(host));
	printf("pid=%d\nppid=%d\nuid=%d\ngid=%d\neuid=%d\n", getpid(), getppid(), getuid(), getgid(),
	       geteuid());
	int ng = getgroups(64, groups);
	printf("groups=");
	for (int i = 0; i < ng; i++)
		printf("%s%d", i ? "," : "", groups[i]);
	printf("\nhostname=%s\n", host);
	printf("cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "!");
	status_field("CapEff", "cap_eff");
	status_field("CapPrm", "cap_prm");
	status_field("CapBnd", "cap_bnd");
	status_field("CapInh", "cap_inh");
	status_field("CapAmb", "cap_amb");
	status_field("Seccomp", "seccomp");
	status_field("NoNewPrivs", "no_new_privs");
	printf("pids_visible=%d\n", count_pids());

	DIR *d = opendir("/proc/self/fd");
	printf("fds=");
	struct dirent *de;
	int first = 1;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		printf("%s%s", first ? "" : ",", de->d_name);
		first = 0;
	}
	printf("\n");
	if (d)
		closedir(d);

	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	printf("rlimit_nofile=%llu/%llu\n", (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
	getrlimit(RLIMIT_NPROC, &rl);
	printf("rlimit_nproc=%llu/%llu\n", (unsigned long long)rl.rlim_cur,
	       (unsigned long long)rl.rlim_max);
	print_file("oom_score_adj", "/proc/self/oom_score_adj");
	print_file("cgroup", "/proc/self/cgroup");
	/* mountinfo: "mount=TARGET FSTYPE OPTS" */
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];
	while (f && fgets(line, sizeof(line), f)) {
		char target[1024], opts[512], fstype[64], super[512];
		/* id parent maj:min root target opts [optional...] - fstype source superopts */
		if (sscanf(line, "%*d %*d %*s %*s %1023s %511s", target, opts) != 2)
			continue;
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%63s %*s %511s", fstype, super) != 2)
			continue;
		printf("mount=%s %s %s\n", target, fstype, opts);
	}
	if (f)
		fclose(f);
}

/* Every try is harmless even when run on a host by mistake: targets that do
 * not exist, invalid arguments. Allowed calls fail with ENOENT/EINVAL/EBADF,
 * denied ones with EPERM (or ENOSYS): the errno tells which. */
#define NOWHERE "/nonexistent-probe-target/x"
static long try_syscall(const char *name)
{
	errno = 0;
	long r = -1;
	if (!strcmp(name, "mount"))
		r = mount("none", NOWHERE, "tmpfs", 0, NULL);
	else if (!strcmp(name, "umount"))
		r = umount2(NOWHERE, MNT_DETACH);
	else if (!strcmp(name, "unshare"))
		r = unshare(CLONE_NEWNS); /* only this process moves */
	else if (!strcmp(name, "unshare_user"))
		r = unshare(CLONE_NEWUSER);
	else if (!strcmp(name, "keyctl"))
		r = syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0);
	else if (!strcmp(name, "add_key"))
		r = syscall(SYS_add_key, "user", "probe", "x", 1, 0); /* keyring 0: EINVAL */
	else if (!strcmp(name, "kexec_load"))
		r = syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL); /* bad flags: EINVAL */
	else if (!strcmp(name, "init_module"))
		r = syscall(SYS_init_module, NULL, 0, "");
	else if (!strcmp(name, "finit_module"))
		r = syscall(SYS_finit_module, -1, "", 0);
	else if (!strcmp(name, "setns"))
		r = syscall(SYS_setns, -1, 0);
	else if (!strcmp(name, "bpf"))
		r = syscall(SYS_bpf, 0, NULL, 0);
	else if (!strcmp(name, "ptrace"))
		r = syscall(SYS_ptrace, 2 /* PTRACE_PEEKDATA */, 0x7ffffff0, 0, 0); /* no such pid */
	else if (!strcmp(name, "chroot"))
		r = chroot(NOWHERE);
	else if (!strcmp(name, "clone3"))
		r = syscall(SYS_clone3, NULL, 0);
	else if (!strcmp(name, "userfaultfd"))
		r = syscall(SYS_userfaultfd, 0);
	else if (!strcmp(name, "swapon"))
		r = syscall(SYS_swapon, "/nonexistent", 0);
	else if (!strcmp(name, "reboot"))
		r = syscall(SYS_reboot, 0, 0, 0, NULL); /* bad magic: EINVAL if allowed */
	else if (!strcmp(name, "mknod"))
		r = mknod(NOWHERE, S_IFCHR | 0600, makedev(1, 3));
	else if (!strcmp(name, "sethostname")) {
		char h[256] = "";
		gethostname(h, sizeof(h) - 1);
		r = sethostname(h, strlen(h)); /* the same name: no change */
	}
	else if (!strcmp(name, "socket_inet") || !strcmp(name, "socket_alg") ||
		 !strcmp(name, "socket_vsock")) {
		int fam = name[7] == 'i' ? AF_INET : name[7] == 'a' ? 38 /* AF_ALG */ : 40 /* AF_VSOCK */;
		r = socket(fam, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (r >= 0 || errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT)
			r = r >= 0 ? close((int)r) : 0; /* the family itself was allowed */
	}
	else if (!strcmp(name, "personality_bad"))
		r = syscall(SYS_personality, 0x0040000UL /* ADDR_NO_RANDOMIZE */);
	else if (!strcmp(name, "clone_newns"))
		r = syscall(SYS_clone, CLONE_NEWNS | CLONE_FS, 0, 0, 0, 0); /* invalid pair: EINVAL if allowed */
	else if (!strcmp(name, "io_uring_setup"))
		r = syscall(SYS_io_uring_setup, 0, NULL); /* 0 entries: EINVAL/EFAULT if allowed */
	else if (!strcmp(name, "getpid"))
		r = syscall(SYS_getpid) > 0 ? 0 : -1;
	else if (!strcmp(name, "unknown"))
		r = syscall(1000); /* beyond every table: must be ENOSYS */
	else {
		errno = EINVAL;
		return -2;
	}
	return r < 0 ? errno : 0;
}

static void cmd_syscalls(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		long e = try_syscall(argv[i]);
		printf("syscall %s=%s\n", argv[i], e == -2 ? "unknown-to-probe" : errname((int)e));
	}
}

static void on_signal(int sig)
{
	char b[64];
	int n = snprintf(b, sizeof(b), "signal=%d\n", sig);
	(void)!write(1, b, n);
	if (sig == SIGTERM || sig == SIGINT)
		_exit(0);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *cmd = argc > 1 ? argv[1] : "info";
	const char *arg = argc > 2 ? argv[2] : "0";

	if (!strcmp(cmd, "info")) {
		info();
	} else if (!strcmp(cmd, "syscall")) {
		cmd_syscalls(argc - 2, argv + 2);
	} else if (!strcmp(cmd, "exit")) {
		return atoi(arg);
	} else if (!strcmp(cmd, "signal")) {
		signal(atoi(arg), SIG_DFL);
		kill(getpid(), atoi(arg));
		pause();
	} else if (!strcmp(cmd, "sleep")) {
		sleep((unsigned)atoi(arg));
	} else if (!strcmp(cmd, "pause")) {
		for (int s = 1; s < 32; s++)
			if (s != SIGKILL && s != SIGSTOP)
				signal(s, on_signal);
		printf("ready\n");
		for (;;)
			pause();
	} else if (!strcmp(cmd, "spin")) {
		time_t end = time(NULL) + atoi(arg);
		volatile unsigned long x = 0;
		while (time(NULL) < end)
			x++;
	} else if (!strcmp(cmd, "alloc")) {
		size_t mib = (size_t)atol(arg);
		for (size_t i = 0; i < mib; i++) {
			char *p = malloc(1 << 20);
			if (!p) {
				printf("alloc_failed_at=%zu\n", i);
				return 1;
			}
			memset(p, 0x5a, 1 << 20);
		}
		printf("allocated=%zu\n", mib);
	} else if (!strcmp(cmd, "forkbomb")) {
		int n = atoi(arg), ok = 0, err = 0;
		for (int i = 0; i < n; i++) {
			pid_t p = fork();
			if (p == 0) {
				sleep(3);
				_exit(0);
			}
			if (p < 0) {
				err = errno;
				break;
			}
			ok++;
		}
		printf("forked=%d errno=%s\n", ok, errname(err));
		while (wait(NULL) > 0)
			;
	} else if (!strcmp(cmd, "write")) {
		int fd = open(arg, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		int e = fd < 0 ? errno : (write(fd, "probe\n", 6) == 6 ? 0 : errno);
		printf("write %s=%s\n", arg, errname(e));
		if (fd >= 0)
			close(fd);
	} else if (!strcmp(cmd, "read")) {
		print_file("read", arg);
	} else if (!strcmp(cmd, "stat")) {
		struct stat st;
		if (lstat(arg, &st) < 0)
			printf("stat %s=%s\n", arg, errname(errno));
		else
			printf("stat %s=mode:%o uid:%d gid:%d rdev:%u:%u size:%lld\n", arg, st.st_mode,
			       st.st_uid, st.st_gid, major(st.st_rdev), minor(st.st_rdev),
			       (long long)st.st_size);
	} else if (!strcmp(cmd, "ls")) {
		DIR *d = opendir(arg);
		struct dirent *de;
		if (!d)
			printf("ls %s=%s\n", arg, errname(errno));
		while (d && (de = readdir(d)))
			if (de->d_name[0] != '.')
				printf("entry=%s\n", de->d_name);
		if (d)
			closedir(d);
	} else if (!strcmp(cmd, "env")) {
		for (char **e = environ; *e; e++)
			printf("env=%s\n", *e);
	} else if (!strcmp(cmd, "zombies")) {
		int n = atoi(arg);
		for (int i = 0; i < n; i++)
			if (fork() == 0)
				_exit(0);
		sleep(1);
		printf("zombies=%d\n", n);
		sleep(argc > 3 ? (unsigned)atoi(argv[3]) : 2);
	} else {
		fprintf(stderr, "probe: unknown command %s\n", cmd);
		return 2;
	}
	return 0;
}
