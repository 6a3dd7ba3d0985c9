#!/usr/bin/env bash
# Randomised round trips of the hook with --fix, --undo and quarantine on
# partially staged work. For each of N generated repositories:
#   - a package's version is bumped in pyproject.toml but not in
#     __init__.py (drift, with a fix), inside a partially staged
#     __init__.py (a staged hunk above, an unstaged hunk below);
#   - other changes at random: a new file, a rename, a deletion, a CRLF
#     file, an executable script with its own unstaged change;
#   - `git commit` runs the hook `wm-hook run --fix`;
# then it checks that the commit holds the staged content with the fix,
# that the working tree holds every unstaged byte with the fix carried
# over, that `wm-scan --undo` gives back the exact working tree, and that
# a quarantine of a critical file round-trips.
#   tests/stress/hook-fix-random.sh [N] [SEED]      (default 200, 1)
set -euo pipefail
n=${1:-200}
RANDOM=${2:-1}
: "${WM_BUILD_DIR:?set WM_BUILD_DIR}"
export PATH="$WM_BUILD_DIR:$PATH" GIT_CONFIG_NOSYSTEM=1
root=$(mktemp -d "${TMPDIR:-/tmp}/wm-hookfix-XXXXXX")
trap 'rm -rf "$root"' EXIT
export HOME="$root/home"
mkdir -p "$HOME"
git config --global user.name t
git config --global user.email t@example.com
git config --global init.defaultBranch main
git config --global advice.detachedHead false

fail() {
	echo "FAIL (repository $i, seed ${2:-1}): $1" >&2
	exit 1
}

lines() { # lines PREFIX COUNT
	local k
	for k in $(seq 1 "$2"); do printf '%s_%d = %d\n' "$1" "$k" "$((RANDOM % 1000))"; done
}

for i in $(seq 1 "$n"); do
	dir="$root/r$i"
	git init -q "$dir"
	cd "$dir"
	mkdir -p pkg/pkg scripts
	printf '[project]\nname = "pkg"\nversion = "1.%d.0"\n' "$i" >pkg/pyproject.toml
	{ printf '"""Package."""\n'; lines top 12; printf '__version__ = "1.%d.0"\n' "$i"; lines bottom 12; } >pkg/pkg/__init__.py
	printf 'a = 1\n' >a.py
	printf 'b = 2\n' >b.py
	printf 'line one\r\nline two\r\n' >crlf.txt
	printf '#!/bin/sh\necho hi\n' >scripts/run.sh
	chmod +x scripts/run.sh
	git add . && git commit -qm init
	printf '#!/bin/sh\nexec wm-hook run --fix --only drift\n' >.git/hooks/pre-commit
	chmod +x .git/hooks/pre-commit

	# The bump: staged in pyproject.toml only.
	printf '[project]\nname = "pkg"\nversion = "2.%d.0"\n' "$i" >pkg/pyproject.toml
	git add pkg/pyproject.toml
	# __init__.py: a staged hunk at the top, then an unstaged one at the bottom.
	mapfile -t orig <pkg/pkg/__init__.py
	staged_top="top_$((RANDOM % 12 + 1)) = 'staged $RANDOM'"
	{ printf '%s\n' "${orig[0]}" "$staged_top"; printf '%s\n' "${orig[@]:2}"; } >pkg/pkg/__init__.py
	git add pkg/pkg/__init__.py
	cp pkg/pkg/__init__.py "$root/staged_init"
	printf "unstaged_%d = 'kept $RANDOM'\n" "$i" >>pkg/pkg/__init__.py
	cp pkg/pkg/__init__.py "$root/work_init"

	# Other changes, at random.
	(( RANDOM % 2 )) && { printf 'n = %d\n' "$RANDOM" >new.py; git add new.py; }
	(( RANDOM % 2 )) && git mv a.py a_renamed.py
	(( RANDOM % 2 )) && git rm -q b.py
	(( RANDOM % 2 )) && { printf 'line one\r\nline 2b\r\n' >crlf.txt; git add crlf.txt; }
	if (( RANDOM % 2 )); then
		printf '#!/bin/sh\necho staged\n' >scripts/run.sh && git add scripts/run.sh
		printf '#!/bin/sh\necho staged\necho unstaged\n' >scripts/run.sh
	fi
	git diff >"$root/unstaged.before"
	mkdir -p "$root/snap$i"
	for f in $(git ls-files; git ls-files --others --exclude-standard); do
		if [ -f "$f" ] && [ "$f" != pkg/pkg/__init__.py ]; then
			cp -p --parents "$f" "$root/snap$i"
		fi
	done
	test "$(find "$root/snap$i" -type f | wc -l)" -ge 4 || fail "the snapshot of the working tree is empty"
	git diff --cached --name-status | grep -v pkg/pkg/__init__.py >"$root/staged.names"

	git commit -qm "bump" 2>"$root/hook.err" || fail "the commit did not go through: $(cat "$root/hook.err")"

	sed "s/__version__ = \"1.$i.0\"/__version__ = \"2.$i.0\"/" "$root/staged_init" >"$root/want_head"
	sed "s/__version__ = \"1.$i.0\"/__version__ = \"2.$i.0\"/" "$root/work_init" >"$root/want_work"
	git show HEAD:pkg/pkg/__init__.py >"$root/got_head"
	cmp -s "$root/got_head" "$root/want_head" || fail "the commit lacks the fix or the staged content"
	cmp -s pkg/pkg/__init__.py "$root/want_work" || fail "the working tree lost unstaged bytes"
	for f in $(cd "$root/snap$i" && find . -type f | sed 's|^\./||'); do
		cmp -s "$f" "$root/snap$i/$f" || fail "$f changed in the working tree"
	done
	test -x scripts/run.sh || fail "the executable bit was lost"
	git diff --name-status HEAD~1 HEAD | grep -v pkg/pkg/__init__.py | diff - "$root/staged.names" >/dev/null ||
		fail "the commit does not hold what was staged"
	git diff | grep -v '^index ' >"$root/unstaged.after" || true
	grep -c '^+unstaged_' "$root/unstaged.after" | grep -qx 1 || fail "the unstaged hunk is gone"

	# Undo: the working tree comes back byte for byte.
	wm-scan --undo >/dev/null || fail "undo refused"
	cmp -s pkg/pkg/__init__.py "$root/work_init" || fail "undo did not restore the working file"

	# Quarantine round trip of a critical, unfixable file.
	printf 'detectors:\n  syntax:\n    severity:\n      syntax-error: critical\n' >.wm.yml
	printf 'broken = (\n' >bad.py
	git add bad.py
	wm-scan --staged --only syntax --quarantine >/dev/null 2>&1 || fail "quarantine run failed"
	git ls-files --error-unmatch bad.py >/dev/null 2>&1 && fail "bad.py is still staged"
	name=$(wm-quarantine list | head -1 | cut -d' ' -f1)
	wm-quarantine restore "$name" >/dev/null || fail "restore failed"
	test "$(git show :bad.py)" = "broken = (" || fail "the restored content differs"
	rm -rf "$root/snap$i"
	cd "$root"
done
echo "hook-fix-random: $n repositories passed"
