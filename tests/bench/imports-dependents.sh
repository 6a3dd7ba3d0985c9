#!/usr/bin/env bash
# Finding the dependents of a rename: `wm-imports --staged` in a repository of
# NFILES Python modules that import each other, after one module was renamed.
# Times, all measured in this one run on this machine:
#   cold   no cache file (every run deletes it first): every file is parsed once
#   warm   the cache is filled: one lookup per file, only candidates parsed
#   scan   WM_IMPORTS_CACHE=scan, the byte search used before the cache
#   off    WM_IMPORTS_CACHE=off, the reverse index computed without a file
# Prints medians and the ratios against scan, and checks that every mode
# reports the same findings.
#   tests/bench/imports-dependents.sh [NFILES [RUNS]]      (default 5000 5)
# Needs WM_BUILD_DIR (the build with wm-imports).
set -euo pipefail
n=${1:-5000}
runs=${2:-5}
: "${WM_BUILD_DIR:?set WM_BUILD_DIR}"
export PATH="$WM_BUILD_DIR:$PATH" GIT_CONFIG_NOSYSTEM=1
root=$(mktemp -d "${TMPDIR:-/tmp}/wm-impbench-XXXXXX")
trap 'rm -rf "$root"' EXIT
export HOME="$root/home"
mkdir -p "$HOME"
unset WM_IMPORTS_CACHE

# 50 packages; module i imports three earlier ones and defines a few
# functions, so files are the size of small real modules. Module m1 is
# imported by every module whose index is 1 mod 97 (about n/97 dependents).
repo=$root/repo
git init -q "$repo"
cd "$repo"
awk -v n="$n" 'BEGIN {
	for (p = 0; p < 50; p++) {
		system("mkdir -p pkg" p);
		f = "pkg" p "/__init__.py"; printf "" > f; close(f);
	}
	for (i = 1; i <= n; i++) {
		f = "pkg" (i % 50) "/m" i ".py";
		printf "\"\"\"Module %d.\"\"\"\nimport os\nimport json\n", i > f;
		for (k = 1; k <= 3; k++) {
			j = (i * 7 + k * 13) % n + 1;
			if (j != i)
				printf "from pkg%d.m%d import f%d\n", j % 50, j, j > f;
		}
		if (i % 97 == 1 && i != 1)
			printf "from pkg1.m1 import f1\n" > f;
		for (k = 0; k < 6; k++)
			printf "\n\ndef g%d_%d(a, b):\n    \"\"\"Helper %d.\"\"\"\n    return {\"a\": a, \"b\": [b, a, %d]}\n", i, k, k, k > f;
		printf "\n\ndef f%d(x):\n    return os.path.join(json.dumps(x), \"%d\")\n", i, i > f;
		close(f);
	}
}'
git add -A
git -c user.name=b -c user.email=b@example.com commit -qm "generated $n modules"
git mv pkg1/m1.py pkg1/m1_renamed.py

# median of $runs runs of wm-imports --staged (ms); $1 = cold|warm|scan|off
measure() {
	local mode=$1 i t0 t1
	for i in $(seq 1 "$runs"); do
		[ "$mode" = cold ] && rm -rf .git/wm/cache
		t0=$(date +%s%N)
		case $mode in
		scan|off) WM_IMPORTS_CACHE=$mode wm-imports --staged --format json >"$root/$mode.json" || true ;;
		*) wm-imports --staged --format json >"$root/$mode.json" || true ;;
		esac
		t1=$(date +%s%N)
		echo $(((t1 - t0) / 1000000))
	done | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

cold=$(measure cold)
wm-imports --staged >/dev/null || true     # fill the cache
warm=$(measure warm)
scan=$(measure scan)
off=$(measure off)

count() { grep -c '"rule"' "$root/$1.json" || true; }
for m in cold warm off; do
	if ! cmp -s <(grep -v elapsed "$root/$m.json") <(grep -v elapsed "$root/scan.json"); then
		echo "imports-dependents: $m reports differently from scan" >&2
		exit 1
	fi
done
rows=$(sqlite3 .git/wm/cache/imports.sqlite "SELECT count(*) FROM entry" 2>/dev/null || echo "?")
size=$(stat -c %s .git/wm/cache/imports.sqlite)

printf 'wm-imports --staged, %d Python modules, one renamed (%d findings), median of %d runs\n' \
	"$n" "$(count scan)" "$runs"
printf '  %-6s %7d ms   %s\n' cold "$cold" "no cache: parse every file, fill the cache"
printf '  %-6s %7d ms   %s\n' warm "$warm" "cache filled ($rows rows, $((size / 1024)) KiB)"
printf '  %-6s %7d ms   %s\n' scan "$scan" "byte search of every blob (before the cache)"
printf '  %-6s %7d ms   %s\n' off "$off" "reverse index without the cache file"
awk -v c="$cold" -v w="$warm" -v s="$scan" -v o="$off" 'BEGIN {
	if (s < 1) s = 1;
	printf "  ratios against scan: warm %.2f, cold %.2f, off %.2f\n", w / s, c / s, o / s
}'
