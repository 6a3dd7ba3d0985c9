#!/usr/bin/env bash
# wm-imports on Rust use paths and Go workspaces: every segment of a
# `use crate::...` path resolves, renamed items and module files break the
# unchanged files that name them (--staged, --diff, --all), and fixes keep
# the code compiling: #[path] for a renamed Rust module file, the new import
# path for a moved Go package. Fixtures model what real repositories do
# (ripgrep's tests/ modules, serde's re-exports and item macros).
# rustc, when there is one, checks that a fixed crate compiles; lib.sh moves HOME
rustup_home=${RUSTUP_HOME:-${HOME:-/nonexistent}/.rustup}
. "$(dirname "$0")/lib.sh"

# A crate that uses every form of path the resolver follows.
make_crate() {
	mkdir -p src/net tests &&
	printf '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n' >Cargo.toml &&
	cat >src/lib.rs <<-'EOF'
	pub mod util;
	mod net;
	#[path = "platform_unix.rs"]
	mod platform;
	mod generated;
	mod globbed;
	pub mod inline {
	    pub fn g() {}
	    pub mod deeper {
	        pub struct D;
	    }
	}
	extern "C" {
	    fn abs(x: i32) -> i32;
	}
	pub use crate::util::helper as reexported;
	pub use self::net::tcp;
	pub use crate::inline::deeper as alias_mod;
	#[cfg(unix)]
	pub use self::platform::Os;
	#[cfg(not(unix))]
	pub use self::platform::Os;
	pub const fn cf() -> u8 {
	    0
	}
	pub static mut SM: i32 = 0;
	pub fn call() -> i32 {
	    unsafe { abs(-1) }
	}
	EOF
	cat >src/util.rs <<-'EOF'
	use crate::inline::{self, deeper::D as Dee, g};
	use crate::reexported;
	use crate::tcp::Conn;
	use crate::net::tcp::{Conn as C2, Listener};
	use crate::alias_mod::D;
	use crate::{cf, SM};
	use crate::exported;
	use crate::generated::Anything;
	use crate::globbed::FromGlob;
	use super::Os;
	pub fn helper() {}
	pub fn other() {}
	#[cfg(test)]
	mod tests {
	    use super::*;
	    use super::helper;
	    use super::super::util::other;
	    use self::inner::X;
	    mod inner {
	        pub struct X;
	    }
	}
	EOF
	printf 'pub mod tcp;\n' >src/net/mod.rs &&
	printf 'pub struct Conn;\npub struct Listener;\n#[macro_export]\nmacro_rules! exported {\n    () => {};\n}\n' >src/net/tcp.rs &&
	printf 'pub struct Os;\n' >src/platform_unix.rs &&
	printf 'macro_rules! make { ($n:ident) => { pub struct $n; } }\nmake!(Anything);\n' >src/generated.rs &&
	printf 'mod hidden {\n    pub struct FromGlob;\n}\npub use self::hidden::*;\n' >src/globbed.rs &&
	printf '#[path = "util.rs"]\nmod util;\nmod cases;\n' >tests/integration.rs &&
	printf 'pub fn u() {}\n' >tests/util.rs &&
	printf 'use crate::util::u;\n' >tests/cases.rs &&
	git add . && git commit -qm init
}

test_expect_success 'Rust: a crate using every path form passes --all' '
	repo=$(new_repo rclean) && cd "$repo" && make_crate &&
	wm-imports --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'Rust: a renamed function breaks unchanged importers in --staged, with did-you-mean' '
	repo=$(new_repo rname) && cd "$repo" && make_crate &&
	sed -i "s/pub fn helper()/pub fn helpers()/" src/util.rs &&
	printf "use crate::util::helper;\nuse crate::gone::Thing;\n" >src/extra.rs && printf "mod extra;\n" >>src/lib.rs &&
	git add src/util.rs &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join()")" = unresolved-name@src/lib.rs:16,unresolved-name@src/util.rs:16 &&
	json_eval out "d.findings[0].message" | grep -q "crate::util::helper: module crate::util (src/util.rs) defines no .helper. (did you mean helpers?)" &&
	json_eval out "d.findings[1].message" | grep -q "super::helper: module super (src/util.rs)" &&
	git add . && expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line + \":\" + f.column).sort().join()")" = "unresolved-import@src/extra.rs:2:12,unresolved-name@src/extra.rs:1:18,unresolved-name@src/lib.rs:16:22,unresolved-name@src/util.rs:16:16"
'

test_expect_success 'Rust: --diff and --all see the renamed function too; super:: in a test module is checked' '
	repo=$(new_repo rdiff) && cd "$repo" && make_crate &&
	git checkout -qb topic &&
	sed -i "s/pub fn other()/pub fn others()/" src/util.rs && git commit -qam rename &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join()")" = unresolved-name@src/util.rs:17 &&
	expect_exit 1 wm-imports --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	git checkout -q main && wm-imports --diff main --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 0
'

test_expect_success 'Rust: a renamed module file gets #[path], applied by --staged --fix byte for byte' '
	repo=$(new_repo rmod) && cd "$repo" && make_crate &&
	git mv src/util.rs src/helpers.rs &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line).join()")" = unresolved-import@src/lib.rs:1 &&
	wm-imports --staged --fix >fix.out &&
	printf "#[path = \"helpers.rs\"]\npub mod util;\nmod net;\n" >want &&
	head -3 src/lib.rs >got && cmp want got &&
	git show :src/lib.rs | head -3 >got && cmp want got &&
	git diff --cached --stat -- src/lib.rs | grep -q "1 insertion" &&
	wm-imports --staged --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	if RUSTUP_HOME=$rustup_home rustc --version >/dev/null 2>&1; then
		RUSTUP_HOME=$rustup_home rustc --edition 2021 --crate-type lib --emit=metadata -o "$TEST_ROOT/rmod.rmeta" src/lib.rs 2>err ||
		{ cat err; false; }
	fi
'

test_expect_success 'Rust: a mod inside an inline module and an existing #[path] keep their forms' '
	repo=$(new_repo rinline) && cd "$repo" && mkdir -p src/outer &&
	printf "[package]\nname = \"x\"\n" >Cargo.toml &&
	printf "mod outer {\n    pub(crate) mod a;\n}\n#[path = \"b_impl.rs\"]\nmod b;\n" >src/lib.rs &&
	printf "pub fn fa() {}\n" >src/outer/a.rs && printf "pub fn fb() {}\n" >src/b_impl.rs &&
	git add . && git commit -qm init &&
	git mv src/outer/a.rs src/outer/alpha.rs && git mv src/b_impl.rs src/b2.rs &&
	wm-imports --staged --fix >fix.out &&
	printf "mod outer {\n    #[path = \"alpha.rs\"]\n    pub(crate) mod a;\n}\n#[path = \"b2.rs\"]\nmod b;\n" >want &&
	cmp want src/lib.rs ||
	{ cat fix.out; diff want src/lib.rs; false; }
'

test_expect_success 'Rust: a renamed module with module files of its own gets no #[path] fix' '
	repo=$(new_repo rdir) && cd "$repo" && mkdir -p src/net &&
	printf "[package]\nname = \"x\"\n" >Cargo.toml &&
	printf "mod net;\n" >src/lib.rs && printf "mod tcp;\n" >src/net.rs && printf "\n" >src/net/tcp.rs &&
	git add . && git commit -qm init &&
	git mv src/net.rs src/network.rs && git mv src/net src/network &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].fix == null")" = true &&
	json_eval out "d.findings[0].message" | grep -q "no #\[path\] fix"
'

test_expect_success 'Rust: hostile input (unbalanced braces, binary, a huge use group) does not crash' '
	repo=$(new_repo rhostile) && cd "$repo" && mkdir -p src &&
	printf "[package]\nname = \"x\"\n" >Cargo.toml &&
	printf "}}}}\nmod a { mod b { use crate::{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{x;\n" >src/lib.rs &&
	head -c 20000 /dev/urandom >src/bin.rs &&
	{ printf "use crate::{"; i=0; while [ $i -lt 3000 ]; do printf "a%d::b::c, " $i; i=$((i + 1)); done; printf "};\n"; } >src/main.rs &&
	git add . && wm-imports --staged --format json >out; rc=$?; test $rc -le 1
'

make_go() {
	mkdir -p app/pkg/util lib/x third/y &&
	printf 'go 1.22\n\nuse (\n\t./app\n\t./lib // the library\n)\n' >go.work &&
	printf 'module example.com/app\n\ngo 1.22\n\nrequire example.com/fork v1.0.0\n\nreplace (\n\texample.com/fork => ../third/y\n\texample.com/other v1.0.0 => example.com/other2 v1.1.0\n)\n' >app/go.mod &&
	printf 'module example.com/lib\n' >lib/go.mod && printf 'package x\n' >lib/x/x.go &&
	printf 'module example.com/fork\n' >third/y/go.mod && printf 'package y\n' >third/y/y.go &&
	printf 'package util\n' >app/pkg/util/u.go &&
	printf 'package main\n\nimport (\n\tu "example.com/app/pkg/util"\n\t"example.com/lib/x"\n\t"example.com/fork"\n\t"example.com/other/z"\n)\n' >app/main.go &&
	printf 'package main\n\nimport `example.com/app/pkg/util`\n' >app/raw.go &&
	git add . && git commit -qm init
}

test_expect_success 'Go: go.work modules and replace directories resolve; a missing package under a replace fails' '
	repo=$(new_repo gwork) && cd "$repo" && make_go &&
	wm-imports --all --format json >out && test "$(json_eval out "d.findings.length")" = 0 &&
	printf "package main\n\nimport \"example.com/fork/missing\"\n" >app/bad.go && git add app/bad.go &&
	expect_exit 1 wm-imports --staged --format json >out &&
	json_eval out "d.findings[0].message" | grep -q "directory third/y/missing of module example.com/fork"
'

test_expect_success 'Go: a go.work module outside the repository silences unknown module paths' '
	repo=$(new_repo gout) && cd "$repo" && make_go &&
	printf "go 1.22\n\nuse ./app\nuse ../elsewhere\n" >go.work &&
	printf "package main\n\nimport \"example.com/unknown/pkg\"\n" >app/ext.go && git add . &&
	wm-imports --staged --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'Go: a moved package breaks unchanged importers; --staged --fix keeps alias and quotes' '
	repo=$(new_repo gmove) && cd "$repo" && make_go &&
	git mv app/pkg/util app/pkg/helpers &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.path + \":\" + f.line).sort().join()")" = "app/main.go:4,app/raw.go:3" &&
	wm-imports --staged --fix >fix.out &&
	printf "package main\n\nimport (\n\tu \"example.com/app/pkg/helpers\"\n\t\"example.com/lib/x\"\n\t\"example.com/fork\"\n\t\"example.com/other/z\"\n)\n" >want &&
	cmp want app/main.go && git show :app/main.go | cmp want - &&
	printf "package main\n\nimport \`example.com/app/pkg/helpers\`\n" | cmp - app/raw.go &&
	wm-imports --staged --format json >out && test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'Go: --diff reports the moved package at its importers' '
	repo=$(new_repo gdiff) && cd "$repo" && make_go &&
	git checkout -qb topic && git mv app/pkg/util app/pkg/helpers && git commit -qm move &&
	expect_exit 1 wm-imports --diff main --format json >out &&
	test "$(json_eval out "d.findings.length")" = 2 &&
	test "$(json_eval out "d.findings[0].fix.edits[0].replacement")" = example.com/app/pkg/helpers
'

test_done
