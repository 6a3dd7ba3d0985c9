#!/usr/bin/env bash
# Output formats: text, JSON, SARIF (validated), GitHub workflow commands.
. "$(dirname "$0")/lib.sh"

setup() {
	repo=$(new_repo report) && cd "$repo" &&
	mkdir -p "src/with space" &&
	printf "def ok():\n    return 1\n" >good.py &&
	printf "def f(x:\n\treturn x\n" >"src/with space/bad file.py" &&
	printf "const s = \"héllo\"; let = ;\n" >src/u.js &&
	git add . && git commit -qm init --no-verify
}

test_expect_success 'setup' 'setup'

test_expect_success 'json follows the versioned schema' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --format json >out &&
	json_eval out "Object.keys(d).join(\",\")" | grep -qx "version,findings,summary" &&
	json_eval out "Object.keys(d.findings[0]).join(\",\")" | grep -qx "detector,rule,severity,path,line,column,end_line,end_column,message,fix" &&
	json_eval out "Object.keys(d.summary).join(\",\")" | grep -qx "files,skipped,findings,by_severity,elapsed_ms" &&
	test "$(json_eval out "d.summary.files")" = 3 &&
	test "$(json_eval out "d.summary.by_severity.error")" = "$(json_eval out "d.findings.length")"
'

test_expect_success 'columns count characters, not bytes' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --format json src/u.js >out &&
	test "$(json_eval out "d.findings[0].column")" -ge 20 &&
	test "$(json_eval out "d.findings[0].column")" -le 25
'

test_expect_success 'sarif passes the SARIF validator' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --format sarif >out.sarif &&
	json_eval out.sarif "d.version" | grep -qx 2.1.0 &&
	json_eval out.sarif "d.runs[0].results.length" | grep -qx 2 &&
	json_eval out.sarif "d.runs[0].results.map(r => r.locations[0].physicalLocation.artifactLocation.uri).sort().join(\" \")" | grep -qx "src/u.js src/with%20space/bad%20file.py" &&
	bash "$WM_SOURCE_DIR/tests/sarif-validate.sh" out.sarif
'

test_expect_success 'github format emits workflow commands' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --format github >out &&
	grep -q "^::error file=src/with space/bad file.py,line=1," out &&
	grep -q "title=syntax-error::" out
'

test_expect_success 'text groups by file with a code frame, no colour when piped' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax >out &&
	grep -q "^src/with space/bad file.py" out &&
	grep -q "def f(x:" out &&
	! grep -q "$(printf "\033")" out
'

test_expect_success '--color always colours, NO_COLOR wins over auto' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --color always >out &&
	grep -q "$(printf "\033")\[" out &&
	NO_COLOR=1 expect_exit 1 wm-scan --only syntax >out &&
	! grep -q "$(printf "\033")" out
'

test_expect_success '--output writes the report to a file' '
	cd "$TEST_ROOT/report" &&
	expect_exit 1 wm-scan --only syntax --format json -o report.json >stdout &&
	test ! -s stdout &&
	test "$(json_eval report.json "d.version")" = 1
'

test_expect_success 'a clean repository reports no findings and exits 0' '
	repo=$(new_repo clean) && cd "$repo" &&
	printf "x = 1\n" >a.py && git add a.py &&
	wm-scan --only syntax --staged >out && cat out &&
	wm-scan --only syntax --staged --format sarif >out.sarif &&
	bash "$WM_SOURCE_DIR/tests/sarif-validate.sh" out.sarif
'

test_done
