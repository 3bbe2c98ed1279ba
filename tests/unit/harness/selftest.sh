#!/bin/sh
# Check the Criterion-compatible harness against its own self-test binary
# (tests/unit/harness/selftest.c): that a failed assert, a crash, an exit
# and a skip are each reported as such, that fini runs after a failed
# assert, that --filter and -j work, and that the exit status says so.
#   tests/unit/harness/selftest.sh BINARY
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export SELFTEST_DIR="$dir"
fails=0
check() { # DESCRIPTION COMMAND...
	d=$1
	shift
	if "$@"; then echo "ok - $d"; else echo "not ok - $d"; fails=$((fails + 1)); fi
}
has() { grep -qE "$1" "$dir/tap"; }

"$bin" -j2 --tap="$dir/tap" 2>"$dir/err"
rc=$?
check "exit status 1 when tests fail" [ $rc = 1 ]
check "plan counts the 8 enabled tests" has '^1\.\.8$'
check "a passing test passes (suite init, then test init)" has '^ok [0-9]+ - self::passes '
check "a failed assert fails with its message" has '^  .*selftest.c:[0-9]+: Assertion failed: 1 == 2: one is not 2$'
check "a failed string assert shows both sides" has '^  left:  "left one"$'
check "a NULL string fails instead of crashing" has '^not ok [0-9]+ - self::fails_str_null'
check "cr_assert_fail fails" has 'Assertion failed: cr_assert_fail: plain failure$'
check "a crash is a failure" has '^  The test crashed: signal 11'
check "an exit is a failure" has '^  The test exited with status 3$'
check "a skip is reported with its reason" has '^ok [0-9]+ - self::skips .*# SKIP skipped for 7 reasons$'
check "disabled tests and suites do not run" sh -c '! grep -q disabled "$0"' "$dir/tap"
check "fini runs after a failed assert" [ -e "$dir/test-fini" ] && [ -e "$dir/suite-fini" ]
check "a failed assert ends the test" [ ! -e "$dir/after-failed-assert" ]
check "6 failures in the synthesis line" grep -q 'Tested: 7 | Passing: 1 | Failing: 6 | Crashing: 1' "$dir/err"
"$bin" --filter='self/pass*' --tap=- >"$dir/one" 2>/dev/null
check "--filter: only the passing test, exit status 0" [ $? = 0 ]
check "--filter: plan of 1" grep -q '^1\.\.1$' "$dir/one"
"$bin" --no-such-option >/dev/null 2>&1
check "an unknown option is an error" [ $? = 2 ]
[ $fails = 0 ] || { echo "harness self-test: $fails checks failed" >&2; exit 1; }
