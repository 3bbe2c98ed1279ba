// SPDX-License-Identifier: GPL-2.0-or-later
/* `berth network`: show and clean the pod network; the `berth run
 * --network` hook (cli/net.h). */
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/net.h"
#include "lib/cleanup.h"
#include "lib/log.h"
#include "lib/strv.h"
#include "net/net.h"

struct net_run {
	char *name;
	int netns_fd;
	bool attached;
};

static void net_cli_config(struct cli *cli, struct net_config *cfg)
{
	*cfg = (struct net_config){ .root = cli->root, .run_dir = cli->run_dir };
}

static int parse_ports(char *const *specs, struct net_port **ret, size_t *ret_n, berr *err)
{
	size_t n = strv_length(specs);
	_cleanup_free_ struct net_port *p = calloc(n + 1, sizeof(*p));
	int r;

	if (!p)
		return berr_fail(err, ENOMEM, "Out of memory");
	for (size_t i = 0; i < n; i++)
		if ((r = net_port_parse(specs[i], &p[i], err)) < 0)
			return r;
	*ret = TAKE_PTR(p);
	*ret_n = n;
	return 0;
}

static int run_join(const struct net_run_opts *o, struct bspec *spec, berr *err)
{
	char path[64];

	if (o->join_pid <= 0)
		return berr_fail(err, ESRCH, "Network \"%s\": that container is not running", o->network);
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)o->join_pid);
	free(spec->ns[BNS_NET].join_path);
	spec->ns[BNS_NET].join_path = strdup(path);
	spec->ns[BNS_NET].create = false;
	return spec->ns[BNS_NET].join_path ? 0 : berr_fail(err, ENOMEM, "Out of memory");
}

static int run_bridge(struct cli *cli, const struct net_run_opts *o, struct bspec *spec,
		      struct net_run *nr, berr *err)
{
	struct net_config cfg;
	struct net_lease lease;
	_cleanup_free_ struct net_port *ports = NULL;
	size_t nports = 0;
	int r;

	net_cli_config(cli, &cfg);
	r = parse_ports(o->publish, &ports, &nports, err);
	if (r == 0)
		r = net_netns_new(&nr->netns_fd, err);
	if (r < 0)
		return r;
	struct net_attach_opts ao = { .static_ip = o->ip, .ports = ports, .nports = nports,
				      .hostname = o->hostname, .aliases = o->aliases };
	r = net_attach(&cfg, nr->netns_fd, o->name, &ao, &lease, err);
	if (r < 0)
		return r;
	nr->attached = true;
	free(spec->etc_hosts);
	free(spec->etc_resolv_conf);
	spec->etc_hosts = strdup(lease.hosts_path);
	spec->etc_resolv_conf = strdup(lease.resolv_path);
	spec->ns[BNS_NET].create = false;
	spec->ns[BNS_NET].join_fd = nr->netns_fd;
	if (!spec->etc_hosts || !spec->etc_resolv_conf)
		return berr_fail(err, ENOMEM, "Out of memory");
	return 0;
}

int net_run_setup(struct cli *cli, const struct net_run_opts *o, struct bspec *spec,
		  struct net_run **ret, berr *err)
{
	const char *mode = o->network ? o->network : "bridge";
	struct net_run *nr;
	int r;

	*ret = NULL;
	if (strcmp(mode, "bridge") != 0 && (strv_length(o->publish) > 0 || o->ip))
		return berr_fail(err, EINVAL, "-p and --ip need --network bridge (not \"%s\")", mode);
	if (strcmp(mode, "none") == 0) {
		spec->ns[BNS_NET].create = true;
		return 0;
	}
	if (strcmp(mode, "host") == 0) {
		spec->ns[BNS_NET].create = false;
		return 0;
	}
	if (strncmp(mode, "container:", 10) == 0)
		return run_join(o, spec, err);
	if (strcmp(mode, "bridge") != 0)
		return berr_fail(err, EINVAL, "Network \"%s\" is not bridge, none, host or container:NAME", mode);
	nr = calloc(1, sizeof(*nr));
	if (!nr || !(nr->name = strdup(o->name))) {
		free(nr);
		return berr_fail(err, ENOMEM, "Out of memory");
	}
	nr->netns_fd = -1;
	r = run_bridge(cli, o, spec, nr, err);
	if (r < 0) {
		net_run_teardown(cli, nr);
		net_run_free(nr);
		spec->ns[BNS_NET].join_fd = -1;
		return r;
	}
	*ret = nr;
	return 0;
}

void net_run_started(struct net_run *nr)
{
	if (nr)
		closep(&nr->netns_fd);
}

int net_run_teardown(struct cli *cli, struct net_run *nr)
{
	int r = 0;

	if (!nr)
		return 0;
	closep(&nr->netns_fd);
	if (nr->attached) {
		r = net_run_release(cli, nr->name);
		nr->attached = false;
	}
	return r;
}

int net_run_release(struct cli *cli, const char *name)
{
	struct net_config cfg;
	berr err = { 0 };
	int r;

	net_cli_config(cli, &cfg);
	r = net_detach(&cfg, name, 0, &err);
	if (r < 0 && r != -ENOENT)
		log_warn("%s", err.msg);
	return r == -ENOENT ? 0 : r;
}

void net_run_free(struct net_run *nr)
{
	if (!nr)
		return;
	closep(&nr->netns_fd);
	free(nr->name);
	free(nr);
}

/* ---- berth network ----------------------------------------------------- */

struct net_args {
	struct net_config cfg;
	char **publish, **aliases;
	const char *ip, *hostname, *netns, *live;
	bool unlink, quiet;
};

static void net_usage(FILE *f)
{
	fprintf(f, "Usage: berth network COMMAND [OPTIONS]\n\n"
		   "  ls                      the network, its bridge and every pod's lease and ports\n"
		   "  inspect POD             one pod: address, veth, ports, hosts/resolv.conf files\n"
		   "  rules                   the network's nftables table (masquerade, published ports)\n"
		   "  prune [--live A,B]      free leases, rules and links of pods that are gone;\n"
		   "                          with no pod left, remove the bridge and the NAT table\n"
		   "  attach POD --netns PATH [-p [HOSTIP:]HOSTPORT:PORT[/udp]]... [--ip A] [--hostname H] [--alias A]...\n"
		   "  detach POD [--unlink]\n\n"
		   "Options: --network NAME (default berth) --bridge NAME (default %s)\n"
		   "         --subnet CIDR (default %s) --subnet6 PREFIX/N (dual stack, off by default)\n"
		   "         --mtu N --resolv-conf PATH\n",
		CONFIG_NET_BRIDGE, CONFIG_NET_SUBNET);
}

static int net_args_parse(struct cli *cli, int argc, char **argv, struct net_args *a)
{
	static const struct option opts[] = {
		{ "network", required_argument, NULL, 'n' }, { "bridge", required_argument, NULL, 'b' },
		{ "subnet", required_argument, NULL, 's' },  { "mtu", required_argument, NULL, 'm' },
		{ "publish", required_argument, NULL, 'p' }, { "ip", required_argument, NULL, 'i' },
		{ "hostname", required_argument, NULL, 'H' }, { "alias", required_argument, NULL, 'a' },
		{ "netns", required_argument, NULL, 'N' },   { "unlink", no_argument, NULL, 'u' },
		{ "live", required_argument, NULL, 'l' },    { "resolv-conf", required_argument, NULL, 'r' },
		{ "quiet", no_argument, NULL, 'q' },	     { "help", no_argument, NULL, 'h' },
		{ "subnet6", required_argument, NULL, '6' },
		{ 0 },
	};
	int c;

	net_cli_config(cli, &a->cfg);
	while ((c = getopt_long(argc, argv, "n:p:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': a->cfg.name = optarg; break;
		case 'b': a->cfg.bridge = optarg; break;
		case 's': a->cfg.subnet = optarg; break;
		case '6': a->cfg.subnet6 = optarg; break;
		case 'm': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*optarg < '0' || *optarg > '9' || *end || v == 0 || v > 65535) {
				log_error("--mtu: \"%s\" is not a number 576-65535", optarg);
				return -EINVAL;
			}
			a->cfg.mtu = (unsigned)v;
			break;
		}
		case 'p': if (strv_add(&a->publish, optarg) < 0) return -ENOMEM; break;
		case 'a': if (strv_add(&a->aliases, optarg) < 0) return -ENOMEM; break;
		case 'i': a->ip = optarg; break;
		case 'H': a->hostname = optarg; break;
		case 'N': a->netns = optarg; break;
		case 'u': a->unlink = true; break;
		case 'l': a->live = optarg; break;
		case 'r': a->cfg.host_resolv = optarg; break;
		case 'q': a->quiet = true; break;
		case 'h': net_usage(stdout); return 1;
		default: net_usage(stderr); return -EINVAL;
		}
	}
	return 0;
}

static void print_ports(const struct net_config *cfg, const char *pod)
{
	struct net_port *p = NULL;
	size_t n = 0;
	char buf[64];

	if (net_lease_ports(cfg, pod, &p, &n, NULL) < 0 || n == 0) {
		printf("-");
	}
	for (size_t i = 0; i < n; i++) {
		net_port_format(&p[i], buf, sizeof(buf));
		printf("%s%s", i ? "," : "", buf);
	}
	free(p);
}

static int net_ls_one(struct net_args *a)
{
	struct net_lease *v = NULL;
	struct net_settings st;
	size_t n = 0;
	berr err = { 0 };
	char ip[INET_ADDRSTRLEN];

	if (net_settings_get(&a->cfg, &st, &err) < 0 || net_lease_list(&a->cfg, &v, &n, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	printf("NETWORK %s  BRIDGE %s  SUBNET %s  GATEWAY %s%s%s  MTU %u  %s  PODS %zu\n", st.name, st.bridge,
	       st.subnet, st.gateway, st.subnet6[0] ? "  SUBNET6 " : "", st.subnet6, st.mtu,
	       st.exists ? "up" : "not created", n);
	printf("%-20s %-15s %-11s %s\n", "POD", "ADDRESS", "VETH", "PORTS");
	for (size_t i = 0; i < n; i++) {
		inet_ntop(AF_INET, &v[i].addr, ip, sizeof(ip));
		printf("%-20s %-15s %-11s ", v[i].pod, ip, v[i].host_ifname);
		print_ports(&a->cfg, v[i].pod);
		putchar('\n');
	}
	free(v);
	return 0;
}

/* Every network with state under ROOT/net (the default one at least). */
static int net_ls(struct net_args *a)
{
	char path[4096];
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int rc = 0, shown = 0;

	if (a->cfg.name)
		return net_ls_one(a);
	snprintf(path, sizeof(path), "%s/net", a->cfg.root);
	d = opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !net_name_valid(de->d_name, 15))
			continue;
		struct net_args one = *a;
		one.cfg.name = de->d_name;
		if (shown++)
			putchar('\n');
		rc |= net_ls_one(&one);
	}
	if (!shown)
		rc = net_ls_one(a);
	return rc;
}

static int net_inspect(struct net_args *a, const char *pod)
{
	struct net_lease l;
	berr err = { 0 };
	char ip[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];

	if (net_lease_get(&a->cfg, pod, &l, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	inet_ntop(AF_INET, &l.addr, ip, sizeof(ip));
	inet_ntop(AF_INET, &l.gateway, gw, sizeof(gw));
	printf("pod=%s\naddress=%s/%u\n%s%s%sgateway=%s\nveth=%s\nhosts=%s\nresolv_conf=%s\nports=", l.pod, ip,
	       l.prefix, l.addr6[0] ? "address6=" : "", l.addr6, l.addr6[0] ? "\n" : "", gw, l.host_ifname,
	       l.hosts_path, l.resolv_path);
	print_ports(&a->cfg, pod);
	putchar('\n');
	return 0;
}

static int net_attach_cmd(struct net_args *a, const char *pod)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ struct net_port *ports = NULL;
	size_t nports = 0;
	struct net_lease l;
	berr err = { 0 };
	char ip[INET_ADDRSTRLEN];

	if (!a->netns) {
		log_error("attach: --netns PATH is required");
		return EXIT_BERTH;
	}
	fd = open(a->netns, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		log_error("Open network namespace \"%s\": %m", a->netns);
		return EXIT_BERTH;
	}
	struct net_attach_opts o = { .static_ip = a->ip, .hostname = a->hostname, .aliases = a->aliases };
	if (parse_ports(a->publish, &ports, &nports, &err) < 0 ||
	    (o.ports = ports, o.nports = nports, net_attach(&a->cfg, fd, pod, &o, &l, &err) < 0)) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	if (!a->quiet)
		printf("%s %s %s %s\n", pod, inet_ntop(AF_INET, &l.addr, ip, sizeof(ip)), l.hosts_path,
		       l.resolv_path);
	return 0;
}

static int net_detach_cmd(struct net_args *a, const char *pod)
{
	berr err = { 0 };

	if (net_detach(&a->cfg, pod, a->unlink ? NET_DETACH_UNLINK : 0, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	return 0;
}

static int net_prune(struct net_args *a)
{
	_cleanup_strv_ char **live = a->live ? strv_split(a->live, ",") : NULL;
	unsigned freed = 0;
	berr err = { 0 };

	if (a->live && !live) {
		log_error("Out of memory");
		return EXIT_BERTH;
	}
	if (net_reconcile(&a->cfg, live, &freed, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	if (!a->quiet)
		printf("Freed %u stale lease%s\n", freed, freed == 1 ? "" : "s");
	return 0;
}

static int net_rules_cmd(struct net_args *a)
{
	_cleanup_free_ char *text = NULL;
	berr err = { 0 };

	if (net_rules(&a->cfg, &text, &err) < 0) {
		log_error("%s", err.msg);
		return EXIT_BERTH;
	}
	fputs(text, stdout);
	return 0;
}

int cmd_network(struct cli *cli, int argc, char **argv)
{
	struct net_args a = { 0 };
	const char *sub = argc > 1 ? argv[1] : "ls";
	int r;

	if (argc > 1) {
		argc--;
		argv++;
	}
	optind = 0;
	r = net_args_parse(cli, argc, argv, &a);
	if (r != 0) {
		r = r > 0 ? 0 : EXIT_BERTH;
		goto out;
	}
	const char *arg = optind < argc ? argv[optind] : NULL;
	bool need_pod = !strcmp(sub, "inspect") || !strcmp(sub, "attach") || !strcmp(sub, "detach");
	if (need_pod && !arg) {
		log_error("network %s: which pod?", sub);
		r = EXIT_BERTH;
	} else if (!strcmp(sub, "ls") || !strcmp(sub, "list")) {
		r = net_ls(&a);
	} else if (!strcmp(sub, "inspect")) {
		r = net_inspect(&a, arg);
	} else if (!strcmp(sub, "rules")) {
		r = net_rules_cmd(&a);
	} else if (!strcmp(sub, "prune")) {
		r = net_prune(&a);
	} else if (!strcmp(sub, "attach")) {
		r = net_attach_cmd(&a, arg);
	} else if (!strcmp(sub, "detach")) {
		r = net_detach_cmd(&a, arg);
	} else if (!strcmp(sub, "help") || !strcmp(sub, "--help")) {
		net_usage(stdout);
		r = 0;
	} else {
		log_error("Unknown network command \"%s\" (see berth network help)", sub);
		r = EXIT_BERTH;
	}
out:
	strv_free(a.publish);
	strv_free(a.aliases);
	return r;
}
