#!/usr/bin/env bash
# Antibodies: built-in rules, repository rules, fixes and undo, broken rule
# files, configuration, and the wm-antibody subcommands.
. "$(dirname "$0")/lib.sh"

test_expect_success 'built-in antibodies report with exact ranges' '
	repo=$(new_repo builtin) && cd "$repo" &&
	printf "def f(x, acc=[]):\n    if x == None:\n        return acc\n    assert (x, \"x\")\n" >a.py &&
	printf "package p\n\nfunc f() {\n\tos.Remove(\"x\")\n}\n" >a.go &&
	git add . &&
	expect_exit 1 wm-antibody --staged --format json >out &&
	json_eval out "d.findings.map(f => f.rule + \"@\" + f.line + \":\" + f.column + \"-\" + f.end_column).join(\" \")" >rules &&
	cat rules &&
	grep -q "go-unchecked-error@4:2-16" rules &&
	grep -q "python-mutable-default@1:10-16" rules &&
	grep -q "python-none-comparison@2:8-17" rules &&
	grep -q "python-assert-tuple@4:5-20" rules &&
	test "$(json_eval out "d.findings.every(f => f.detector === \"antibody\")")" = true
'

test_expect_success '--fix applies a built-in fix, verifies it, and --undo reverts it' '
	repo=$(new_repo fix) && cd "$repo" &&
	printf "def f(x):\n    if x == None:\n        return 0\n    return x != None\n" >a.py &&
	cp a.py orig.py && git add a.py && git commit -qm init &&
	wm-scan --all --fix >out 2>&1 || true &&
	cat out &&
	printf "def f(x):\n    if x is None:\n        return 0\n    return x is not None\n" >want.py &&
	cmp a.py want.py &&
	wm-scan --all --only antibody --format json >out2 &&
	test "$(json_eval out2 "d.findings.length")" = 0 &&
	wm-scan --undo &&
	cmp a.py orig.py
'

test_expect_success 'a malformed rule file is reported with file:line:column and the other rules still run' '
	repo=$(new_repo broken) && cd "$repo" && mkdir -p .wm/antibodies &&
	printf "id: no-print\nlanguage: python\nmessage: no print\npattern: print(\$\$\$A)\n" >.wm/antibodies/good.yml &&
	printf "id: bad-key\nlanguage: python\nmessage: m\npattern: x\nsevrity: error\n" >.wm/antibodies/unknown-key.yml &&
	printf "id: bad-pattern\nlanguage: python\nmessage: m\npattern: \"def f(:\"\n" >.wm/antibodies/bad-pattern.yml &&
	printf "id: [unclosed\n" >.wm/antibodies/bad-yaml.yml &&
	printf "print(1)\nif x == None: pass\n" >a.py &&
	git add . &&
	expect_exit 1 wm-antibody --staged --format json >out &&
	json_eval out "d.findings.map(f => f.rule + \"@\" + f.path + \":\" + f.line + \":\" + f.column).join(\" \")" >got &&
	cat got &&
	grep -q "rule-error@.wm/antibodies/unknown-key.yml:5:1" got &&
	grep -q "rule-error@.wm/antibodies/bad-pattern.yml:4:17" got &&
	grep -q "rule-error@.wm/antibodies/bad-yaml.yml:2:1" got &&
	grep -q "no-print@a.py:1:1" got &&
	grep -q "python-none-comparison@a.py:2:4" got &&
	wm-antibody --staged >text || true &&
	grep -q "unknown key \"sevrity\"" text
'

test_expect_success 'repository rules override built-ins by id; .wm.yml disables and re-grades' '
	repo=$(new_repo config) && cd "$repo" && mkdir -p .wm/antibodies &&
	printf "id: python-none-comparison\nlanguage: python\nseverity: error\nmessage: house rule for \$X\npattern: \$X == None\n" >.wm/antibodies/house.yml &&
	printf "if a == None: pass\nif b != None: pass\nassert (a, 1)\n" >a.py &&
	git add . &&
	expect_exit 1 wm-antibody --staged --format json >out &&
	test "$(json_eval out "d.findings.find(f => f.line === 1).message")" = "house rule for a" &&
	printf "antibodies:\n  disable: [python-none-comparison]\ndetectors:\n  antibody:\n    severity:\n      python-assert-tuple: info\n" >.wm.yml &&
	wm-antibody --staged --format json >out &&
	test "$(json_eval out "d.findings.map(f => f.rule + \":\" + f.severity).join(\" \")")" = "python-not-none-comparison:warning python-assert-tuple:info"
'

test_expect_success 'wm-antibody run -p searches ad hoc; --json gives one object per match' '
	mkdir -p run/src && cd run &&
	printf "foo(1)\nfoo(a, b)\nbar(foo(2))\n" >src/a.js &&
	printf "foo(1)\n" >src/b.py &&
	wm-antibody run -p "foo(\$\$\$A)" -l javascript --json src >out &&
	cat out &&
	test $(wc -l <out) = 3 &&
	head -1 out | grep -q "\"path\":\"src/a.js\",\"start\":{\"line\":1,\"column\":1},\"end\":{\"line\":1,\"column\":7},\"text\":\"foo(1)\"" &&
	wm-antibody run -p "foo(\$\$\$A)" -l javascript src >text &&
	grep -q "^src/a.js:3:5: foo(2)$" text &&
	expect_exit 2 wm-antibody run -p "foo(" -l javascript src
'

test_expect_success 'wm-antibody new scaffolds a rule that passes its own tests' '
	mkdir -p new && cd new &&
	wm-antibody new -l python --id len-check --before "if len(items) == 0:\n    pass" --after "if not items:\n    pass" >/dev/null 2>&1 || true &&
	wm-antibody new -l python --id none-eq --before "value == None" --after "value is None" >rule.yml &&
	cat rule.yml &&
	grep -q "^pattern: \"\$A == None\"" rule.yml &&
	grep -q "^fix: \"\$A is None\"" rule.yml &&
	wm-antibody test rule.yml
'

test_expect_success 'wm-antibody test fails a rule whose tests fail, and reports load errors' '
	mkdir -p tst && cd tst &&
	printf "id: t\nlanguage: python\nmessage: m\npattern: \$X == 1\ntests:\n  match: [\"x == 2\"]\n" >fails.yml &&
	expect_exit 1 wm-antibody test fails.yml >out &&
	grep -q "^not ok - t" out &&
	grep -q "fails.yml:6: expected a match" out &&
	printf "id: t\nlanguage: cobol\nmessage: m\npattern: x\n" >bad.yml &&
	expect_exit 2 wm-antibody test bad.yml 2>err &&
	grep -q "bad.yml:2:11: unknown language" err
'

test_done
