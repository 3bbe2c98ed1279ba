// SPDX-License-Identifier: GPL-2.0-or-later
/* CVE-2019-5736: a container must never be able to overwrite berth's own
 * binary through /proc/PID/exe of a berth process that entered it (for
 * instance with a payload whose interpreter is "#!/proc/self/exe"). Before
 * a command creates or enters a container, berth makes sure it runs from a
 * file nothing can write: either its binary sits on a read-only mount (the
 * usual case on a board: a squashfs or read-only root, zero cost), or it
 * re-executes itself from a sealed memfd copy (about one exec). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/container.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

bool runtime_exe_is_protected(void)
{
	_cleanup_close_ int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct statvfs sv;
	if (fd < 0)
		return false;
	int seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0 && (seals & SEALS) == SEALS)
		return true;
	return fstatvfs(fd, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

/* argv of this process, from /proc/self/cmdline (NULL-terminated, malloc'ed). */
static char **own_argv(void)
{
	static char buf[65536];
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1)
		return NULL;
	buf[n] = '\0';
	size_t count = 0;
	for (ssize_t i = 0; i < n; i++)
		count += buf[i] == '\0';
	char **argv = calloc(count + 1, sizeof(*argv));
	if (!argv)
		return NULL;
	for (size_t i = 0, off = 0; i < count; i++) {
		argv[i] = buf + off;
		off += strlen(buf + off) + 1;
	}
	return argv;
}

static int copy_to_memfd(int src, berr *err)
{
	struct stat st;
	if (fstat(src, &st) < 0)
		return berr_errno(err, errno, "stat own binary");
	int mfd = memfd_create("berth", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		return berr_errno(err, errno, "memfd_create");
	off_t off = 0;
	while (off < st.st_size) {
		ssize_t n = sendfile(mfd, src, &off, (size_t)(st.st_size - off));
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			close(mfd);
			return berr_errno(err, e, "Copy own binary to a memfd");
		}
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS) < 0) {
		int e = errno;
		close(mfd);
		return berr_errno(err, e, "Seal the memfd copy of berth");
	}
	return mfd;
}

int runtime_protect_exe(berr *err)
{
	if (runtime_exe_is_protected()) {
		if (getenv("BERTH_SEALED_EXE")) {
			/* fexecve named us after the fd number: take our name back */
			prctl(PR_SET_NAME, "berth", 0, 0, 0);
			unsetenv("BERTH_SEALED_EXE");
		}
		return 0;
	}
	if (getenv("BERTH_SEALED_EXE")) /* we are the copy, and yet not sealed: give up loudly */
		return berr_fail(err, EPERM, "Cannot run berth from a sealed copy of itself");
	_cleanup_close_ int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return berr_errno(err, errno, "Open own binary");
	_cleanup_free_ char **argv = own_argv();
	if (!argv)
		return berr_fail(err, E2BIG, "Read own command line");
	int mfd = copy_to_memfd(src, err);
	if (mfd < 0)
		return mfd;
	setenv("BERTH_SEALED_EXE", "1", 1);
	fexecve(mfd, argv, environ);
	int e = errno;
	unsetenv("BERTH_SEALED_EXE");
	close(mfd);
	return berr_errno(err, e, "Re-execute berth from a sealed copy");
}
