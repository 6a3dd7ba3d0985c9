#!/usr/bin/env bash
# Hook overhead: the whole `git commit` of one staged file in a small
# repository, with no hook, with wm's hook doing its real checks, with
# lefthook running a no-op hook, and with the pre-commit framework running
# a no-op hook. Prints medians and ratios against no hook, all measured in
# this one run on this machine.
#   tests/bench/hook-overhead.sh [RUNS]      (default 21)
# Needs WM_BUILD_DIR (the build with wm-hook, wm-scan); lefthook comes from
# the project's node_modules (npm ci), pre-commit from Debian.
set -euo pipefail
runs=${1:-21}
: "${WM_BUILD_DIR:?set WM_BUILD_DIR}"
src=$(cd "$(dirname "$0")/../.." && pwd)
lefthook="${WM_NODE_MODULES:-$src/node_modules}/lefthook-linux-x64/bin/lefthook"
export PATH="$WM_BUILD_DIR:$PATH" GIT_CONFIG_NOSYSTEM=1
root=$(mktemp -d "${TMPDIR:-/tmp}/wm-hookbench-XXXXXX")
trap 'rm -rf "$root"' EXIT
export HOME="$root/home" PRE_COMMIT_HOME="$root/pre-commit-home"
mkdir -p "$HOME"
git config --global user.name bench
git config --global user.email bench@example.com
git config --global init.defaultBranch main

# A small repository: 40 Python files in a package, one file changed per commit.
make_repo() {
	local dir=$1 i
	git init -q "$dir"
	mkdir -p "$dir/pkg"
	for i in $(seq 1 40); do
		printf 'def f%d(x):\n    """Return x plus %d."""\n    return x + %d\n' "$i" "$i" "$i" >"$dir/pkg/m$i.py"
	done
	(cd "$dir" && git add . && git commit -qm init)
}

# median of the commit times (ms) of $runs commits in repository $1
measure() {
	local dir=$1 i t0 t1
	(
		cd "$dir"
		for i in $(seq 1 "$runs"); do
			printf 'def g%d():\n    """Return %d."""\n    return %d\n' "$i" "$i" "$i" >>pkg/m1.py
			git add pkg/m1.py
			t0=$(date +%s%N)
			git commit -qm "change $i" >/dev/null 2>&1
			t1=$(date +%s%N)
			echo $(((t1 - t0) / 1000))
		done
	) | sort -n | awk '{a[NR]=$1} END {printf "%.1f\n", a[int((NR+1)/2)]/1000}'
}

declare -A ms
make_repo "$root/none"
ms[none]=$(measure "$root/none")

make_repo "$root/wm"
(cd "$root/wm" && wm-hook install >/dev/null)
ms[wm]=$(measure "$root/wm")

have_lefthook=0
if [ -x "$lefthook" ] || { [ -f "$lefthook" ] && cp "$lefthook" "$root/lefthook" && chmod +x "$root/lefthook" && lefthook="$root/lefthook"; }; then
	make_repo "$root/lefthook"
	printf 'pre-commit:\n  commands:\n    noop:\n      run: "true"\n' >"$root/lefthook/lefthook.yml"
	(cd "$root/lefthook" && git add lefthook.yml && git commit -qm lefthook && "$lefthook" install >/dev/null 2>&1)
	ms[lefthook]=$(measure "$root/lefthook")
	have_lefthook=1
fi

have_precommit=0
if command -v pre-commit >/dev/null 2>&1; then
	make_repo "$root/precommit"
	printf 'repos:\n  - repo: local\n    hooks:\n      - id: noop\n        name: noop\n        entry: "true"\n        language: system\n        pass_filenames: false\n' >"$root/precommit/.pre-commit-config.yaml"
	(cd "$root/precommit" && git add .pre-commit-config.yaml && git commit -qm pc && pre-commit install >/dev/null 2>&1)
	ms[precommit]=$(measure "$root/precommit")
	have_precommit=1
fi

echo "git commit of one staged file, median of $runs runs ($(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)):"
printf '  %-28s %8s ms\n' "no hook" "${ms[none]}"
ratio() { awk -v a="$1" -v b="${ms[none]}" 'BEGIN {printf "%.2f", a / b}'; }
printf '  %-28s %8s ms  (%sx no hook)\n' "wm hook (real checks)" "${ms[wm]}" "$(ratio "${ms[wm]}")"
[ $have_lefthook = 1 ] && printf '  %-28s %8s ms  (%sx no hook)\n' "lefthook, no-op hook" "${ms[lefthook]}" "$(ratio "${ms[lefthook]}")"
[ $have_precommit = 1 ] && printf '  %-28s %8s ms  (%sx no hook)\n' "pre-commit, no-op hook" "${ms[precommit]}" "$(ratio "${ms[precommit]}")"
if [ $have_lefthook = 1 ]; then
	awk -v w="${ms[wm]}" -v l="${ms[lefthook]}" 'BEGIN {printf "  wm hook / lefthook no-op: %.2f (target: below 1)\n", w / l}'
fi
