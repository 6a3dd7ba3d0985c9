#!/usr/bin/env bash
# wm-imports: every rule for Python and JavaScript in each of the three
# modes. The same breakage is made once staged (only the change in the
# index), once committed on a branch (--diff main) and once committed
# (--all); the finding must be reported at the same place each time, in
# the file that broke, which for renames is a file that did not change.
. "$(dirname "$0")/lib.sh"

make_py() {
	mkdir -p app lib cmd &&
	printf '[project]\nname = "app"\ndependencies = ["PyYAML"]\n' >pyproject.toml &&
	printf 'dna:\n  contracts:\n    - "lib/** must not import cmd/**"\n' >.wm.yml &&
	: >app/__init__.py && : >lib/__init__.py && : >cmd/__init__.py &&
	printf 'def slugify(s):\n    return s\n' >app/utils.py &&
	printf 'from app.utils import slugify\nimport yaml\n' >app/main.py &&
	printf 'X = 1\n' >cmd/tool.py &&
	git add . && git commit -qm init && git branch -M main
}

make_js() {
	mkdir -p src/lib &&
	printf '{"name":"x","dependencies":{"react":"18"}}\n' >package.json &&
	printf 'dna:\n  contracts:\n    - "src/lib/** must not import src/app.js"\n' >.wm.yml &&
	printf 'export function helper() {}\n' >src/lib/util.js &&
	printf 'import { helper } from "./lib/util.js";\nimport React from "react";\n' >src/app.js &&
	git add . && git commit -qm init && git branch -M main
}

# The breakages, each a change of the working tree (nothing staged yet).
break_py() {
	case $1 in
	unresolved-import) git mv app/utils.py app/helpers.py ;;
	unresolved-name) printf 'def slug(s):\n    return s\n' >app/utils.py ;;
	undeclared-dependency) printf 'import requests\n' >app/net.py ;;
	contract-violation) printf 'from cmd import tool\n' >lib/core.py ;;
	esac
}

break_js() {
	case $1 in
	unresolved-import) git mv src/lib/util.js src/lib/helpers.js ;;
	unresolved-name) printf 'export function helper2() {}\n' >src/lib/util.js ;;
	undeclared-dependency) printf 'import axios from "axios";\n' >src/net.js ;;
	contract-violation) printf 'import "../app.js";\n' >src/lib/bad.js ;;
	esac
}

# check LANG MODE RULE WHERE CODE: break a fresh repository, run the mode,
# expect exactly one finding, of RULE at WHERE (path:line), and exit CODE.
check() {
	local lang=$1 mode=$2 rule=$3 where=$4 code=$5 repo
	repo=$(new_repo "$lang-$mode-$rule") && cd "$repo" && make_$lang &&
	case $mode in
	staged)
		break_$lang "$rule" && git add -A &&
		expect_exit "$code" wm-imports --staged --format json >out ;;
	diff)
		git checkout -qb topic && break_$lang "$rule" && git add -A && git commit -qm change &&
		expect_exit "$code" wm-imports --diff main --format json >out &&
		git checkout -q main && wm-imports --diff main --format json >out2 &&
		test "$(json_eval out2 "d.findings.length")" = 0 ;;
	all)
		break_$lang "$rule" && git add -A && git commit -qm change &&
		expect_exit "$code" wm-imports --all --format json >out ;;
	esac &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join(\" \")")" = "$rule@$where"
}

for mode in staged diff all; do
	test_expect_success "Python, --$mode: a renamed module fails its unchanged importer" "
		check py $mode unresolved-import app/main.py:1 1
	"
	test_expect_success "Python, --$mode: a renamed function fails the unchanged line importing it" "
		check py $mode unresolved-name app/main.py:1 1
	"
	test_expect_success "Python, --$mode: an undeclared third-party import warns" "
		check py $mode undeclared-dependency app/net.py:1 0
	"
	test_expect_success "Python, --$mode: a forbidden edge is a contract violation" "
		check py $mode contract-violation lib/core.py:1 1
	"
	test_expect_success "JavaScript, --$mode: a renamed file fails its unchanged importer" "
		check js $mode unresolved-import src/app.js:1 1
	"
	test_expect_success "JavaScript, --$mode: a renamed export fails the unchanged named import" "
		check js $mode unresolved-name src/app.js:1 1
	"
	test_expect_success "JavaScript, --$mode: an undeclared package warns" "
		check js $mode undeclared-dependency src/net.js:1 0
	"
	test_expect_success "JavaScript, --$mode: a forbidden edge is a contract violation" "
		check js $mode contract-violation src/lib/bad.js:1 1
	"
done

test_expect_success 'Python: a name gone from a package __init__ fails the unchanged `from . import` in the package' '
	repo=$(new_repo relative) && cd "$repo" && mkdir app &&
	printf "def helper():\n    pass\n" >app/__init__.py && printf "from . import helper\n" >app/sub.py &&
	git add . && git commit -qm init && git branch -M main &&
	printf "def helper2():\n    pass\n" >app/__init__.py && git add -A &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join(\" \")")" = unresolved-name@app/sub.py:1 &&
	json_eval out "d.findings[0].message" | grep -q "did you mean helper2"
'

test_expect_success 'a PATH limits the report to findings under it, dependents included' '
	repo=$(new_repo prefix) && cd "$repo" && mkdir -p app other &&
	: >app/__init__.py && printf "def slugify(s):\n    return s\n" >app/utils.py &&
	printf "from app.utils import slugify\n" >app/main.py && printf "from app.utils import slugify\n" >other/use.py &&
	git add . && git commit -qm init && git mv app/utils.py app/helpers.py &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.path).join(\" \")")" = "app/main.py other/use.py" &&
	expect_exit 1 wm-imports --staged --format json app >out &&
	test "$(json_eval out "d.findings.map(f => f.path).join(\" \")")" = app/main.py &&
	expect_exit 1 wm-scan --staged --format json other/use.py >out &&
	test "$(json_eval out "d.findings.map(f => f.path).join(\" \")")" = other/use.py
'

test_expect_success 'a per-language severity applies to findings in unchanged dependents too' '
	repo=$(new_repo langsev) && cd "$repo" && make_py &&
	printf "detectors:\n  imports:\n    severity:\n      unresolved-import/python: warning\n" >.wm.yml &&
	git add .wm.yml && git commit -qm config &&
	git mv app/utils.py app/helpers.py &&
	wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.severity + \"@\" + f.path).join(\" \")")" = warning@app/main.py
'

test_done
