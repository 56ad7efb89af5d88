#!/usr/bin/env bash
# Runs clang-tidy (checks in .clang-tidy) on the project's C++ sources, using the compile
# database of the given build directory. Fails on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-asan}
files=$(git ls-files 'confgen/*.cpp')
# clang-tidy reads gcc's flags from the database; drop the ones clang does not know.
run-clang-tidy-14 -quiet -p "$build" -j "$(nproc)" \
  -extra-arg=-std=c++2b -extra-arg=-Wno-unknown-warning-option -extra-arg=-Wno-unused-command-line-argument \
  $files > "$build/clang-tidy.log" 2>&1 || { grep -E "warning:|error:" "$build/clang-tidy.log" | sort -u | head -50; exit 1; }
echo "clang-tidy: no findings in $(echo "$files" | wc -w) files"
