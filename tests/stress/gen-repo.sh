#!/usr/bin/env bash
# gen-repo.sh DIR NFILES: a repository of NFILES Python, C and JavaScript
# files in nested directories, every seventh one with a syntax error, so a
# scan has known findings. Deterministic: the same arguments give the same tree.
set -eu
dir=$1 n=$2
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
done
git add -A
git -c user.name=gen -c user.email=gen@example.com commit -qm "generated $n files"
