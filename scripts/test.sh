#!/usr/bin/env bash
# Sets up and runs every test: unit and CLI tests under AddressSanitizer/UBSan (with the aarch64
# cross-build of the hypervisor), the libFuzzer targets for a bounded time, the QEMU system
# tests, the pyjailconf package and its pytest suite, clang-format and clang-tidy. Run from
# anywhere; builds under build-asan/ and build-python/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
# Each stage says how long it took, so the CI budget (30 minutes on 2 cores) can be watched.
stage_start=$SECONDS
stage() {
  if [ -n "${stage_name:-}" ]; then echo "    (${stage_name}: $((SECONDS - stage_start)) s)"; fi
  stage_name=$1 stage_start=$SECONDS
  echo "==> $1"
}

bash scripts/setup-deps.sh --tests

stage "format check (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run -Werror

stage "build with clang 14: ASan + UBSan + libFuzzer coverage (and the aarch64 hypervisor side)"
# One build serves the unit, CLI and system tests, clang-tidy's compile database and the fuzzers
# (a second, fuzz-only build of the library used to take a fifth of the CI budget). -O1 with
# line tables: what libFuzzer needs for speed and ASan for readable stacks; no NDEBUG, so
# assertions stay on. GCC's warnings are kept by the Python build and scripts/demo.sh.
if [ -f build-asan/CMakeCache.txt ] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14' build-asan/CMakeCache.txt; then
  rm -rf build-asan # configured with another compiler by an older version of this script
fi
cmake -S . -B build-asan -G Ninja -DCMAKE_CXX_COMPILER=clang++-14 \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DJAILCONF_SANITIZE=ON -DJAILCONF_FUZZ=ON -DJAILCONF_BENCH=OFF >/dev/null
ninja -C build-asan -j"$jobs"

stage "clang-tidy"
bash scripts/clang-tidy.sh build-asan

stage "fuzzers (libFuzzer, JAILCONF_FUZZ_SECONDS each)"
# Each fuzzer is single-threaded and runs for a fixed time: run them side by side.
(cd build-asan && ctest -L fuzz -j"$jobs" --output-on-failure)

stage "Python package (pyjailconf) and its tests"
# The parity tests compare the package with the CLI: the ASan build's confgen serves (and saves
# building a second one).
CONFGEN="$PWD/build-asan/confgen/confgen" bash scripts/test-python.sh

stage "unit, CLI, system and cross-build tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
(cd build-asan && ctest -LE fuzz -j"$jobs" --output-on-failure)
stage "all tests passed in $SECONDS s"
