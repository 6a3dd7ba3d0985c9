# tests/e2e/lib.sh - sourced by every end-to-end script (git's t/test-lib.sh, small).
#
# Each script builds throwaway repositories under its own temporary directory,
# runs the real executables from $WM_BUILD_DIR, and prints TAP. A test body is
# a shell snippet run in a subshell with `set -e`; it passes when it exits 0.

set -u
: "${WM_BUILD_DIR:?set WM_BUILD_DIR to the build directory}"
: "${WM_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
PATH="$WM_BUILD_DIR:$PATH"
export PATH WM_SOURCE_DIR WM_BUILD_DIR

# Fixed identity and no user or system config: fixtures are the same everywhere.
TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/wm-e2e-XXXXXX")
export HOME="$TEST_ROOT/home"
mkdir -p "$HOME"
export GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL=author@example.com
export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL=committer@example.com
export GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z"
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE NO_COLOR 2>/dev/null || true
git config --global init.defaultBranch main
git config --global advice.detachedHead false

test_count=0
test_failed=0
trap 'rm -rf "$TEST_ROOT"' EXIT

# test_expect_success DESCRIPTION BODY
test_expect_success() {
	test_count=$((test_count + 1))
	local out="$TEST_ROOT/test-$test_count.out"
	if (cd "$TEST_ROOT" && set -ex && eval "$2") >"$out" 2>&1; then
		echo "ok $test_count - $1"
	else
		echo "not ok $test_count - $1"
		sed "s/^/#   /" "$out"
		test_failed=$((test_failed + 1))
	fi
}

# new_repo NAME: create an empty repository in $TEST_ROOT/NAME and print its path.
new_repo() {
	local dir="$TEST_ROOT/$1"
	git init -q "$dir"
	# Test artefacts written inside the repository are not part of it.
	printf '%s\n' out out2 err stdout '*.sarif' report.json full.patch >>"$dir/.git/info/exclude"
	echo "$dir"
}

# expect_exit CODE COMMAND...: run COMMAND, fail unless it exits with CODE.
expect_exit() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "expected exit $want, got $rc from: $*" >&2
		return 1
	fi
}

# json_get FILE JQ-LIKE-PATH: tiny JSON reader through node (always present: grammars need npm).
json_eval() {
	node -e 'const fs=require("fs");const d=JSON.parse(fs.readFileSync(process.argv[1],"utf8"));const r=(new Function("d","return ("+process.argv[2]+")"))(d);console.log(typeof r==="string"?r:JSON.stringify(r));' "$1" "$2"
}

test_done() {
	echo "1..$test_count"
	if [ "$test_failed" -gt 0 ]; then
		echo "# failed $test_failed of $test_count"
		exit 1
	fi
	exit 0
}

# apply_fixes REPORT [RULE]: apply the fix edits of a JSON report to the working
# files, in memory per file from the highest offset down (what lib/fix will do
# mechanically), so tests can check that a fix gives exactly the expected bytes.
apply_fixes() {
	node -e '
const fs = require("fs");
const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const rule = process.argv[2] || "";
const byPath = {};
for (const f of d.findings) {
	if (!f.fix || (rule && f.rule !== rule)) continue;
	for (const e of f.fix.edits) (byPath[e.path] = byPath[e.path] || []).push(e);
}
for (const [p, edits] of Object.entries(byPath)) {
	let buf = fs.readFileSync(p);
	edits.sort((a, b) => b.start_byte - a.start_byte);
	for (const e of edits)
		buf = Buffer.concat([buf.subarray(0, e.start_byte), Buffer.from(e.replacement, "utf8"), buf.subarray(e.end_byte)]);
	fs.writeFileSync(p, buf);
}' "$@"
}
