// SPDX-License-Identifier: GPL-2.0-or-later
/* cgroup v2 device rules: a BPF_PROG_TYPE_CGROUP_DEVICE program generated
 * from the rule list (last match wins, no match denies), loaded with the
 * raw bpf(2) syscall and attached with BPF_F_ALLOW_MULTI, as crun does. */
#include <errno.h>
#include <linux/bpf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/cleanup.h"
#include "runtime/cgroup_internal.h"

static const struct bspec_devrule default_rules[] = {
    {true, 'c', -1, -1, "m"},	 {true, 'b', -1, -1, "m"}, /* mknod, not open */
    {true, 'c', 1, 3, "rwm"},				   /* null */
    {true, 'c', 1, 5, "rwm"},				   /* zero */
    {true, 'c', 1, 7, "rwm"},				   /* full */
    {true, 'c', 1, 8, "rwm"},				   /* random */
    {true, 'c', 1, 9, "rwm"},				   /* urandom */
    {true, 'c', 5, 0, "rwm"},				   /* tty */
    {true, 'c', 5, 1, "rwm"},				   /* console */
    {true, 'c', 5, 2, "rwm"},				   /* ptmx */
    {true, 'c', 136, -1, "rwm"},			   /* pts/N */
};

int cgroup_device_rules(const struct bspec *spec, struct bspec_devrule **ret, size_t *ret_n)
{
	size_t n = spec->cgroup.ndevrules + ARRAY_SIZE(default_rules) + spec->ndevices, k = 0;
	struct bspec_devrule *r = calloc(n ? n : 1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < spec->cgroup.ndevrules; i++)
		r[k++] = spec->cgroup.devrules[i];
	for (size_t i = 0; i < ARRAY_SIZE(default_rules); i++)
		r[k++] = default_rules[i];
	for (size_t i = 0; i < spec->ndevices; i++) {
		const struct bspec_device *d = &spec->devices[i];
		if (d->type != 'c' && d->type != 'b')
			continue; /* fifos are not device-cgroup business */
		r[k++] = (struct bspec_devrule){true, d->type, d->major, d->minor, "rwm"};
	}
	*ret = r;
	*ret_n = k;
	return 0;
}

static int access_bits(const char *a)
{
	int bits = 0;
	for (; *a; a++)
		bits |= *a == 'r'   ? BPF_DEVCG_ACC_READ
			: *a == 'w' ? BPF_DEVCG_ACC_WRITE
			: *a == 'm' ? BPF_DEVCG_ACC_MKNOD
				    : 0;
	return bits;
}

#define ALL_ACC (BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD)

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){
	    .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

#define LDXW(dst, src, off)    insn(BPF_LDX | BPF_W | BPF_MEM, dst, src, off, 0)
#define MOV32_REG(dst, src)    insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define MOV64_IMM(dst, imm)    insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm)
#define AND32_IMM(dst, imm)    insn(BPF_ALU | BPF_AND | BPF_K, dst, 0, 0, imm)
#define RSH32_IMM(dst, imm)    insn(BPF_ALU | BPF_RSH | BPF_K, dst, 0, 0, imm)
#define JNE_IMM(dst, imm, off) insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, off, imm)
#define JEQ_IMM(dst, imm, off) insn(BPF_JMP | BPF_JEQ | BPF_K, dst, 0, off, imm)
#define EXIT()		       insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* registers: r2 type, r3 access, r4 major, r5 minor, r1 scratch */
static size_t emit_rule(const struct bspec_devrule *r, struct bpf_insn *out)
{
	int acc = access_bits(r->access);
	bool t = r->type == 'c' || r->type == 'b', a = acc != ALL_ACC;
	bool ma = r->major >= 0, mi = r->minor >= 0;
	int16_t size = (int16_t)(t + 3 * a + ma + mi + 2), j = 0;

	/* each test jumps to the end of this block: off = size - (j + 1) */
	if (t) {
		int type = r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
		out[j] = JNE_IMM(2, type, size - j - 1), j++;
	}
	if (a) {
		out[j++] = MOV32_REG(1, 3);
		if (r->allow) { /* every requested access is granted by the rule */
			out[j++] = AND32_IMM(1, ~acc & ALL_ACC);
			out[j] = JNE_IMM(1, 0, size - j - 1), j++;
		} else { /* any requested access is refused by the rule */
			out[j++] = AND32_IMM(1, acc);
			out[j] = JEQ_IMM(1, 0, size - j - 1), j++;
		}
	}
	if (ma)
		out[j] = JNE_IMM(4, (int32_t)r->major, size - j - 1), j++;
	if (mi)
		out[j] = JNE_IMM(5, (int32_t)r->minor, size - j - 1), j++;
	out[j++] = MOV64_IMM(0, r->allow ? 1 : 0);
	out[j++] = EXIT();
	return (size_t)j;
}

int cgroup_devices_program(const struct bspec_devrule *rules, size_t n, struct bpf_insn **ret,
			   size_t *ret_len)
{
	struct bpf_insn *p = calloc(6 + 8 * n + 2, sizeof(*p));
	size_t k = 0;
	if (!p)
		return -ENOMEM;
	p[k++] = LDXW(2, 1, 0); /* access_type: access << 16 | type */
	p[k++] = MOV32_REG(3, 2);
	p[k++] = RSH32_IMM(3, 16);
	p[k++] = AND32_IMM(2, 0xffff);
	p[k++] = LDXW(4, 1, 4); /* major */
	p[k++] = LDXW(5, 1, 8); /* minor */
	/* last match wins: test from the end. A rule that matches everything
	 * ends the program (the verifier refuses unreachable code). */
	bool matched_all = false;
	for (size_t i = n; i-- > 0 && !matched_all;) {
		size_t len = emit_rule(&rules[i], p + k);
		k += len;
		matched_all = len == 2; /* no test: "mov r0; exit" */
	}
	if (!matched_all) {
		p[k++] = MOV64_IMM(0, 0); /* no match: deny */
		p[k++] = EXIT();
	}
	*ret = p;
	*ret_len = k;
	return 0;
}

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

int cgroup_devices_load(const struct bspec *spec, berr *err)
{
	_cleanup_free_ struct bspec_devrule *rules = NULL;
	_cleanup_free_ struct bpf_insn *prog = NULL;
	size_t nrules, len;
	union bpf_attr a;

	if (cgroup_device_rules(spec, &rules, &nrules) < 0 ||
	    cgroup_devices_program(rules, nrules, &prog, &len) < 0)
		return berr_errno(err, ENOMEM, "Device rules");
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = (uint32_t)len;
	a.license = (uintptr_t) "GPL";
	int pfd = bpf(BPF_PROG_LOAD, &a);
	if (pfd >= 0)
		return pfd;
	int e = errno;
	if (e != EINVAL && e != EACCES)
		return berr_errno(err, e, "Load the device-rules BPF program");
	/* the verifier refused it: load again for its log, report the last line */
	_cleanup_free_ char *log = calloc(1, 65536);
	if (log) {
		a.log_buf = (uintptr_t)log;
		a.log_size = 65536;
		a.log_level = 1;
		(void)bpf(BPF_PROG_LOAD, &a);
		size_t l = strlen(log);
		while (l > 0 && log[l - 1] == '\n')
			log[--l] = '\0';
		char *last = strrchr(log, '\n');
		return berr_fail(err, e, "The kernel refused the device-rules BPF program: %s",
				 last ? last + 1 : log);
	}
	return berr_errno(err, e, "Load the device-rules BPF program");
}

int cgroup_devices_attach(int cgfd, const struct bspec *spec, berr *err)
{
	union bpf_attr a;
	_cleanup_close_ int pfd = cgroup_devices_load(spec, err);
	if (pfd < 0)
		return pfd;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cgfd;
	a.attach_bpf_fd = (uint32_t)pfd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &a) < 0)
		return berr_errno(err, errno, "Attach the device-rules BPF program");
	return 0;
}
