#!/usr/bin/env bash
# Quarantine: critical, unfixable files leave the commit and stay recoverable.
. "$(dirname "$0")/lib.sh"

critical='detectors:
  syntax:
    severity:
      syntax-error: critical
'

test_expect_success 'a critical file is taken out of the commit, the rest goes on' '
	repo=$(new_repo q) && cd "$repo" &&
	printf "%s" "$critical" >.wm.yml &&
	printf "x = 1\n" >keep.py && printf "old = 1\n" >broken.py &&
	git add . && git commit -qm init &&
	printf "x = 2\n" >keep.py && printf "def f(:\n    pass\n" >broken.py &&
	printf "new = (\n" >new.py &&
	git add . &&
	wm-scan --staged --quarantine 2>err &&
	grep -q "took 2 files out of this commit" err &&
	test "$(git show :broken.py)" = "old = 1" &&
	! git ls-files --error-unmatch new.py 2>/dev/null &&
	test "$(git show :keep.py)" = "x = 2" &&
	grep -q "def f(:" broken.py && grep -q "new = (" new.py &&
	git commit -qm "the healthy part" &&
	test "$(git show HEAD:keep.py)" = "x = 2"
'

test_expect_success 'list, show, restore and drop' '
	cd "$TEST_ROOT/q" &&
	wm-quarantine list >out && grep -q "2 files: broken.py new.py" out &&
	name=$(cut -d" " -f1 out) &&
	wm-quarantine show "$name" >out && grep -q "broken.py:1: syntax-error" out &&
	test "$(git show "refs/wm/quarantine/$name:new.py")" = "new = (" &&
	printf "changed on disk\n" >new.py &&
	wm-quarantine restore "$name" &&
	test "$(git show :new.py)" = "new = (" &&
	grep -q "changed on disk" new.py &&
	wm-quarantine drop "$name" &&
	wm-quarantine list | grep -q "no quarantined files" &&
	expect_exit 2 wm-quarantine restore "$name" 2>err && grep -q "no quarantine" err
'

test_expect_success 'findings below critical, or with a fix, are not quarantined' '
	repo=$(new_repo q2) && cd "$repo" &&
	printf "x = (\n" >a.py && git add a.py &&
	expect_exit 1 wm-scan --staged --quarantine 2>err &&
	! grep -q "took" err &&
	git ls-files --error-unmatch a.py
'

test_expect_success '--quarantine needs --staged' '
	cd "$TEST_ROOT/q2" &&
	expect_exit 2 wm-scan --all --quarantine 2>err && grep -q "staged" err
'

test_expect_success 'a path that is not a quarantine name is refused' '
	cd "$TEST_ROOT/q2" &&
	cd "$TEST_ROOT/q" &&
	expect_exit 2 wm-quarantine drop ../../heads/main 2>err && grep -q "no quarantine" err &&
	git rev-parse -q --verify refs/heads/main >/dev/null
'

test_done
