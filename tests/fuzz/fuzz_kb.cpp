// libFuzzer target for knowledge-base rule files (--rules-dir is outside input): any text must
// load as rules or give diagnostics, and whatever loads must evaluate over a real system and
// its inventory without a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "confgen/embedded_kb.hpp"
#include "confgen/lint.hpp"
#include "confgen/load.hpp"

namespace {

// QEMU virt split in two cells, with links, a watchdog and device interrupts: every table gets
// records.
constexpr std::string_view system_yaml = R"(format: jailconf/1
arch: arm64
platform:
  name: qemu-virt
  cpus: 4
  irqchip: {type: gicv3, gicd: 0x08000000, gicr: 0x080a0000, gicr_stride: 0x20000}
  pci: {ecam: 0x4010000000, ecam_size: 256M, bus_start: 0, bus_end: 255, segment: 0}
hypervisor:
  memory: {phys: 0x7c000000, size: 64M}
  console: {type: pl011, base: 0x09000000}
cells:
  - name: root
    root: true
    cpus: [0-2]
    memory:
      - {name: ram, phys: 0x40000000, size: 896M, flags: [read, write, execute, dma]}
      - {name: uart0, phys: 0x09000000, size: 4K, flags: [read, write, io]}
      - {name: virtio, phys: 0x0a000000, size: 16K, flags: [read, write, io]}
    irqs: [33, 35-38, 48-79]
    pci_devices:
      - {bdf: "00:00.0", type: bridge}
  - name: rt
    cpus: [3]
    memory:
      - {name: ram, phys: 0x79000000, virt: 0x0, size: 48M, flags: [read, write, execute, loadable]}
      - {name: rtc, phys: 0x09010000, size: 4K, flags: [read, write, io]}
    irqs: [34, 39]
    stream_ids: [0x100]
    watchdog: {timeout_ms: 5}
links:
  - {name: ping, peers: [root, rt], phys: 0x78000000, size: 64K, doorbell_irq: 48}
)";

const jailconf::System& fixed_system() {
    static const jailconf::System system = [] {
        jailconf::Diagnostics diags;
        auto s = jailconf::load_system_from_string(system_yaml, "fuzz-system.yaml", diags);
        if (!s)
            __builtin_trap();
        return std::move(*s);
    }();
    return system;
}

// A few devices in the shape the DT scanner gives them, so inventory tables have records too.
const jailconf::inventory::Inventory& fixed_inventory() {
    static const jailconf::inventory::Inventory inv = [] {
        using namespace jailconf::inventory;
        Inventory i;
        i.machine.arch = "arm64";
        i.machine.model = "linux,dummy-virt";
        i.devices.push_back({"/pl031@9010000",
                             {"arm,pl031"},
                             "okay",
                             {{0x9010000, 0x1000}},
                             {{34, Trigger::level_high}},
                             {0x100},
                             "/smmu",
                             {"/apb-pclk"},
                             {},
                             {},
                             {},
                             {}});
        i.devices.push_back({"/pl061@9030000",
                             {"arm,pl061"},
                             "disabled",
                             {{0x9030000, 0x1000}},
                             {{39, Trigger::level_high}},
                             {},
                             "",
                             {},
                             {},
                             {},
                             {},
                             {}});
        i.devices.push_back({"/virtio_mmio@a000000",
                             {"virtio,mmio"},
                             "okay",
                             {{0xa000000, 0x200}, {0xa000200, 0x200}},
                             {{48, Trigger::edge_rising}},
                             {0x100},
                             "/smmu",
                             {},
                             {},
                             {},
                             {},
                             {}});
        i.reserved.push_back(
            {{0x78ff0000, 0x10000}, "fw", "reserved-memory", true, {"/pl031@9010000"}, {}});
        return i;
    }();
    return inv;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace jailconf;
    KnowledgeBase kb;
    Diagnostics diags;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    kb.load_text(text, "fuzz/rules/fuzz.yaml", diags);
    kb.load_text(text, "fuzz/devices/fuzz.yaml", diags);
    Diagnostics findings;
    LintOptions options;
    options.max_findings_per_rule = 50;
    options.inventory = &fixed_inventory();
    lint_system(fixed_system(), kb, options, findings);
    return 0;
}
