#!/usr/bin/env bash
# wm-imports' reverse import index cached by blob oid (.git/wm/cache/imports.sqlite):
# the second run reads it, results never depend on it (absent, corrupt, of
# another version, locked by parallel runs), and it follows content changes.
. "$(dirname "$0")/lib.sh"

CACHE=.git/wm/cache/imports.sqlite

# Python, JS and C modules, each with an unchanged importer.
make_repo() {
	mkdir -p app src lib &&
	printf '[project]\nname = "app"\n' >pyproject.toml &&
	: >app/__init__.py &&
	printf 'def slugify(s):\n    return s\n' >app/utils.py &&
	printf 'from app.utils import slugify\nfrom . import utils\n' >app/main.py &&
	printf 'import os\n' >app/other.py &&
	printf 'export function Button() {}\n' >src/Button.js &&
	printf "import { Button } from './Button';\n" >src/App.js &&
	printf 'int util(void);\n' >lib/util.h &&
	printf '#include "util.h"\nint main(void) { return util(); }\n' >lib/main.c &&
	git add . && git commit -qm init
}

# Rename one module of each language, staged.
rename_all() {
	git mv app/utils.py app/helpers.py &&
	git mv src/Button.js src/Knob.js &&
	git mv lib/util.h lib/tool.h
}

findings() {
	json_eval "$1" "JSON.stringify(d.findings)"
}

test_expect_success 'the first run fills the cache; the second reads it and reports the same' '
	repo=$(new_repo warm) && cd "$repo" && make_repo && rename_all &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.path).join(\" \")")" = "app/main.py app/main.py lib/main.c src/App.js" &&
	test -f $CACHE &&
	test "$(sqlite3 $CACHE "SELECT count(*) FROM entry")" -ge 5 &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)" &&
	# the rows are what the second run reads: emptied, they hide every dependent
	sqlite3 $CACHE "UPDATE entry SET data = zeroblob(0)" &&
	wm-imports --staged --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 0 &&
	# and clearing the cache (README) brings them back
	rm -r .git/wm/cache &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'results are the same without the cache and with the old byte search' '
	repo=$(new_repo modes) && cd "$repo" && make_repo && rename_all &&
	WM_IMPORTS_CACHE=off expect_exit 1 wm-imports --staged --format json >out &&
	test ! -e $CACHE &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)" &&
	WM_IMPORTS_CACHE=scan expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)" &&
	git commit -qm rename && git checkout -qb topic HEAD~1 &&
	printf "from app.utils import slugify\n" >app/late.py && git add . && git commit -qm late &&
	git checkout -q main &&
	expect_exit 1 wm-imports --diff topic --format json >out &&
	WM_IMPORTS_CACHE=off expect_exit 1 wm-imports --diff topic --format json >out2 &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'a corrupt cache file gives the same findings and exit code, and is rebuilt' '
	repo=$(new_repo corrupt) && cd "$repo" && make_repo && rename_all &&
	expect_exit 1 wm-imports --staged --format json >out &&
	for garbage in junk truncated empty; do
		rm -f $CACHE-wal $CACHE-shm &&
		case $garbage in
		junk) yes "not a database" | head -c 20000 >$CACHE ;;
		truncated) expect_exit 1 wm-imports --staged >/dev/null && head -c 5000 $CACHE >cut && mv cut $CACHE ;;
		empty) : >$CACHE ;;
		esac &&
		expect_exit 1 wm-imports --staged --format json >out2 &&
		test "$(findings out2)" = "$(findings out)" &&
		expect_exit 1 wm-imports --staged --format json >out2 &&
		test "$(findings out2)" = "$(findings out)" &&
		test "$(sqlite3 $CACHE "PRAGMA integrity_check")" = ok || return 1
	done &&
	# a directory where the file belongs: no cache at all, same findings
	rm -f $CACHE* && mkdir $CACHE &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'a cache of another schema version or another wm is not used' '
	repo=$(new_repo version) && cd "$repo" && make_repo && rename_all &&
	expect_exit 1 wm-imports --staged --format json >out &&
	sqlite3 $CACHE "UPDATE entry SET data = zeroblob(0); PRAGMA user_version = 7;" &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)" &&
	test "$(sqlite3 $CACHE "PRAGMA user_version")" = 1 &&
	# rows written by another format or wm version are keyed apart
	sqlite3 $CACHE "UPDATE entry SET data = zeroblob(0); UPDATE context SET text = upper(text);" &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)" &&
	test "$(sqlite3 $CACHE "SELECT count(*) FROM context")" = 2
'

test_expect_success 'changed content is a new blob: the cache follows it' '
	repo=$(new_repo change) && cd "$repo" && make_repo &&
	git mv app/utils.py app/helpers.py &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.length")" = 2 &&
	git reset -q --hard &&
	# main.py stops importing utils, other.py starts
	printf "import os\n" >app/main.py &&
	printf "from app.utils import slugify\n" >app/other.py &&
	git commit -qam swap &&
	git mv app/utils.py app/helpers.py &&
	expect_exit 1 wm-imports --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.path).join(\" \")")" = app/other.py &&
	WM_IMPORTS_CACHE=off expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'parallel runs share the cache without damaging it' '
	repo=$(new_repo parallel) && cd "$repo" && make_repo && rename_all &&
	for i in 1 2 3 4 5 6; do
		printf "from app.utils import slugify\n" >app/more$i.py
	done &&
	git add . &&
	WM_IMPORTS_CACHE=off expect_exit 1 wm-imports --staged --format json >out &&
	for i in 1 2 3 4; do
		(wm-imports --staged --format json >par$i; echo $? >rc$i) &
	done &&
	wait &&
	for i in 1 2 3 4; do
		test "$(cat rc$i)" = 1 && test "$(findings par$i)" = "$(findings out)" || return 1
	done &&
	test "$(sqlite3 $CACHE "PRAGMA integrity_check")" = ok &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'a read-only cache is only not written' '
	repo=$(new_repo readonly) && cd "$repo" && make_repo && rename_all &&
	expect_exit 1 wm-imports --staged --format json >out &&
	printf "from app.utils import slugify\n" >app/late.py && git add app/late.py &&
	WM_IMPORTS_CACHE=off expect_exit 1 wm-imports --staged --format json >out &&
	chmod -R a-w .git/wm/cache &&
	expect_exit 1 wm-imports --staged --format json >out2 &&
	chmod -R u+w .git/wm/cache &&
	test "$(findings out2)" = "$(findings out)"
'

test_expect_success 'linked worktrees share one cache in the common git dir' '
	repo=$(new_repo shared) && cd "$repo" && make_repo &&
	git worktree add -q ../shared-wt &&
	cd ../shared-wt && git mv app/utils.py app/helpers.py &&
	expect_exit 1 wm-imports --staged --format json >"$TEST_ROOT/wt.json" &&
	test "$(json_eval "$TEST_ROOT/wt.json" "d.findings.length")" = 2 &&
	test -f "$repo/$CACHE" && test ! -e "$repo/.git/worktrees/shared-wt/wm/cache"
'

test_done
