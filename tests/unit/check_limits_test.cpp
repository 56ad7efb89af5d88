// JC-LIMIT, tested here rather than with YAML fixtures: hitting a limit takes thousands of
// elements, which a System built in code expresses in a loop.
#include <gtest/gtest.h>

#include <jailconf/limits.hpp>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

namespace lim = jailconf::limits;

Cell& rt(System& s) {
    return s.cells[1];
}

TEST(CheckLimits, MemoryRegionsPerCell) {
    System s = base_system();
    auto& mem = rt(s).memory;
    for (uint32_t i = mem.size(); i < lim::max_memory_regions; ++i)
        mem.push_back(
            region("r", 0x100000000 + i * 0x1000ull, 0x1000, rw, 0x80000000 + i * 0x1000ull));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
    mem.push_back(region("r", 0x200000000, 0x1000, rw, 0x90000000));
    d = run_check(s);
    auto r = of_rule(d, "JC-LIMIT");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, mem.back().loc.line); // the first region past the limit
}

TEST(CheckLimits, IrqRangesCountAfterMerging) {
    System s = base_system();
    auto& irqs = rt(s).irqs;
    irqs.clear();
    for (uint32_t i = 0; i < 2 * lim::max_irq_ranges; ++i) // adjacent: merges into one range
        irqs.push_back(id(100 + i % 800));
    EXPECT_EQ(count(run_check(s), "JC-LIMIT"), 0u);

    rt(s).irqs.clear(); // ranges with gaps do not merge
    for (uint32_t i = 0; i <= lim::max_irq_ranges; ++i)
        rt(s).irqs.push_back(id(2000 + 2 * i)); // out of GIC range too, but counted
    EXPECT_EQ(count(run_check(s), "JC-LIMIT"), 1u);
}

TEST(CheckLimits, CpuRangesCountAfterMerging) {
    System s = base_system();
    for (uint32_t i = 0; i <= lim::max_cpu_ranges; ++i)
        rt(s).cpus.push_back(id(3)); // the same CPU again and again: one range
    EXPECT_EQ(count(run_check(s), "JC-LIMIT"), 0u);
}

TEST(CheckLimits, CountsPerCell) {
    System s = base_system();
    Cell& c = rt(s);
    set_platform_cpus(s, 1024);
    for (uint32_t i = 0; i < lim::max_cpu_ranges; ++i) // 3, 5, 7, ...: ranges that do not merge
        c.cpus.push_back(id(5 + 2 * i));
    for (uint32_t i = 0; i <= lim::max_stream_ids; ++i)
        c.stream_ids.push_back({i, next_loc()});
    for (uint32_t i = 0; i <= lim::max_pci_devices; ++i) {
        PciDevice dev;
        dev.bdf = Bdf::from_packed(i + 8);
        dev.loc = next_loc();
        for (int k = 0; k < 8; ++k)
            dev.caps.push_back({uint16_t(k), uint16_t(0x40 + 4 * k), 4, false, false, next_loc()});
        c.pci_devices.push_back(dev);
    }
    Diagnostics d = run_check(s);
    // CPU ranges, stream ids, PCI devices, PCI caps (257 * 8 > 2048).
    EXPECT_EQ(count(d, "JC-LIMIT"), 4u) << dump(d);
}

TEST(CheckLimits, PioRangesOnX86) {
    System s = base_system();
    s.arch = Arch::x86_64;
    s.platform.irqchip.reset();
    s.cells[0].console.reset();
    for (uint32_t i = 0; i <= lim::max_pio_ranges; ++i)
        rt(s).pio.push_back({uint16_t(i * 2), 1, next_loc()});
    EXPECT_EQ(count(run_check(s), "JC-LIMIT"), 1u);
}

TEST(CheckLimits, PlatformCpusIommusAndCpuIds) {
    System s = base_system();
    set_platform_cpus(s, lim::max_platform_cpus + 1);
    for (uint32_t i = 0; i <= lim::max_iommus; ++i)
        s.platform.iommus.push_back(
            {IommuType::smmuv3, 0x09050000 + i * 0x20000ull, 0x20000, next_loc()});
    Diagnostics d = run_check(s);
    // CPU count, IOMMU count, one summary for CPU ids above max_cpu_id.
    auto r = of_rule(d, "JC-LIMIT");
    ASSERT_EQ(r.size(), 3u) << dump(d);
    EXPECT_EQ(r[2]->message, "1 platform CPU id is above 4095 (first: CPU 4096)");
}

TEST(CheckLimits, LinksPeersAndNames) {
    System s = base_system();
    std::string long_name(lim::max_name_length + 1, 'x');
    rt(s).name = long_name;
    s.links[0].peers[1].cell = long_name;
    for (uint32_t i = 0; i <= lim::max_link_peers; ++i)
        s.links[0].peers.push_back({"root" + std::to_string(i), next_loc()});
    for (uint32_t i = s.links.size(); i <= lim::max_links; ++i)
        s.links.push_back(link("l" + std::to_string(i), {"root", long_name},
                               0x300000000 + i * 0x1000ull, 0x1000, 0x100000000 + i * 0x1000ull));
    Diagnostics d = run_check(s);
    // Cell name, link count, peers of 'ping'.
    EXPECT_EQ(count(d, "JC-LIMIT"), 3u) << dump(d);
    EXPECT_EQ(count(d, "JC-LINK-PEER"), lim::max_link_peers + 1) << dump(d); // unknown peers
}

} // namespace
} // namespace jailconf::test
