// compile() refusals: what the format cannot carry is reported before any byte is laid out, all
// findings at once; what the verifier rejects comes back with its reason.
#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "binary_test_support.hpp"

namespace jailconf::binary_test {
namespace {

std::string compile_error(const System& s) {
    auto r = compile(s);
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error();
}

TEST(BinaryCompile, NeedsExactlyOneRootCell) {
    System s = sample_system();
    s.cells[0].root = false;
    EXPECT_EQ(compile_error(s), "the system has 0 root cells; a descriptor needs exactly one");
    s.cells[0].root = s.cells[1].root = true;
    EXPECT_EQ(compile_error(s), "the system has 2 root cells; a descriptor needs exactly one");
}

TEST(BinaryCompile, ReportsEveryBadNameAndLimit) {
    System s = sample_system();
    s.cells[1].memory[0].name = "my ram";
    s.links[0].name = "";
    s.cells[0].pci_devices[1].bars.resize(7);
    const std::string e = compile_error(s);
    EXPECT_NE(e.find("cell 'rt': memory region name 'my ram' cannot be stored"), std::string::npos)
        << e;
    EXPECT_NE(e.find("link name '' cannot be stored"), std::string::npos) << e;
    EXPECT_NE(e.find("cell 'root': PCI device 00:02.0: BARs: 7 exceeds the descriptor limit of 6"),
              std::string::npos)
        << e;
}

TEST(BinaryCompile, NameLengthLimit) {
    System s = sample_system();
    s.cells[1].name = std::string(limits::max_name_length, 'a');
    for (Link& k : s.links)
        k.peers[k.peers[0].cell == "rt" ? 0 : 1].cell = s.cells[1].name;
    EXPECT_TRUE(compile(s).has_value());
    s.cells[1].name += 'a';
    EXPECT_NE(compile_error(s).find("cell name '"), std::string::npos);
}

TEST(BinaryCompile, CountLimits) {
    System s = sample_system();
    s.cells[1].memory.clear();
    for (uint64_t i = 0; i <= limits::max_memory_regions; ++i)
        s.cells[1].memory.push_back(
            {"", PhysAddr{i << 12}, GuestAddr{i << 12}, 0x1000, mem_read, {}});
    EXPECT_EQ(compile_error(s),
              "cell 'rt': memory regions: 1025 exceeds the descriptor limit of 1024");
}

TEST(BinaryCompile, InvertedRange) {
    System s = sample_system();
    s.cells[1].irqs.push_back({50, 40, {}});
    EXPECT_EQ(compile_error(s), "cell 'rt': interrupts: range 50-40 has first > last");
}

TEST(BinaryCompile, StringTableLimit) {
    System s = sample_system();
    s.cells[0].memory.clear();
    for (uint64_t i = 0; i < limits::max_memory_regions; ++i)
        s.cells[0].memory.push_back({fmt::format("{:063}", i),
                                     PhysAddr{i << 12},
                                     GuestAddr{i << 12},
                                     0x1000,
                                     mem_read,
                                     {}});
    const std::string e = compile_error(s);
    EXPECT_TRUE(e.starts_with("system blob (root cell 'root'): names take ")) << e;
    EXPECT_TRUE(e.ends_with("bytes, the descriptor limit is 65536")) << e;
}

// What only the verifier checks comes back with the verifier's reason and offset.
TEST(BinaryCompile, VerifierFindingsAreReported) {
    System s = sample_system();
    s.cells[1].memory[1].phys = PhysAddr{0x78ff0800};
    const std::string e = compile_error(s);
    EXPECT_TRUE(e.starts_with("cell blob 'rt' does not verify: offset 0x")) << e;
    EXPECT_TRUE(e.ends_with(": section 'memory' element 1: not 4 KiB aligned (0x78ff0800, "
                            "alignment 0x1000)"))
        << e;
}

TEST(BinaryCompile, OverlapWithinACell) {
    System s = sample_system();
    s.cells[0].memory[1].phys = PhysAddr{0x40001000};
    const std::string e = compile_error(s);
    EXPECT_TRUE(e.ends_with("section 'memory' element 1: physical ranges overlap (with element 0)"))
        << e;
}

} // namespace
} // namespace jailconf::binary_test
