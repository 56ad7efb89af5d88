#!/usr/bin/env bash
# Sets up and runs every test: unit and CLI tests under AddressSanitizer/UBSan (with the aarch64
# cross-build of the freestanding descriptor verifier), the libFuzzer targets for a bounded time,
# the pyjailconf package and its pytest suite, clang-format and clang-tidy. Run from anywhere; builds under build-asan/ and build-fuzz/.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

bash scripts/setup-deps.sh --tests

echo "==> format check (clang-format)"
git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 --dry-run -Werror

echo "==> build with AddressSanitizer + UBSan (and the aarch64 hypervisor side)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DJAILCONF_SANITIZE=ON \
  -DJAILCONF_BENCH=OFF >/dev/null
ninja -C build-asan -j"$jobs"

echo "==> clang-tidy"
bash scripts/clang-tidy.sh build-asan

echo "==> fuzzers (clang 14, libFuzzer)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DJAILCONF_FUZZ=ON \
  -DJAILCONF_TESTS=OFF -DJAILCONF_BENCH=OFF -DJAILCONF_BUILD_HV=OFF \
  -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
ninja -C build-fuzz -j"$jobs"
(cd build-fuzz && ctest -L fuzz --output-on-failure)

echo "==> Python package (pyjailconf) and its tests"
bash scripts/test-python.sh

echo "==> unit, CLI and cross-build tests"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
cd build-asan && ctest -j"$jobs" --output-on-failure
