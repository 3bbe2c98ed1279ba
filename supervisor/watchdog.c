// SPDX-License-Identifier: GPL-2.0-or-later
/* Watchdogs: a board whose supervisor hangs or dies must come back by
 * itself. With --watchdog DEVICE the daemon opens a hardware watchdog
 * (/dev/watchdog: bcm2835-wdt on a Raspberry Pi, softdog anywhere), sets
 * its timeout and pets it from the event loop, so a wedged loop or a dead
 * daemon that nobody restarts reboots the board; a clean stop writes the
 * magic 'V' so the device is disarmed. Under systemd with WatchdogSec=,
 * it sends WATCHDOG=1 to $NOTIFY_SOCKET as well. */
#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "lib/log.h"
#include "supervisor/sv.h"

static uint64_t period_ms(const struct sv *sv)
{
	uint64_t p = 0;
	if (sv->wd_fd >= 0)
		p = (uint64_t)sv->wd_timeout_s * 1000 / 3;
	if (sv->wd_sd_usec) {
		uint64_t s = sv->wd_sd_usec / 2000;
		if (!p || s < p)
			p = s;
	}
	return p ? p : 1;
}

int watchdog_open(struct sv *sv, const char *dev, unsigned timeout_s, berr *err)
{
	/* sv_init has set wd_fd and wd_timer.fd to -1 */
	/* systemd's per-service watchdog (WatchdogSec=): for us only when
	 * WATCHDOG_PID is unset or ours */
	const char *usec = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	if (usec && *usec && (!pid || !*pid || strtol(pid, NULL, 10) == getpid()))
		sv->wd_sd_usec = strtoull(usec, NULL, 10);
	if (dev) {
		int fd = open(dev, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			return berr_errno(err, errno, "Watchdog \"%s\"", dev);
		int t = (int)timeout_s;
		if (ioctl(fd, WDIOC_SETTIMEOUT, &t) < 0 || ioctl(fd, WDIOC_GETTIMEOUT, &t) < 0 || t <= 0) {
			int e = errno;
			/* disarm before giving up: an open watchdog is a ticking one */
			if (write(fd, "V", 1) < 0) {
			}
			close(fd);
			return berr_errno(err, e ? e : EINVAL, "Watchdog \"%s\": set a %us timeout", dev,
					  timeout_s);
		}
		sv->wd_fd = fd;
		sv->wd_timeout_s = (unsigned)t;
		ioctl(fd, WDIOC_KEEPALIVE, 0);
		log_info("Watchdog \"%s\": %us timeout, petted every %llu ms", dev, sv->wd_timeout_s,
			 (unsigned long long)period_ms(sv));
	}
	if (sv->wd_fd < 0 && !sv->wd_sd_usec)
		return 0;
	int r = sv_timer_arm(sv, &sv->wd_timer, W_WATCHDOG, NULL, period_ms(sv));
	if (r < 0) {
		watchdog_close(sv);
		return berr_errno(err, -r, "Watchdog timer");
	}
	return 0;
}

void watchdog_pet(struct sv *sv)
{
	uint64_t x;
	if (read(sv->wd_timer.fd, &x, sizeof(x)) == sizeof(x))
		watchdog_kick(sv);
}

void watchdog_kick(struct sv *sv)
{
	if (sv->wd_timer.fd < 0)
		return;
	if (sv->wd_fd >= 0 && ioctl(sv->wd_fd, WDIOC_KEEPALIVE, 0) < 0 &&
	    write(sv->wd_fd, "\0", 1) < 0)
		log_warn("Watchdog: cannot pet it: %m");
	if (sv->wd_sd_usec)
		sd_notify_send("WATCHDOG=1");
	sv_timer_arm(sv, &sv->wd_timer, W_WATCHDOG, NULL, period_ms(sv));
}

void watchdog_close(struct sv *sv)
{
	if (sv->wd_fd < 0)
		return;
	/* the magic close: this stop is on purpose */
	if (write(sv->wd_fd, "V", 1) != 1)
		log_warn("Watchdog: magic close failed: %m (the board may reboot)");
	closep(&sv->wd_fd);
}
