#!/usr/bin/env bash
# wm-imports on real C, Go and Rust repositories: a renamed header, package
# or module file staged alone breaks its unchanged importer in --staged,
# --diff and --all; --fix restores a renamed header's include exactly;
# undeclared dependencies and dna.contracts for each language.
. "$(dirname "$0")/lib.sh"

# where FILE: the findings as "rule@path:line", in report order.
where() {
	json_eval "$1" 'd.findings.map(f => f.rule + "@" + f.path + ":" + f.line).join(" ")'
}

# A header reached through imports.include_dirs from another directory,
# and one next to its includer.
make_c() {
	mkdir -p include/mylib src tools &&
	printf 'imports:\n  include_dirs: [include]\n' >.wm.yml &&
	printf 'int util(void);\n' >include/mylib/util.h &&
	printf 'int local(void);\n' >src/local.h &&
	printf 'int tool(void);\n' >tools/tool.h &&
	printf '#include <stdio.h>\n#include "mylib/util.h"\n#include "local.h"\n\nint main(void) { return util() + local(); }\n' >src/x.c &&
	printf '#include "local.h"\nint local(void) { return 0; }\n' >src/local.c &&
	git add . && git commit -qm init
}

make_go() {
	mkdir -p cmd/app pkg/util internal/db &&
	printf 'module example.com/app\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n' >go.mod &&
	printf 'package util\n\nfunc U() {}\n' >pkg/util/u.go &&
	printf 'package db\n\nfunc Open() {}\n' >internal/db/db.go &&
	printf 'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/app/internal/db"\n\t"example.com/app/pkg/util"\n\t"github.com/pkg/errors"\n)\n\nfunc main() { fmt.Println(errors.New("x")); util.U(); db.Open() }\n' >cmd/app/main.go &&
	git add . && git commit -qm init
}

make_rust() {
	mkdir -p src &&
	printf '[package]\nname = "app"\nversion = "0.1.0"\n\n[dependencies]\nserde = "1"\n' >Cargo.toml &&
	printf 'mod a;\nmod b;\n\nuse serde::Serialize;\n' >src/lib.rs &&
	printf 'pub fn f() {}\n' >src/a.rs &&
	printf 'use crate::a::f;\n\npub fn g() { f() }\n' >src/b.rs &&
	git add . && git commit -qm init
}

# --- C ------------------------------------------------------------------

test_expect_success 'C: a clean repository passes --all' '
	repo=$(new_repo c-clean) && cd "$repo" && make_c &&
	wm-imports --all --format json >out &&
	test "$(where out)" = ""
'

test_expect_success 'C: only the renamed header is staged: the unchanged includers fail --staged' '
	repo=$(new_repo c-staged) && cd "$repo" && make_c &&
	git mv src/local.h src/helper.h &&
	test "$(git diff --cached --name-status | wc -l)" = 1 &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "unresolved-import@src/local.c:1 unresolved-import@src/x.c:3" &&
	test "$(json_eval out "d.findings[1].column")" = 11 &&
	test "$(json_eval out "d.findings[1].fix.edits[0].replacement")" = helper.h
'

test_expect_success 'C: a header renamed in an include directory fails its includer elsewhere, with a fix' '
	repo=$(new_repo c-incdir) && cd "$repo" && make_c &&
	git mv include/mylib/util.h include/mylib/utils.h &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "unresolved-import@src/x.c:2" &&
	json_eval out "d.findings[0].message" | grep -q "renamed to include/mylib/utils.h" &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = mylib/utils.h
'

test_expect_success 'C: --diff reports the includers of a header renamed on a branch' '
	repo=$(new_repo c-diff) && cd "$repo" && make_c &&
	git checkout -qb topic && git mv src/local.h src/helper.h && git commit -qm rename &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(where out)" = "unresolved-import@src/local.c:1 unresolved-import@src/x.c:3" &&
	git checkout -q main && wm-imports --diff main --format json >out2 &&
	test "$(where out2)" = ""
'

test_expect_success 'C: --all reports the committed breakage' '
	repo=$(new_repo c-all) && cd "$repo" && make_c &&
	git mv src/local.h src/helper.h && git mv include/mylib/util.h include/mylib/utils.h &&
	git commit -qm rename &&
	expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "unresolved-import@src/local.c:1 unresolved-import@src/x.c:2 unresolved-import@src/x.c:3"
'

test_expect_success 'C: --staged --fix rewrites the includes to exactly the expected bytes, index and working tree' '
	repo=$(new_repo c-fix) && cd "$repo" && make_c &&
	git mv src/local.h src/helper.h && git mv include/mylib/util.h include/mylib/utils.h &&
	wm-imports --staged --fix >out 2>err &&
	printf "#include <stdio.h>\n#include \"mylib/utils.h\"\n#include \"helper.h\"\n\nint main(void) { return util() + local(); }\n" >want.c &&
	printf "#include \"helper.h\"\nint local(void) { return 0; }\n" >want2.c &&
	cmp want.c src/x.c && cmp want2.c src/local.c &&
	git show :src/x.c >staged.c && cmp want.c staged.c &&
	git show :src/local.c >staged2.c && cmp want2.c staged2.c &&
	rm want.c want2.c staged.c staged2.c &&
	wm-imports --staged --format json >out &&
	test "$(where out)" = ""
'

test_expect_success 'C: dna.contracts forbids an include edge; an allowed one passes' '
	repo=$(new_repo c-dna) && cd "$repo" && make_c &&
	printf "imports:\n  include_dirs: [include]\ndna:\n  contracts:\n    - \"src/** must not import tools/**\"\n    - \"include/** must not import src/**\"\n" >.wm.yml &&
	git add .wm.yml && wm-imports --staged --format json >out && test "$(where out)" = "" &&
	git commit -qm dna &&
	printf "#include \"../tools/tool.h\"\n" >src/y.c && git add src/y.c &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "contract-violation@src/y.c:1" &&
	json_eval out "d.findings[0].message" | grep -q "src/y.c imports tools/tool.h" &&
	git commit -qm y && expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "contract-violation@src/y.c:1"
'

# --- Go -----------------------------------------------------------------

test_expect_success 'Go: a clean repository passes --all' '
	repo=$(new_repo go-clean) && cd "$repo" && make_go &&
	wm-imports --all --format json >out &&
	test "$(where out)" = ""
'

test_expect_success 'Go: only the moved package is staged: the unchanged importer fails --staged' '
	repo=$(new_repo go-staged) && cd "$repo" && make_go &&
	git mv pkg/util pkg/utils &&
	test "$(git diff --cached --name-status | wc -l)" = 1 &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "unresolved-import@cmd/app/main.go:7" &&
	json_eval out "d.findings[0].message" | grep -q "moved to pkg/utils in this change" &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = example.com/app/pkg/utils
'

test_expect_success 'Go: --diff and --all report the importer of a package moved on a branch' '
	repo=$(new_repo go-diff) && cd "$repo" && make_go &&
	git checkout -qb topic && git mv pkg/util pkg/utils && git commit -qm move &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(where out)" = "unresolved-import@cmd/app/main.go:7" &&
	expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "unresolved-import@cmd/app/main.go:7" &&
	git checkout -q main && wm-imports --diff main --format json >out2 &&
	test "$(where out2)" = ""
'

test_expect_success 'Go: an import no go.mod requires is an undeclared dependency in every mode' '
	repo=$(new_repo go-deps) && cd "$repo" && make_go &&
	printf "package util\n\nimport \"github.com/google/uuid\"\n\nvar _ = uuid.New\n" >pkg/util/id.go &&
	git add pkg/util/id.go &&
	wm-imports --staged --format json >out &&
	test "$(where out)" = "undeclared-dependency@pkg/util/id.go:3" &&
	test "$(json_eval out "d.findings[0].severity")" = warning &&
	git checkout -qb topic && git commit -qm uuid &&
	wm-imports --diff main --format json >out &&
	test "$(where out)" = "undeclared-dependency@pkg/util/id.go:3" &&
	wm-imports --all --format json >out &&
	test "$(where out)" = "undeclared-dependency@pkg/util/id.go:3" &&
	printf "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n\tgithub.com/google/uuid v1.6.0\n)\n" >go.mod &&
	git add go.mod && wm-imports --staged --format json >out && test "$(where out)" = ""
'

test_expect_success 'Go: dna.contracts on a package directory; an allowed import passes' '
	repo=$(new_repo go-dna) && cd "$repo" && make_go &&
	printf "dna:\n  contracts:\n    - \"pkg/** must not import internal/db/**\"\n" >.wm.yml &&
	git add .wm.yml && wm-imports --staged --format json >out && test "$(where out)" = "" &&
	git commit -qm dna &&
	printf "package util\n\nimport \"example.com/app/internal/db\"\n\nvar _ = db.Open\n" >pkg/util/store.go &&
	git add pkg/util/store.go &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "contract-violation@pkg/util/store.go:3" &&
	json_eval out "d.findings[0].message" >msg &&
	grep -q "^pkg/util/store.go imports package internal/db/: the contract" msg &&
	git commit -qm store && expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "contract-violation@pkg/util/store.go:3"
'

# --- Rust ---------------------------------------------------------------

test_expect_success 'Rust: a clean repository passes --all' '
	repo=$(new_repo rust-clean) && cd "$repo" && make_rust &&
	wm-imports --all --format json >out &&
	test "$(where out)" = ""
'

test_expect_success 'Rust: only the renamed module file is staged: the unchanged crate root fails --staged' '
	repo=$(new_repo rust-staged) && cd "$repo" && make_rust &&
	git mv src/a.rs src/c.rs &&
	test "$(git diff --cached --name-status | wc -l)" = 1 &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(where out)" = "unresolved-import@src/lib.rs:1" &&
	json_eval out "d.findings[0].message" | grep -q "src/a.rs was renamed to src/c.rs in this change"
'

test_expect_success 'Rust: --diff and --all report the module renamed on a branch' '
	repo=$(new_repo rust-diff) && cd "$repo" && make_rust &&
	git checkout -qb topic && git mv src/a.rs src/c.rs && git commit -qm rename &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(where out)" = "unresolved-import@src/lib.rs:1" &&
	expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "unresolved-import@src/lib.rs:1" &&
	git checkout -q main && wm-imports --diff main --format json >out2 &&
	test "$(where out2)" = ""
'

test_expect_success 'Rust: a crate Cargo.toml does not declare is an undeclared dependency in every mode' '
	repo=$(new_repo rust-deps) && cd "$repo" && make_rust &&
	printf "use regex::Regex;\n\npub fn f() {}\n" >src/a.rs && git add src/a.rs &&
	wm-imports --staged --format json >out &&
	test "$(where out)" = "undeclared-dependency@src/a.rs:1" &&
	git checkout -qb topic && git commit -qm regex &&
	wm-imports --diff main --format json >out &&
	test "$(where out)" = "undeclared-dependency@src/a.rs:1" &&
	wm-imports --all --format json >out &&
	test "$(where out)" = "undeclared-dependency@src/a.rs:1" &&
	printf "regex = \"1\"\n" >>Cargo.toml && git add Cargo.toml &&
	wm-imports --staged --format json >out && test "$(where out)" = ""
'

test_expect_success 'Rust: dna.contracts on use crate:: and mod edges; allowed edges pass' '
	repo=$(new_repo rust-dna) && cd "$repo" && make_rust &&
	printf "dna:\n  contracts:\n    - \"src/a.rs must not import src/b.rs\"\n" >.wm.yml &&
	git add .wm.yml && wm-imports --staged --format json >out && test "$(where out)" = "" &&
	printf "dna:\n  contracts:\n    - \"src/b.rs must not import src/a.rs\"\n    - \"src/lib.rs must not import src/b.rs\"\n" >.wm.yml &&
	git add .wm.yml && git commit -qm dna &&
	expect_exit 1 wm-imports --all --format json >out &&
	test "$(where out)" = "contract-violation@src/b.rs:1 contract-violation@src/lib.rs:2" &&
	test "$(json_eval out "d.findings[0].column")" = 5
'

test_done
