/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /etc/hosts and /etc/resolv.conf for pods (private to net/). See
 * docs/decisions/net-names.md: one hosts file per network lists all its
 * pods and is rewritten in place when one comes or goes. */
#ifndef BERTH_NET_NAMES_H
#define BERTH_NET_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct names_pod {
	uint32_t addr;
	const char *pod;
	const char *hostname; /* may be NULL or "" */
	const char *aliases;  /* comma-separated; may be NULL */
	const char *addr6;    /* IPv6 address; may be NULL or "" */
};

/* hosts content for PODS[SELF] (SELF may be (size_t)-1: none). Caller
 * frees; NULL on ENOMEM. */
char *names_hosts_render(const char *network, const struct names_pod *pods, size_t n, size_t self);

/* resolv.conf for a pod from the host's HOST_RESOLV: search/domain/options
 * kept, loopback nameservers (127.0.0.0/8, ::1: a stub resolver of the
 * host, unreachable from a pod) dropped. When every nameserver was on
 * loopback and HOST_RESOLV is /etc/resolv.conf, systemd-resolved's
 * upstream list (/run/systemd/resolve/resolv.conf) is used instead, as
 * Docker does. With DNS (the daemon's responder), it is the only
 * nameserver. Caller frees *ret. */
int names_resolv_render(const char *host_resolv, const char *dns, char **ret, berr *err);

/* Replace the content of DIRFD/NAME in place (the inode may be bind-mounted
 * into running pods, so it is never renamed over). */
int names_write_inplace(int dirfd, const char *name, const char *content, berr *err);

#endif
