#!/usr/bin/env bash
# The main job in one command: install what is missing, build wm, and run
# wm-scan on a repository (by default this one). Arguments go to wm-scan:
#   ci/scan.sh                      scan this repository
#   ci/scan.sh -C ~/src/project     scan another one
#   ci/scan.sh --format json        any wm-scan option
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

"$here/ci/install-deps.sh"
cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$here/build" -j"$(nproc)" >/dev/null
echo "built $("$here/build/wm-scan" --version)" >&2

if [ $# -eq 0 ]; then
	set -- -C "$here"
fi
exec "$here/build/wm-scan" "$@"
