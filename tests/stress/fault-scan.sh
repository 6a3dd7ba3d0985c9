#!/usr/bin/env bash
# fault-scan.sh [KILLS] [NFILES]: the crash-isolation fault test.
#
# Scans a generated repository with known findings undisturbed, then KILLS
# times (default 200) with one worker SIGKILLed at a random moment: half the
# runs kill the first worker on a random file (WM_TEST_KILL_AT), half kill a
# random live worker a random number of microseconds after the workers
# start (WM_TEST_KILL_AFTER_US), which lands at an arbitrary instruction.
# Every run must finish (no hang: each has a 60 s limit) and report exactly
# the undisturbed findings and summary. Needs WM_BUILD_DIR.
set -eu
kills=${1:-200}
nfiles=${2:-600}
: "${WM_BUILD_DIR:?set WM_BUILD_DIR}"
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wm-fault-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 HOME="$tmp"
"$here/gen-repo.sh" "$tmp/repo" "$nfiles" >/dev/null
cd "$tmp/repo"
strip() { grep -v '"elapsed_ms"' "$1"; }
rc=0
"$WM_BUILD_DIR/wm-scan" -j 1 --format json >"$tmp/base.json" || rc=$?
[ "$rc" = 1 ] || { echo "baseline scan exited $rc, expected 1" >&2; exit 1; }
grep -q '"rule": "syntax-error"' "$tmp/base.json"
strip "$tmp/base.json" >"$tmp/base"
fail=0
for i in $(seq 1 "$kills"); do
	rc=0
	if [ $((i % 2)) = 0 ]; then
		how="WM_TEST_KILL_AT=$((RANDOM % (nfiles / 2) + 1))"
	else
		how="WM_TEST_KILL_AFTER_US=$((RANDOM % 40000))"
	fi
	env "$how" timeout 60 "$WM_BUILD_DIR/wm-scan" -j 2 --format json >"$tmp/run.json" || rc=$?
	if [ "$rc" != 1 ] || ! strip "$tmp/run.json" | cmp -s - "$tmp/base"; then
		echo "run $i ($how): exit $rc, findings differ from the undisturbed scan" >&2
		strip "$tmp/run.json" | diff "$tmp/base" - | head -20 >&2 || true
		fail=$((fail + 1))
	fi
done
echo "fault-scan: $kills runs with a SIGKILLed worker over $nfiles files, $fail differed"
[ "$fail" = 0 ]
