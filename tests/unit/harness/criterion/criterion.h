// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A Criterion-compatible harness for the part of Criterion's API that
 * berth's unit tests use, for targets Debian builds no Criterion for
 * (armhf, armel). tests/build.mk puts this directory first on the include
 * path only there (UNIT_HARNESS=y); everywhere else the tests build against
 * the real Criterion. tests/unit/harness/runner.c is the main(): it runs
 * each test in a forked child, as Criterion does, and prints TAP.
 *
 * Supported: Test(suite, name, .init, .fini, .disabled, .description),
 * TestSuite(name, same fields), cr_assert, cr_assert_not, cr_assert_eq/neq,
 * cr_assert_lt/leq/gt/geq, cr_assert_null/not_null, cr_assert_str_eq/neq,
 * cr_assert_fail, cr_skip_test. Anything else fails to compile, which is
 * the point: a test that needs more moves to the real Criterion's subset
 * here first. Semantics follow Criterion 2.4: the suite's init, then the
 * test's; the test's fini, then the suite's, also after a failed assert; a
 * failed assert or a skip ends the test.
 */
#ifndef BERTH_UNIT_HARNESS_CRITERION_H
#define BERTH_UNIT_HARNESS_CRITERION_H

/* with the headers the real one brings along */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* as the real one: no warnings from the expansions of these macros (e.g.
 * -Wsign-compare on an enum against an int) */
#pragma GCC system_header
/* the message arguments are optional: "" __VA_ARGS__ makes an empty one */
#pragma GCC diagnostic ignored "-Wformat-zero-length"

struct criterion_test_extra_data {
	int cr_unused_; /* lets Test(s, n) with no fields initialise it */
	void (*init)(void);
	void (*fini)(void);
	bool disabled;
	const char *description;
};

struct cr_harness_test {
	const char *suite, *name;
	void (*fn)(void);
	struct criterion_test_extra_data data;
	struct cr_harness_test *next;
};

struct cr_harness_suite {
	const char *name;
	struct criterion_test_extra_data data;
	struct cr_harness_suite *next;
};

void cr_harness_register_test(struct cr_harness_test *t);
void cr_harness_register_suite(struct cr_harness_suite *s);
__attribute__((noreturn, format(printf, 4, 5))) void
cr_harness_fail(const char *file, int line, const char *expr, const char *fmt, ...);
__attribute__((noreturn, format(printf, 6, 7))) void
cr_harness_fail_str(const char *file, int line, const char *expr, const char *a, const char *b,
		    const char *fmt, ...);
__attribute__((noreturn, format(printf, 1, 2))) void cr_harness_skip(const char *fmt, ...);

#define Test(suite, name, ...)                                                                   \
	static void cr_fn_##suite##_##name(void);                                                \
	static struct cr_harness_test cr_test_##suite##_##name = {                               \
		#suite, #name, cr_fn_##suite##_##name, { .cr_unused_ = 0, __VA_ARGS__ }, NULL    \
	};                                                                                       \
	__attribute__((constructor)) static void cr_reg_##suite##_##name(void)                   \
	{                                                                                        \
		cr_harness_register_test(&cr_test_##suite##_##name);                             \
	}                                                                                        \
	static void cr_fn_##suite##_##name(void)

#define TestSuite(suite, ...)                                                                    \
	static struct cr_harness_suite cr_suite_##suite = { #suite,                              \
							    { .cr_unused_ = 0, __VA_ARGS__ },    \
							    NULL };                              \
	__attribute__((constructor)) static void cr_sreg_##suite(void)                           \
	{                                                                                        \
		cr_harness_register_suite(&cr_suite_##suite);                                    \
	}                                                                                        \
	struct cr_harness_suite_semicolon_##suite

#define cr_harness_check_(cond, expr, ...)                                                       \
	do {                                                                                     \
		if (!(cond))                                                                     \
			cr_harness_fail(__FILE__, __LINE__, expr, "" __VA_ARGS__);               \
	} while (0)

#define cr_assert(cond, ...) cr_harness_check_(cond, #cond, __VA_ARGS__)
#define cr_assert_not(cond, ...) cr_harness_check_(!(cond), "!(" #cond ")", __VA_ARGS__)
#define cr_assert_eq(a, b, ...) cr_harness_check_((a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...) cr_harness_check_((a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...) cr_harness_check_((a) < (b), #a " < " #b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...) cr_harness_check_((a) <= (b), #a " <= " #b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...) cr_harness_check_((a) > (b), #a " > " #b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...) cr_harness_check_((a) >= (b), #a " >= " #b, __VA_ARGS__)
#define cr_assert_null(p, ...) cr_harness_check_((p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...) cr_harness_check_((p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_assert_fail(...) cr_harness_fail(__FILE__, __LINE__, "cr_assert_fail", "" __VA_ARGS__)
#define cr_skip_test(...) cr_harness_skip("" __VA_ARGS__)

/* strings: both shown on failure; NULL fails instead of crashing */
#define cr_harness_str_(a, b, want_eq, op, ...)                                                  \
	do {                                                                                     \
		const char *cr_a_ = (a), *cr_b_ = (b);                                           \
		if (!cr_a_ || !cr_b_ || (strcmp(cr_a_, cr_b_) == 0) != (want_eq))                \
			cr_harness_fail_str(__FILE__, __LINE__, #a op #b, cr_a_, cr_b_,          \
					    "" __VA_ARGS__);                                     \
	} while (0)
#define cr_assert_str_eq(a, b, ...) cr_harness_str_(a, b, true, " == ", __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...) cr_harness_str_(a, b, false, " != ", __VA_ARGS__)

#endif
