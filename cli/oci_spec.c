// SPDX-License-Identifier: GPL-2.0-or-later
/* berth-oci spec (a default config.json, as runc spec) and features. */
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/oci.h"
#include "lib/cleanup.h"
#include "lib/fs.h"
#include "lib/kconfig.h"

/* The same shape as `runc spec`: one field per line, so a test can edit it with sed. */
static const char default_spec[] =
	"{\n"
	"\t\"ociVersion\": \"" OCI_SPEC_VERSION "\",\n"
	"\t\"process\": {\n"
	"\t\t\"terminal\": true,\n"
	"\t\t\"user\": {\n\t\t\t\"uid\": 0,\n\t\t\t\"gid\": 0\n\t\t},\n"
	"\t\t\"args\": [\n\t\t\t\"sh\"\n\t\t],\n"
	"\t\t\"env\": [\n"
	"\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
	"\t\t\t\"TERM=xterm\"\n\t\t],\n"
	"\t\t\"cwd\": \"/\",\n"
	"\t\t\"capabilities\": {\n"
	"\t\t\t\"bounding\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
	"\t\t\t\"effective\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
	"\t\t\t\"permitted\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t],\n"
	"\t\t\t\"ambient\": [\n\t\t\t\t\"CAP_AUDIT_WRITE\",\n\t\t\t\t\"CAP_KILL\",\n\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n\t\t\t]\n"
	"\t\t},\n"
	"\t\t\"rlimits\": [\n\t\t\t{\n\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n\t\t\t\t\"hard\": 1024,\n\t\t\t\t\"soft\": 1024\n\t\t\t}\n\t\t],\n"
	"\t\t\"noNewPrivileges\": true\n"
	"\t},\n"
	"\t\"root\": {\n\t\t\"path\": \"rootfs\",\n\t\t\"readonly\": true\n\t},\n"
	"\t\"hostname\": \"berth\",\n"
	"\t\"mounts\": [\n"
	"\t\t{\n\t\t\t\"destination\": \"/proc\",\n\t\t\t\"type\": \"proc\",\n\t\t\t\"source\": \"proc\"\n\t\t},\n"
	"\t\t{\n\t\t\t\"destination\": \"/dev\",\n\t\t\t\"type\": \"tmpfs\",\n\t\t\t\"source\": \"tmpfs\",\n"
	"\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"strictatime\",\n\t\t\t\t\"mode=755\",\n\t\t\t\t\"size=65536k\"\n\t\t\t]\n\t\t},\n"
	"\t\t{\n\t\t\t\"destination\": \"/dev/pts\",\n\t\t\t\"type\": \"devpts\",\n\t\t\t\"source\": \"devpts\",\n"
	"\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"newinstance\",\n\t\t\t\t\"ptmxmode=0666\",\n\t\t\t\t\"mode=0620\",\n\t\t\t\t\"gid=5\"\n\t\t\t]\n\t\t},\n"
	"\t\t{\n\t\t\t\"destination\": \"/dev/shm\",\n\t\t\t\"type\": \"tmpfs\",\n\t\t\t\"source\": \"shm\",\n"
	"\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"mode=1777\",\n\t\t\t\t\"size=65536k\"\n\t\t\t]\n\t\t},\n"
	"\t\t{\n\t\t\t\"destination\": \"/dev/mqueue\",\n\t\t\t\"type\": \"mqueue\",\n\t\t\t\"source\": \"mqueue\",\n"
	"\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\"\n\t\t\t]\n\t\t},\n"
	"\t\t{\n\t\t\t\"destination\": \"/sys\",\n\t\t\t\"type\": \"sysfs\",\n\t\t\t\"source\": \"sysfs\",\n"
	"\t\t\t\"options\": [\n\t\t\t\t\"nosuid\",\n\t\t\t\t\"noexec\",\n\t\t\t\t\"nodev\",\n\t\t\t\t\"ro\"\n\t\t\t]\n\t\t}\n"
	"\t],\n"
	"\t\"linux\": {\n"
	"\t\t\"resources\": {\n\t\t\t\"devices\": [\n\t\t\t\t{\n\t\t\t\t\t\"allow\": false,\n\t\t\t\t\t\"access\": \"rwm\"\n\t\t\t\t}\n\t\t\t]\n\t\t},\n"
	"\t\t\"namespaces\": [\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"pid\"\n\t\t\t},\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"network\"\n\t\t\t},\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"ipc\"\n\t\t\t},\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"uts\"\n\t\t\t},\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"mount\"\n\t\t\t},\n"
	"\t\t\t{\n\t\t\t\t\"type\": \"cgroup\"\n\t\t\t}\n"
	"\t\t],\n"
	"\t\t\"maskedPaths\": [\n"
	"\t\t\t\"/proc/acpi\",\n\t\t\t\"/proc/asound\",\n\t\t\t\"/proc/kcore\",\n\t\t\t\"/proc/keys\",\n"
	"\t\t\t\"/proc/latency_stats\",\n\t\t\t\"/proc/timer_list\",\n\t\t\t\"/proc/timer_stats\",\n"
	"\t\t\t\"/proc/sched_debug\",\n\t\t\t\"/sys/firmware\",\n\t\t\t\"/proc/scsi\"\n"
	"\t\t],\n"
	"\t\t\"readonlyPaths\": [\n"
	"\t\t\t\"/proc/bus\",\n\t\t\t\"/proc/fs\",\n\t\t\t\"/proc/irq\",\n\t\t\t\"/proc/sys\",\n"
	"\t\t\t\"/proc/sysrq-trigger\"\n"
	"\t\t]\n"
	"\t}\n"
	"}\n";

int oci_cmd_spec(struct oci_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "rootless", no_argument, NULL, 'r' },
		{ 0 },
	};
	_cleanup_close_ int dfd = -1, fd = -1;
	const char *bundle = ".";
	int c;

	while ((c = getopt_long_only(argc, argv, "+b:", opts, NULL)) != -1) {
		if (c == 'b')
			bundle = optarg;
		else if (c == 'r')
			return oci_fail(ctx, "spec --rootless is not supported: berth-oci runs as root");
		else
			return oci_fail(ctx, "spec: unknown option \"%s\"", argv[optind - 1]);
	}
	if (optind != argc)
		return oci_fail(ctx, "spec takes no arguments (use --bundle DIR)");
	dfd = open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return oci_fail(ctx, "Bundle \"%s\": %s", bundle, strerror(errno));
	fd = openat(dfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 && errno == EEXIST)
		return oci_fail(ctx, "File \"%s/config.json\" exists: remove it first", bundle);
	if (fd < 0 || write(fd, default_spec, sizeof(default_spec) - 1) != sizeof(default_spec) - 1)
		return oci_fail(ctx, "Write \"%s/config.json\": %s", bundle, strerror(errno));
	return 0;
}

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();
	for (; *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

int oci_cmd_features(struct oci_ctx *ctx, int argc, char **argv)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop", NULL };
	static const char *const mount_opts[] = {
		"async", "atime", "bind", "dev", "diratime", "dirsync", "exec", "mand", "noatime",
		"nodev", "nodiratime", "noexec", "nomand", "norelatime", "nostrictatime", "nosuid",
		"private", "rbind", "relatime", "remount", "ro", "rprivate", "rshared", "rslave",
		"runbindable", "rw", "shared", "slave", "strictatime", "suid", "sync", "unbindable",
		NULL };
	static const char *const ns[] = { "cgroup", "ipc", "mount", "network", "pid", "time",
					  "user", "uts", NULL };
	static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
					       "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
					       "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL };
	static const char *const ops[] = { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
					   "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
					   "SCMP_CMP_NE", NULL };
	static const char *const archs[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_X86",
					     "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", NULL };
	static const char *const flags[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
					     "SECCOMP_FILTER_FLAG_TSYNC", NULL };
	json_t *caps = json_array();
	char *s;

	if (argc > 1)
		return oci_fail(ctx, "features takes no arguments");
	for (int i = 0; i <= oci_cap_last(); i++)
		json_array_append_new(caps, json_string(oci_cap_name(i)));
	json_t *seccomp = json_pack("{s:b, s:o, s:o, s:o, s:o, s:[]}", "enabled",
				    IS_ENABLED(CONFIG_SECCOMP), "actions", strings(actions),
				    "operators", strings(ops), "archs", strings(archs),
				    "knownFlags", strings(flags), "supportedFlags");
	json_object_set_new(seccomp, "supportedFlags", strings(flags));
	json_t *o = json_pack(
		"{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b, s:b}, s:o, s:{s:b}, s:{s:b},"
		" s:{s:b}}, s:{s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", OCI_SPEC_VERSION, "hooks", strings(hooks),
		"mountOptions", strings(mount_opts), "linux", "namespaces", strings(ns),
		"capabilities", caps, "cgroup", "v1", 0, "v2", 1, "systemd", 0, "systemdUser", 0,
		"seccomp", seccomp, "apparmor", "enabled", 0, "selinux", "enabled", 0,
		"intelRdt", "enabled", 0, "annotations", "org.berth.runtime", "berth-oci");
	if (!o)
		return oci_fail(ctx, "Out of memory");
	s = json_dumps(o, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(o);
	printf("%s\n", s ? s : "{}");
	free(s);
	return 0;
}
