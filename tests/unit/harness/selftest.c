// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Tests of the harness itself (tests/unit/harness/selftest.sh runs them and
 * checks the report): most of these MUST fail, each in its own way.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

static int steps;

/* a marker file in $SELFTEST_DIR: the checker sees that a fini ran */
static void mark(const char *name)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", getenv("SELFTEST_DIR"), name);
	int fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

static void suite_init(void)
{
	steps = steps * 10 + 1;
}

static void test_init(void)
{
	steps = steps * 10 + 2;
}

static void test_fini(void)
{
	mark("test-fini");
}

static void suite_fini(void)
{
	mark("suite-fini");
}

TestSuite(self, .init = suite_init, .fini = suite_fini);
TestSuite(off, .disabled = true);

Test(self, passes, .init = test_init)
{
	cr_assert_eq(steps, 12, "suite init, then test init: %d", steps);
	cr_assert(1);
	cr_assert_not(0);
	cr_assert_neq(1, 2);
	cr_assert_lt(1, 2);
	cr_assert_leq(2, 2);
	cr_assert_gt(2, 1);
	cr_assert_geq(2, 2);
	cr_assert_null(NULL);
	cr_assert_not_null(&steps);
	cr_assert_str_eq("a", "a");
	cr_assert_str_neq("a", "b");
}

Test(self, fails_eq, .fini = test_fini)
{
	cr_assert_eq(1, 2, "one is not %d", 2);
	mark("after-failed-assert"); /* never reached */
}

Test(self, fails_str)
{
	cr_assert_str_eq("left one", "right one");
}

Test(self, fails_str_null)
{
	cr_assert_str_eq(NULL, "x");
}

Test(self, fails_plain)
{
	cr_assert_fail("plain %s", "failure");
}

Test(self, crashes)
{
	raise(SIGSEGV);
}

Test(self, exits)
{
	exit(3);
}

Test(self, skips)
{
	cr_skip_test("skipped for %d reasons", 7);
}

Test(self, disabled, .disabled = true)
{
	cr_assert_fail("a disabled test ran");
}

Test(off, in_disabled_suite)
{
	cr_assert_fail("a test of a disabled suite ran");
}
