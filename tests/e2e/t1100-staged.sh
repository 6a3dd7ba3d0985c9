#!/usr/bin/env bash
# What a pre-commit hook sees: the index, not the working tree.
. "$(dirname "$0")/lib.sh"

good='def f(x):
    return x + 1
'
bad='def f(x:
    return x + 1
'

test_expect_success 'a syntax error staged but fixed in the working tree fails --staged' '
	repo=$(new_repo staged-bad) && cd "$repo" &&
	printf "%s" "$good" >ok.py && git add ok.py && git commit -qm init &&
	printf "%s" "$bad" >app.py && git add app.py &&
	printf "%s" "$good" >app.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 1 &&
	test "$(json_eval out "d.findings[0].path")" = app.py &&
	test "$(json_eval out "d.findings[0].rule")" = syntax-error &&
	test "$(json_eval out "d.findings[0].line")" = 1 &&
	test "$(json_eval out "d.findings[0].severity")" = error &&
	wm-scan --only syntax --all --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 0
'

test_expect_success 'the reverse: staged clean, working tree broken, --staged passes' '
	repo=$(new_repo staged-good) && cd "$repo" &&
	printf "%s" "$good" >app.py && git add app.py &&
	printf "%s" "$bad" >app.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	expect_exit 1 wm-scan --only syntax --all --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 1
'

test_expect_success 'a partially staged file is judged by its staged half' '
	repo=$(new_repo partial) && cd "$repo" &&
	printf "def a():\n    return 1\n\n\n\n\n\ndef b():\n    return 2\n" >m.py &&
	git add m.py && git commit -qm init &&
	printf "def a(:\n    return 1\n\n\n\n\n\ndef b():\n    return 2\n" >m.py &&
	git diff >full.patch &&
	git apply --cached full.patch &&
	printf "def a():\n    return 1\n\n\n\n\n\ndef b(:\n    return 2\n" >m.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].line")" = 1 &&
	expect_exit 1 wm-scan --only syntax --all --format json >out2 &&
	test "$(json_eval out2 "d.findings[0].line")" = 8
'

test_expect_success 'only changed files are targets of --staged' '
	repo=$(new_repo only-changed) && cd "$repo" &&
	printf "%s" "$bad" >old.py && git add old.py && git commit -qm "broken before" --no-verify &&
	printf "%s" "$good" >new.py && git add new.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	expect_exit 1 wm-scan --only syntax --all >/dev/null
'

test_expect_success 'the first commit (no HEAD) is scanned' '
	repo=$(new_repo initial) && cd "$repo" &&
	printf "%s" "$bad" >a.py && git add a.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = a.py
'

test_expect_success 'a deletion is not scanned, and does not fail' '
	repo=$(new_repo deletion) && cd "$repo" &&
	printf "%s" "$good" >a.py && git add a.py && git commit -qm init &&
	git rm -q a.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'a renamed file with an error is reported at its new path' '
	repo=$(new_repo rename) && cd "$repo" &&
	printf "%s" "$good" >a.py && git add a.py && git commit -qm init &&
	git mv a.py b.py && printf "%s" "$bad" >b.py && git add b.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = b.py
'

test_expect_success 'a real pre-commit hook blocks the commit, and git commit -a uses a temporary index' '
	repo=$(new_repo hook) && cd "$repo" &&
	printf "%s" "$good" >a.py && git add a.py && git commit -qm init &&
	printf "#!/bin/sh\nexec wm-scan --only syntax --staged\n" >.git/hooks/pre-commit &&
	chmod +x .git/hooks/pre-commit &&
	printf "%s" "$bad" >a.py &&
	! git commit -qam "break it" 2>err &&
	git log --oneline | grep -c . | grep -qx 1 &&
	printf "%s" "$good" >a.py && git add a.py &&
	printf "%s" "$bad" >a.py &&
	! git commit -q -m "commit a path" a.py &&
	git checkout -q a.py &&
	printf "%s" "$good" >b.py && git add b.py &&
	git commit -qm "clean commit" &&
	git log --oneline | grep -c . | grep -qx 2
'

test_expect_success 'a detached HEAD works' '
	repo=$(new_repo detached) && cd "$repo" &&
	printf "%s" "$good" >a.py && git add a.py && git commit -qm one &&
	printf "%s" "$good" >b.py && git add b.py && git commit -qm two &&
	git checkout -q --detach HEAD~1 &&
	printf "%s" "$bad" >c.py && git add c.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = c.py
'

test_expect_success 'a linked worktree scans its own index' '
	repo=$(new_repo mainwt) && cd "$repo" &&
	printf "%s" "$good" >a.py && git add a.py && git commit -qm one &&
	git worktree add -q ../linked &&
	cd ../linked && printf "%s" "$bad" >w.py && git add w.py &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = w.py &&
	cd "$repo" && wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'a submodule is skipped, not crashed on' '
	sub=$(new_repo subsrc) && (cd "$sub" && printf "%s" "$bad" >s.py && git add s.py && git commit -qm s) &&
	repo=$(new_repo super) && cd "$repo" &&
	git -c protocol.file.allow=always submodule add -q "$sub" sub &&
	printf "%s" "$good" >a.py && git add a.py &&
	wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	git commit -qm "with submodule" &&
	wm-scan --only syntax --all --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0
'

test_expect_success 'core.autocrlf: CRLF files scan and report the right line' '
	repo=$(new_repo crlf) && cd "$repo" &&
	git config core.autocrlf true &&
	printf "x = 1\r\ny = (\r\n" >a.py && git add a.py 2>/dev/null &&
	expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = a.py &&
	expect_exit 1 wm-scan --only syntax --all --format json >out2 &&
	test "$(json_eval out2 "d.findings[0].path")" = a.py
'

test_expect_success 'GIT_DIR and GIT_WORK_TREE are honoured' '
	repo=$(new_repo envrepo) && cd "$repo" &&
	printf "%s" "$bad" >a.py && git add a.py &&
	cd "$TEST_ROOT" &&
	GIT_DIR="$repo/.git" GIT_WORK_TREE="$repo" expect_exit 1 wm-scan --only syntax --staged --format json >out &&
	test "$(json_eval out "d.findings[0].path")" = a.py
'

test_done
