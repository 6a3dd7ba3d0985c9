#!/usr/bin/env bash
# gen-repo.sh DIR NFILES [PAD]: a repository of NFILES Python, C and
# JavaScript files in nested directories, every seventh one with a syntax
# error, so a scan has known findings; PAD (default 0) more valid functions
# per file make parsing cost what it costs in real code. Deterministic: the
# same arguments give the same tree.
set -eu
dir=$1 n=$2 pad=${3:-0}
mkdir -p "$dir"
cd "$dir"
git init -q .
for i in $(seq 1 "$n"); do
	d="pkg$((i % 17))/sub$((i % 5))"
	mkdir -p "$d"
	case $((i % 3)) in
	0) if [ $((i % 7)) = 0 ]; then printf 'def f%d(x:\n    return x\n' "$i"; else printf 'def f%d(x):\n    """doc"""\n    return [x * k for k in range(%d)]\n' "$i" "$i"; fi >"$d/m$i.py" ;;
	1) if [ $((i % 7)) = 0 ]; then printf 'int f%d(int x {\n\treturn x;\n}\n' "$i"; else printf '#include <stdio.h>\nint f%d(int x)\n{\n\treturn x * %d;\n}\n' "$i" "$i"; fi >"$d/c$i.c" ;;
	2) if [ $((i % 7)) = 0 ]; then printf 'function f%d(x {\n  return x;\n}\n' "$i"; else printf 'export function f%d(x) {\n  return x + %d;\n}\n' "$i" "$i"; fi >"$d/j$i.js" ;;
	esac
	if [ "$pad" -gt 0 ]; then
		case $((i % 3)) in
		0) awk -v n="$pad" 'BEGIN { for (k = 0; k < n; k++) printf "\n\ndef pad%d(a, b):\n    \"\"\"pad\"\"\"\n    return {\"a\": a, \"b\": [b, a, %d]}\n", k, k }' >>"$d/m$i.py" ;;
		1) awk -v n="$pad" 'BEGIN { for (k = 0; k < n; k++) printf "\nstatic int pad%d(int a, int b)\n{\n\treturn a * b + %d;\n}\n", k, k }' >>"$d/c$i.c" ;;
		2) awk -v n="$pad" 'BEGIN { for (k = 0; k < n; k++) printf "\nfunction pad%d(a, b) {\n  return [a, b, %d].map((x) => x * 2);\n}\n", k, k }' >>"$d/j$i.js" ;;
		esac
	fi
done
git add -A
git -c user.name=gen -c user.email=gen@example.com commit -qm "generated $n files"
