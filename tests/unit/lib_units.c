// SPDX-License-Identifier: GPL-2.0-or-later
#include <criterion/criterion.h>
#include <errno.h>

#include "lib/units.h"

Test(units, parses_binary_sizes)
{
	uint64_t v;
	cr_assert_eq(parse_size("512", &v), 0);
	cr_assert_eq(v, 512);
	cr_assert_eq(parse_size("64k", &v), 0);
	cr_assert_eq(v, 64 * 1024);
	cr_assert_eq(parse_size("12M", &v), 0);
	cr_assert_eq(v, 12ULL << 20);
	cr_assert_eq(parse_size("100Mi", &v), 0);
	cr_assert_eq(v, 100ULL << 20);
	cr_assert_eq(parse_size("1.5G", &v), 0);
	cr_assert_eq(v, 3ULL << 29);
	cr_assert_eq(parse_size("2GiB", &v), 0);
	cr_assert_eq(v, 2ULL << 30);
}

Test(units, rejects_bad_sizes_and_leaves_output_alone)
{
	uint64_t v = 7;
	cr_assert_eq(parse_size("12Q", &v), -EINVAL);
	cr_assert_eq(parse_size("-1M", &v), -EINVAL);
	cr_assert_eq(parse_size("", &v), -EINVAL);
	cr_assert_eq(parse_size("M", &v), -EINVAL);
	cr_assert_eq(parse_size("1.5", &v), -EINVAL);
	cr_assert_eq(parse_size("99999999999999999999", &v), -ERANGE);
	cr_assert_eq(parse_size("20000000T", &v), -ERANGE);
	cr_assert_eq(v, 7);
}

Test(units, parses_durations)
{
	uint64_t ms;
	cr_assert_eq(parse_duration_ms("100ms", &ms), 0);
	cr_assert_eq(ms, 100);
	cr_assert_eq(parse_duration_ms("10s", &ms), 0);
	cr_assert_eq(ms, 10000);
	cr_assert_eq(parse_duration_ms("5m", &ms), 0);
	cr_assert_eq(ms, 300000);
	cr_assert_eq(parse_duration_ms("1h", &ms), 0);
	cr_assert_eq(ms, 3600000);
	cr_assert_eq(parse_duration_ms("1m30s", &ms), 0);
	cr_assert_eq(ms, 90000);
	cr_assert_eq(parse_duration_ms("2", &ms), 0);
	cr_assert_eq(ms, 2000);
	cr_assert_eq(parse_duration_ms("0.5s", &ms), 0);
	cr_assert_eq(ms, 500);
	cr_assert_eq(parse_duration_ms("10x", &ms), -EINVAL);
	cr_assert_eq(parse_duration_ms("s", &ms), -EINVAL);
	cr_assert_eq(parse_duration_ms("1s2", &ms), -EINVAL);
}

Test(units, parses_cpus_and_rejects_zero)
{
	uint64_t m;
	cr_assert_eq(parse_cpus("0.5", &m), 0);
	cr_assert_eq(m, 500);
	cr_assert_eq(parse_cpus("500m", &m), 0);
	cr_assert_eq(m, 500);
	cr_assert_eq(parse_cpus("2", &m), 0);
	cr_assert_eq(m, 2000);
	cr_assert_eq(parse_cpus("0", &m), -ERANGE);
	cr_assert_eq(parse_cpus("-1", &m), -EINVAL);
	cr_assert_eq(parse_cpus("abc", &m), -EINVAL);
}

Test(units, strict_integers)
{
	int64_t v;
	cr_assert_eq(parse_int64("42", 0, 100, &v), 0);
	cr_assert_eq(v, 42);
	cr_assert_eq(parse_int64("101", 0, 100, &v), -ERANGE);
	cr_assert_eq(parse_int64(" 1", 0, 100, &v), -EINVAL);
	cr_assert_eq(parse_int64("1x", 0, 100, &v), -EINVAL);
}
