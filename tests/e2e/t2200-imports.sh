#!/usr/bin/env bash
# wm-imports on real git repositories: a renamed module staged alone breaks
# an unchanged importer, in --staged, --diff and --all; JS/TS the same.
. "$(dirname "$0")/lib.sh"

make_py() {
	mkdir -p app/sub &&
	printf '[project]\nname = "app"\ndependencies = ["PyYAML"]\n' >pyproject.toml &&
	: >app/__init__.py && : >app/sub/__init__.py &&
	printf 'def slugify(s):\n    return s\n' >app/utils.py &&
	printf 'import yaml\nfrom app.utils import slugify\nfrom . import utils\n' >app/main.py &&
	printf 'from ..utils import slugify\n' >app/sub/deep.py &&
	git add . && git commit -qm init
}

test_expect_success 'a clean repository passes --all' '
	repo=$(new_repo clean) && cd "$repo" && make_py &&
	wm-imports --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'only the renamed module is staged: the unchanged importers fail --staged' '
	repo=$(new_repo staged) && cd "$repo" && make_py &&
	git mv app/utils.py app/helpers.py &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 3 &&
	test "$(json_eval out "d.findings.map(f => f.path + \":\" + f.line).join(\" \")")" = "app/main.py:2 app/main.py:3 app/sub/deep.py:1" &&
	test "$(json_eval out "d.findings[0].rule")" = unresolved-import &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = app.helpers &&
	test "$(json_eval out "d.findings[1].fix.edits[0].replacement")" = "helpers as utils" &&
	test "$(json_eval out "d.findings[2].fix.edits[0].replacement")" = ..helpers
'

test_expect_success 'wm-scan runs the imports detector too, and --all sees the same breakage' '
	repo=$(new_repo all) && cd "$repo" && make_py &&
	git mv app/utils.py app/helpers.py && git commit -qm rename &&
	expect_exit 1 wm-scan --all --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.detector == \"imports\").length")" = 3
'

test_expect_success '--diff reports dependents of a rename on a branch' '
	repo=$(new_repo diff) && cd "$repo" && make_py &&
	git checkout -qb topic && git mv app/utils.py app/helpers.py && git commit -qm rename &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(json_eval out "d.findings.length")" = 3 &&
	git checkout -q main && wm-imports --diff main --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 0
'

test_expect_success 'a renamed function is caught at the importing line, with a suggestion' '
	repo=$(new_repo name) && cd "$repo" && make_py &&
	printf "def slugifyy(s):\n    return s\n" >app/utils.py && git add app/utils.py &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 2 &&
	test "$(json_eval out "d.findings[0].rule")" = unresolved-name &&
	json_eval out "d.findings[0].message" | grep -q "did you mean slugifyy"
'

test_expect_success 'undeclared dependencies warn; optional imports are quiet; suppressions work' '
	repo=$(new_repo deps) && cd "$repo" && make_py &&
	printf "import requests\ntry:\n    import ujson\nexcept ImportError:\n    ujson = None\nimport attr  # wm: ignore[undeclared-dependency] vendored\n" >app/net.py &&
	git add app/net.py &&
	wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].severity")" = warning &&
	test "$(json_eval out "d.findings[0].rule")" = undeclared-dependency
'

test_expect_success 'JS/TS: a renamed file breaks its importers, with fixes in the same style' '
	repo=$(new_repo js) && cd "$repo" && mkdir -p src/lib &&
	printf "{\"name\":\"x\",\"dependencies\":{\"react\":\"18\"}}\n" >package.json &&
	printf "export function helper() {}\n" >src/lib/util.ts &&
	printf "import React from \"react\";\nimport fs from \"node:fs\";\nimport { helper } from \"./lib/util.js\";\n" >src/app.ts &&
	git add . && git commit -qm init &&
	wm-imports --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	git mv src/lib/util.ts src/lib/helpers.ts &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = src/app.ts &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = ./lib/helpers.js &&
	git commit -qm rename && git checkout -q HEAD~1 -- src/lib/util.ts && git rm -q --cached src/lib/helpers.ts && rm src/lib/helpers.ts &&
	printf "export function helper2() {}\n" >src/lib/util.ts && git add -A &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings[0].rule")" = unresolved-name
'

test_expect_success 'dna.contracts forbids an import edge' '
	repo=$(new_repo dna) && cd "$repo" && mkdir -p lib cmd &&
	: >lib/__init__.py && : >cmd/__init__.py &&
	printf "from cmd import tool\n" >lib/core.py && printf "X = 1\n" >cmd/tool.py &&
	printf "dna:\n  contracts:\n    - \"lib/** must not import cmd/**\"\n" >.wm.yml &&
	git add . && expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings[0].rule")" = contract-violation
'

test_expect_success 'C: a renamed header breaks its unchanged includer under --staged, with a fix' '
	repo=$(new_repo c) && cd "$repo" && mkdir -p src inc &&
	printf "int u(void);\n" >src/util.h && printf "int a(void);\n" >inc/api.h &&
	printf "#include \"util.h\"\n#include \"api.h\"\n#include <stdio.h>\n" >src/main.c &&
	printf "imports:\n  include_dirs: [inc]\n" >.wm.yml &&
	git add . && git commit -qm init &&
	wm-imports --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	git mv src/util.h src/utils.h &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path + \":\" + d.findings[0].line")" = src/main.c:1 &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = utils.h
'

test_expect_success 'C: without include directories a header found elsewhere is info, one found nowhere a warning; with them, errors' '
	repo=$(new_repo cdym) && cd "$repo" && mkdir -p src inc &&
	printf "\n" >inc/api.h && printf "#include \"api.h\"\n" >src/main.c && git add . &&
	wm-imports --staged --format json >out &&
	json_eval out "d.findings[0].message" | grep -q "did you mean inc/api.h" &&
	test "$(json_eval out "d.findings[0].severity")" = info &&
	printf "#include \"nowhere.h\"\n" >src/other.c && git add src/other.c &&
	wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.severity === \"warning\").length")" = 1 &&
	printf "imports:\n  include_dirs: [src]\n" >.wm.yml &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.severity === \"error\").length")" = 2
'

test_expect_success 'Go: importing a moved package fails; an undeclared module warns' '
	repo=$(new_repo go) && cd "$repo" && mkdir -p pkg/util &&
	printf "module example.com/app\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.0\n" >go.mod &&
	printf "package util\n" >pkg/util/u.go &&
	printf "package main\n\nimport (\n\t\"fmt\"\n\t\"example.com/app/pkg/util\"\n\t\"github.com/gin-gonic/gin\"\n)\n" >main.go &&
	git add . && git commit -qm init &&
	wm-imports --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	git mv pkg/util pkg/utils &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join()")" = unresolved-import@main.go:5 &&
	git commit -qm move &&
	printf "package main\n\nimport \"github.com/other/thing\"\n" >extra.go && git add extra.go &&
	wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings[0].rule")" = undeclared-dependency &&
	test "$(json_eval out "d.findings[0].severity")" = warning
'

test_expect_success 'Rust: mod x; without its file fails; an undeclared crate warns' '
	repo=$(new_repo rust) && cd "$repo" && mkdir -p src &&
	printf "[package]\nname = \"app\"\n\n[dependencies]\nserde-json = \"1\"\n" >Cargo.toml &&
	printf "mod util;\nuse serde_json::Value;\nuse std::io;\n" >src/main.rs && printf "pub fn f() {}\n" >src/util.rs &&
	git add . && git commit -qm init &&
	wm-imports --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	git mv src/util.rs src/helpers.rs &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join()")" = unresolved-import@src/main.rs:1 &&
	git commit -qm move && printf "use regex::Regex;\n" >src/helpers.rs && git add . &&
	wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.filter(f => f.rule == \"undeclared-dependency\").length")" = 1
'

test_done
