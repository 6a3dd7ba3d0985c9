#!/usr/bin/env bash
# wm-docs on generated repositories: every rule and language, through the
# real executables, in the scopes a hook and CI use.
. "$(dirname "$0")/lib.sh"

count() { json_eval "$1" "d.findings.filter(f => f.rule === '$2').length"; }

test_expect_success 'Python: removing a public docstring is caught in --staged' '
	repo=$(new_repo py) && cd "$repo" &&
	printf "\"\"\"Pkg.\"\"\"\n\n\ndef api(x):\n    \"\"\"Api.\"\"\"\n    return x\n" >m.py &&
	git add . && git commit -qm init &&
	wm-docs --staged --format json >out && test "$(count out missing-doc)" = 0 &&
	printf "\"\"\"Pkg.\"\"\"\n\n\ndef api(x):\n    return x\n" >m.py && git add m.py &&
	wm-docs --staged --format json >out &&
	test "$(count out missing-doc)" = 1 &&
	test "$(json_eval out "d.findings[0].line")" = 4 &&
	test "$(json_eval out "d.findings[0].severity")" = warning &&
	printf "detectors:\n  docs:\n    severity:\n      missing-doc: error\n" >.wm.yml &&
	expect_exit 1 wm-docs --staged >/dev/null
'

test_expect_success 'doc-param-mismatch (Python, JSDoc) and doc-stale in --diff' '
	repo=$(new_repo params) && cd "$repo" &&
	printf "\"\"\"M.\"\"\"\n\n\ndef f(a):\n    \"\"\"F.\n\n    :param a: A.\n    \"\"\"\n" >m.py &&
	printf "/**\n * G.\n * @param {number} a A.\n */\nexport function g(a) {}\n" >g.js &&
	git add . && git commit -qm init && git branch base &&
	printf "\"\"\"M.\"\"\"\n\n\ndef f(a, b):\n    \"\"\"F.\n\n    :param a: A.\n    \"\"\"\n" >m.py &&
	printf "/**\n * G.\n * @param {number} a A.\n */\nexport function g(b) {}\n" >g.js &&
	git commit -qam change &&
	wm-docs --diff base --format json >out &&
	test "$(count out doc-stale)" = 2 &&
	test "$(count out doc-param-mismatch)" = 3
'

test_expect_success 'Go, Rust, TypeScript and C headers report undocumented public API' '
	repo=$(new_repo langs) && cd "$repo" && mkdir -p include src lib &&
	printf "package p\n\n// Good does.\nfunc Good() {}\n\n// wrong start\nfunc Bad() {}\n\nfunc private() {}\n" >p.go &&
	printf "package p\n\nfunc TestX() {}\n" >p_test.go &&
	printf "//! Crate.\n\n/// Doc.\npub fn good() {}\npub fn bad() {}\nfn private() {}\npub(crate) fn inner() {}\n" >src/lib.rs &&
	printf "export class K {\n  /** Doc. */\n  m() {}\n  private p() {}\n  n() {}\n}\n" >k.ts &&
	printf "/* Opens. */\nint t_open(void);\nint t_close(void);\n" >include/t.h &&
	printf "int hidden(void);\n" >lib/internal.h &&
	git add . && git commit -qm init &&
	wm-docs --format json >out &&
	json_eval out "d.findings.map(f => f.path + \":\" + f.line).join(\" \")" >got &&
	test "$(cat got)" = "include/t.h:3 k.ts:1 k.ts:5 p.go:7 src/lib.rs:5"
'

test_expect_success 'moving a linked Markdown file is caught in --staged, and the fix is right' '
	repo=$(new_repo links) && cd "$repo" && mkdir -p docs &&
	printf "# Project\n\nRead [the guide](docs/guide.md#setup).\n" >README.md &&
	printf "# Guide\n\n## Setup\n" >docs/guide.md &&
	git add . && git commit -qm init &&
	wm-docs --staged --format json >out && test "$(count out broken-link)" = 0 &&
	mkdir manual && git mv docs/guide.md manual/guide.md &&
	expect_exit 1 wm-docs --staged --format json >out &&
	test "$(count out broken-link)" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = README.md &&
	test "$(json_eval out "d.findings[0].line")" = 3 &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = manual/guide.md &&
	node -e "const fs=require(\"fs\");const d=JSON.parse(fs.readFileSync(\"out\"));const e=d.findings[0].fix.edits[0];const b=fs.readFileSync(e.path);fs.writeFileSync(e.path,Buffer.concat([b.subarray(0,e.start_byte),Buffer.from(e.replacement),b.subarray(e.end_byte)]));" &&
	grep -q "manual/guide.md#setup" README.md && git add README.md &&
	wm-docs --staged --format json >out && test "$(count out broken-link)" = 0
'

test_expect_success 'deleting a linked file, a broken anchor and a missing image under --all' '
	repo=$(new_repo links2) && cd "$repo" &&
	printf "# A\n\n[x](b.md) [y](#a) [z](#nope) ![i](pic.png) [w](https://example.com/none)\n" >a.md &&
	printf "# B\n" >b.md && git add . && git commit -qm init &&
	git rm -q b.md &&
	expect_exit 1 wm-docs --staged --format json >out && test "$(count out broken-link)" = 1 &&
	git commit -qm rm &&
	expect_exit 1 wm-docs --all --format json >out && test "$(count out broken-link)" = 3
'

test_expect_success 'coverage: --coverage prints the table, the floor and the ratchet fail the gate' '
	repo=$(new_repo cov) && cd "$repo" && mkdir -p pkg &&
	printf "\"\"\"M.\"\"\"\n\n\ndef f():\n    \"\"\"F.\"\"\"\n" >pkg/m.py &&
	git add . && git commit -qm init && git branch base && git checkout -qb topic &&
	printf "\"\"\"M.\"\"\"\n\n\ndef f():\n    \"\"\"F.\"\"\"\n\n\ndef g():\n    pass\n" >pkg/m.py &&
	git commit -qam more &&
	wm-docs --coverage --color never >out &&
	grep -q "^| pkg/m.py  *|     3 |     1 |     2 |     67% |" out &&
	grep -q "^| TOTAL  *|     3 |     1 |     2 |   66.7% |" out &&
	printf "docs:\n  coverage:\n    floor: 90\n" >.wm.yml &&
	expect_exit 1 wm-docs --format json >out && test "$(count out coverage-below-floor)" = 1 &&
	printf "docs:\n  coverage:\n    ratchet: true\n" >.wm.yml &&
	expect_exit 1 wm-docs --diff base --format json >out && test "$(count out coverage-ratchet)" = 1 &&
	expect_exit 2 wm-docs --coverage --format json &&
	expect_exit 2 wm-scan --coverage
'

test_expect_success 'docs.fix.stubs attaches a skeleton; unknown docs keys are configuration errors' '
	repo=$(new_repo stubs) && cd "$repo" &&
	printf "\"\"\"M.\"\"\"\n\n\ndef f(a):\n    return a\n" >m.py && git add . && git commit -qm init &&
	wm-docs --format json >out && test "$(json_eval out "d.findings[0].fix")" = null &&
	printf "docs:\n  fix:\n    stubs: true\n" >.wm.yml &&
	wm-docs --format json >out &&
	json_eval out "d.findings[0].fix.edits[0].replacement" | grep -q "Args:" &&
	printf "docs:\n  styel: google\n" >.wm.yml &&
	expect_exit 2 wm-docs 2>err && grep -q "styel" err
'

test_expect_success 'test code is not public API unless docs.ignore.tests is false' '
	repo=$(new_repo testcode) && cd "$repo" &&
	mkdir -p tests pkg &&
	printf "def test_one():\n    assert True\n" >tests/test_one.py &&
	printf "def helper():\n    return 1\n" >pkg/conftest.py &&
	printf "\"\"\"Package.\"\"\"\n" >pkg/__init__.py &&
	git add . &&
	wm-scan --staged --only docs --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.rule === \"missing-doc\").length")" = 0 &&
	printf "docs:\n  ignore:\n    tests: false\n" >.wm.yml &&
	wm-scan --staged --only docs --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.rule === \"missing-doc\").length")" -ge 2
'

test_expect_success 'site-generator links (no extension, page/, dotted names) and HTML headings resolve; real breaks still fail' '
	repo=$(new_repo site) && cd "$repo" && mkdir -p docs/use docs/extend &&
	printf "# Guide\n\nSee [rules](../extend/custom-rules), [use](../use/), [v1](migrating-to-1.0.0),\n[sponsors](../../README.md#technology-sponsors) and [gone](../extend/nothing-here).\n" >docs/use/guide.md &&
	printf "# Custom rules\n" >docs/extend/custom-rules.md &&
	printf "# Use\n" >docs/use/index.md &&
	printf "# Migrating\n" >docs/use/migrating-to-1.0.0.md &&
	printf "# Project\n\n1. [Technology Sponsors](#technology-sponsors)\n\n<h3>Technology <em>Sponsors</em></h3>\n\ntext\n" >README.md &&
	git add . && git commit -qm init &&
	expect_exit 1 wm-docs --all --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.rule === \"broken-link\").map(f => f.path + \":\" + f.line).join(\" \")")" = docs/use/guide.md:4 &&
	json_eval out "d.findings[0].message" | grep -q "docs/extend/nothing-here does not exist"
'

test_expect_success 'repeated headings are numbered across Markdown and HTML ones (x, x-1, x-2); x-3 does not exist' '
	repo=$(new_repo repeated) && cd "$repo" &&
	printf "# Setup\n\n<h2>Setup</h2>\n\n## Setup\n\n[a](#setup) [b](#setup-1) [c](#setup-2)\n" >ok.md &&
	printf "# Setup\n\n<h2>Setup</h2>\n\n## Setup\n\n[d](#setup-3)\n" >bad.md &&
	git add . && git commit -qm init &&
	expect_exit 1 wm-docs --all --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.rule === \"broken-link\").map(f => f.path + \":\" + f.line).join(\" \")")" = bad.md:7
'

test_done
