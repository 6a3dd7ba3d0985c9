#!/bin/sh
# tests/sarif-validate.sh [--github] FILE... - validate SARIF logs with
# Microsoft's SARIF multitool (the validator GitHub's docs point to), pinned
# in package.json. --github adds the multitool's GitHub ingestion rules (GHxxxx),
# which are stricter than SARIF itself: e.g. every result needs a location.
#
# Exits 0 when no file has a problem of level "error", 1 when one does (the
# problems are printed), and 2 when the validator is missing or cannot run:
# a check that cannot run must never look like a check that passed.
#
# The multitool reports errors as results in its output log while exiting 0,
# so the verdict comes from that log, not from its exit status.
#
# Environment: WM_SOURCE_DIR (default: this script's repository),
# WM_NODE_MODULES (default: $WM_SOURCE_DIR/node_modules).
set -u

me=sarif-validate
src=${WM_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
modules=${WM_NODE_MODULES:-$src/node_modules}
tool=$modules/@microsoft/sarif-multitool-linux/Sarif.Multitool

# Without --rule-kind the multitool runs its SARIF rules only.
kinds=
if [ "${1:-}" = --github ]; then
	kinds="Sarif;Ghas"
	shift
fi
if [ $# -eq 0 ]; then
	echo "usage: $me [--github] FILE..." >&2
	exit 2
fi
if [ ! -f "$tool" ]; then
	echo "$me: the SARIF multitool is not installed (no $tool)." >&2
	echo "$me: run ci/install-deps.sh, or set WM_NODE_MODULES to the node_modules that has @microsoft/sarif-multitool-linux." >&2
	exit 2
fi
if command -v node >/dev/null 2>&1; then
	count_errors() {
		node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
			let n = 0;
			for (const run of l.runs || []) for (const r of run.results || []) if (r.level === "error") n++;
			console.log(n);' "$1"
	}
elif command -v python3 >/dev/null 2>&1; then
	count_errors() {
		python3 -c 'import json, sys
l = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(1 for run in l.get("runs", []) for r in run.get("results", []) if r.get("level") == "error"))' "$1"
	}
else
	echo "$me: need node or python3 to read the validator's output" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/wm-sarif-validate-XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM

# npm ci --ignore-scripts installs the binary without its exec bit. Run a
# private executable copy rather than changing the installed package.
if [ ! -x "$tool" ]; then
	cp "$tool" "$work/Sarif.Multitool" && chmod +x "$work/Sarif.Multitool" || {
		echo "$me: cannot make an executable copy of $tool" >&2
		exit 2
	}
	tool=$work/Sarif.Multitool
fi
# No ICU is needed to check a log; without this the runtime aborts on hosts that lack it.
: "${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:=1}"
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT

status=0
i=0
for f in "$@"; do
	i=$((i + 1))
	if [ ! -r "$f" ]; then
		echo "$me: cannot read $f" >&2
		exit 2
	fi
	log=$work/$i.out.sarif
	if [ -n "$kinds" ]; then
		"$tool" validate --rule-kind "$kinds" "$f" -o "$log" >"$work/$i.console" 2>&1
	else
		"$tool" validate "$f" -o "$log" >"$work/$i.console" 2>&1
	fi
	rc=$?
	if [ ! -s "$log" ]; then
		cat "$work/$i.console" >&2
		echo "$me: the validator did not run on $f (exit $rc)" >&2
		exit 2
	fi
	if ! errors=$(count_errors "$log") || [ -z "$errors" ]; then
		echo "$me: cannot read the validator's output for $f" >&2
		exit 2
	fi
	# Its console lines name each problem as "file(line,col): level CODE: text".
	grep -E ': (error|warning) ' "$work/$i.console" >&2
	if [ "$errors" -gt 0 ]; then
		echo "$me: $f: $errors error(s)" >&2
		status=1
	fi
done
exit $status
