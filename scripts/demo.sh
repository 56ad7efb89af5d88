#!/usr/bin/env bash
# The main job: sets up, builds, and runs the toolchain end to end on the bundled QEMU virt
# example: check, compile to binary descriptors, decompile them back, and summarise the cells.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "setting up dependencies (Debian packages)"
bash scripts/setup-deps.sh
step "building (Release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DJAILCONF_TESTS=OFF -DJAILCONF_BENCH=ON \
  -DJAILCONF_BUILD_HV=OFF >/dev/null
ninja -C build confgen check_bench
confgen=build/confgen/confgen
example=examples/qemu-virt.yaml
out=out/demo
mkdir -p "$out"

step "confgen check $example"
$confgen check "$example"

step "confgen compile $example -o $out/qemu-virt.jcb"
$confgen compile "$example" -o "$out/qemu-virt.jcb"

step "confgen decompile $out/qemu-virt*.jcb -o $out/roundtrip.yaml"
$confgen decompile "$out/qemu-virt.jcb" "$out"/qemu-virt.rt.jcb -o "$out/roundtrip.yaml"

step "recompiling the decompiled YAML: the blobs must be byte-identical"
$confgen compile "$out/roundtrip.yaml" -o "$out/again.jcb"
cmp "$out/qemu-virt.jcb" "$out/again.jcb"
cmp "$out/qemu-virt.rt.jcb" "$out/again.rt.jcb"
echo "identical: $(sha256sum "$out/qemu-virt.jcb" | cut -c1-16)…  $(sha256sum "$out/qemu-virt.rt.jcb" | cut -c1-16)…"

step "summary of the cells"
$confgen summary "$out/qemu-virt.jcb" "$out/qemu-virt.rt.jcb"

step "a broken configuration gets precise errors (exit code 1 expected)"
sed 's/size: 896M/size: 900M/; s/memory:$/memroy:/' "$example" > "$out/broken.yaml"
set +e
$confgen check "$out/broken.yaml"
status=$?
set -e
echo "exit code: $status"
[ "$status" -eq 1 ]

step "benchmark: semantic checks of 1,000 cells / 100,000 regions"
build/bench/check_bench --benchmark_min_time=0.2

step "done"
