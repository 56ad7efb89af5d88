#!/usr/bin/env bash
# Builds and installs pyjailconf into .venv (offline: system site packages, no build isolation;
# DESIGN.md section 8) and runs the Python tests. Idempotent; the CMake build tree is reused
# under build-python/. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  echo "==> creating .venv"
  /usr/bin/python3 -m venv --system-site-packages .venv
fi

echo "==> pip install pyjailconf (builds the extension with CMake)"
.venv/bin/python -m pip install --no-build-isolation --no-index --quiet .

if [ -z "${CONFGEN:-}" ]; then
  echo "==> confgen CLI from the same build tree (the tests compare the package with it)"
  cmake --build build-python/cmake --target confgen -j"$(nproc)" >/dev/null
  CONFGEN="$PWD/build-python/cmake/confgen/confgen"
fi
export CONFGEN

echo "==> clang-tidy pyjailconf/src (compile database of build-python/cmake)"
# Here rather than in scripts/test.sh's tidy step: only this build tree compiles the binding.
if [ -z "${PYJAILCONF_SKIP_TIDY:-}" ]; then
  bash scripts/clang-tidy.sh build-python/cmake 'pyjailconf/src/*.cpp'
fi

echo "==> pytest tests/python"
# Run from the repository root: the importable package is not at the root (it lives under
# pyjailconf/python/), so the installed extension is what gets imported.
.venv/bin/python -m pytest -q tests/python "$@"
