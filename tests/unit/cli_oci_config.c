// SPDX-License-Identifier: GPL-2.0-or-later
/* config.json -> struct bspec (cli/oci_config.c) */
#include <criterion/criterion.h>
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "cli/oci_config.h"

#define MIN_HEAD "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"}"

static struct oci_config *parse_ok(const char *json)
{
	struct oci_config *cfg = NULL;
	berr err = { 0 };
	int r = oci_config_parse(json, strlen(json), "/b", &cfg, &err);
	cr_assert_eq(r, 0, "parse failed: %s", err.msg);
	return cfg;
}

static void parse_fails(const char *json, const char *msg_part)
{
	struct oci_config *cfg = NULL;
	berr err = { 0 };
	int r = oci_config_parse(json, strlen(json), "/b", &cfg, &err);
	cr_assert_lt(r, 0, "parse of %s succeeded", json);
	cr_assert_null(cfg);
	cr_assert(strstr(err.msg, msg_part), "message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

Test(oci_config, minimal_config_starts_from_nothing)
{
	struct oci_config *cfg = parse_ok(MIN_HEAD ", \"process\": {\"args\": [\"/bin/sh\"], \"cwd\": \"/\"}}");
	struct bspec *s = cfg->spec;
	cr_assert_str_eq(s->rootfs, "/b/rootfs");
	cr_assert_str_eq(s->process.args[0], "/bin/sh");
	cr_assert_null(s->process.env);
	cr_assert_eq(s->process.caps.bounding, 0);
	cr_assert_not(s->process.no_new_privs);
	cr_assert_eq(s->process.seccomp_mode, BSECCOMP_UNCONFINED);
	cr_assert(s->no_default_mounts);
	cr_assert(s->masked_paths_set);
	cr_assert_null(s->masked_paths[0]);
	for (int t = 0; t < BNS_COUNT; t++)
		cr_assert_not(s->ns[t].create);
	oci_config_free(cfg);
}

Test(oci_config, absolute_root_and_process_fields)
{
	struct oci_config *cfg = parse_ok(
		"{\"ociVersion\": \"1.1.0\", \"root\": {\"path\": \"/srv/r\", \"readonly\": true},"
		"\"process\": {\"terminal\": true, \"user\": {\"uid\": 1000, \"gid\": 100, \"additionalGids\": [5, 6]},"
		"\"args\": [\"a\", \"b\"], \"env\": [\"A=1\"], \"cwd\": \"/tmp\","
		"\"capabilities\": {\"bounding\": [\"CAP_KILL\", \"CAP_SYS_ADMIN\"], \"effective\": [\"CAP_KILL\"],"
		"\"ambient\": [\"CAP_NET_BIND_SERVICE\"]},"
		"\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 2048, \"soft\": 1024}],"
		"\"noNewPrivileges\": true, \"oomScoreAdj\": -500, \"consoleSize\": {\"height\": 24, \"width\": 80}}}");
	struct bspec *s = cfg->spec;
	struct bspec_process *p = &s->process;
	cr_assert_str_eq(s->rootfs, "/srv/r");
	cr_assert(s->readonly_rootfs);
	cr_assert(p->terminal);
	cr_assert_eq(p->uid, 1000);
	cr_assert_eq(p->gid, 100);
	cr_assert_eq(p->ngroups, 2);
	cr_assert_eq(p->groups[1], 6);
	cr_assert_str_eq(p->env[0], "A=1");
	cr_assert_str_eq(p->cwd, "/tmp");
	cr_assert_eq(p->caps.bounding, (1ULL << CAP_KILL) | (1ULL << CAP_SYS_ADMIN));
	cr_assert_eq(p->caps.effective, 1ULL << CAP_KILL);
	cr_assert_eq(p->caps.ambient, 1ULL << CAP_NET_BIND_SERVICE);
	cr_assert_eq(p->nrlimits, 1);
	cr_assert_eq(p->rlimits[0].resource, RLIMIT_NOFILE);
	cr_assert_eq(p->rlimits[0].soft, 1024);
	cr_assert_eq(p->rlimits[0].hard, 2048);
	cr_assert(p->no_new_privs);
	cr_assert(p->oom_score_adj_set);
	cr_assert_eq(p->oom_score_adj, -500);
	cr_assert_eq(cfg->umask, -1);
	oci_config_free(cfg);
	cfg = parse_ok(MIN_HEAD ", \"process\": {\"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 18}}}");
	cr_assert_eq(cfg->umask, 022);
	oci_config_free(cfg);
}

Test(oci_config, unknown_fields_are_named)
{
	parse_fails(MIN_HEAD ", \"bogus\": 1}", "bogus is not supported by berth");
	parse_fails(MIN_HEAD ", \"process\": {\"cwd\": \"/\", \"ioPriority\": {}}}",
		    "process.ioPriority is not supported");
	parse_fails(MIN_HEAD ", \"linux\": {\"intelRdt\": {\"closID\": \"x\"}}}", "linux.intelRdt");
	parse_fails(MIN_HEAD ", \"linux\": {\"resources\": {\"memory\": {\"kernel\": 100}}}}",
		    "linux.resources.memory.kernel is not supported");
	parse_fails(MIN_HEAD ", \"process\": {\"apparmorProfile\": \"x\"}}", "process.apparmorProfile");
	parse_fails(MIN_HEAD ", \"process\": {\"user\": {\"uid\": 0, \"umask\": 4096}}}", "process.user.umask");
	parse_fails(MIN_HEAD ", \"hooks\": {\"prestart\": [{\"path\": \"/x\", \"when\": 1}]}}",
		    "hooks.prestart[].when");
}

Test(oci_config, annotations_are_free_form)
{
	struct oci_config *cfg = parse_ok(MIN_HEAD ", \"annotations\": {\"any.key\": \"v\"}}");
	cr_assert_str_eq(cfg->spec->annotations[0], "any.key=v");
	oci_config_free(cfg);
}

Test(oci_config, malformed_and_truncated_json)
{
	parse_fails("{\"ociVersion\": \"1.0.2\", \"root\": {\"pa", "Not valid JSON (config.json): line 1");
	parse_fails("[]", "Not a JSON object");
	parse_fails("", "config.json");
	parse_fails("{\"ociVersion\": \"1.0.2\"}", "root is missing");
	parse_fails("{\"root\": {\"path\": \"r\"}}", "ociVersion is missing");
	parse_fails(MIN_HEAD ", \"hostname\": 5}", "hostname: expected a string");
	parse_fails(MIN_HEAD ", \"hostname\": \"a\", \"hostname\": \"b\"}", "duplicate");
}

Test(oci_config, namespaces_with_paths)
{
	struct oci_config *cfg = parse_ok(
		MIN_HEAD ", \"hostname\": \"h\", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"uts\"},"
		"{\"type\": \"network\", \"path\": \"/proc/1/ns/net\"}, {\"type\": \"mount\"}]}}");
	struct bspec *s = cfg->spec;
	cr_assert(s->ns[BNS_PID].create);
	cr_assert(s->ns[BNS_MOUNT].create);
	cr_assert(s->ns[BNS_UTS].create);
	cr_assert_not(s->ns[BNS_NET].create);
	cr_assert_str_eq(s->ns[BNS_NET].join_path, "/proc/1/ns/net");
	cr_assert_not(s->ns[BNS_IPC].create);
	cr_assert_str_eq(s->hostname, "h");
	cr_assert_eq(s->ndevices, 7, "the default devices");
	cr_assert_str_eq(s->devices[6].path, "/dev/ptmx");
	oci_config_free(cfg);
	parse_fails(MIN_HEAD ", \"linux\": {\"namespaces\": [{\"type\": \"bogus\"}]}}",
		    "unknown namespace type \"bogus\"");
	parse_fails(MIN_HEAD ", \"linux\": {\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"pid\"}]}}",
		    "given twice");
	parse_fails(MIN_HEAD ", \"hostname\": \"h\"}", "uts namespace");
}

Test(oci_config, mounts_options_become_flags)
{
	struct oci_config *cfg = parse_ok(
		MIN_HEAD ", \"mounts\": ["
		"{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},"
		"{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\","
		" \"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]},"
		"{\"destination\": \"/h\", \"type\": \"bind\", \"source\": \"/proc/version\","
		" \"options\": [\"rbind\", \"ro\", \"nodev\", \"rslave\"]}]}");
	struct bspec *s = cfg->spec;
	cr_assert_eq(s->nmounts, 3);
	cr_assert_eq(s->mounts[0].kind, BMNT_OTHER);
	cr_assert_str_eq(s->mounts[0].fstype, "proc");
	cr_assert_eq(s->mounts[1].kind, BMNT_TMPFS);
	cr_assert_eq(s->mounts[1].flags, MS_NOSUID | MS_STRICTATIME);
	cr_assert_str_eq(s->mounts[1].data, "mode=755,size=65536k");
	cr_assert_eq(s->mounts[2].kind, BMNT_BIND);
	cr_assert_eq(s->mounts[2].flags, MS_BIND | MS_REC | MS_RDONLY | MS_NODEV);
	cr_assert_eq(s->mounts[2].propagation, MS_SLAVE | MS_REC);
	cr_assert(s->mounts[2].create_file);
	cr_assert_null(s->mounts[2].data);
	oci_config_free(cfg);
	parse_fails(MIN_HEAD ", \"mounts\": [{\"destination\": \"rel\", \"type\": \"tmpfs\"}]}",
		    "not an absolute path");
	parse_fails(MIN_HEAD ", \"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"tmpcopyup\"]}]}",
		    "option \"tmpcopyup\" is not supported");
}

Test(oci_config, resources)
{
	struct oci_config *cfg = parse_ok(
		MIN_HEAD ", \"linux\": {\"cgroupsPath\": \"/a/b\", \"resources\": {"
		"\"memory\": {\"limit\": 1048576, \"reservation\": 524288, \"swap\": 2097152},"
		"\"cpu\": {\"shares\": 1024, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0-1\", \"mems\": \"0\"},"
		"\"pids\": {\"limit\": 64}, \"blockIO\": {\"weight\": 500},"
		"\"unified\": {\"memory.high\": \"max\"},"
		"\"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rw\"}]}}}");
	struct bspec_cgroup *cg = &cfg->spec->cgroup;
	cr_assert_str_eq(cg->path, "/a/b");
	cr_assert_eq(cg->memory_max, 1048576);
	cr_assert_eq(cg->memory_low, 524288);
	cr_assert_eq(cg->memory_swap_max, 1048576);
	cr_assert_eq(cg->cpu_weight, 39);
	cr_assert_eq(cg->cpu_quota_us, 50000);
	cr_assert_eq(cg->cpu_period_us, 100000);
	cr_assert_str_eq(cg->cpuset_cpus, "0-1");
	cr_assert_eq(cg->pids_max, 64);
	cr_assert_gt(cg->io_weight, 4900);
	cr_assert_lt(cg->io_weight, 5100);
	cr_assert_str_eq(cg->unified[0], "memory.high=max");
	cr_assert_eq(cg->ndevrules, 2);
	cr_assert_not(cg->devrules[0].allow);
	cr_assert_eq(cg->devrules[0].type, 'a');
	cr_assert_eq(cg->devrules[0].major, -1);
	cr_assert_eq(cg->devrules[1].type, 'c');
	cr_assert_eq(cg->devrules[1].minor, 3);
	cr_assert_str_eq(cg->devrules[1].access, "rw");
	oci_config_free(cfg);
}

Test(oci_config, cpu_shares_follow_runc_formula)
{
	cr_assert_eq(oci_cpu_shares_to_weight(2), 1);
	cr_assert_eq(oci_cpu_shares_to_weight(262144), 10000);
	cr_assert_eq(oci_cpu_shares_to_weight(1024), 39);
	cr_assert_eq(oci_cpu_shares_to_weight(0), BSPEC_UNSET);
}

Test(oci_config, seccomp_full_format)
{
	struct oci_config *cfg = parse_ok(
		MIN_HEAD ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,"
		"\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_AARCH64\"], \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"],"
		"\"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},"
		"{\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"}]},"
		"{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1}]}}}");
	struct bspec_process *p = &cfg->spec->process;
	struct bspec_seccomp *sc = p->seccomp;
	cr_assert_eq(p->seccomp_mode, BSECCOMP_CUSTOM);
	cr_assert_eq(sc->default_action, BSEC_ERRNO);
	cr_assert_eq(sc->default_errno, 38);
	cr_assert_str_eq(sc->archs[0], "x86_64");
	cr_assert_str_eq(sc->archs[1], "aarch64");
	cr_assert_eq(sc->flags, 2);
	cr_assert_eq(sc->nrules, 3);
	cr_assert_str_eq(sc->rules[0].names[1], "write");
	cr_assert_eq(sc->rules[1].nargs, 1);
	cr_assert_eq(sc->rules[1].args[0].op, BSEC_OP_EQ);
	cr_assert_eq(sc->rules[1].args[0].value, 8);
	cr_assert_eq(sc->rules[2].action, BSEC_ERRNO);
	cr_assert_eq(sc->rules[2].errno_ret, 1);
	oci_config_free(cfg);
	parse_fails(MIN_HEAD ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_NOPE\"}}}",
		    "unknown seccomp action");
	parse_fails(MIN_HEAD ", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\","
		    "\"architectures\": [\"SCMP_ARCH_VAX\"]}}}", "SCMP_ARCH_VAX");
}

Test(oci_config, hooks_devices_sysctl_paths)
{
	struct oci_config *cfg = parse_ok(
		MIN_HEAD ", \"hooks\": {\"prestart\": [{\"path\": \"/bin/true\", \"args\": [\"true\", \"x\"], \"timeout\": 5}],"
		"\"poststop\": [{\"path\": \"/bin/false\", \"env\": [\"A=b\"]}]},"
		"\"linux\": {\"devices\": [{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229, \"fileMode\": 438}],"
		"\"sysctl\": {\"net.ipv4.ip_forward\": \"1\"}, \"maskedPaths\": [\"/proc/kcore\"],"
		"\"readonlyPaths\": [\"/proc/sys\"], \"rootfsPropagation\": \"rslave\","
		"\"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],"
		"\"namespaces\": [{\"type\": \"user\"}]}}");
	struct bspec *s = cfg->spec;
	cr_assert_eq(cfg->nhooks[OCI_HOOK_PRESTART], 1);
	cr_assert_str_eq(cfg->hooks[OCI_HOOK_PRESTART][0].args[1], "x");
	cr_assert_eq(cfg->hooks[OCI_HOOK_PRESTART][0].timeout, 5);
	cr_assert_str_eq(cfg->hooks[OCI_HOOK_POSTSTOP][0].env[0], "A=b");
	/* a user namespace: the default devices are binds of the host's nodes */
	cr_assert_eq(s->ndevices, 1);
	cr_assert_eq(s->devices[0].mode, 0666);
	cr_assert_eq(s->nmounts, 6, "null zero full random urandom tty bound");
	cr_assert_str_eq(s->mounts[0].source, "/dev/null");
	cr_assert_eq(s->mounts[0].kind, BMNT_BIND);
	cr_assert_eq(s->devices[0].major, 10);
	cr_assert_str_eq(s->sysctls[0].key, "net.ipv4.ip_forward");
	cr_assert_str_eq(s->masked_paths[0], "/proc/kcore");
	cr_assert_str_eq(s->readonly_paths[0], "/proc/sys");
	cr_assert_eq(s->rootfs_propagation, MS_SLAVE | MS_REC);
	cr_assert_eq(s->nuid_map, 1);
	cr_assert_eq(s->uid_map[0].host_id, 100000);
	oci_config_free(cfg);
	parse_fails(MIN_HEAD ", \"hooks\": {\"prestart\": [{\"path\": \"rel\"}]}}", "absolute path");
	parse_fails(MIN_HEAD ", \"hooks\": {\"prestart\": [{\"path\": \"/x\", \"timeout\": 0}]}}", "positive");
}

Test(oci_config, process_json_for_exec)
{
	struct bspec_process p = { 0 };
	berr err = { 0 };
	const char *j = "{\"args\": [\"ls\"], \"cwd\": \"/\", \"terminal\": false, \"env\": [\"X=1\"]}";
	int mask = -1;
	cr_assert_eq(oci_process_parse(j, strlen(j), &p, &mask, &err), 0, "%s", err.msg);
	cr_assert_eq(mask, -1);
	cr_assert_str_eq(p.args[0], "ls");
	cr_assert_str_eq(p.env[0], "X=1");
	free(p.cwd);
	for (char **a = p.args; *a; a++)
		free(*a);
	free(p.args);
	free(p.env[0]);
	free(p.env);
	const char *bad = "{\"args\": [\"ls\"], \"bogus\": 1}";
	cr_assert_lt(oci_process_parse(bad, strlen(bad), &p, &mask, &err), 0);
	cr_assert(strstr(err.msg, "process.bogus"));
}

Test(oci_config, capability_names)
{
	cr_assert_eq(oci_cap_from_name("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
	cr_assert_eq(oci_cap_from_name("net_raw"), CAP_NET_RAW);
	cr_assert_eq(oci_cap_from_name("CAP_NOPE"), -1);
	cr_assert_str_eq(oci_cap_name(CAP_CHECKPOINT_RESTORE), "CAP_CHECKPOINT_RESTORE");
}
