#!/usr/bin/env bash
# wm-scan's command line: help, version, usage errors, configuration errors.
. "$(dirname "$0")/lib.sh"

test_expect_success '--help describes the scopes and exit codes' '
	wm-scan --help >out &&
	grep -q -- "--staged" out && grep -q -- "--diff BASE" out && grep -q "Exit status" out
'

test_expect_success '--version prints the version' '
	wm-scan --version | grep -Eq "^wm-scan [0-9]+\.[0-9]+\.[0-9]+$"
'

test_expect_success 'an unknown option is a usage error (exit 2)' '
	expect_exit 2 wm-scan --no-such-option 2>err &&
	grep -q "unknown option --no-such-option" err
'

test_expect_success 'exclusive scopes are a usage error' '
	expect_exit 2 wm-scan --staged --all 2>err &&
	grep -q "exclusive" err
'

test_expect_success 'an unknown format is a usage error' '
	expect_exit 2 wm-scan --format yaml 2>err && grep -q "unknown format" err
'

test_expect_success 'outside a repository: a clear message and exit 2' '
	mkdir -p norepo &&
	GIT_CEILING_DIRECTORIES="$TEST_ROOT" expect_exit 2 wm-scan -C norepo 2>err &&
	test -s err
'

test_expect_success 'an unknown detector in --only is a usage error' '
	repo=$(new_repo only) &&
	expect_exit 2 wm-scan -C "$repo" --only nosuch 2>err &&
	grep -q "unknown detector \"nosuch\"" err
'

test_expect_success 'a malformed .wm.yml gives file:line:column and exit 2' '
	repo=$(new_repo badcfg) &&
	printf "fail_on: error\npaths:\n  exclude: [a\n" >"$repo/.wm.yml" &&
	expect_exit 2 wm-scan -C "$repo" 2>err &&
	cat err &&
	grep -Eq "\.wm\.yml:[0-9]+:[0-9]+: " err
'

test_expect_success 'an unknown key in .wm.yml names its line and column' '
	repo=$(new_repo unknownkey) &&
	printf "fail_on: error\ndetectorz:\n  syntax: {}\n" >"$repo/.wm.yml" &&
	expect_exit 2 wm-scan -C "$repo" 2>err &&
	cat err &&
	grep -q "\.wm\.yml:2:1: " err && grep -q "detectorz" err
'

test_expect_success 'a wrong type in .wm.yml is an error with its position' '
	repo=$(new_repo wrongtype) &&
	printf "detectors:\n  syntax:\n    enabled: maybe\n" >"$repo/.wm.yml" &&
	expect_exit 2 wm-scan -C "$repo" 2>err &&
	cat err &&
	grep -q "\.wm\.yml:3:14: " err
'

test_expect_success 'an unknown detector under detectors: is a configuration error' '
	repo=$(new_repo unknowndet) &&
	printf "detectors:\n  sintax:\n    enabled: false\n" >"$repo/.wm.yml" &&
	expect_exit 2 wm-scan -C "$repo" 2>err &&
	cat err &&
	grep -q "\.wm\.yml:2:3: " err && grep -q "sintax" err
'

test_expect_success '--list-rules lists syntax-error' '
	wm-scan --list-rules >out && grep -q "syntax-error" out &&
	grep -q "wm-antibody stats. lists the rules" out
'

test_expect_success 'an empty repository scans clean' '
	repo=$(new_repo empty) &&
	wm-scan -C "$repo" --format json >out &&
	test "$(json_eval out "d.findings.length")" = 0 &&
	wm-scan -C "$repo" --staged --format json >out &&
	test "$(json_eval out "d.version")" = 1
'

test_done
