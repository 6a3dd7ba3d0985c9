#!/usr/bin/env bash
# tests/bench/antibody-vs-astgrep.sh - wm-antibody run against ast-grep run, side by side.
#
#   tests/bench/antibody-vs-astgrep.sh REPO LANG PATTERN [RUNS]
#
# Runs the same pattern with both tools over the same directory (JSON
# output, all cores), checks that they report the same matches (path, line,
# column), and prints the best wall-clock time of RUNS runs (default 5) of
# each and their ratio. Not part of ctest: it needs a real repository and
# ast-grep (`npm install @ast-grep/cli` somewhere; set AST_GREP to its
# binary, or have `ast-grep` on PATH). WM_BUILD_DIR selects the build
# (use a RelWithDebInfo build for figures worth quoting).
set -eu
repo=$1 lang=$2 pattern=$3 runs=${4:-5}
: "${WM_BUILD_DIR:=$(cd "$(dirname "$0")/../../build" && pwd)}"
wm="$WM_BUILD_DIR/wm-antibody"
ag=${AST_GREP:-$(command -v ast-grep || true)}
[ -x "$ag" ] || { echo "ast-grep not found: set AST_GREP" >&2; exit 2; }
case $lang in
	javascript) aglang=js ;; typescript) aglang=ts ;; python) aglang=py ;; rust) aglang=rs ;;
	*) aglang=$lang ;;
esac
tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT

# Match sets, normalised to path:line:column (1-based).
(cd "$repo" && "$ag" run -p "$pattern" -l "$aglang" --json=stream .) |
	node -e 'for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) { const m = JSON.parse(l); console.log(m.file.replace(/^\.\//, "") + ":" + (m.range.start.line + 1) + ":" + (m.range.start.column + 1)); }' |
	sort >"$tmp/ag"
(cd "$repo" && "$wm" run -p "$pattern" -l "$lang" --json .) |
	node -e 'for (const l of require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean)) { const m = JSON.parse(l); console.log(m.path.replace(/^\.\//, "") + ":" + m.start.line + ":" + m.start.column); }' |
	sort >"$tmp/wm"

best() { # best wall time in ms of $runs runs of "$@" in $repo
	local b= t s e
	for _ in $(seq "$runs"); do
		s=$(date +%s%N); (cd "$repo" && "$@" >/dev/null); e=$(date +%s%N)
		t=$(( (e - s) / 1000000 ))
		if [ -z "$b" ] || [ "$t" -lt "$b" ]; then b=$t; fi
	done
	echo "$b"
}
t_ag=$(best "$ag" run -p "$pattern" -l "$aglang" --json=stream .)
t_wm=$(best "$wm" run -p "$pattern" -l "$lang" --json .)

echo "pattern:  $pattern ($lang) in $repo"
echo "matches:  ast-grep $(wc -l <"$tmp/ag")  wm $(wc -l <"$tmp/wm")  both $(comm -12 "$tmp/ag" "$tmp/wm" | wc -l)"
comm -3 "$tmp/ag" "$tmp/wm" | sed 's/^\t/  only wm:       /; t; s/^/  only ast-grep: /' | head -20
echo "time:     ast-grep ${t_ag} ms  wm ${t_wm} ms  (best of $runs; wm/ast-grep = $(awk "BEGIN { printf \"%.2f\", $t_wm / ($t_ag ? $t_ag : 1) }"))"
