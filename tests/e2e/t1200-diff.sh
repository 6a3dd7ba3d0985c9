#!/usr/bin/env bash
# CI mode: --diff BASE scans HEAD, with targets changed since the merge base.
. "$(dirname "$0")/lib.sh"

bad='def f(x:
    return x
'

test_expect_success '--diff reports files changed on the branch only' '
	repo=$(new_repo diff) && cd "$repo" &&
	printf "x = 1\n" >a.py && git add a.py && git commit -qm base &&
	git checkout -qb feature &&
	printf "%s" "$bad" >feature.py && git add feature.py && git commit -qm feature &&
	git checkout -q main &&
	printf "%s" "$bad" >later_on_main.py && git add later_on_main.py && git commit -qm "main moves on" &&
	git checkout -q feature &&
	expect_exit 1 wm-scan --only syntax --diff main --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = feature.py
'

test_expect_success '--diff scans HEAD, not the working tree' '
	cd "$TEST_ROOT/diff" &&
	printf "def f(x):\n    return x\n" >feature.py &&
	expect_exit 1 wm-scan --only syntax --diff main --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = feature.py
'

test_expect_success '--diff with an unknown base is a clear error' '
	cd "$TEST_ROOT/diff" &&
	expect_exit 2 wm-scan --only syntax --diff no-such-branch 2>err &&
	grep -q "no-such-branch" err
'

test_expect_success '--rev scans one commit' '
	cd "$TEST_ROOT/diff" &&
	wm-scan --only syntax --rev main~1 --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	expect_exit 1 wm-scan --only syntax --rev main --format json >out
'

test_expect_success 'PATH limits the report to a subdirectory' '
	repo=$(new_repo prefix) && cd "$repo" &&
	mkdir -p src other && printf "%s" "$bad" >src/a.py && printf "%s" "$bad" >other/b.py &&
	expect_exit 1 wm-scan --only syntax --format json src >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = src/a.py &&
	cd src && expect_exit 1 wm-scan --only syntax --format json . >out &&
	test "$(json_eval out "d.findings[0].path")" = src/a.py
'

test_done
