// The boot CPU's path from reset to the root cell: console, EL2 MMU, the system descriptor
// (verified, cross-checked), stage 2 for the root cell, then EL1. Every refusal names its reason
// on the console and ends the run with a semihosting exit status (docs/boot-protocol.md).
#include "arch/arm64/console/early_console.hpp"
#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/guest/cell_runtime.hpp"
#include "arch/arm64/guest/faults.hpp"
#include "arch/arm64/measure/self_measure.hpp"
#include "arch/arm64/mmu/el2_mmu.hpp"
#include "arch/arm64/mmu/translation_tables.hpp"
#include "arch/arm64/monitor/tick.hpp"
#include "arch/arm64/semihosting/semihosting.hpp"
#include "arch/arm64/stage2/stage2_attributes.hpp"
#include "core/boot/descriptor_slot.hpp"
#include "core/cells/cell_config.hpp"
#include "core/console/console.hpp"
#include "core/descriptor/descriptor.hpp"

extern "C" {
extern char hv_descriptor_slot[], hv_descriptor_slot_end[];
extern char __text_start[], __hv_image_end[];
extern uint64_t hv_entry_counter; // CNTPCT_EL0 at hv_entry's first instruction
void hv_run_global_constructors();
void* memset(void* dst, int c, size_t n);
}

namespace hv::arm64 {
namespace {

namespace jcb = jailconf::jcb;
using console::print;

uint64_t addr(const void* p) {
    return uint64_t(reinterpret_cast<uintptr_t>(p));
}

uint64_t microseconds_since_reset() {
    const uint64_t ticks = HV_READ_SYSREG(cntpct_el0);
    const uint64_t frequency = HV_READ_SYSREG(cntfrq_el0);
    return frequency == 0 ? 0 : ticks / (frequency / 1000000 ? frequency / 1000000 : 1);
}

[[noreturn]] void refuse(const char* what, Error error) {
    print("hv: refusing to start: %s: %s\n", what, error_message(error));
    semihosting::exit(semihosting::ExitStatus::descriptor_refused);
}

[[noreturn]] void fatal(const char* what, Error error) {
    print("hv: PANIC: %s: %s\n", what, error_message(error));
    semihosting::exit(semihosting::ExitStatus::hypervisor_fault);
}

// Finds, verifies and opens the system descriptor in the descriptor slot.
jcb::BlobView open_system_descriptor() {
    const auto* slot = reinterpret_cast<const uint8_t*>(hv_descriptor_slot);
    const size_t slot_size = size_t(addr(hv_descriptor_slot_end) - addr(hv_descriptor_slot));
    Result<size_t> extent = boot::descriptor_extent(slot, slot_size);
    if (!extent.ok()) {
        print("hv: no system descriptor at 0x%lx (the slot is empty; load one with -device "
              "loader,file=<system>.jcb,addr=0x%lx)\n",
              addr(slot), addr(slot));
        refuse("system descriptor", extent.error());
    }
    jcb::BlobView view;
    const jcb::VerifyResult r = descriptor::open(slot, extent.value(), view);
    if (!r.ok()) {
        // Section 0 stands for the header and the section table.
        print("hv: system descriptor at 0x%lx (%zu bytes) is invalid: error %u (%s) at offset "
              "0x%x, in %s%s, value 0x%lx, other 0x%lx\n",
              addr(slot), extent.value(), unsigned(r.error), jcb::verify_error_message(r.error),
              r.offset, r.section == 0 ? "the header or section table" : "section ",
              r.section == 0 ? "" : jcb::section_name(r.section), r.value, r.other);
        print("hv: refusing to start: system descriptor: %s\n", jcb::verify_error_message(r.error));
        semihosting::exit(semihosting::ExitStatus::descriptor_refused);
    }
    return view;
}

void print_summary(const jcb::BlobView& system) {
    const descriptor::Summary s = descriptor::summarize(system);
    print("hv: system descriptor ok: %u bytes, root cell '%s', %u cpus, %u regions, %lu KiB\n",
          system.size(), system.string(system.cell().name), s.cpus, s.memory_regions,
          s.memory_bytes / 1024);
    char hash[2 * 32 + 1];
    for (unsigned i = 0; i < 32; ++i) {
        const char* digits = "0123456789abcdef";
        hash[2 * i] = digits[system.payload_sha256()[i] >> 4];
        hash[2 * i + 1] = digits[system.payload_sha256()[i] & 15];
    }
    hash[64] = '\0';
    print("hv: descriptor measurement (payload SHA-256) %s\n", hash);
}

// The hypervisor must live inside the memory the descriptor reserves for it, or a cell could
// be given its image.
void check_hypervisor_memory(const jcb::BlobView& system) {
    const cells::PhysRange hv = cells::hypervisor_memory(system);
    if (!hv.contains(addr(__text_start), addr(__hv_image_end) - addr(__text_start)) ||
        !hv.contains(addr(hv_descriptor_slot),
                     addr(hv_descriptor_slot_end) - addr(hv_descriptor_slot))) {
        print("hv: image 0x%lx-0x%lx and descriptor slot 0x%lx-0x%lx must lie in the hypervisor "
              "memory 0x%lx-0x%lx\n",
              addr(__text_start), addr(__hv_image_end), addr(hv_descriptor_slot),
              addr(hv_descriptor_slot_end), hv.base, hv.base + hv.size);
        refuse("system descriptor", Error::image_outside_hypervisor_memory);
    }
}

void map_platform_devices(const jcb::BlobView& system) {
    const jcb::PlatformElem p = system.platform();
    const uint32_t flags = p.flags.get();
    if ((flags & jcb::irqchip_has_gicd) != 0) {
        Result<void> r = el2_mmu::map_device(p.gicd.get(), 0x10000);
        if (!r.ok())
            fatal("mapping the GIC distributor", r.error());
    }
    if ((flags & jcb::irqchip_has_gicr) != 0 && (flags & jcb::irqchip_has_gicr_stride) != 0) {
        Result<void> r =
            el2_mmu::map_device(p.gicr.get(), p.gicr_stride.get() * uint64_t(cells::cpu_limit));
        if (!r.ok())
            fatal("mapping the GIC redistributors", r.error());
    }
    if ((system.hypervisor().flags.get() & jcb::hypervisor_has_console) != 0) {
        const uint64_t base = system.hypervisor().console.base.get();
        if (base != hv_console::early_base()) {
            Result<void> r = el2_mmu::map_device(base, 0x1000);
            if (!r.ok())
                fatal("mapping the console", r.error());
            hv_console::switch_to(base);
        }
    }
}

// The GIC carries the park SGI; without a distributor and redistributors the hypervisor could
// not stop a cell's other CPUs, so it refuses to start.
void start_gic(const jcb::BlobView& system) {
    const jcb::PlatformElem p = system.platform();
    const uint32_t needed =
        jcb::irqchip_has_gicd | jcb::irqchip_has_gicr | jcb::irqchip_has_gicr_stride;
    if ((p.flags.get() & needed) != needed || p.irqchip_type != uint8_t(jcb::IrqChipType::gicv3)) {
        print("hv: the platform needs a GICv3 with gicd, gicr and gicr_stride\n");
        refuse("system descriptor", Error::out_of_range);
    }
    gic::init_distributor(p.gicd.get(), p.gicr.get(), p.gicr_stride.get(), cells::cpu_limit);
    Result<void> r = gic::init_this_cpu(0, HV_READ_SYSREG(mpidr_el1));
    if (!r.ok())
        fatal("GIC redistributor of cpu 0", r.error());
}

// The hypervisor reads and writes the root cell's RAM for the cell lifecycle (blobs, images,
// zeroing); every RAM region a cell can ever own is one of these.
void map_root_memory() {
    for (unsigned i = 0; i < ownership().root_region_count(); ++i) {
        const cells::Region& r = ownership().root_region(i);
        if (r.is_io())
            continue;
        Result<void> mapped = el2_mmu::map_memory(r.phys, r.size);
        if (!mapped.ok())
            fatal("mapping the root cell's memory at EL2", mapped.error());
    }
}

// Links (docs/links.md): checked against the root's resources and the hypervisor's memory,
// mapped at EL2 and zeroed (a link starts clean), and mapped into the root's stage 2 where the
// root is a peer. The other peers get theirs when the root creates them.
void set_up_links(const jcb::BlobView& system) {
    const cells::LinkFinding found =
        links().set_system(system, ownership(), cells::hypervisor_memory(system));
    if (!found.ok()) {
        if (found.link < system.links().size())
            print("hv: link '%s' (index %u) refused\n",
                  system.string(system.links()[found.link].name), found.link);
        refuse("links", found.error);
    }
    for (unsigned id = 0; id < links().count(); ++id) {
        const cells::Link& k = links().link(id);
        Result<void> mapped = el2_mmu::map_memory(k.phys, k.size);
        if (!mapped.ok())
            fatal("mapping link memory at EL2", mapped.error());
        void* at = reinterpret_cast<void*>(uintptr_t(k.phys));
        memset(at, 0, k.size);
        clean_dcache_range(at, k.size); // peers read it with their caches off
        print("hv: link %s: %lu KiB at 0x%lx (guest 0x%lx), doorbell INTID %u, peers", k.name,
              k.size >> 10, k.phys, k.virt, k.doorbell);
        for (unsigned p = 0; p < k.peer_count; ++p)
            print("%s %s", p == 0 ? "" : ",", k.peers[p]);
        print("\n");
    }
}

void map_root_links(RunningCell& root, const char* root_name) {
    const uint32_t mine = links().links_of(root_name);
    for (unsigned id = 0; id < links().count(); ++id) {
        if ((mine >> id & 1) == 0)
            continue;
        const cells::Link& k = links().link(id);
        Result<void> mapped = root.stage2.tables.map(
            k.virt, k.phys, k.size, stage2_attributes(jcb::mem_read | jcb::mem_write));
        if (!mapped.ok())
            refuse("mapping a link into the root cell", mapped.error());
    }
    gic::virtual_gic().set_doorbells(0, links().doorbells_of(root_name));
}

psci::CpuTopology topology_of(const jcb::BlobView& system) {
    psci::CpuTopology topology;
    topology.count = cells::cpu_limit;
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu)
        topology.mpidr[cpu] = cells::mpidr_of_cpu(system, cpu);
    return topology;
}

} // namespace
} // namespace hv::arm64

using namespace hv::arm64;

extern "C" [[noreturn]] void hv_primary_main() {
    // Before the constructors: .data is still exactly what was loaded.
    self_measure::measure_image_at_boot();
    hv_run_global_constructors();
    set_this_cpu(0);
    hv_console::start_early();
    hv::console::print("\njailconf hv: EL2 on cpu 0 (%lu us after reset)\n",
                       microseconds_since_reset());

    hv::Result<void> mmu = el2_mmu::enable_on_boot_cpu(hv_console::early_base());
    if (!mmu.ok())
        fatal("EL2 MMU", mmu.error());

    const jailconf::jcb::BlobView system = open_system_descriptor();
    faults::set_system(system);
    print_summary(system);
    self_measure::record_boot_measurements(system);
    check_hypervisor_memory(system);
    hv::Result<hv::cells::CellConfig> root = hv::cells::root_cell_config(system);
    if (!root.ok())
        refuse("root cell", root.error());
    map_platform_devices(system);
    if (hv::Result<void> owned = ownership().set_root(system); !owned.ok())
        refuse("root cell", owned.error());
    map_root_memory();
    start_gic(system);
    // The frames the GIC really has (up to Last) may outnumber the platform's CPUs.
    if (hv::Result<void> r = ownership().set_redistributor_frames(gic::virtual_gic().frames());
        !r.ok())
        refuse("root cell", r.error());
    set_up_links(system);

    RunningCell& root_cell = cell_in_slot(0);
    stage2::BuildError build_error;
    hv::Result<stage2::Stage2> s2 = stage2::build(system, 1, build_error);
    if (!s2.ok()) {
        const auto region = system.memory()[build_error.failed_region];
        print("hv: root cell region %u ('%s', IPA 0x%lx, %lu bytes) cannot be mapped\n",
              build_error.failed_region, system.string(region.name), region.virt.get(),
              region.size.get());
        refuse("root cell stage 2", s2.error());
    }
    root_cell.slot = 0;
    root_cell.stage2 = s2.value();
    map_root_links(root_cell, root.value().name);
    lifecycle().install_root(root.value().name, root.value().cpus);
    assign_cpus(0, root.value().cpus);
    psci_emulator().set_topology(topology_of(system));
    gic::map_frames(psci_emulator().topology().mpidr);
    psci_emulator().mark_on(0);
    tick::start();

    hv::console::print("hv: translation tables: %zu of %zu pages used\n", table_pool().used(),
                       table_pool().capacity());
    hv::console::print("hv: tick every %u ms on cpu 0 (EL2 physical timer, PPI %u)\n",
                       jailconf::comm::hypervisor_tick_ms, gic::hyp_timer_ppi);
    hv::console::print("hv: starting cell %s on cpu 0 at 0x%lx (%lu us after reset; counter %lu "
                       "at the hypervisor's first instruction)\n",
                       root.value().name, root.value().entry_ipa, microseconds_since_reset(),
                       hv_entry_counter);
    enter_cell(root_cell, 0, root.value().entry_ipa, 0);
}

extern "C" [[noreturn]] void hv_secondary_main(uint64_t cpu) {
    set_this_cpu(unsigned(cpu));
    uint64_t entry = 0, context = 0;
    RunningCell* cell = this_cpu().cell;
    if (cell == nullptr || !psci_emulator().claim_start(unsigned(cpu), entry, context)) {
        hv::console::print("hv: cpu %lu started without a pending CPU_ON, stopping it\n", cpu);
        firmware().cpu_off();
    }
    if (hv::Result<void> r = gic::init_this_cpu(unsigned(cpu), HV_READ_SYSREG(mpidr_el1)); !r.ok())
        fatal("GIC redistributor", r.error());
    // The cell may have begun to stop while this CPU was on its way up: it parks instead.
    if (lifecycle().state(cell->slot) != hv::cells::CellState::running)
        park_this_cpu(unsigned(cpu));
    tick::adopt(unsigned(cpu)); // when no online CPU carries the tick any more
    enter_cell(*cell, unsigned(cpu), entry, context);
}
