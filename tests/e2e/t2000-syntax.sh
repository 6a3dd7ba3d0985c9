#!/usr/bin/env bash
# The syntax-error check across languages, suppressions and configuration.
. "$(dirname "$0")/lib.sh"

test_expect_success 'valid files in every language pass' '
	repo=$(new_repo valid) && cd "$repo" &&
	printf "def f(x):\n    return [i for i in x]\n" >a.py &&
	printf "export function f(x) { return x?.y ?? 1; }\n" >a.js &&
	printf "export const f = (x: number): number => x + 1;\n" >a.ts &&
	printf "export const C = () => <div className=\"x\">hi</div>;\n" >a.tsx &&
	printf "#include <stdio.h>\nint main(void) { return 0; }\n" >a.c &&
	printf "#include <vector>\nint main() { std::vector<int> v; return (int)v.size(); }\n" >a.cpp &&
	printf "package main\n\nfunc main() {}\n" >a.go &&
	printf "fn main() { let v: Vec<u8> = Vec::new(); println!(\"{}\", v.len()); }\n" >a.rs &&
	printf "{\"a\": [1, 2, {\"b\": null}]}\n" >a.json &&
	printf "[package]\nname = \"x\"\nversion = \"1.0.0\"\n" >a.toml &&
	printf "not code at all: (((\n" >notes.txt &&
	git add . &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	test "$(json_eval out "d.summary.files")" = 11
'

test_expect_success 'broken files in every language are reported' '
	repo=$(new_repo broken) && cd "$repo" &&
	printf "def f(x:\n    return x\n" >a.py &&
	printf "function f( { return 1; }\n" >a.js &&
	printf "const x: = 1;\n" >a.ts &&
	printf "int main(void) { return 0;\n" >a.c &&
	printf "package main\nfunc main() {\n" >a.go &&
	printf "fn main() { let x = ; }\n" >a.rs &&
	printf "{\"a\": [1, 2}\n" >a.json &&
	printf "[package\nname = \n" >a.toml &&
	git add . &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	for f in a.py a.js a.ts a.c a.go a.rs a.json a.toml; do
		json_eval out "d.findings.some(x => x.path === \"$f\" && x.rule === \"syntax-error\")" | grep -qx true || { echo "no finding for $f"; exit 1; }
	done
'

test_expect_success 'a python script without extension is found by its shebang' '
	repo=$(new_repo shebang) && cd "$repo" &&
	printf "#!/usr/bin/env python3\ndef f(:\n    pass\n" >tool && git add tool &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = tool &&
	test "$(json_eval out "d.findings[0].line")" = 2
'

test_expect_success 'wm: ignore[syntax-error] on the line or the line above suppresses' '
	repo=$(new_repo suppress) && cd "$repo" &&
	printf "x = (  # wm: ignore[syntax-error] fixture for a parser test\n" >a.py &&
	printf "# wm: ignore[other-rule]\nx = (\n" >b.py &&
	git add . &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = b.py
'

test_expect_success 'severity can be demoted per language in .wm.yml' '
	repo=$(new_repo demote) && cd "$repo" &&
	printf "detectors:\n  syntax:\n    severity:\n      syntax-error/python: warning\n" >.wm.yml &&
	printf "x = (\n" >a.py && git add a.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].severity")" = warning &&
	printf "const x = (;\n" >a.js && git add a.js &&
	expect_exit 1 wm-scan --only syntax --staged >/dev/null
'

test_expect_success 'C and C++ syntax errors warn by default; .wm.yml can make them block' '
	repo=$(new_repo cwarn) && cd "$repo" &&
	printf "int f() { return 0;\n" >a.c && git add a.c &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].severity")" = warning &&
	printf "detectors:\n  syntax:\n    severity:\n      syntax-error/c: error\n" >.wm.yml &&
	expect_exit 1 wm-scan --only syntax --staged >/dev/null
'

test_expect_success 'C macros used as statements and _Thread_local are not syntax errors' '
	repo=$(new_repo cmacro) && cd "$repo" &&
	printf "#define API\nAPI const struct item *item_find(const char *name);\n" >api.h &&
	printf "int sum(struct list *l)\n{\n\tint n = 0, *v;\n\tlist_foreach(l, v)\n\t\tn += *v;\n\treturn n;\n}\n" >loop.c &&
	git add loop.c &&
	git add api.h &&
	printf "static _Thread_local int depth;\n\nSTART_TEST(one)\n{\n\tdepth++;\n}\nEND_TEST\n\n/* the next test */\nstatic int two(void)\n{\n\treturn depth;\n}\n" >t.c &&
	git add t.c &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	printf "int main(void) {\n\treturn 0\n}\n" >u.c && git add u.c &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1
'

test_expect_success 'a rule turned off, a detector disabled, and paths excluded' '
	repo=$(new_repo off) && cd "$repo" &&
	printf "x = (\n" >a.py && mkdir -p gen && printf "y = (\n" >gen/b.py && git add . &&
	printf "detectors:\n  syntax:\n    severity:\n      syntax-error/python: off\n" >.wm.yml &&
	wm-scan --only syntax --staged >/dev/null &&
	printf "detectors:\n  syntax:\n    enabled: false\n  docs:\n    enabled: false\n" >.wm.yml &&
	wm-scan --staged >/dev/null &&
	printf "paths:\n  exclude: [gen/]\n" >.wm.yml &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = a.py
'

test_expect_success '--fail-on and fail_on decide the exit code' '
	cd "$TEST_ROOT/demote" &&
	git rm -q --cached a.js && rm a.js &&
	wm-scan --only syntax --staged >/dev/null &&
	expect_exit 1 wm-scan --only syntax --staged --fail-on warning >/dev/null &&
	printf "fail_on: warning\ndetectors:\n  syntax:\n    severity:\n      syntax-error/python: warning\n" >.wm.yml &&
	expect_exit 1 wm-scan --only syntax --staged >/dev/null &&
	wm-scan --only syntax --staged --fail-on never >/dev/null
'

test_expect_success 'binary, huge and invalid UTF-8 files are skipped or reported, never a crash' '
	repo=$(new_repo hostile) && cd "$repo" &&
	head -c 4096 /dev/urandom >blob.py && printf "\0" >>blob.py &&
	printf "x = \"\xff\xfe\"\ny = (\n" >latin.py &&
	python3 -c "print(\"x = [\" * 100000)" >deep.py &&
	python3 -c "print(\"x = 1\\n\" * 300000)" >huge.py &&
	git add . &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	json_eval out "d.findings.some(f => f.path === \"latin.py\" && f.line === 2)" | grep -qx true &&
	json_eval out "d.findings.some(f => f.path === \"blob.py\")" | grep -qx false &&
	json_eval out "d.findings.some(f => f.path === \"huge.py\")" | grep -qx false &&
	json_eval out "d.findings.some(f => f.path === \"deep.py\")" | grep -qx true &&
	test "$(json_eval out "d.summary.skipped")" = 2
'

test_expect_success 'a symlink pointing outside the repository is not followed' '
	repo=$(new_repo symlink) && cd "$repo" &&
	printf "x = (\n" >"$TEST_ROOT/outside.py" &&
	ln -s "$TEST_ROOT/outside.py" link.py && git add link.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	wm-scan --only syntax --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_done
