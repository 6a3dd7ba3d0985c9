#!/usr/bin/env bash
# Kill -9 of `wm-scan --fix` at random moments. After each kill every file
# must hold either its original bytes or its fixed bytes (never a torn
# write), nothing stray may appear in the working tree, and `wm-scan --undo`
# must bring every original back.
#   tests/stress/kill-fix.sh [KILLS] [SEED]      (default 100, 1)
set -euo pipefail
kills=${1:-100}
RANDOM=${2:-1}
: "${WM_BUILD_DIR:?set WM_BUILD_DIR}"
export PATH="$WM_BUILD_DIR:$PATH" GIT_CONFIG_NOSYSTEM=1
root=$(mktemp -d "${TMPDIR:-/tmp}/wm-killfix-XXXXXX")
trap 'rm -rf "$root"' EXIT
export HOME="$root/home"
mkdir -p "$HOME"
git config --global user.name t
git config --global user.email t@example.com
git config --global init.defaultBranch main

pkgs=40
repo="$root/repo"
git init -q "$repo"
cd "$repo"
for i in $(seq 1 $pkgs); do
	mkdir -p "p$i/p$i"
	printf '[project]\nname = "p%d"\nversion = "1.0.%d"\n' "$i" "$i" >"p$i/pyproject.toml"
	printf '"""Package %d."""\n__version__ = "0.9.%d"\n' "$i" "$i" >"p$i/p$i/__init__.py"
done
git add . && git commit -qm init

# How long an undisturbed run takes, to spread the kills over it.
t0=$(date +%s%N)
wm-scan --only drift --fix -j 1 >/dev/null 2>&1
span=$((($(date +%s%N) - t0) / 1000))
wm-scan --undo >/dev/null
test -z "$(git status --porcelain)" || { echo "FAIL: the undisturbed undo left changes"; exit 1; }

killed_mid=0
for k in $(seq 1 "$kills"); do
	wm-scan --only drift --fix -j 1 >/dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v us=$((RANDOM * span / 32768)) 'BEGIN {printf "%.6f", us / 1e6}')"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	fixed=0
	for i in $(seq 1 $pkgs); do
		v=$(sed -n 2p "p$i/p$i/__init__.py")
		case "$v" in
		"__version__ = \"0.9.$i\"") ;;
		"__version__ = \"1.0.$i\"") fixed=$((fixed + 1)) ;;
		*) echo "FAIL (kill $k): p$i/p$i/__init__.py is torn: $v"; exit 1 ;;
		esac
		test "$(wc -l <"p$i/p$i/__init__.py")" = 2 || { echo "FAIL (kill $k): p$i torn"; exit 1; }
	done
	if [ -n "$(git status --porcelain --untracked-files=all | grep -v '^ M ')" ]; then
		echo "FAIL (kill $k): stray files: $(git status --porcelain --untracked-files=all | grep -v '^ M ')"
		exit 1
	fi
	[ "$fixed" -gt 0 ] && [ "$fixed" -lt $pkgs ] && killed_mid=$((killed_mid + 1))
	if [ "$fixed" -gt 0 ]; then
		wm-scan --undo >/dev/null || { echo "FAIL (kill $k): undo refused"; exit 1; }
	fi
	if [ -n "$(git status --porcelain)" ]; then
		echo "FAIL (kill $k): undo left changes: $(git status --porcelain | head -3)"
		exit 1
	fi
done
echo "kill-fix: $kills kills ($killed_mid in the middle of the writes), every file whole, every original recovered"
