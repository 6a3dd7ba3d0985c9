#!/usr/bin/env bash
# Baselines: adopt the gate on a repository with existing findings.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a baseline silences existing findings, even after lines move' '
	repo=$(new_repo base) && cd "$repo" &&
	printf "x = 1\ny = (\n" >a.py && printf "def f(:\n    pass\n" >b.py &&
	git add . && git commit -qm "old debt" &&
	expect_exit 1 wm-scan --only syntax >/dev/null &&
	wm-scan --only syntax --write-baseline 2>err && grep -q "recorded 2 findings" err &&
	test -f .wm/baseline.json &&
	wm-scan --only syntax >/dev/null &&
	printf "# a comment\n# another\nx = 1\ny = (\n" >a.py &&
	wm-scan --only syntax --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'new findings still fail, and a second copy of an old one is new' '
	cd "$TEST_ROOT/base" &&
	printf "z = [\n" >c.py &&
	expect_exit 1 wm-scan --only syntax --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = c.py &&
	rm c.py &&
	printf "def f(:\n    pass\ndef f(:\n    pass\n" >b.py &&
	expect_exit 1 wm-scan --only syntax --format json >out &&
	test "$(json_eval out "d.summary.findings")" -ge 1
'

test_expect_success '--no-baseline shows everything; a missing --baseline file is an error' '
	cd "$TEST_ROOT/base" && git checkout -q b.py &&
	expect_exit 1 wm-scan --only syntax --no-baseline >/dev/null &&
	expect_exit 2 wm-scan --only syntax --baseline nope.json 2>err && grep -q "nope.json" err
'

test_expect_success 'a malformed baseline gives file:line:column and exit 2' '
	cd "$TEST_ROOT/base" &&
	printf "{\"findings\": [\n" >.wm/baseline.json &&
	expect_exit 2 wm-scan --only syntax 2>err && grep -Eq "baseline.json:[0-9]+:[0-9]+:" err
'

test_done
