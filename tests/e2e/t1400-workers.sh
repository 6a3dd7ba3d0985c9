#!/usr/bin/env bash
# Worker processes: the same findings as in-process, and crash isolation.
. "$(dirname "$0")/lib.sh"

stress="$WM_SOURCE_DIR/tests/stress"
strip() { grep -v '"elapsed_ms"' "$1"; }

test_expect_success '-j 1 and -j 2 give identical JSON on a generated repository' '
	"$stress/gen-repo.sh" "$TEST_ROOT/gen" 300 >/dev/null && cd "$TEST_ROOT/gen" &&
	expect_exit 1 wm-scan -j 1 --format json >"$TEST_ROOT/j1" &&
	expect_exit 1 wm-scan -j 2 --format json >"$TEST_ROOT/j2" &&
	expect_exit 1 wm-scan --format json >"$TEST_ROOT/j0" &&
	strip "$TEST_ROOT/j1" >"$TEST_ROOT/a" && strip "$TEST_ROOT/j2" >"$TEST_ROOT/b" &&
	strip "$TEST_ROOT/j0" >"$TEST_ROOT/c" &&
	cmp "$TEST_ROOT/a" "$TEST_ROOT/b" && cmp "$TEST_ROOT/a" "$TEST_ROOT/c" &&
	test "$(json_eval "$TEST_ROOT/j2" "d.findings.filter(f => f.rule === \"syntax-error\").length")" = 42 &&
	test "$(json_eval "$TEST_ROOT/j2" "d.summary.files")" = 300
'

test_expect_success 'a worker killed mid-scan loses nothing' '
	cd "$TEST_ROOT/gen" &&
	for k in 1 7 60; do
		WM_TEST_KILL_AT=$k expect_exit 1 wm-scan -j 2 --format json >"$TEST_ROOT/k" &&
		strip "$TEST_ROOT/k" | cmp - "$TEST_ROOT/a" || exit 1
	done
'

test_expect_success 'ten random SIGKILLs, each scan still equals the undisturbed one (short fault test)' '
	"$stress/fault-scan.sh" 10 300
'

test_expect_success 'a file that kills two workers is an internal error: exit 3, other findings kept' '
	cd "$TEST_ROOT/gen" &&
	victim=$(json_eval "$TEST_ROOT/j1" "d.findings[3].path") &&
	WM_TEST_CRASH_ON=pkg1/sub1/c1.c expect_exit 3 wm-scan -j 2 --format json >"$TEST_ROOT/x" &&
	test "$(json_eval "$TEST_ROOT/x" "d.findings.filter(f => f.rule === \"internal-error\").map(f => f.path).join()")" = pkg1/sub1/c1.c &&
	test "$(json_eval "$TEST_ROOT/x" "d.findings.filter(f => f.rule !== \"missing-doc\").length")" = 43 &&
	test "$(json_eval "$TEST_ROOT/x" "d.findings.some(f => f.path === \"$victim\")")" = true &&
	grep -q "killed two workers" "$TEST_ROOT/x"
'

test_expect_success '--keep-going: the crash does not fail the run' '
	cd "$TEST_ROOT/gen" &&
	WM_TEST_CRASH_ON=pkg1/sub1/c1.c expect_exit 1 wm-scan -j 2 --keep-going --format json >"$TEST_ROOT/x" &&
	WM_TEST_CRASH_ON=pkg1/sub1/c1.c expect_exit 0 wm-scan -j 2 --keep-going --fail-on never >/dev/null
'

test_expect_success 'a hung worker is killed after --hang-timeout, twice, then reported' '
	cd "$TEST_ROOT/gen" &&
	WM_TEST_HANG_ON=pkg2/sub2/j2.js expect_exit 3 wm-scan -j 2 --hang-timeout 300 --format json >"$TEST_ROOT/h" &&
	test "$(json_eval "$TEST_ROOT/h" "d.findings.filter(f => f.rule === \"internal-error\").map(f => f.path).join()")" = pkg2/sub2/j2.js
'

test_expect_success 'wm-board sees a running scan; the board is gone afterwards' '
	cd "$TEST_ROOT/gen" || exit 1
	{ WM_TEST_HANG_ON=pkg2/sub2/j2.js wm-scan -j 2 --hang-timeout 2000 --format json >"$TEST_ROOT/h2" || true; } &
	for i in 1 2 3 4 5 6 7 8 9 10; do
		wm-board --json >"$TEST_ROOT/board" 2>/dev/null && break
		sleep 0.2
	done &&
	test "$(json_eval "$TEST_ROOT/board" "d.files.total")" = 300 &&
	test "$(json_eval "$TEST_ROOT/board" "d.workers.length")" = 2 &&
	test "$(json_eval "$TEST_ROOT/board" "d.detectors[0].name")" = syntax &&
	wait &&
	! ls .git/wm/board-* 2>/dev/null &&
	expect_exit 1 wm-board --json
'

test_expect_success 'no progress line when stderr is not a terminal' '
	cd "$TEST_ROOT/gen" &&
	{ wm-scan -j 2 >/dev/null 2>"$TEST_ROOT/err" || test $? = 1; } &&
	test ! -s "$TEST_ROOT/err"
'

test_done
