#!/usr/bin/env bash
# wm-learn: repeated fixes of one shape are learned exactly, a shape fixed
# once is not, the learned rule fixes a new instance through wm-scan --fix,
# review accepts and rejects, and mining resumes after an interruption.
. "$(dirname "$0")/lib.sh"

# has_key_files: a.py and b.py, one has_key call each; fix_a, fix_b: the
# human fix of each (committing is left to the caller).
has_key_files() {
	printf "def get(d, key):\n    return d.has_key(key)\n" >a.py &&
	printf "def check(opts, name):\n    return opts.has_key(name)\n" >b.py
}
fix_a() { sed -i "s/d.has_key(key)/key in d/" a.py; }
fix_b() { sed -i "s/opts.has_key(name)/name in opts/" b.py; }

# history REPO: a Python/JS/C history with the has_key fix in two commits,
# the JS `== null` fix in two commits, the C strcmp fix in two, and an
# encoding fix once.
history() {
	repo=$(new_repo "$1") && cd "$repo" &&
	printf 'def get(d, key):\n    return d.has_key(key)\n' >a.py &&
	printf 'def check(opts, name):\n    if opts.has_key(name):\n        return 1\n    return 0\n' >b.py &&
	printf 'def save(path, text):\n    f = open(path, "w")\n    f.write(text)\n' >c.py &&
	printf 'function f(a) {\n  if (a == null) { return 1; }\n  return 0;\n}\n' >a.js &&
	printf 'function g(b) {\n  return b == null ? 0 : b;\n}\n' >b.js &&
	printf 'int eq(const char *a, const char *b)\n{\n\treturn !strcmp(a, b);\n}\n' >a.c &&
	printf 'int same(const char *x)\n{\n\tif (!strcmp(x, "y"))\n\t\treturn 1;\n\treturn 0;\n}\n' >b.c &&
	git add . && git commit -qm init &&
	sed -i "s/return d.has_key(key)/return key in d/" a.py && git commit -qam "fix: has_key is gone in Python 3" &&
	fix_b && git commit -qam "Fix crash in check" &&
	sed -i "s/a == null/a === null || a === undefined/" a.js && git commit -qam "fix null check in f" &&
	sed -i "s/b == null/b === null || b === undefined/" b.js && git commit -qam "fix null check in g" &&
	sed -i "s/!strcmp(a, b)/strcmp(a, b) == 0/" a.c && git commit -qam "fix: compare strcmp with 0" &&
	sed -i "s/!strcmp(x, \"y\")/strcmp(x, \"y\") == 0/" b.c && git commit -qam "fix: strcmp result" &&
	sed -i "s/open(path, \"w\")/open(path, \"w\", encoding=\"utf-8\")/" c.py && git commit -qam "fix encoding" &&
	printf 'def feature():\n    return 1\n' >d.py && git add d.py && git commit -qm "add feature"
}

test_expect_success 'repeated fixes are learned exactly; a fix seen once is not' '
	history learn &&
	wm-learn >out 2>err &&
	cat out err &&
	grep -q "^3 rules learned" out &&
	ls .wm/antibodies/learned/*.yml >files && test $(wc -l <files) = 3 &&
	cat .wm/antibodies/learned/*.yml >all &&
	grep -q "^pattern: \"\$A.has_key(\$B)\"" all &&
	grep -q "^fix: \"\$B in \$A\"" all &&
	grep -q "^pattern: \"\$A == null\"" all &&
	grep -q "^fix: \"\$A === null || \$A === undefined\"" all &&
	grep -q "^pattern: \"!strcmp(\$A, \$B)\"" all &&
	grep -q "^fix: \"strcmp(\$A, \$B) == 0\"" all &&
	! grep -q encoding all &&
	grep -q "source: learned" all &&
	wm-antibody test --require-tests .wm/antibodies/learned/*.yml
'

test_expect_success 'the learned rule fixes a new instance with wm-scan --fix' '
	cd learn &&
	printf "def has(cfg):\n    return cfg.has_key(\"debug\")\n" >e.py &&
	git add e.py .wm && git commit -qm "more code" &&
	wm-scan --all --only antibody --format json >report.json || true &&
	json_eval report.json "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line + \":\" + f.severity).join(\" \")" >got &&
	cat got &&
	grep -q "learned-python-[0-9a-f]*@e.py:2:info" got &&
	wm-scan --all --only antibody --fix >out 2>&1 || true &&
	cat out &&
	printf "def has(cfg):\n    return \"debug\" in cfg\n" >want.py &&
	cmp e.py want.py
'

test_expect_success '--dry-run writes nothing; review lists, accepts and rejects for good' '
	history review &&
	wm-learn --dry-run >out &&
	grep -q "^--- .wm/antibodies/learned/learned-python-" out &&
	test ! -e .wm &&
	wm-learn >/dev/null 2>&1 &&
	wm-learn review >list &&
	cat list &&
	test $(grep -c "^learned-" list) = 3 &&
	py=$(grep -o "^learned-python-[0-9a-f]*" list) &&
	js=$(grep -o "^learned-javascript-[0-9a-f]*" list) &&
	wm-learn review accept "$py" &&
	test -f .wm/antibodies/$py.yml && test ! -e .wm/antibodies/learned/$py.yml &&
	wm-learn review reject "$js" &&
	test ! -e .wm/antibodies/learned/$js.yml &&
	wm-learn >out2 2>&1 &&
	cat out2 &&
	test ! -e .wm/antibodies/learned/$js.yml &&
	expect_exit 2 wm-learn review reject learned-nope
'

test_expect_success 'mining is interrupted and resumed without losing or repeating work' '
	history resume &&
	expect_exit 1 wm-learn --max-commits 3 2>err &&
	cat err && grep -q "mined 3/9 commits.*interrupted" err &&
	wm-learn 2>err2 >out &&
	cat err2 out &&
	grep -q "mined 9/9 commits (7 fixes" err2 &&
	grep -q "^3 rules learned from 7 edits" out &&
	test $(wc -l <.git/wm/learn/commits.jsonl) = 9 &&
	head -c 20 .git/wm/learn/edits.jsonl >torn && cat torn >>.git/wm/learn/edits.jsonl &&
	wm-learn >out3 2>&1 && grep -q "^3 rules learned from 7 edits" out3
'

# returns FILE N: C functions leaving with `return result;`: the first is
# the one fixed, N more are left unchanged.
returns() {
	for i in $(seq 0 "$2"); do
		printf 'int %s%d(int x)\n{\n\tint result = x;\n\tif (x)\n\t\treturn result;\n\treturn 0;\n}\n\n' \
			"${1%.c}" "$i"
	done >"$1"
}

test_expect_success 'negative evidence: a fix matching much unchanged code is dropped, a specific one kept' '
	repo=$(new_repo negative) && cd "$repo" &&
	returns a.c 6 && returns b.c 6 &&
	has_key_files &&
	git add . && git commit -qm init &&
	sed -i "0,/return result;/s//goto out;/" a.c && git commit -qam "fix: leave through out in a" &&
	sed -i "0,/return result;/s//goto out;/" b.c && git commit -qam "fix: leave through out in b" &&
	fix_a && git commit -qam "fix: has_key in a" &&
	fix_b && git commit -qam "fix: has_key in b" &&
	wm-learn --dry-run --max-unchanged 0 --min-precision 0 >all 2>&1 &&
	cat all &&
	grep -q "goto out;" all && grep -q "has_key" all &&
	wm-learn --dry-run >kept 2>&1 &&
	cat kept &&
	grep -q "^1 rules learned .* 1 dropped for matching unchanged code" kept &&
	! grep -q "goto out;" kept && grep -q "has_key" kept
'

test_expect_success 'a precise pattern below an over-general merge is kept (every dendrogram node is a candidate)' '
	repo=$(new_repo dendrogram) && cd "$repo" &&
	for fv in a:x b:w c:v d:u; do
		printf "int %s(int %s)\n{\n\treturn check(%s, OLD_FLAG);\n}\n" ${fv%:*} ${fv#*:} ${fv#*:} >${fv%:*}.c || return 1
	done &&
	printf "int e(int y)\n{\n\treturn check(y, 0);\n}\n" >e.c &&
	printf "int g(int t)\n{\n\treturn check(t, 0);\n}\n" >g.c &&
	# code the humans left alone that an over-general rule would match
	for i in 1 2 3 4 5 6; do printf "int h$i(int z)\n{\n\treturn check(z, NEW_FLAG);\n}\n"; done >>a.c &&
	for i in 1 2 3 4 5 6; do printf "int k$i(int z)\n{\n\treturn check(z, NEW_FLAG);\n}\n"; done >>e.c &&
	git add . && git commit -qm init &&
	sed -i "0,/OLD_FLAG/s//NEW_FLAG/" a.c && git commit -qam "fix: the old flag is gone" &&
	sed -i "0,/OLD_FLAG/s//NEW_FLAG/" b.c && git commit -qam "fix flag in b" &&
	sed -i "0,/check(y, 0)/s//check(y, NEW_FLAG)/" e.c && git commit -qam "fix: no flag in e" &&
	sed -i "0,/check(t, 0)/s//check(t, NEW_FLAG)/" g.c && git commit -qam "fix: no flag in g" &&
	wm-learn --dry-run >out 2>&1 &&
	cat out &&
	grep -q "check(\$A, OLD_FLAG)" out &&
	grep -q "check(\$A, 0)" out &&
	! grep -q "check(\$A, \$B)" out &&
	grep -q "estimated precision 1.00" out &&
	wm-learn >/dev/null 2>&1 &&
	{ wm-scan --all --fix >/dev/null 2>&1 || :; } &&
	grep -q "check(v, NEW_FLAG)" c.c && grep -q "check(u, NEW_FLAG)" d.c
'

test_expect_success 'a fix of a finding is learned from a fragment: except: is widened to its try, holes never split a call' '
	repo=$(new_repo fragment) && cd "$repo" &&
	printf "def a():\n    try:\n        f()\n    except:\n        g()\n" >a.py &&
	printf "def b():\n    try:\n        h(1)\n    except:\n        return 0\n" >b.py &&
	printf "def c():\n    if x:\n        try:\n            k(2, 3)\n        except:\n            pass\n" >c.py &&
	git add . && git commit -qm init &&
	sed -i "s/except:/except Exception:/" a.py && git commit -qam "catch Exception in a" &&
	sed -i "s/except:/except Exception:/" b.py && git commit -qam "catch Exception in b" &&
	wm-learn >out 2>&1 &&
	cat out &&
	grep -q "^1 rules learned" out && grep -q "signal finding:python-bare-except" out &&
	cat .wm/antibodies/learned/*.yml >rule &&
	grep -q "^pattern: \"try:\\\\n    \$A\\\\nexcept:\\\\n    \$B\"" rule &&
	grep -q "^fix: \"try:\\\\n    \$A\\\\nexcept Exception:\\\\n    \$B\"" rule &&
	{ wm-scan --all --fix >/dev/null 2>&1 || :; } &&
	printf "def c():\n    if x:\n        try:\n            k(2, 3)\n        except Exception:\n            pass\n" >expect &&
	cmp expect c.py
'

test_expect_success 'a merge on the first-parent line is one squashed change (--merges squash)' '
	repo=$(new_repo squash) && cd "$repo" &&
	has_key_files &&
	git add . && git commit -qm init && git branch -M main &&
	git checkout -qb pr1 && fix_a && git commit -qam "python 3 in a" &&
	git checkout -q main && git merge -q --no-ff -m "Merge pull request #1: fix has_key in a" pr1 &&
	git checkout -qb pr2 && fix_b && git commit -qam "python 3 in b" &&
	git checkout -q main && git merge -q --no-ff -m "Merge pull request #2: fix has_key in b" pr2 &&
	wm-learn --dry-run --merges skip >skip 2>&1 &&
	cat skip &&
	grep -q "2 merges and 0 mass changes skipped" skip && grep -q "^0 rules learned from 0 edits" skip &&
	wm-learn --dry-run --reset >squash 2>&1 &&
	cat squash &&
	grep -q "(2 fixes, 2 new edits, 0 merges" squash &&
	grep -q "^1 rules learned from 2 edits" squash && grep -q "has_key" squash
'

test_expect_success 'a merge over the limits is walked into: its commits are mined one by one (--merges descend, the default)' '
	repo=$(new_repo descend) && cd "$repo" &&
	has_key_files &&
	git add . && git commit -qm init && git branch -M main &&
	git checkout -qb pr && fix_a && git commit -qam "fix has_key in a" &&
	for i in 1 2 3 4 5; do printf "x = $i\n" >gen$i.py || return 1; done &&
	git add . && git commit -qm "add generated modules" &&
	fix_b && git commit -qam "python 3 in b" &&
	git checkout -q main && git merge -q --no-ff -m "Merge pull request #3: fix has_key" pr &&
	wm-learn --dry-run --merges squash --max-files 3 >squash 2>&1 &&
	cat squash &&
	grep -q "0 merges and 1 mass changes skipped)" squash && grep -q "^0 rules learned from 0 edits" squash &&
	wm-learn --dry-run --reset --max-files 3 >descend 2>&1 &&
	cat descend &&
	# the PR title names the fix for "python 3 in b"; the generated-modules commit is a mass change itself
	grep -q "(2 fixes, 2 new edits, 0 merges and 1 mass changes skipped, 1 big merges walked into: 3 commits)" descend &&
	grep -q "^1 rules learned from 2 edits" descend && grep -q "has_key" descend &&
	for c in $(git rev-list main^1..main^2); do grep -q "\"c\":\"$c\"" .git/wm/learn/commits.jsonl || return 1; done &&
	# nothing new the second time: the branch commits count as mined
	wm-learn --dry-run --max-files 3 >again 2>&1 &&
	grep -q "(2 fixes, 0 new edits, 0 merges and 0 mass changes skipped)" again &&
	# eval replays the branch commits as held-out fixes of their own
	wm-learn eval --split 2000-01-01 --window 36500 --max-files 3 >eval 2>&1 &&
	cat eval &&
	grep -Eq "^2000-01-01 +0 +0 +2 +2 " eval
'

test_expect_success 'the same change re-applied to the same file (revert, then again) is one witness, not two' '
	repo=$(new_repo replayed) && cd "$repo" &&
	has_key_files &&
	git add . && git commit -qm init &&
	fix_a && git commit -qam "fix has_key in a" &&
	git revert --no-edit HEAD >/dev/null && git revert --no-edit HEAD >/dev/null &&
	wm-learn --dry-run >out 2>&1 &&
	cat out &&
	grep -q "^0 rules learned from 2 edits" out &&
	fix_b && git commit -qam "fix has_key in b" &&
	wm-learn --dry-run >out 2>&1 &&
	cat out &&
	grep -q "^1 rules learned from 3 edits" out
'

test_expect_success 'a tool name in a tenth of the messages names the project, not a warning it fixed' '
	repo=$(new_repo toolname) && cd "$repo" &&
	has_key_files &&
	git add . && git commit -qm "pylint: start" &&
	fix_a && git commit -qam "pylint: python 3 in a" &&
	fix_b && git commit -qam "pylint: python 3 in b" &&
	wm-learn --dry-run >out 2>&1 && cat out &&
	grep -q "(0 fixes, 0 new edits" out &&
	# the same fixes among twenty other commits: pylint is a warning to fix again
	repo=$(new_repo toolname2) && cd "$repo" &&
	has_key_files &&
	git add . && git commit -qm "start" &&
	for i in $(seq 1 20); do echo "n = $i" >n.py && git add n.py && git commit -qm "step $i" || return 1; done &&
	fix_a && git commit -qam "silence pylint in a" &&
	fix_b && git commit -qam "silence pylint in b" &&
	wm-learn --dry-run >out 2>&1 && cat out &&
	grep -q "(2 fixes, 2 new edits" out && grep -q "^1 rules learned from 2 edits" out
'

test_expect_success 'eval reports recall, top-k and precision on held-out fixes' '
	history eval &&
	wm-learn eval --split 2020-01-01 --split 2030-01-01 >out 2>err &&
	cat out &&
	grep -q "^2020-01-01 " out && grep -q "^mean +- sd: recall" out
'

# at DATE MESSAGE: commit everything with that author and committer date
at() {
	GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" git commit -qam "$2"
}

test_expect_success 'eval on dated history: a held-out fix is predicted, top-1 exact, and a match left alone lowers precision' '
	repo=$(new_repo evaldated) && cd "$repo" &&
	has_key_files &&
	printf "def both(m, k, n, j):\n    x = m.has_key(k)\n    y = n.has_key(j)\n    return x, y\n" >c.py &&
	git add . && at 2019-01-01 init &&
	fix_a && at 2019-02-01 "fix: has_key in a" &&
	fix_b && at 2019-03-01 "fix: has_key in b" &&
	sed -i "s/m.has_key(k)/k in m/" c.py && at 2020-06-01 "fix: has_key in c (half of it)" &&
	wm-learn eval --split 2020-01-01 --split 2022-01-01 >out 2>err &&
	cat out &&
	# split 2020: 2 training edits, 1 rule; the June 2020 fix: 1 edit, predicted, exact at top 1;
	# 2 suggestions in c.py, 1 of them the human edit
	grep -Eq "^2020-01-01 +2 +1 +1 +1 +1.000 \( +1\) +1.000 \( +1\) +1.000 \( +1\) +0.500 \( +1/ +2\)" out &&
	grep -q "0.500 (1/2) top-1 1/1 support 2 unchanged 0 learned-python-" out &&
	# split 2022: nothing held out
	grep -Eq "^2022-01-01 +3 +" out &&
	grep -q "rules with precision >= 0.7 on two consecutive splits: 0" out
'

test_expect_success 'eval: a rule right at every fix site on two consecutive splits passes the top-1 bar, even when it also matches code left alone' '
	repo=$(new_repo evalstable) && cd "$repo" &&
	has_key_files &&
	for f in c d e g; do
		printf "def both(m, k, n, j):\n    x = m.has_key(k)\n    y = n.has_key(j)\n    return x, y\n" >$f.py || return 1
	done &&
	git add . && at 2019-01-01 init &&
	fix_a && at 2019-02-01 "fix: has_key in a" &&
	fix_b && at 2019-03-01 "fix: has_key in b" &&
	sed -i "s/m.has_key(k)/k in m/" c.py && at 2020-03-01 "fix: has_key in c" &&
	sed -i "s/n.has_key(j)/j in n/" d.py && at 2020-06-01 "fix: has_key in d" &&
	sed -i "s/m.has_key(k)/k in m/" e.py && at 2021-03-01 "fix: has_key in e" &&
	sed -i "s/n.has_key(j)/j in n/" g.py && at 2021-06-01 "fix: has_key in g" &&
	wm-learn eval --split 2020-01-01 --split 2021-01-01 --window 365 >out 2>err &&
	cat out &&
	# each split: 2 held-out fixes, both top-1 exact; 4 suggestions, 2 of them on lines left alone
	grep -Eq "^2020-01-01 +2 +1 +2 +2 +1.000 \( +2\) +1.000 \( +2\) +1.000 \( +2\) +0.500 \( +2/ +4\)" out &&
	grep -Eq "^2021-01-01 +4 +1 +2 +2 +1.000 \( +2\) +1.000 \( +2\) +1.000 \( +2\) +0.500 \( +2/ +4\)" out &&
	grep -q "rules with precision >= 0.7 on two consecutive splits: 0" out &&
	grep -q "rules with top-1 precision >= 0.7 where a human edit was, on two consecutive splits: 1" out &&
	test $(grep -c "0.500 (2/4) top-1 2/2 support" out) = 2 &&
	grep -A1 "where a human edit was, on two" out | grep -q "^  learned-python-"
'

test_done
