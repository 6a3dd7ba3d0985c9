#!/usr/bin/env bash
# Homeostasis: health over history (wm-board --history), resumability,
# health ranges in --diff, and the HTML report, rendered in a real browser.
. "$(dirname "$0")/lib.sh"

# make_history DIR N: a Python project of N commits; every third commit
# adds an undocumented function, the others a documented one.
make_history() {
	git init -q "$1" && cd "$1" &&
	printf "\"\"\"Package.\"\"\"\n" >pkg.py && git add . && git commit -qm "start" &&
	i=1 && while [ $i -lt "$2" ]; do
		if [ $((i % 3)) = 0 ]; then
			printf "\n\ndef f%d(x):\n    return x\n" $i >>pkg.py
		else
			printf "\n\ndef f%d(x):\n    \"\"\"Do %d.\"\"\"\n    return x\n" $i $i >>pkg.py
		fi
		printf "line %d\n" $i >"notes$i.txt"
		git add . && git commit -qm "step $i" && i=$((i + 1))
	done
}

test_expect_success 'wm-board --history computes each commit once and prints sparklines' '
	make_history "$TEST_ROOT/hist" 12 &&
	wm-board --history >out 2>err &&
	grep "12 commits: 12 computed, 0 from memory" err &&
	grep "health of 12 commits" out &&
	grep "doc coverage" out | grep -q "▁\|█" &&
	grep "doc coverage.*100.0% -> 75.0%" out &&
	test -f .git/wm/memory.sqlite &&
	wm-board --history >out 2>err &&
	grep "12 commits: 0 computed, 12 from memory" err &&
	wm-board --history HEAD~5..HEAD >out 2>err &&
	grep "health of 5 commits" out &&
	wm-board --history --limit 3 >out 2>err && grep "health of 3 commits" out &&
	expect_exit 2 wm-board --history no-such-rev
'

test_expect_success 'a commit that changed one file costs one file of work' '
	cd "$TEST_ROOT/hist" && rm -f .git/wm/memory.sqlite* &&
	wm-board --history >out 2>err &&
	# 1 file at the root commit, then 2 new blobs per commit (pkg.py, notesN.txt)
	grep "12 commits: 12 computed, 0 from memory, 23 files scanned" err
'

test_expect_success 'a history run killed inside a commit loses that commit only, and resumes' '
	make_history "$TEST_ROOT/kill" 10 &&
	rc=0 && WM_TEST_HEALTH_KILL_AT=4 wm-board --history >out 2>err || rc=$? &&
	test "$rc" = 137 &&
	wm-board --history >out 2>err &&
	grep "10 commits: 7 computed, 3 from memory" err &&
	grep "health of 10 commits" out
'

test_expect_success '--diff: doc coverage below its floor and a drop past max_drop are findings with numbers' '
	repo=$(new_repo diff) && cd "$repo" &&
	printf "\"\"\"M.\"\"\"\n\n\ndef a():\n    \"\"\"A.\"\"\"\n\n\ndef b():\n    \"\"\"B.\"\"\"\n\n\ndef c():\n    \"\"\"C.\"\"\"\n" >m.py &&
	printf "health:\n  doc-coverage:\n    min: 80\n    ideal: 100\n    max_drop: 5\n  findings:\n    max: 50\n" >.wm.yml &&
	git add . && git commit -qm init && git branch base &&
	wm-scan --diff base --format json >out && test "$(json_eval out "d.findings.filter(f => f.detector === \"health\").length")" = 0 &&
	printf "\"\"\"M.\"\"\"\n\n\ndef a():\n    return 1\n\n\ndef b():\n    return 2\n\n\ndef c():\n    \"\"\"C.\"\"\"\n" >m.py &&
	git commit -qam "drop docs" &&
	expect_exit 1 wm-scan --diff base --format json >out &&
	json_eval out "d.findings.filter(f => f.detector === \"health\").map(f => f.rule + \": \" + f.message).join(\"\\n\")" >msgs &&
	cat msgs &&
	grep "health-range: doc coverage 50.0% is below the floor 80% (merge base: 100.0%)" msgs &&
	grep "health-drop: doc coverage fell by 50 points, from 100.0% at the merge base to 50.0% (at most 5 points allowed)" msgs &&
	! grep findings msgs &&
	wm-scan --all --format json >out && test "$(json_eval out "d.findings.filter(f => f.detector === \"health\").length")" = 0
'

test_expect_success 'a bad health value in .wm.yml is a configuration error' '
	repo=$(new_repo badcfg) && cd "$repo" && echo x >a.txt && git add . && git commit -qm init &&
	printf "health:\n  doc-coverage:\n    min: lots\n" >.wm.yml &&
	expect_exit 2 wm-scan --diff HEAD 2>err && grep "expected a number" err
'

test_expect_success 'the HTML report is one self-contained file with charts, findings and coverage' '
	cd "$TEST_ROOT/hist" &&
	wm-scan --format html -o report.html || test $? = 1 &&
	grep -q "<svg class=\"trend\"" report.html &&
	grep -q "class=\"data\" d=\"M" report.html &&
	grep -q "function f9 has no docstring" report.html &&
	grep -q "id=\"coverage\"" report.html &&
	grep -q "@media print" report.html && grep -q "max-width:600px" report.html &&
	! grep -Ei "(src|href)=\"?(https?:)?//" report.html &&
	! grep -Ei "@import|url\(|<script|<link" report.html &&
	wm-board --html -o board.html && grep -q "<svg class=\"trend\"" board.html &&
	repo=$(new_repo nohist) && cd "$repo" && echo "x = 1" >a.py && git add . && git commit -qm init &&
	wm-scan --format html >page.html || test $? = 1 &&
	grep -q "No health history yet" page.html
'

test_expect_success 'the report renders in headless Chromium (screenshot saved)' '
	browser=$(command -v chromium || command -v chromium-browser || true) &&
	if [ -z "$browser" ]; then
		echo "skipped: chromium not installed" >&2
		echo "# skipped: chromium not installed" >"$TEST_ROOT/skip"
		test "${CI:-}" != true
		exit $?
	fi &&
	cd "$TEST_ROOT/hist" &&
	profile=$(mktemp -d) &&
	flags="--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --hide-scrollbars --user-data-dir=$profile" &&
	timeout 120 "$browser" $flags --dump-dom "file://$PWD/report.html" >dom.html 2>/dev/null &&
	grep -q "<svg class=\"trend\"" dom.html &&
	grep -q "class=\"data\" d=\"M" dom.html &&
	grep -q "function f9 has no docstring" dom.html &&
	shot="$WM_BUILD_DIR/health-report.png" && rm -f "$shot" &&
	timeout 120 "$browser" $flags --screenshot="$shot" --window-size=1100,1600 "file://$PWD/report.html" 2>/dev/null &&
	test -s "$shot" &&
	timeout 120 "$browser" $flags --screenshot="$WM_BUILD_DIR/health-report-phone.png" --window-size=390,1400 "file://$PWD/report.html" 2>/dev/null &&
	echo "screenshots: $shot $WM_BUILD_DIR/health-report-phone.png" >&2
'
[ -f "$TEST_ROOT/skip" ] && cat "$TEST_ROOT/skip"

test_done
