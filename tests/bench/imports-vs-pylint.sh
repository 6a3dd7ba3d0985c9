#!/usr/bin/env bash
# Side by side with pylint's import checks (E0401 import-error, E0611
# no-name-in-module) on a real Python repository with injected breakage:
# a first-party module renamed without its importers, and a function
# renamed without the modules that import it by name.
#
#   tests/bench/imports-vs-pylint.sh REPO MODULE_PATH NEW_STEM FUNC_FILE FUNC [SRC_ROOT]
#   e.g. tests/bench/imports-vs-pylint.sh ~/src/requests src/requests/structures.py \
#            datastructs src/requests/utils.py to_key_val_list src
#
# Prints recall of each tool on the importing statements (ground truth from
# Python's ast), the cold full-scan times and their ratio, and whether
# applying wm's fixes for the module rename leaves no unresolved import.
# Needs: git, python3, pylint, and wm-imports on PATH (or WM_BUILD_DIR).
set -eu
src=$1 module=$2 new=$3 func_file=$4 func=$5 root=${6:-.}
[ -n "${WM_BUILD_DIR:-}" ] && PATH="$WM_BUILD_DIR:$PATH"
work=$(mktemp -d "${TMPDIR:-/tmp}/wm-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
git clone -q "$src" "$work/repo"
cd "$work/repo"
stem=$(basename "$module" .py)

# Ground truth: statements that import the module or the function.
python3 - "$stem" "$func" >"$work/truth" <<'PY'
import ast, os, sys
stem, func = sys.argv[1], sys.argv[2]
for dp, dn, fn in os.walk("."):
    dn[:] = [d for d in dn if not d.startswith(".")]
    for f in fn:
        if not f.endswith(".py"):
            continue
        p = os.path.join(dp, f)[2:]
        try:
            tree = ast.parse(open(p, encoding="utf-8").read())
        except Exception:
            continue
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom):
                mod = (n.module or "").split(".")
                names = [a.name for a in n.names]
                if stem in mod or stem in names or func in names:
                    print(f"{p}:{n.lineno}:{n.end_lineno}")
            elif isinstance(n, ast.Import):
                if any(stem in a.name.split(".") for a in n.names):
                    print(f"{p}:{n.lineno}:{n.end_lineno}")
PY

git mv "$module" "$(dirname "$module")/$new.py"
sed -i "s/^def $func(/def ${func}_renamed(/" "$func_file"
git commit -qam "inject: rename $stem to $new, $func to ${func}_renamed"

now() { date +%s.%N; }
t0=$(now)
PYTHONPATH="$root" pylint --disable=all --enable=E0401,E0611 --output-format=parseable \
	--score=n $(git ls-files '*.py') >"$work/pylint.out" 2>/dev/null || true
t1=$(now)
wm-imports --all --format json >"$work/wm.json" || true
t2=$(now)

python3 - "$work" "$t0" "$t1" "$t2" <<'PY'
import json, re, sys
work, t0, t1, t2 = sys.argv[1], *map(float, sys.argv[2:])
truth = [l.strip().split(":") for l in open(f"{work}/truth") if l.strip()]
truth = [(p, int(a), int(b)) for p, a, b in truth]
def hits(found):
    return sum(1 for p, a, b in truth if any(fp == p and a <= fl <= b for fp, fl in found))
py = set()
for l in open(f"{work}/pylint.out"):
    m = re.match(r"(.+?):(\d+): \[E0(401|611)", l)
    if m:
        py.add((m.group(1), int(m.group(2))))
wm = {(f["path"], f["line"]) for f in json.load(open(f"{work}/wm.json"))["findings"]
      if f["rule"].startswith("unresolved-")}
n = len(truth)
tp, tw = t1 - t0, t2 - t1
print(f"injected importing statements: {n}")
print(f"pylint E0401/E0611 recall: {hits(py)}/{n}   findings: {len(py)}   time {tp:.2f}s")
print(f"wm-imports recall:         {hits(wm)}/{n}   findings: {len(wm)}   time {tw:.2f}s")
print(f"time ratio pylint/wm: {tp / tw:.1f}x")
PY

# --fix for the module rename: apply wm's edits, then nothing may be unresolved.
git reset -q --soft HEAD~1 && git checkout -q HEAD -- "$func_file" 2>/dev/null || true
git restore -q --staged . 2>/dev/null || true
git add -A
wm-imports --staged --format json >"$work/staged.json" || true
python3 - "$work/staged.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {}
for f in d["findings"]:
    for e in (f.get("fix") or {}).get("edits", []):
        by.setdefault(e["path"], []).append(e)
for p, es in by.items():
    b = open(p, "rb").read()
    for e in sorted(es, key=lambda e: -e["start_byte"]):
        b = b[:e["start_byte"]] + e["replacement"].encode() + b[e["end_byte"]:]
    open(p, "wb").write(b)
print(f"fixes applied: {sum(len(v) for v in by.values())} edits in {len(by)} files "
      f"for {len(d['findings'])} findings")
PY
git add -A
left=$(wm-imports --staged --format json | python3 -c 'import json,sys; print(sum(1 for f in json.load(sys.stdin)["findings"] if f["rule"].startswith("unresolved-")))' || true)
echo "unresolved after --fix: $left"
