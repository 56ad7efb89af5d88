#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) on the project's C++ sources, using the compile
# database of the given build directory. Fails on any finding.
#   scripts/clang-tidy.sh [BUILD_DIR [PATHSPEC...]]
# Default: build-asan and confgen/*.cpp (scripts/test.sh). scripts/test-python.sh runs it on
# pyjailconf/src/*.cpp with build-python/cmake, the only tree that compiles the binding.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
shift || true
[ $# -gt 0 ] || set -- 'confgen/*.cpp'
[ -f "$build/compile_commands.json" ] || { echo "clang-tidy: no $build/compile_commands.json" >&2; exit 3; }
files=$(git ls-files --cached --others --exclude-standard "$@")
[ -n "$files" ] || { echo "clang-tidy: no files match $*" >&2; exit 2; }
log="$build/clang-tidy.log"
# clang-tidy reads gcc's flags from the database; drop the ones clang does not know.
run-clang-tidy-14 -quiet -p "$build" -j "$(nproc)" \
  -extra-arg=-std=c++2b -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-unused-command-line-argument \
  $files > "$log" 2>&1 || { grep -E "warning:|error:" "$log" | sort -u | head -50; exit 1; }
echo "clang-tidy: no findings in $(echo "$files" | wc -w) files"
