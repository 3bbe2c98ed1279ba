// SPDX-License-Identifier: GPL-2.0-or-later
/* bench/services' in-process driver: the service table as the daemon sets
 * it (net_services_reset / net_services_update). Built by bench/services
 * against build/libnet.a; not part of berth.
 *
 *   services-driver ROOT RUN_DIR one VIP EP
 *	one service VIP (every port) -> EP
 *   services-driver ROOT RUN_DIR flips K N
 *	K services of 3 endpoints each, then N endpoint changes of service 0
 *	(3 -> 2 -> 3 ...): prints "update MS" (in-process, one transaction)
 *	and "forked MS" (the same in a forked child, as the daemon runs it) */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "net/net.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint32_t ip(const char *s)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		exit(2);
	return ntohl(a.s_addr);
}

int main(int argc, char **argv)
{
	struct net_config cfg = { .root = argv[1], .run_dir = argv[2] };
	berr err = { 0 };

	if (argc == 6 && strcmp(argv[3], "one") == 0) {
		uint32_t ep = ip(argv[5]);
		struct net_service s = { .key = "bench", .vip = ip(argv[4]), .eps = &ep, .neps = 1 };
		if (net_services_reset(&cfg, &s, 1, &err) < 0) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		return 0;
	}
	if (argc != 6 || strcmp(argv[3], "flips") != 0)
		return 2;
	size_t k = (size_t)atoi(argv[4]), n = (size_t)atoi(argv[5]);
	struct net_service *s = calloc(k, sizeof(*s));
	char (*keys)[16] = calloc(k, 16);
	uint32_t eps3[3] = { ip("10.89.0.2"), ip("10.89.0.3"), ip("10.89.0.4") };
	for (size_t i = 0; i < k; i++) {
		snprintf(keys[i], 16, "s%zu", i);
		s[i] = (struct net_service){ .key = keys[i], .vip = ip("10.89.1.0") + 2 + (uint32_t)i,
					     .eps = eps3, .neps = 3, .affinity_s = i % 2 ? 600 : 0 };
	}
	if (net_services_reset(&cfg, s, k, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		struct net_service u = s[0];
		bool drop = i % 2 == 0;
		u.old_eps = eps3;
		u.nold = drop ? 3 : 2;
		u.neps = drop ? 2 : 3;
		double t = now_ms();
		if (i % 4 < 2) {
			if (net_services_update(&cfg, &u, 1, &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				return 1;
			}
			printf("update %.3f\n", now_ms() - t);
		} else {
			pid_t p = fork();
			if (p == 0)
				_exit(net_services_update(&cfg, &u, 1, &err) < 0);
			int st;
			waitpid(p, &st, 0);
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				return 1;
			printf("forked %.3f\n", now_ms() - t);
		}
	}
	return 0;
}
