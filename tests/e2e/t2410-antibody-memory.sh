#!/usr/bin/env bash
# Immune memory for antibodies: hits, fixes applied and reverted, demotion
# of rules whose fixes users take back, learned-rule promotion, and
# `wm-antibody stats`.
. "$(dirname "$0")/lib.sh"

# python-is-literal is a built-in error with a fix: `x is 'a'` -> `x == 'a'`.
make_bad() {
	printf "def f(x):\n    if x is 'a':\n        return 1\n    return 0\n" >a.py
}

fix_and_undo() {
	wm-scan --all --fix >/dev/null 2>&1 || true
	grep -q "x == 'a'" a.py &&
	wm-scan --undo >/dev/null &&
	grep -q "x is 'a'" a.py
}

test_expect_success 'three fixes undone: 3 applied, 3 reverted, the rule is demoted to a warning' '
	repo=$(new_repo demote) && cd "$repo" && make_bad &&
	git add a.py && git commit -qm init &&
	fix_and_undo && fix_and_undo &&
	wm-antibody stats --json >s2 &&
	test "$(json_eval s2 "d.rules.find(r => r.id === \"python-is-literal\").status")" = normal &&
	fix_and_undo &&
	wm-antibody stats --json >s &&
	json_eval s "JSON.stringify(d.rules)" &&
	test "$(json_eval s "(r => [r.hits, r.fixes_applied, r.fixes_reverted, r.effectiveness, r.status, r.severity].join(\" \"))(d.rules.find(r => r.id === \"python-is-literal\"))")" = "3 3 3 0 demoted warning" &&
	wm-antibody stats >t && cat t &&
	grep -q "^python-is-literal .* warning .* 3 .* 3 .* 3 .* 0% .*demoted" t &&
	expect_exit 0 wm-antibody --all --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.severity + \" \" + f.message).join()")" = \
		"warning \`is\` compares identity, not value: \`x is '"'"'a'"'"'\` depends on interning (demoted: 3 of 3 fixes reverted)"
'

test_expect_success 'a configured threshold changes the outcome' '
	cd "$TEST_ROOT/demote" &&
	printf "antibodies:\n  demote_below: 0\n" >.wm.yml &&
	expect_exit 1 wm-antibody --all --format json >out &&
	test "$(json_eval out "d.findings[0].severity")" = error &&
	wm-antibody stats --json >s &&
	test "$(json_eval s "d.rules.find(r => r.id === \"python-is-literal\").status")" = normal &&
	printf "antibodies:\n  min_evidence: 10\n" >.wm.yml &&
	expect_exit 1 wm-antibody --all &&
	rm .wm.yml
'

test_expect_success 'kept fixes are not reverts; hits are counted per run; history scans record nothing' '
	repo=$(new_repo kept) && cd "$repo" && make_bad &&
	git add a.py && git commit -qm init &&
	expect_exit 1 wm-scan --all >/dev/null &&
	expect_exit 1 wm-scan --rev HEAD >/dev/null &&
	wm-scan --all --fix >/dev/null 2>&1 &&
	grep -q "x == '"'"'a'"'"'" a.py &&
	wm-scan --all >/dev/null &&
	wm-antibody stats --json >s &&
	test "$(json_eval s "(r => [r.hits, r.fixes_applied, r.fixes_reverted].join(\" \"))(d.rules[0])")" = "2 1 0"
'

test_expect_success 'a fix whose threat comes back in the file counts as reverted' '
	cd "$TEST_ROOT/kept" &&
	make_bad && printf "# edited\n" >>a.py &&
	expect_exit 1 wm-scan --all >/dev/null &&
	wm-antibody stats --json >s &&
	test "$(json_eval s "(r => [r.hits, r.fixes_applied, r.fixes_reverted].join(\" \"))(d.rules[0])")" = "3 1 1"
'

test_expect_success 'a learned rule starts as a hint and is promoted by kept fixes' '
	repo=$(new_repo learned) && cd "$repo" && mkdir -p .wm/antibodies &&
	printf "id: learned-py-len\nlanguage: python\nseverity: info\nmessage: use not \$X\npattern: len(\$X) == 0\nfix: not \$X\nprovenance:\n  source: learned\n" >.wm/antibodies/l.yml &&
	git add .wm && git commit -qm rules &&
	wm-antibody stats --json >s &&
	test "$(json_eval s "(r => r.status + \" \" + r.severity)(d.rules[0])")" = "learned-hint info" &&
	for i in 1 2 3; do
		printf "def f%s(x):\n    return len(x) == 0\n" $i >f$i.py &&
		wm-scan --all --fix >/dev/null 2>&1 || exit 1
	done &&
	wm-antibody stats --json >s &&
	test "$(json_eval s "(r => [r.fixes_applied, r.status, r.severity].join(\" \"))(d.rules[0])")" = "3 promoted warning" &&
	printf "def g(x):\n    return len(x) == 0\n" >g.py &&
	wm-antibody --all --fail-on never --format json >out &&
	test "$(json_eval out "d.findings[0].severity + \" \" + d.findings[0].message")" = "warning use not x (promoted: 3 of 3 fixes kept)"
'

test_expect_success 'an immune memory of schema version 1 is migrated and keeps its health rows' '
	repo=$(new_repo migrate) && cd "$repo" && make_bad && git add a.py && git commit -qm init &&
	mkdir -p .git/wm &&
	sqlite3 .git/wm/memory.sqlite "CREATE TABLE health_commit (commit_id TEXT PRIMARY KEY, parent TEXT, time INTEGER NOT NULL, subject TEXT NOT NULL, context TEXT NOT NULL, elapsed_ms INTEGER NOT NULL); CREATE TABLE health_metric (commit_id TEXT NOT NULL, name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (commit_id, name)) WITHOUT ROWID; CREATE TABLE health_blob (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID; INSERT INTO health_commit VALUES (\"c\", NULL, 1, \"s\", \"x\", 1); PRAGMA user_version = 1;" &&
	expect_exit 1 wm-scan --all >/dev/null &&
	test "$(sqlite3 .git/wm/memory.sqlite "PRAGMA user_version")" = 2 &&
	test "$(sqlite3 .git/wm/memory.sqlite "SELECT count(*) FROM health_commit")" = 1 &&
	test "$(sqlite3 .git/wm/memory.sqlite "SELECT hits FROM antibody_stats")" = 1
' 

test_done
