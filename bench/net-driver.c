// SPDX-License-Identifier: GPL-2.0-or-later
/* bench/net's in-process driver: what `berth run` pays to give a pod its
 * network (net_netns_new + net_attach, no exec), and what the teardown
 * pays (drop the namespace fd + net_detach). Built by bench/net against
 * build/libnet.a; not part of berth.
 *
 *   net-driver ROOT RUN_DIR N [PORTS]
 * prints "attach I NETNS_MS ATTACH_MS" for pods 0..N-1 (all kept alive),
 * then "detach I MS" while removing them in reverse order. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "net/net.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	if (getenv("BERTH_TRACE"))
		trace_start();
	struct net_config cfg = { .root = argv[1], .run_dir = argv[2] };
	int n = atoi(argv[3]);
	int *fds = calloc((size_t)n, sizeof(int));
	struct net_port port = { 0, 0, 80, IPPROTO_TCP };
	berr err = { 0 };

	for (int i = 0; i < n; i++) {
		char name[32];
		struct net_lease l;
		struct net_attach_opts o = { 0 };
		if (argc > 4) { /* one published port per pod */
			port.host_port = (uint16_t)(20000 + i);
			o.ports = &port;
			o.nports = 1;
		}
		snprintf(name, sizeof(name), "d%d", i);
		double t0 = now_ms();
		if (net_netns_new(&fds[i], &err) < 0)
			goto fail;
		double t1 = now_ms();
		if (net_attach(&cfg, fds[i], name, &o, &l, &err) < 0)
			goto fail;
		double t2 = now_ms();
		printf("attach %d %.4f %.4f\n", i, t1 - t0, t2 - t1);
	}
	for (int i = n - 1; i >= 0; i--) {
		char name[32];
		snprintf(name, sizeof(name), "d%d", i);
		double t0 = now_ms();
		close(fds[i]); /* the pod dies: the last reference to its namespace */
		if (net_detach(&cfg, name, 0, &err) < 0)
			goto fail;
		printf("detach %d %.4f\n", i, now_ms() - t0);
	}
	return 0;
fail:
	fprintf(stderr, "net-driver: %s\n", err.msg);
	return 1;
}
