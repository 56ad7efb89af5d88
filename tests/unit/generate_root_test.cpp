// `generate` without a request, on inventories scanned from real machines: the result passes
// every semantic check, the root cell holds exactly what the machine has, and what the
// hypervisor must own or intercept stays out.
#include <gtest/gtest.h>

#include <filesystem>

#include "confgen/check.hpp"
#include "confgen/generate.hpp"
#include "confgen/load.hpp"
#include "confgen/read_file.hpp"
#include "confgen/yaml_writer.hpp"
#include "scan/scanners.hpp"

namespace jailconf {
namespace {

namespace fs = std::filesystem;
using inventory::Inventory;

Inventory scan_dtb(const std::string& name) {
    auto bytes = read_file(std::string(JAILCONF_FIXTURES "/fdt/") + name);
    EXPECT_TRUE(bytes.has_value()) << name;
    auto inv = scan::scan_device_tree_blob(*bytes, name);
    EXPECT_TRUE(inv.has_value()) << inv.error().str();
    return inv ? *inv : Inventory{};
}

// Writes the system as YAML, loads it back and runs every check: the generator's output is
// judged by the same code that judges a hand-written file.
void expect_passes_check(const System& s, const std::string& what) {
    Diagnostics diags;
    auto loaded = load_system_from_string(to_yaml(s), what + "/system.yaml", diags);
    if (loaded)
        check_system(*loaded, diags);
    for (const auto& d : diags.all())
        ADD_FAILURE() << what << ": " << d.rule << " line " << d.loc.line << ": " << d.message;
}

bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize) {
    return a < b + bsize && b < a + asize;
}

TEST(GenerateRoot, EveryBoardGivesAConfigThatPassesTheChecks) {
    for (const auto& e : fs::directory_iterator(JAILCONF_FIXTURES "/fdt")) {
        if (e.path().extension() != ".dtb")
            continue;
        std::string name = e.path().filename().string();
        Inventory inv = scan_dtb(name);
        auto g = generate_root_system(inv, {});
        bool ram_sized = false;
        for (const auto& m : inv.memory)
            ram_sized |= m.region.size != 0;
        if (!ram_sized) { // e.g. the Raspberry Pi's firmware writes the memory node at boot
            ASSERT_FALSE(g.has_value()) << name;
            EXPECT_NE(g.error().message.find("RAM"), std::string::npos) << g.error().message;
            EXPECT_NE(g.error().fix.find("running machine"), std::string::npos);
            continue;
        }
        ASSERT_TRUE(g.has_value()) << name << ": " << g.error().message;
        expect_passes_check(g->system, name);
    }
}

TEST(GenerateRoot, QemuVirtRootCellIsConfinedToTheMachine) {
    Inventory inv = scan_dtb("qemu-virt-gicv3.dtb");
    auto g = generate_root_system(inv, {});
    ASSERT_TRUE(g.has_value()) << g.error().message;
    const System& s = g->system;
    EXPECT_EQ(s.arch, Arch::arm64);
    ASSERT_EQ(s.cells.size(), 1u);
    const Cell& root = s.cells.front();
    EXPECT_EQ(s.platform.cpus.size(), inv.cpus.size());
    ASSERT_TRUE(s.platform.irqchip);
    EXPECT_EQ(s.platform.irqchip->gicd, inv.gic->distributor.base);

    // Hypervisor memory: inside RAM, 2 MiB aligned, the top of it, and no cell region touches it.
    const auto& ram = inv.memory.front().region;
    uint64_t hv = s.hypervisor.memory_phys.value;
    EXPECT_EQ(hv % (2u << 20), 0u);
    EXPECT_EQ(hv + s.hypervisor.memory_size, ram.base + ram.size);
    uint64_t ram_total = 0;
    for (const auto& r : root.memory) {
        EXPECT_FALSE(overlaps(r.phys.value, r.size, hv, s.hypervisor.memory_size)) << r.name;
        // Never the GIC distributor or redistributors, nor the ECAM: the hypervisor owns them.
        EXPECT_FALSE(
            overlaps(r.phys.value, r.size, inv.gic->distributor.base, inv.gic->distributor.size))
            << r.name;
        for (const auto& rd : inv.gic->redistributors)
            EXPECT_FALSE(overlaps(r.phys.value, r.size, rd.base, rd.size)) << r.name;
        for (const auto& h : inv.pci_hosts)
            EXPECT_FALSE(overlaps(r.phys.value, r.size, h.ecam.base, h.ecam.size)) << r.name;
        if (!(r.flags & mem_io))
            ram_total += r.size;
    }
    EXPECT_EQ(ram_total, ram.size - s.hypervisor.memory_size);

    // Every enabled device's registers are mapped (page-rounded), not whole windows: the UART.
    bool uart = false;
    for (const auto& r : root.memory)
        uart |= (r.flags & mem_io) && r.phys.value == 0x09000000 && r.size == 0x1000;
    EXPECT_TRUE(uart);
    // The UART's SPI (from the scanned device) is the root's.
    for (const auto& d : inv.devices)
        if (!d.regs.empty() && d.regs.front().base == 0x09000000)
            for (const auto& i : d.irqs) {
                bool owned = false;
                for (const auto& r : root.irqs)
                    owned |= r.contains(i.id);
                EXPECT_TRUE(owned) << i.id;
            }
    ASSERT_TRUE(s.hypervisor.console);
    EXPECT_EQ(s.hypervisor.console->type, ConsoleType::pl011);
    EXPECT_EQ(s.hypervisor.console->base, 0x09000000u);
}

TEST(GenerateRoot, ExplicitHypervisorMemoryIsCheckedAgainstRam) {
    Inventory inv = scan_dtb("qemu-virt-gicv3.dtb");
    GenerateOptions o;
    o.hv_memory_phys = 0x7c000000;
    auto g = generate_root_system(inv, o);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(g->system.hypervisor.memory_phys.value, 0x7c000000u);
    o.hv_memory_phys = 0x1000; // flash, not RAM
    auto bad = generate_root_system(inv, o);
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().message.find("not inside one RAM range"), std::string::npos);
    o.hv_memory_phys.reset();
    o.hv_memory_size = 1ull << 40;
    auto huge = generate_root_system(inv, o);
    ASSERT_FALSE(huge.has_value());
    EXPECT_NE(huge.error().message.find("no free RAM range holds"), std::string::npos);
    o.hv_memory_size = 12345;
    EXPECT_FALSE(generate_root_system(inv, o).has_value());
}

TEST(GenerateRoot, NoArchitectureOrNoCpusIsAClearError) {
    Inventory empty;
    auto g = generate_root_system(empty, {});
    ASSERT_FALSE(g.has_value());
    EXPECT_NE(g.error().message.find("architecture"), std::string::npos);
    empty.machine.arch = "arm64";
    auto g2 = generate_root_system(empty, {});
    ASSERT_FALSE(g2.has_value());
    EXPECT_NE(g2.error().message.find("no usable CPU"), std::string::npos);
}

} // namespace
} // namespace jailconf
