#!/usr/bin/env bash
# Installs everything wm needs to build and test on a fresh Debian 12 machine:
# system libraries from Debian's packages, then the tree-sitter grammar sources
# pinned in package-lock.json. Idempotent: a second run only checks.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config git ca-certificates
      libgit2-dev libtree-sitter-dev libyaml-dev check libsqlite3-dev
      libjansson-dev libmd4c-dev)
# Test-only tools: sanitizer runtimes come with clang, valgrind for leak checks.
if [ "${WM_DEPS_TESTS:-0}" = 1 ]; then
    # chromium: the HTML report is rendered in a real browser (t4000-health).
    pkgs+=(clang libclang-rt-14-dev valgrind pre-commit chromium)
fi
# Node for the grammar packages; Debian's npm only when no npm is present
# (a NodeSource nodejs already bundles one and conflicts with Debian's).
command -v npm >/dev/null 2>&1 || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Grammar sources: only parser.c/scanner.c are used, compiled by CMake;
# no package script ever runs.
cd "$here"
if [ ! -f node_modules/.wm-lock-stamp ] || ! cmp -s package-lock.json node_modules/.wm-lock-stamp; then
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.wm-lock-stamp
fi
