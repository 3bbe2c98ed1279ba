// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>

#include "lib/strv.h"
#include "supervisor/podspec.h"

static char dir[] = "/tmp/berth-podspec-XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/berth-podspec-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_assert_eq(system(cmd), 0);
}

/* Write TEXT to DIR/NAME and return the path (static buffer). */
static const char *spec(const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static struct pod_spec *load_ok(const char *text)
{
	struct pod_spec *pod = NULL;
	berr err = { 0 };
	int r = pod_spec_load(spec("web.pod", text), &pod, &err);
	cr_assert_eq(r, 0, "load failed: %s", err.msg);
	return pod;
}

/* The error message after "DIR/web.pod: ". */
static void load_fails(const char *text, const char *want)
{
	struct pod_spec *pod = NULL;
	berr err = { 0 };
	const char *path = spec("web.pod", text);
	int r = pod_spec_load(path, &pod, &err);
	cr_assert_eq(r, -EINVAL, "expected failure for: %s", text);
	cr_assert_null(pod);
	cr_assert_eq(strncmp(err.msg, path, strlen(path)), 0, "message does not name the file: %s", err.msg);
	cr_assert_str_eq(err.msg + strlen(path) + 2, want);
}

TestSuite(podspec, .init = setup, .fini = teardown);

Test(podspec, minimal_spec_gets_documented_defaults)
{
	struct pod_spec *p = load_ok("[pod]\n[container app]\nimage = busybox\n");
	cr_assert_str_eq(p->name, "web");
	cr_assert_eq(p->replicas, 1);
	cr_assert_eq(p->restart, RESTART_ALWAYS);
	cr_assert_eq(p->backoff_base_ms, 1000);
	cr_assert_eq(p->backoff_max_ms, 60000);
	cr_assert_eq(p->backoff_reset_ms, 60000);
	cr_assert_eq(p->stop_grace_ms, 10000);
	cr_assert_eq(p->network, PODNET_BRIDGE);
	cr_assert_eq(p->log_max_bytes, 256 << 10);
	cr_assert_eq(p->log_files, 2);
	cr_assert_eq(p->ncontainers, 1);
	struct container_spec *c = &p->containers[0];
	cr_assert_str_eq(c->name, "app");
	cr_assert_str_eq(c->image, "busybox");
	cr_assert_null(c->command);
	cr_assert_eq(c->memory, BSPEC_UNSET);
	for (int k = 0; k < PROBE_KIND_COUNT; k++) {
		cr_assert_eq(c->probes[k].type, PROBE_NONE);
		cr_assert_eq(c->probes[k].period_ms, 10000);
		cr_assert_eq(c->probes[k].timeout_ms, 1000);
		cr_assert_eq(c->probes[k].success_threshold, 1);
		cr_assert_eq(c->probes[k].failure_threshold, 3);
	}
	pod_spec_free(p);
}

Test(podspec, parses_every_key)
{
	const char *envf = spec("app.env", "# comment\nFROM_FILE=1\nB=file\n");
	char text[4096];
	snprintf(text, sizeof(text),
		 "; a comment\n"
		 "[pod]\nname = shop\nreplicas = 3\nrestart = on-failure\nbackoff = 200ms\n"
		 "backoff-max = 10s\nbackoff-reset = 2m\nnetwork = bridge\n"
		 "publish = 8080:80, 127.0.0.1:5353:53/udp \\\n    9000:9000/tcp\n"
		 "hostname = shop-board\npid = shared\nstop-grace = 5s\nlog-size = 64K\nlog-files = 3\n"
		 "[Container App]\nimage = busybox:latest\n"
		 "command = 'sh -c \"echo hi; sleep 1\"'\nentrypoint = /bin/env --\n"
		 "env = A=1 B='two words' C=x,y\nenv-file = %s\nworkdir = /srv\nuser = 1000:1000\n"
		 "memory = 64M\nmemory-high = 48Mi\ncpus = 500m\ncpu-weight = 200\npids = 64\n"
		 "read-only = true\ndevices = /dev/null:/dev/mynull:rw, /dev/zero\n"
		 "cap-add = NET_ADMIN, CAP_SYS_TIME\ncap-drop = ALL\n"
		 "volumes = /srv/data:/data:ro data:/var/lib/app\n"
		 "tmpfs = /tmp:size=16M,mode=1777 /run\nstop-signal = SIGINT\nstop-timeout = 3s\ninit = false\n"
		 "[probe app liveness]\nhttp = 80\npath = /healthz\nperiod = 2s\nfailure-threshold = 5\n"
		 "[probe app readiness]\ntcp = 80\ninitial-delay = 1s\nsuccess-threshold = 2\ntimeout = 500ms\n"
		 "[probe app startup]\nexec = cat /tmp/ready\n"
		 "[container side]\nimage = /srv/rootfs\n",
		 envf);
	struct pod_spec *p = load_ok(text);
	cr_assert_str_eq(p->name, "shop");
	cr_assert_eq(p->replicas, 3);
	cr_assert_eq(p->restart, RESTART_ON_FAILURE);
	cr_assert_eq(p->backoff_base_ms, 200);
	cr_assert_eq(p->backoff_max_ms, 10000);
	cr_assert_eq(p->backoff_reset_ms, 120000);
	cr_assert_eq(p->nports, 3);
	cr_assert_eq(p->ports[0].host_port, 8080);
	cr_assert_eq(p->ports[0].container_port, 80);
	cr_assert_null(p->ports[0].host_ip);
	cr_assert_str_eq(p->ports[1].host_ip, "127.0.0.1");
	cr_assert(p->ports[1].udp);
	cr_assert_eq(p->ports[2].host_port, 9000);
	cr_assert(!p->ports[2].udp);
	cr_assert_str_eq(p->hostname, "shop-board");
	cr_assert(p->share_pid);
	cr_assert_eq(p->stop_grace_ms, 5000);
	cr_assert_eq(p->log_max_bytes, 64 << 10);
	cr_assert_eq(p->log_files, 3);
	cr_assert_eq(p->ncontainers, 2);
	struct container_spec *c = &p->containers[0];
	cr_assert_str_eq(c->name, "app");
	cr_assert_eq(strv_length(c->command), 3);
	cr_assert_str_eq(c->command[2], "echo hi; sleep 1");
	cr_assert_str_eq(c->entrypoint[0], "/bin/env");
	cr_assert_eq(strv_length(c->env), 5);
	cr_assert_str_eq(c->env[0], "FROM_FILE=1");
	cr_assert_str_eq(c->env[1], "B=file");
	cr_assert_str_eq(c->env[2], "A=1");
	cr_assert_str_eq(c->env[3], "B=two words");
	cr_assert_str_eq(c->env[4], "C=x,y");
	cr_assert_str_eq(c->workdir, "/srv");
	cr_assert_str_eq(c->user, "1000:1000");
	cr_assert_eq(c->memory, 64 << 20);
	cr_assert_eq(c->memory_high, 48 << 20);
	cr_assert_eq(c->millicpus, 500);
	cr_assert_eq(c->cpu_weight, 200);
	cr_assert_eq(c->pids, 64);
	cr_assert(c->read_only);
	cr_assert_eq(c->ndevices, 2);
	cr_assert_str_eq(c->devices[0].ctr_path, "/dev/mynull");
	cr_assert_str_eq(c->devices[0].access, "rw");
	cr_assert_str_eq(c->devices[1].ctr_path, "/dev/zero");
	cr_assert_str_eq(c->devices[1].access, "rwm");
	cr_assert_eq(c->cap_add, (1ULL << CAP_NET_ADMIN) | (1ULL << CAP_SYS_TIME));
	cr_assert_eq(c->cap_drop, ~0ULL);
	cr_assert_eq(c->nmounts, 2);
	cr_assert(c->mounts[0].readonly && !c->mounts[0].named);
	cr_assert(c->mounts[1].named && !c->mounts[1].readonly);
	cr_assert_str_eq(c->mounts[1].source, "data");
	cr_assert_eq(strv_length(c->tmpfs), 2);
	cr_assert_str_eq(c->tmpfs[0], "/tmp:size=16M,mode=1777");
	cr_assert_eq(c->stop_signal, SIGINT);
	cr_assert_eq(c->stop_timeout_ms, 3000);
	cr_assert(!c->init);
	cr_assert(p->containers[1].init, "init defaults to true");
	struct probe_spec *l = &c->probes[PROBE_LIVENESS];
	cr_assert_eq(l->type, PROBE_HTTP);
	cr_assert_eq(l->port, 80);
	cr_assert_str_eq(l->path, "/healthz");
	cr_assert_eq(l->period_ms, 2000);
	cr_assert_eq(l->failure_threshold, 5);
	struct probe_spec *r = &c->probes[PROBE_READINESS];
	cr_assert_eq(r->type, PROBE_TCP);
	cr_assert_eq(r->initial_delay_ms, 1000);
	cr_assert_eq(r->success_threshold, 2);
	cr_assert_eq(r->timeout_ms, 500);
	cr_assert_eq(c->probes[PROBE_STARTUP].type, PROBE_EXEC);
	cr_assert_str_eq(c->probes[PROBE_STARTUP].exec[1], "/tmp/ready");
	cr_assert_str_eq(p->containers[1].image, "/srv/rootfs");
	pod_spec_free(p);
}

#define POD "[pod]\n"
#define APP "[container app]\nimage = busybox\n"

/* Every validation error, with its exact message. */
Test(podspec, rejects_bad_values_naming_section_key_and_reason)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ POD APP "memory = 12Q\n", "[container app] memory: \"12Q\" is not a size (e.g. 64M, 1.5G, 512Ki)" },
		{ POD APP "memory = 0\n", "[container app] memory: \"0\" must be more than 0" },
		{ POD APP "memory-high = lots\n", "[container app] memory-high: \"lots\" is not a size (e.g. 64M, 1.5G, 512Ki)" },
		{ POD APP "memory = 32M\nmemory-high = 64M\n", "[container app] memory-high: more than memory" },
		{ POD APP "cpus = -1\n", "[container app] cpus: \"-1\" is not a CPU amount (e.g. 0.5, 2, 500m)" },
		{ POD APP "cpu-weight = 0\n", "[container app] cpu-weight: \"0\" is not a whole number from 1 to 10000" },
		{ POD APP "pids = x\n", "[container app] pids: \"x\" is not a whole number from 1 to 4194304" },
		{ POD APP "read-only = maybe\n", "[container app] read-only: \"maybe\" is not a boolean (true or false)" },
		{ POD APP "init = 2\n", "[container app] init: \"2\" is not a boolean (true or false)" },
		{ POD APP "command = sh -c 'echo\n", "[container app] command: \"sh -c 'echo\" has an unclosed quote" },
		{ POD APP "entrypoint =\n", "[container app] entrypoint: is empty" },
		{ POD APP "env = 1A=x\n", "[container app] env: \"1A=x\" is not NAME=VALUE" },
		{ POD APP "env = NOVALUE\n", "[container app] env: \"NOVALUE\" is not NAME=VALUE" },
		{ POD APP "env-file = rel/path\n", "[container app] env-file: \"rel/path\" is not an absolute path" },
		{ POD APP "workdir = srv\n", "[container app] workdir: \"srv\" is not an absolute path" },
		{ POD APP "workdir = /srv/../etc\n", "[container app] workdir: \"/srv/../etc\" contains \"..\"" },
		{ POD APP "user = a b\n", "[container app] user: \"a b\" is not USER[:GROUP]" },
		{ POD APP "devices = /etc/passwd\n", "[container app] devices: \"/etc/passwd\" is not under /dev" },
		{ POD APP "devices = /dev/null:rwx\n", "[container app] devices: \"/dev/null:rwx\": \"rwx\" is not a subset of rwm" },
		{ POD APP "devices = dev/null\n", "[container app] devices: \"dev/null\" is not an absolute path" },
		{ POD APP "cap-add = FLY\n", "[container app] cap-add: \"FLY\" is not a capability" },
		{ POD APP "cap-add = ALL\n", "[container app] cap-add: ALL is only allowed in cap-drop" },
		{ POD APP "volumes = /a\n", "[container app] volumes: \"/a\" is not SOURCE:PATH[:ro]" },
		{ POD APP "volumes = /a:/b:rx\n", "[container app] volumes: \"/a:/b:rx\": \"rx\" is not ro or rw" },
		{ POD APP "volumes = /a:b\n", "[container app] volumes: \"b\" is not an absolute path" },
		{ POD APP "volumes = Bad!:/b\n", "[container app] volumes: \"Bad!\" is neither an absolute path nor a volume name" },
		{ POD APP "volumes = /a:/b /c:/b\n", "[container app] volumes: \"/b\" is mounted twice" },
		{ POD APP "tmpfs = tmp\n", "[container app] tmpfs: \"tmp\" is not an absolute path" },
		{ POD APP "tmpfs = /tmp:size=big\n", "[container app] tmpfs: \"/tmp:size=big\": \"big\" is not a size" },
		{ POD APP "tmpfs = /tmp:suid\n", "[container app] tmpfs: \"/tmp:suid\": option \"suid\" is not size=, mode=, ro, rw, exec or noexec" },
		{ POD APP "stop-signal = SIGFOO\n", "[container app] stop-signal: \"SIGFOO\" is not a signal" },
		{ POD APP "stop-timeout = soon\n", "[container app] stop-timeout: \"soon\" is not a duration (e.g. 500ms, 10s, 5m)" },
		{ POD APP "colour = red\n", "[container app] colour: unknown key" },
		{ POD "[container app]\nimage =\n", "[container app] image: is empty" },
		{ POD "[container app]\ncommand = true\n", "[container app] image: missing (every container needs one)" },
		{ POD "name = Web!\n" APP, "[pod] name: \"Web!\" is not a valid name ([a-z0-9][a-z0-9_.-]*, at most 30)" },
		{ POD "replicas = -1\n" APP, "[pod] replicas: \"-1\" is not a whole number from 0 to 100" },
		{ POD "replicas = 101\n" APP, "[pod] replicas: \"101\" is not a whole number from 0 to 100" },
		{ POD "restart = sometimes\n" APP, "[pod] restart: \"sometimes\" is not one of always, on-failure, never" },
		{ POD "backoff = 1y\n" APP, "[pod] backoff: \"1y\" is not a duration (e.g. 500ms, 10s, 5m)" },
		{ POD "backoff = 10s\nbackoff-max = 1s\n" APP, "[pod] backoff-max: less than backoff" },
		{ POD "backoff-reset = x\n" APP, "[pod] backoff-reset: \"x\" is not a duration (e.g. 500ms, 10s, 5m)" },
		{ POD "network = wifi\n" APP, "[pod] network: \"wifi\" is not one of bridge, none, host" },
		{ POD "network = none\npublish = 80:80\n" APP, "[pod] publish: needs network = bridge" },
		{ POD "publish = 80\n" APP, "[pod] publish: \"80\" is not [IP:]HOSTPORT:PORT[/udp]" },
		{ POD "publish = 80:70000\n" APP, "[pod] publish: \"70000\" is not a port (1-65535)" },
		{ POD "publish = 80:80/sctp\n" APP, "[pod] publish: \"80:80/sctp\": protocol \"sctp\" is not tcp or udp" },
		{ POD "publish = 80:80 80:81\n" APP, "[pod] publish: host port 80 is published twice" },
		{ POD "hostname = a_b\n" APP, "[pod] hostname: \"a_b\" is not a host name (letters, digits, - and .)" },
		{ POD "pid = host\n" APP, "[pod] pid: \"host\" is not private or shared" },
		{ POD "stop-grace = forever\n" APP, "[pod] stop-grace: \"forever\" is not a duration (e.g. 500ms, 10s, 5m)" },
		{ POD "log-size = 1K\n" APP, "[pod] log-size: \"1K\" is less than 4K" },
		{ POD "log-files = 0\n" APP, "[pod] log-files: \"0\" is not a whole number from 1 to 100" },
		{ POD "image = x\n" APP, "[pod] image: unknown key" },
		{ POD APP "[probe app liveness]\nhttp = 80\ntcp = 80\n", "[probe app liveness] tcp: a probe has exactly one of exec, http, tcp" },
		{ POD APP "[probe app liveness]\nperiod = 1s\n", "[probe app liveness] a probe needs one of exec, http, tcp" },
		{ POD APP "[probe app liveness]\nhttp = 0\n", "[probe app liveness] http: \"0\" is not a port (1-65535)" },
		{ POD APP "[probe app liveness]\nhttp = 80\npath = health\n", "[probe app liveness] path: \"health\" does not start with /" },
		{ POD APP "[probe app liveness]\ntcp = 80\nperiod = 10ms\n", "[probe app liveness] period: \"10ms\" is less than 100ms" },
		{ POD APP "[probe app liveness]\ntcp = 80\ntimeout = 0\n", "[probe app liveness] timeout: must be more than 0" },
		{ POD APP "[probe app liveness]\ntcp = 80\nsuccess-threshold = 2\n", "[probe app liveness] success-threshold must be 1 for liveness and startup probes" },
		{ POD APP "[probe app liveness]\ntcp = 80\nfailure-threshold = 0\n", "[probe app liveness] failure-threshold: \"0\" is not a whole number from 1 to 1000" },
		{ POD APP "[probe app liveness]\nexec = x 'y\n", "[probe app liveness] exec: \"x 'y\" has an unclosed quote" },
		{ POD APP "[probe app health]\ntcp = 80\n", "[probe app health] \"health\" is not liveness, readiness or startup" },
		{ POD APP "[probe db liveness]\ntcp = 80\n", "[probe db liveness] there is no [container db]" },
		{ POD APP "[probe app liveness]\ntcp = 80\ncolour = red\n", "[probe app liveness] colour: unknown key" },
		{ POD APP "[service web]\n", "[service web] unknown section (expected [pod], [container NAME] or [probe NAME liveness|readiness|startup])" },
		{ POD "[container App!]\nimage = x\n", "[container app!] \"app!\" is not a valid container name ([a-z0-9][a-z0-9_.-]*, at most 28)" },
		{ APP, "no [pod] section" },
		{ POD, "no [container NAME] section" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		load_fails(cases[i].text, cases[i].msg);
}

Test(podspec, rejects_structure_errors_with_line_numbers)
{
	load_fails("key = 1\n" POD APP, "line 1: key: key outside of any [section]");
	load_fails(POD APP "[container app]\nimage = y\n", "line 4: [container app] appears twice");
	load_fails(POD APP "image = y\n", "line 4: [container app] image: key appears twice (write a list on one line, see docs/pod-spec.md)");
	load_fails(POD APP "just words\n", "line 4: \"just words\" is neither [section] nor key = value");
	load_fails(POD "[container app\n", "line 2: \"[container app\": missing ]");
	load_fails(POD "[ ]\n", "line 2: empty section name");
	load_fails(POD APP " = x\n", "line 4: missing key before =");
	load_fails(POD APP "a:b = x\n", "line 4: a:b: ':' is not allowed in a key");
	/* continuation lines count: the error is on the line of the key */
	load_fails(POD APP "env = A=1 \\\n  B=2\nbogus\n", "line 6: \"bogus\" is neither [section] nor key = value");
}

Test(podspec, missing_env_file_is_reported)
{
	struct pod_spec *pod = NULL;
	berr err = { 0 };
	const char *path = spec("x.pod", POD APP "env-file = /nonexistent/env\n");
	cr_assert_eq(pod_spec_load(path, &pod, &err), -EINVAL);
	cr_assert(strstr(err.msg, "[container app] env-file: ") != NULL, "%s", err.msg);
	cr_assert(strstr(err.msg, "/nonexistent/env") != NULL, "%s", err.msg);
}

Test(podspec, name_from_file_must_be_valid)
{
	struct pod_spec *pod = NULL;
	berr err = { 0 };
	const char *path = spec("Bad Name.pod", POD APP);
	cr_assert_eq(pod_spec_load(path, &pod, &err), -EINVAL);
	cr_assert(strstr(err.msg, "[pod] name: missing, and the file name \"Bad Name\" is not a valid pod name"), "%s", err.msg);
}

Test(podspec, malformed_input_never_crashes)
{
	static const char *inputs[] = {
		"[pod]\nname\n", "[pod]\n=\n", "[pod]\nname = \"\n", "[pod]\nname = '\n", "[\n", "]\n",
		"[pod]\nname = \"unterminated\n[container a]\nimage=\"x\n", "\\\n\\\n", "[pod]\nreplicas = \\\n",
		"[pod]\n[container a]\nimage = x\n[probe a liveness]\nexec = \"\"\n",
		"[pod]\n[container a]\nimage = ;\n", "[pod]\n[container a]\nimage = #\n", "\xff\xfe[pod]\n",
		"[pod] x\n[container a]\nimage=x\n", "[pod]\n[container]\n", "[pod]\n[probe]\n",
		"[pod]\n[container a b c d]\n",
	};
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		struct pod_spec *pod = NULL;
		berr err = { 0 };
		int r = pod_spec_load(spec("m.pod", inputs[i]), &pod, &err);
		if (r == 0)
			pod_spec_free(pod);
		else
			cr_assert(err.msg[0], "no message for input %zu", i);
	}
}

Test(podspec, split_words_handles_quotes_and_escapes)
{
	char **v = NULL;
	cr_assert_eq(split_words("a 'b c' \"d 'e'\" f\\ g", &v), 0);
	cr_assert_eq(strv_length(v), 4);
	cr_assert_str_eq(v[1], "b c");
	cr_assert_str_eq(v[2], "d 'e'");
	cr_assert_str_eq(v[3], "f g");
	strv_free(v);
	cr_assert_eq(split_words("'open", &v), -EINVAL);
	cr_assert_eq(split_words("   ", &v), 0);
	cr_assert_null(v);
}

Test(podspec, parses_signals)
{
	cr_assert_eq(parse_signal("TERM"), SIGTERM);
	cr_assert_eq(parse_signal("SIGINT"), SIGINT);
	cr_assert_eq(parse_signal("sigusr1"), SIGUSR1);
	cr_assert_eq(parse_signal("9"), 9);
	cr_assert_eq(parse_signal("0"), -EINVAL);
	cr_assert_eq(parse_signal("NOPE"), -EINVAL);
}

Test(podspec, equality_sees_container_changes_only)
{
	struct pod_spec *a = load_ok(POD "replicas = 2\n" APP "memory = 64M\n[container b]\nimage = x\n");
	struct pod_spec *b = load_ok(POD "replicas = 5\n" APP "memory = 64M\n[container b]\nimage = y\n");
	cr_assert(pod_spec_sandbox_equal(a, b));
	cr_assert(container_spec_equal(&a->containers[0], &b->containers[0]));
	cr_assert(!container_spec_equal(&a->containers[1], &b->containers[1]));
	struct pod_spec *c = load_ok(POD "publish = 80:80\n" APP "memory = 64M\n[container b]\nimage = y\n");
	cr_assert(!pod_spec_sandbox_equal(b, c));
	pod_spec_free(a);
	pod_spec_free(b);
	pod_spec_free(c);
}

Test(podspec, fills_a_bspec)
{
	struct pod_spec *p = load_ok(POD "hostname = shop\n[container app]\nimage = /rootfs\n"
				     "entrypoint = /bin/sh -c\ncommand = echo 'hi there'\nenv = A=2 HOSTNAME=mine\n"
				     "memory = 64M\ncpus = 0.5\npids = 10\ncap-drop = ALL\ncap-add = CHOWN\n"
				     "volumes = /srv:/data:ro\ntmpfs = /tmp:size=1M,noexec\nuser = 5:6\n"
				     "stop-signal = INT\nread-only = yes\ndevices = /dev/null:/dev/n:r\n");
	char *img_env[] = { "PATH=/bin", "A=1", NULL };
	char *img_cmd[] = { "httpd", NULL };
	struct image_defaults img = { .env = img_env, .cmd = img_cmd, .workdir = "/w" };
	struct bspec *s = NULL;
	berr err = { 0 };
	cr_assert_eq(pod_spec_fill_bspec(p, &p->containers[0], "web-1", &img, dir, &s, &err), 0, "%s", err.msg);
	cr_assert_str_eq(s->id, "web-1-app");
	cr_assert_str_eq(s->rootfs, "/rootfs");
	cr_assert_str_eq(s->hostname, "shop");
	cr_assert_eq(strv_length(s->process.args), 4);
	cr_assert_str_eq(s->process.args[3], "hi there");
	cr_assert_str_eq(s->process.cwd, "/w");
	cr_assert_eq(s->process.uid, 5);
	cr_assert_eq(s->process.gid, 6);
	cr_assert_eq(s->process.caps.bounding, 1ULL << CAP_CHOWN);
	cr_assert_eq(s->cgroup.memory_max, 64 << 20);
	cr_assert_eq(s->cgroup.cpu_quota_us, 50000);
	cr_assert_eq(s->cgroup.cpu_period_us, 100000);
	cr_assert_eq(s->cgroup.pids_max, 10);
	cr_assert_eq(s->stop_signal, SIGINT);
	cr_assert(s->readonly_rootfs);
	cr_assert_eq(s->nmounts, 2);
	cr_assert_str_eq(s->mounts[0].target, "/data");
	cr_assert_eq(s->mounts[1].kind, BMNT_TMPFS);
	cr_assert_str_eq(s->mounts[1].data, "size=1M");
	cr_assert_eq(s->ndevices, 1);
	cr_assert_eq(s->devices[0].type, 'c');
	cr_assert_str_eq(s->cgroup.devrules[0].access, "r");
	int seen_a = 0;
	for (size_t i = 0; s->process.env[i]; i++) {
		if (strcmp(s->process.env[i], "A=2") == 0)
			seen_a++;
		cr_assert_str_neq(s->process.env[i], "A=1");
		cr_assert_str_neq(s->process.env[i], "HOSTNAME=web-1");
	}
	cr_assert_eq(seen_a, 1);
	bspec_free(s);
	pod_spec_free(p);
}

Test(podspec, image_cmd_dropped_when_entrypoint_set)
{
	struct pod_spec *p = load_ok(POD "[container app]\nimage = /r\nentrypoint = /bin/true\n");
	char *img_cmd[] = { "httpd", NULL };
	struct image_defaults img = { .cmd = img_cmd };
	struct bspec *s = NULL;
	berr err = { 0 };
	cr_assert_eq(pod_spec_fill_bspec(p, &p->containers[0], "web-0", &img, dir, &s, &err), 0);
	cr_assert_eq(strv_length(s->process.args), 1);
	bspec_free(s);
	struct image_defaults none = { 0 };
	struct pod_spec *q = load_ok(POD "[container app]\nimage = /r\n");
	cr_assert_eq(pod_spec_fill_bspec(q, &q->containers[0], "web-0", &none, dir, &s, &err), -EINVAL);
	cr_assert_str_eq(err.msg, "[container app]: no command (the image has no Entrypoint or Cmd: set command)");
	pod_spec_free(p);
	pod_spec_free(q);
}

/* Every example in examples/ is valid (run from the top of the tree). */
Test(podspec, examples_validate)
{
	static const char *files[] = { "examples/web.pod", "examples/pair.pod", "examples/kiosk.pod" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct pod_spec *pod = NULL;
		berr err = { 0 };
		cr_assert_eq(pod_spec_load(files[i], &pod, &err), 0, "%s", err.msg);
		pod_spec_free(pod);
	}
}

Test(podspec, configs_secrets_env_from_and_reload)
{
	struct pod_spec *p = load_ok(POD APP "configs = app:/etc/app web:/etc/web\nsecrets = db tls:/certs\n"
				     "env-from = config:app secret:db\nreload = SIGHUP\n");
	const struct container_spec *c = &p->containers[0];
	cr_assert_eq(c->nobjmounts, 4);
	cr_assert_eq(c->objmounts[0].kind, OBJREF_CONFIG);
	cr_assert_str_eq(c->objmounts[1].target, "/etc/web");
	cr_assert_eq(c->objmounts[2].kind, OBJREF_SECRET);
	cr_assert_str_eq(c->objmounts[2].target, "/run/secrets/db");
	cr_assert_str_eq(c->objmounts[3].name, "tls");
	cr_assert_eq(c->nenvfrom, 2);
	cr_assert_eq(c->envfrom[1].kind, OBJREF_SECRET);
	cr_assert_eq(c->reload_signal, SIGHUP);
	pod_spec_free(p);
	load_fails(POD APP "secrets = db:/proc/x\n", "[container app] secrets: \"/proc/x\" is inside /proc");
	load_fails(POD APP "configs = app:/sys\n", "[container app] configs: \"/sys\" is inside /sys");
	load_fails(POD APP "configs = app:/dev/\n", "[container app] configs: \"/dev/\" is inside /dev");
	load_fails(POD APP "configs = app:/\n", "[container app] configs: \"/\" is the root directory");
	load_fails(POD APP "configs = app\n", "[container app] configs: \"app\" is not NAME:PATH");
	load_fails(POD APP "configs = App:/x\n",
		   "[container app] configs: \"App\" is not a config name (a DNS label: [a-z0-9-], at most 63)");
	load_fails(POD APP "env-from = file:x\n", "[container app] env-from: \"file:x\" is not config:NAME or secret:NAME");
	load_fails(POD APP "configs = a:/x\nsecrets = b:/x\n", "[container app] secrets: \"/x\" is mounted twice");
	load_fails(POD APP "reload = KILL\nconfigs = a:/x\n", "[container app] reload: \"KILL\" is not a signal a process can handle");
	load_fails(POD APP "reload = HUP\n", "[container app] reload: no configs or secrets are mounted");
}

Test(podspec, object_versions_change_the_spec_unless_reload)
{
	struct pod_spec *a = load_ok(POD APP "configs = app:/etc/app\n");
	struct pod_spec *b = load_ok(POD APP "configs = app:/etc/app\n");
	strcpy(a->containers[0].objmounts[0].version, "v1");
	strcpy(b->containers[0].objmounts[0].version, "v2");
	cr_assert_not(container_spec_equal(&a->containers[0], &b->containers[0]));
	pod_spec_free(a);
	pod_spec_free(b);
	a = load_ok(POD APP "configs = app:/etc/app\nreload = HUP\n");
	b = load_ok(POD APP "configs = app:/etc/app\nreload = HUP\n");
	strcpy(a->containers[0].objmounts[0].version, "v1");
	strcpy(b->containers[0].objmounts[0].version, "v2");
	cr_assert(container_spec_equal(&a->containers[0], &b->containers[0]));
	pod_spec_free(a);
	pod_spec_free(b);
}

Test(podspec, env_file_readable_by_others_is_a_warning)
{
	const char *env = spec("vars.env", "A=1\n");
	char path[256];
	snprintf(path, sizeof(path), "%s", env);
	chmod(path, 0644);
	char text[512];
	snprintf(text, sizeof(text), POD APP "env-file = %s\n", path);
	struct pod_spec *p = load_ok(text);
	cr_assert_eq(strv_length(p->warnings), 1);
	cr_assert(strstr(p->warnings[0], "env-file: ") && strstr(p->warnings[0], "is readable by others"),
		  "%s", p->warnings[0]);
	pod_spec_free(p);
	chmod(path, 0600);
	p = load_ok(text);
	cr_assert_null(p->warnings);
	pod_spec_free(p);
}

Test(podspec, service_keys_labels_affinity_namespace)
{
	struct pod_spec *pod = load_ok("[pod]\nlabels = app=game track=blue\nsession-affinity = client-ip\n"
				       "session-affinity-timeout = 10m\nnamespace = dev\n" APP);
	cr_assert_str_eq(pod->labels[0], "app=game");
	cr_assert_str_eq(pod->labels[1], "track=blue");
	cr_assert_null(pod->labels[2]);
	cr_assert(pod->affinity);
	cr_assert_eq(pod->affinity_timeout_ms, 600000);
	cr_assert_str_eq(pod->namespace, "dev");
	cr_assert_str_eq(pod->name, "web.dev", "a pod of namespace dev is NAME.dev to the daemon");
	pod_spec_free(pod);
	pod = load_ok("[pod]\nnamespace = default\n" APP);
	cr_assert_null(pod->namespace);
	cr_assert_str_eq(pod->name, "web");
	cr_assert_not(pod->affinity);
	cr_assert_eq(pod->affinity_timeout_ms, 3ULL * 3600 * 1000);
	pod_spec_free(pod);
}

Test(podspec, rejects_bad_service_keys)
{
	load_fails("[pod]\nnamespace = Dev\n" APP,
		   "[pod] namespace: \"Dev\" is not a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63)");
	load_fails("[pod]\nnamespace = -dev\n" APP,
		   "[pod] namespace: \"-dev\" is not a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63)");
	load_fails("[pod]\nnamespace = dev.x\n" APP,
		   "[pod] namespace: \"dev.x\" is not a DNS label ([a-z0-9]([a-z0-9-]*[a-z0-9])?, at most 63)");
	load_fails("[pod]\nnamespace = averyveryveryverylongnamespace\n" APP,
		   "[pod] namespace: \"web.averyveryveryverylongnamespace\" in namespace \"averyveryveryverylongnamespace\" is longer than 30 characters");
	load_fails("[pod]\nlabels = app=\n" APP,
		   "[pod] labels: \"app=\" is not KEY=VALUE ([A-Za-z0-9][A-Za-z0-9_.-]*, at most 63 each)");
	load_fails("[pod]\nlabels = =x\n" APP,
		   "[pod] labels: \"=x\" is not KEY=VALUE ([A-Za-z0-9][A-Za-z0-9_.-]*, at most 63 each)");
	load_fails("[pod]\nsession-affinity = cookie\n" APP,
		   "[pod] session-affinity: \"cookie\" is not one of none, client-ip");
	load_fails("[pod]\nsession-affinity-timeout = 100ms\n" APP,
		   "[pod] session-affinity-timeout: \"100ms\" is not from 1s to 24h");
}
