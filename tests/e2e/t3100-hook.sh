#!/usr/bin/env bash
# wm-hook: installing, chaining, bypassing, and the pre-commit framework.
. "$(dirname "$0")/lib.sh"

bad='def f(x:
    return x
'

test_expect_success 'install blocks a bad commit and lets a good one through' '
	repo=$(new_repo basic) && cd "$repo" &&
	wm-hook install >out && grep -q "installed" out &&
	test -x .git/hooks/pre-commit &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! git commit -qm bad 2>err &&
	grep -q "syntax-error" err &&
	printf "x = 1\n" >a.py && git add a.py &&
	git commit -qm good &&
	test "$(git rev-list --count HEAD)" = 1
'

test_expect_success 'installing twice updates in place' '
	cd "$TEST_ROOT/basic" &&
	wm-hook install >out && grep -q "updated" out &&
	! test -e .git/hooks/pre-commit.wm-chained
'

test_expect_success '--no-verify and WM_SKIP bypass the hook' '
	cd "$TEST_ROOT/basic" &&
	printf "%s" "$bad" >b.py && git add b.py &&
	WM_SKIP=syntax-error git commit -qm "skip the rule" &&
	printf "%s" "$bad" >c.py && git add c.py &&
	git commit -q --no-verify -m "no verify" &&
	test "$(git rev-list --count HEAD)" = 3
'

test_expect_success 'git commit -a runs the hook on the temporary index' '
	cd "$TEST_ROOT/basic" &&
	printf "y = 2\n" >a.py && git add a.py && git commit -qm clean &&
	printf "%s" "$bad" >a.py &&
	! git commit -qam "break a.py" &&
	git checkout -q a.py
'

test_expect_success 'an existing hook is chained: it runs first and can block' '
	repo=$(new_repo chain) && cd "$repo" &&
	printf "#!/bin/sh\necho ran >>\"\$(git rev-parse --git-dir)/chained.log\"\n[ ! -e block ]\n" >.git/hooks/pre-commit &&
	chmod +x .git/hooks/pre-commit &&
	wm-hook install >out && grep -q "kept and runs first" out &&
	printf "x = 1\n" >a.py && git add a.py && git commit -qm one &&
	grep -q ran .git/chained.log &&
	touch block && printf "y = 1\n" >b.py && git add b.py &&
	! git commit -qm two &&
	rm block &&
	wm-hook uninstall >out && grep -q removed out &&
	grep -q "chained.log" .git/hooks/pre-commit &&
	! test -e .git/hooks/pre-commit.wm-chained
'

test_expect_success 'a symlinked hook is not replaced without --force' '
	repo=$(new_repo symlinked) && cd "$repo" &&
	printf "#!/bin/sh\nexit 0\n" >"$TEST_ROOT/shared-hook" && chmod +x "$TEST_ROOT/shared-hook" &&
	ln -s "$TEST_ROOT/shared-hook" .git/hooks/pre-commit &&
	expect_exit 2 wm-hook install 2>err && grep -q "symlink" err &&
	wm-hook install --force >out && grep -q "wm-backup" out &&
	test -L .git/hooks/pre-commit.wm-backup
'

test_expect_success 'uninstall leaves a foreign hook alone' '
	repo=$(new_repo foreign) && cd "$repo" &&
	printf "#!/bin/sh\nexit 0\n" >.git/hooks/pre-commit && chmod +x .git/hooks/pre-commit &&
	expect_exit 2 wm-hook uninstall 2>err &&
	grep -q "not wm" err && test -e .git/hooks/pre-commit
'

test_expect_success 'core.hooksPath is respected' '
	repo=$(new_repo hookspath) && cd "$repo" &&
	git config core.hooksPath .githooks &&
	wm-hook install >out &&
	test -x .githooks/pre-commit &&
	test "$(wm-hook path)" = "$repo/.githooks/pre-commit" &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! git commit -qm bad
'

test_expect_success 'the hook runs in a linked worktree' '
	cd "$TEST_ROOT/basic" &&
	git worktree add -q ../basic-wt &&
	cd ../basic-wt &&
	printf "%s" "$bad" >w.py && git add w.py &&
	! git commit -qm "bad in worktree"
'

test_expect_success 'committing a merge resolution runs the hook on the merged index' '
	repo=$(new_repo merge) && cd "$repo" &&
	printf "x = 1\n" >a.py && git add a.py && git commit -qm base &&
	git checkout -qb side && printf "x = 2\n" >a.py && git commit -qam side &&
	git checkout -q main && printf "x = 3\n" >a.py && git commit -qam main &&
	wm-hook install >/dev/null &&
	! git merge -q side 2>/dev/null &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! git commit -qm "bad resolution" &&
	printf "x = 4\n" >a.py && git add a.py &&
	git commit -qm "good resolution" &&
	test "$(git rev-list --count HEAD)" = 4
'

# diverged REPO: main and side both changed a.py, so picks and rebases conflict.
diverged() {
	repo=$(new_repo "$1") && cd "$repo" &&
	printf "x = 1\n" >a.py && git add a.py && git commit -qm base &&
	git checkout -qb side && printf "x = 2\n" >a.py && git commit -qam side &&
	git checkout -q main && printf "x = 3\n" >a.py && git commit -qam main &&
	wm-hook install >/dev/null
}

test_expect_success 'a cherry-pick resolution is checked by git commit and by --continue' '
	diverged pick &&
	! git cherry-pick side 2>/dev/null &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! git commit -qm picked 2>/dev/null &&
	! GIT_EDITOR=true git cherry-pick --continue 2>/dev/null &&
	printf "x = 23\n" >a.py && git add a.py &&
	GIT_EDITOR=true git cherry-pick --continue >/dev/null 2>&1 &&
	test "$(git show HEAD:a.py)" = "x = 23"
'

test_expect_success 'a commit made inside a stopped rebase is checked' '
	diverged rebase && git checkout -q side &&
	! git rebase main >/dev/null 2>&1 &&
	test -d .git/rebase-merge &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! git commit -qm "resolved badly" 2>/dev/null &&
	printf "x = 32\n" >a.py && git add a.py &&
	git commit -qm resolved &&
	GIT_EDITOR=true git rebase --continue >/dev/null 2>&1 &&
	test "$(git show HEAD:a.py)" = "x = 32"
'

test_expect_success 'the pre-commit framework runs wm through .pre-commit-hooks.yaml' '
	src="$TEST_ROOT/wm-src" &&
	git init -q "$src" &&
	cp "$WM_SOURCE_DIR/.pre-commit-hooks.yaml" "$src/" &&
	(cd "$src" && git add . && git commit -qm hooks) &&
	repo=$(new_repo framework) && cd "$repo" &&
	printf "x = 1\n" >a.py && git add a.py &&
	PRE_COMMIT_HOME="$TEST_ROOT/pre-commit-home" pre-commit try-repo "$src" wm-scan >out 2>&1 &&
	printf "%s" "$bad" >a.py && git add a.py &&
	! PRE_COMMIT_HOME="$TEST_ROOT/pre-commit-home" pre-commit try-repo "$src" wm-scan >out 2>&1 &&
	grep -q "syntax-error" out
'

test_done
