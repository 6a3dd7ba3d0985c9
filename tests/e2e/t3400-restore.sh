#!/usr/bin/env bash
# Restore (apoptosis): a damaged file goes back to its last clean version.
. "$(dirname "$0")/lib.sh"

test_expect_success 'a damaged file is replaced by its newest clean version, the damage kept' '
	repo=$(new_repo r) && cd "$repo" &&
	printf "x = 1\n" >m.py && git add m.py && git commit -qm v1 &&
	printf "x = 2\n" >m.py && git commit -qam v2 &&
	printf "x = (\n" >m.py && git commit -qam "broken v3" --no-verify &&
	printf "x = ((\n" >m.py &&
	wm-scan --restore m.py 2>err &&
	grep -q "restored m.py" err && grep -q "2 versions checked" err &&
	test "$(cat m.py)" = "x = 2" &&
	name=$(sed -n "s/.*refs\/wm\/quarantine\/\([^ ]*\) .*/\1/p" err) &&
	test "$(git show "refs/wm/quarantine/$name:m.py")" = "x = ((" &&
	wm-scan --undo >out &&
	test "$(cat m.py)" = "x = ((" 
'

test_expect_success 'no clean version is a clear error, and nothing is written' '
	repo=$(new_repo r2) && cd "$repo" &&
	printf "y = (\n" >b.py && git add b.py && git commit -qm "always broken" &&
	printf "y = [\n" >b.py &&
	expect_exit 2 wm-scan --restore b.py 2>err && grep -q "no version without findings" err &&
	test "$(cat b.py)" = "y = ["
'

test_expect_success 'a path outside the working tree is refused' '
	cd "$TEST_ROOT/r2" &&
	expect_exit 2 wm-scan --restore /etc/passwd 2>err && grep -q "not a file of this working tree" err
'

test_done
