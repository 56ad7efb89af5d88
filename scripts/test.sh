#!/usr/bin/env bash
# Sets up and runs every test: unit and CLI tests under AddressSanitizer/UBSan (with the aarch64
# cross-build of the freestanding descriptor verifier), the libFuzzer targets for a bounded time,
# the pyjailconf package and its pytest suite, clang-format and clang-tidy. Run from anywhere; builds under build-asan/ and build-fuzz/.
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

stage "build with AddressSanitizer + UBSan (and the aarch64 hypervisor side)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJAILCONF_SANITIZE=ON \
  -DJAILCONF_BENCH=OFF >/dev/null
ninja -C build-asan -j"$jobs"

stage "clang-tidy"
bash scripts/clang-tidy.sh build-asan

stage "fuzzers (clang 14, libFuzzer)"
# -O1 with line tables: what libFuzzer needs for speed and readable stacks, quicker to build
# than -O2 -g, and without NDEBUG so assertions stay on.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DJAILCONF_FUZZ=ON \
  -DJAILCONF_TESTS=OFF -DJAILCONF_BENCH=OFF -DJAILCONF_BUILD_HV=OFF \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
ninja -C build-fuzz -j"$jobs"
# Each fuzzer is single-threaded and runs for a fixed time: run them side by side.
(cd build-fuzz && ctest -L fuzz -j"$jobs" --output-on-failure)

stage "Python package (pyjailconf) and its tests"
# The parity tests compare the package with the CLI: the ASan build's confgen serves (and saves
# building a second one).
CONFGEN="$PWD/build-asan/confgen/confgen" bash scripts/test-python.sh

stage "unit, CLI, system and cross-build tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
(cd build-asan && ctest -j"$jobs" --output-on-failure)
stage "all tests passed in $SECONDS s"
