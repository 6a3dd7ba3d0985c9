#!/usr/bin/env bash
# --fix, --dry-run and --undo through the real executables, with the drift
# detector's fixes as the fixes applied.
. "$(dirname "$0")/lib.sh"

# make_pkgs DIR N: N Python packages whose __version__ lags their pyproject.
make_pkgs() {
	local dir=$1 n=$2 i
	for i in $(seq 1 "$n"); do
		mkdir -p "$dir/p$i/p$i"
		printf '[project]\nname = "p%d"\nversion = "1.0.%d"\n' "$i" "$i" >"$dir/p$i/pyproject.toml"
		printf '"""Package %d."""\n__version__ = "0.9.%d"\n' "$i" "$i" >"$dir/p$i/p$i/__init__.py"
	done
}

test_expect_success '--fix rewrites only the drifted values, verifies, and --undo restores' '
	repo=$(new_repo fix) && cd "$repo" && make_pkgs . 3 &&
	chmod +x p2/p2/__init__.py &&
	git add . && git commit -qm init &&
	expect_exit 1 wm-scan --only drift >/dev/null &&
	wm-scan --only drift --fix 2>err >out &&
	grep -q "3 of 3 files fixed" err &&
	test "$(sed -n 2p p1/p1/__init__.py)" = "__version__ = \"1.0.1\"" &&
	test -x p2/p2/__init__.py &&
	test "$(git status --porcelain | wc -l)" = 3 &&
	! find . -name ".wm-fix-*" | grep -q . &&
	wm-scan --undo >out && grep -c restored out | grep -qx 3 &&
	test -z "$(git status --porcelain)"
'

test_expect_success '--dry-run prints a unified diff and writes nothing' '
	cd "$TEST_ROOT/fix" &&
	expect_exit 1 wm-scan --only drift --fix --dry-run >out &&
	grep -q "^-__version__ = \"0.9.1\"" out && grep -q "^+__version__ = \"1.0.1\"" out &&
	test -z "$(git status --porcelain)" &&
	git apply --check out
'

test_expect_success '--undo refuses a file changed since the fix and keeps the new work' '
	cd "$TEST_ROOT/fix" &&
	wm-scan --only drift --fix 2>/dev/null &&
	printf "# my new work\n" >>p1/p1/__init__.py &&
	expect_exit 1 wm-scan --undo >out &&
	grep -q "p1/p1/__init__.py: not restored: changed since the fix" out &&
	grep -q "my new work" p1/p1/__init__.py &&
	test "$(sed -n 2p p2/p2/__init__.py)" = "__version__ = \"0.9.2\"" &&
	git checkout -q .
'

test_expect_success '--staged --fix fixes the index and keeps unstaged bytes' '
	repo=$(new_repo staged) && cd "$repo" && make_pkgs . 1 &&
	printf "__version__ = \"1.0.1\"\n" >>p1/p1/__init__.py && sed -i 2d p1/p1/__init__.py &&
	git add . && git commit -qm init &&
	printf "[project]\nname = \"p1\"\nversion = \"2.0.0\"\n" >p1/pyproject.toml &&
	printf "\"\"\"Package 1.\"\"\"\nimport os\n__version__ = \"1.0.1\"\n" >p1/p1/__init__.py &&
	git add . &&
	printf "\"\"\"Package 1.\"\"\"\nimport os\n__version__ = \"1.0.1\"\nUNSTAGED = True\n" >p1/p1/__init__.py &&
	wm-scan --staged --only drift --fix 2>err &&
	test "$(git show :p1/p1/__init__.py)" = "$(printf "\"\"\"Package 1.\"\"\"\nimport os\n__version__ = \"2.0.0\"")" &&
	test "$(cat p1/p1/__init__.py)" = "$(printf "\"\"\"Package 1.\"\"\"\nimport os\n__version__ = \"2.0.0\"\nUNSTAGED = True")"
'

test_expect_success '--fix refuses --diff and --rev' '
	cd "$TEST_ROOT/fix" &&
	expect_exit 2 wm-scan --rev HEAD --fix 2>err && grep -q "working tree" err
'

test_done
