#!/usr/bin/env bash
# The whole test suite in one command: install what is missing (test tools
# included), build with warnings as errors, run every unit and end-to-end
# test, then build again under AddressSanitizer + UndefinedBehaviorSanitizer
# and run the suite once more.
#   WM_TEST_SANITIZE=0 ci/test.sh    skip the sanitizer pass (quicker, local only)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)

WM_DEPS_TESTS=1 "$here/ci/install-deps.sh"

run_suite() {
	local dir=$1
	shift
	cmake -S "$here" -B "$dir" -DWM_WERROR=ON "$@" >/dev/null
	cmake --build "$dir" -j"$jobs"
	ctest --test-dir "$dir" -j"$jobs" --output-on-failure
}

echo "== build and test (optimised, -Werror: -O2 finds warnings -O0 cannot)"
run_suite "$here/build-test" -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ "${WM_TEST_SANITIZE:-1}" != 0 ]; then
	echo "== build and test under ASan + UBSan"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	run_suite "$here/build-asan" -DCMAKE_BUILD_TYPE=Debug -DWM_SANITIZE='address;undefined'
fi
