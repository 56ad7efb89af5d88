#!/usr/bin/env bash
# Installs what building and testing Jailconf needs, from Debian 12 packages (and the SARIF
# validator from npm for the tests). Idempotent: installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libyaml-cpp-dev libvalijson-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
  clang-14 lld-14 libclang-rt-14-dev clang-format-14 clang-tidy-14
  python3 python3-yaml python3-pytest python3-dev python3-venv python3-setuptools python3-wheel pybind11-dev
  device-tree-compiler acpica-tools pciutils pci.ids qemu-system-arm
)
if [ "${1:-}" = "--tests" ] && ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
# Headless Chromium loads the page of `confgen render` in tests/cli/test_render_cli.py.
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The official SARIF validator (self-contained .NET binary) checks confgen's SARIF output.
if [ "${1:-}" = "--tests" ]; then
  tools="$(cd "$(dirname "$0")/.." && pwd)/build-tools"
  if [ ! -x "$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ]; then
    echo "==> installing the SARIF validator (npm @microsoft/sarif-multitool-linux)"
    mkdir -p "$tools"
    npm install --silent --no-audit --no-fund --prefix "$tools" @microsoft/sarif-multitool-linux >/dev/null
  fi
fi
