#!/usr/bin/env bash
# The main job: sets up, builds, and runs the toolchain end to end: scan this machine (through a
# collected snapshot) and QEMU's virt board, generate their confined root cells, plan QEMU virt
# into cells from examples/request.yaml, lint the result against the knowledge base (text and
# SARIF), emit each cell's guest device tree, explain where resources came from and boot the plan
# under the hypervisor in QEMU; then check, compile, decompile and summarise the bundled example.
# Ends with the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "setting up dependencies (Debian packages)"
bash scripts/setup-deps.sh
step "building (Release)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DJAILCONF_TESTS=OFF -DJAILCONF_BENCH=ON \
  -DJAILCONF_BUILD_HV=OFF >/dev/null
ninja -C build confgen check_bench scan_bench lint_bench
confgen=build/confgen/confgen
# The hypervisor and its inmates, cross-built on their own (the build above leaves hv out); the
# boot of the plan and the benchmark at the end use it.
cmake -S hv -B build/hv-bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-none.cmake" \
  -DCONFGEN="$PWD/$confgen" >/dev/null
ninja -C build/hv-bench
setup_seconds=$SECONDS
example=examples/qemu-virt.yaml
out=out/demo
mkdir -p "$out"

step "confgen collect: snapshot this machine's allow-listed hardware files"
$confgen collect -o "$out/this-machine.tar"

step "confgen scan --snapshot (offline, as on another machine) -> inventory"
$confgen scan --snapshot "$out/this-machine.tar" -o "$out/this-machine.inventory.yaml"

step "confgen generate: hypervisor memory + a root cell confined to this machine"
$confgen generate --inventory "$out/this-machine.inventory.yaml" -o "$out/this-machine"
$confgen summary "$out/this-machine/system.yaml"

step "QEMU's own virt board: dumpdtb -> scan --dtb -> generate -> compile"
qemu-system-aarch64 -M virt,virtualization=on,gic-version=3,dumpdtb="$out/qemu-virt.dtb" \
  -cpu cortex-a57 -smp 4 -m 1G -nographic -net none >/dev/null
$confgen scan --dtb "$out/qemu-virt.dtb" -o "$out/qemu-virt.inventory.yaml"
$confgen generate --inventory "$out/qemu-virt.inventory.yaml" -o "$out/qemu-virt-generated"
$confgen compile "$out/qemu-virt-generated/system.yaml" -o "$out/qemu-virt-generated/system.jcb"
$confgen summary "$out/qemu-virt-generated/system.jcb"

step "confgen generate --request examples/request.yaml: plan QEMU virt into root + rt + worker, linked"
$confgen generate --inventory "$out/qemu-virt.inventory.yaml" --request examples/request.yaml \
  -o "$out/qemu-virt-planned"
$confgen summary "$out/qemu-virt-planned/system.yaml"

step "confgen lint: checks + knowledge-base rules, judged against the scanned board"
$confgen lint --inventory "$out/qemu-virt.inventory.yaml" "$out/qemu-virt-planned/system.yaml"
$confgen lint --format sarif --inventory "$out/qemu-virt.inventory.yaml" \
  "$out/qemu-virt-planned/system.yaml" > "$out/qemu-virt-planned/lint.sarif"
echo "SARIF 2.1.0 for code scanning: $out/qemu-virt-planned/lint.sarif"

step "confgen render: the address map, CPUs, interrupts and devices per cell as one HTML page"
$confgen render --inventory "$out/qemu-virt.inventory.yaml" "$out/qemu-virt-planned/system.yaml" \
  -o "$out/qemu-virt-planned/map.html"

step "confgen guest-dt: the device tree each cell's guest boots with (dtc accepts it)"
$confgen guest-dt "$out/qemu-virt-planned/system.yaml" --inventory "$out/qemu-virt.inventory.yaml" \
  --host-dtb "$out/qemu-virt.dtb" -o "$out/qemu-virt-planned/dt"
for dts in "$out/qemu-virt-planned/dt"/*.dts; do dtc -q -I dts -O dtb -o /dev/null "$dts"; done
$confgen lint --inventory "$out/qemu-virt.inventory.yaml" \
  $(for c in root rt worker; do echo --guest-dt "$c=$out/qemu-virt-planned/dt/$c.dtb"; done) \
  "$out/qemu-virt-planned/system.yaml"

step "confgen explain --resource rt: where every resource of cell rt came from"
$confgen explain "$out/qemu-virt-planned/system.yaml" --resource rt

step "boot the plan: the hypervisor in QEMU, the root creating rt and worker from the generated blobs"
$confgen compile "$out/qemu-virt-planned/system.yaml" -o "$out/qemu-virt-planned/system.jcb"
# Derives the boot view and the staging table from the generated files (docs/boot-protocol.md,
# "Booting a planned system"), then runs QEMU: each cell's output, the link ping-pong between
# root and rt over link `ping` (docs/links.md), rt's watchdog kill, power-off.
python3 scripts/boot-planned.py --confgen "$confgen" --hv-build build/hv-bench \
  --system "$out/qemu-virt-planned/system.yaml" --work "$out/qemu-virt-planned/boot"

step "a configuration the knowledge base rejects: a cell lists the RTC's SPI number (exit code 1 expected)"
set +e
$confgen lint --inventory "$out/qemu-virt.inventory.yaml" tests/fixtures/kb/KB-IRQ-SPI-NUMBER/flag.yaml
status=$?
set -e
echo "exit code: $status"
[ "$status" -eq 1 ]

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

pipeline_seconds=$((SECONDS - setup_seconds))

step "benchmark: semantic checks of 1,000 cells / 100,000 regions"
build/bench/check_bench --benchmark_min_time=0.2

step "benchmark: lint (every kb rule) of 1,000 cells / 100,000 regions"
build/bench/lint_bench --benchmark_min_time=0.2

step "benchmark: live scan + generate of this machine, and scans of real board DTBs"
build/bench/scan_bench --benchmark_min_time=0.2

step "benchmark: hypervisor paths in instructions under QEMU -icount shift=0 (hv vs bare metal; link round trip and queue throughput)"
# build/hv-bench: the hypervisor and inmates built for the boot of the plan above.
python3 bench/hv_bench.py --build build/hv-bench

step "done: setup and build $setup_seconds s, the pipeline (scan to boot) $pipeline_seconds s, \
benchmarks $((SECONDS - setup_seconds - pipeline_seconds)) s"
