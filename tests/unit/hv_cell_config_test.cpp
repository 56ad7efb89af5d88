// hv/core/cells and hv/core/boot: what the hypervisor takes from a verified system descriptor
// (compiled by confgen from examples/hv/ and from variations of it) and how it sizes the blob in
// its descriptor slot.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "binary_test_support.hpp"
#include "core/boot/descriptor_slot.hpp"
#include "core/cells/cell_config.hpp"
#include "core/descriptor/descriptor.hpp"

namespace {

using namespace jailconf;
using binary_test::Bytes;

Bytes system_blob(const System& s) {
    return binary_test::compile_ok(s).at(0).bytes;
}

hv::Result<hv::cells::CellConfig> root_of(const Bytes& blob) {
    jcb::BlobView view;
    EXPECT_TRUE(hv::descriptor::open(blob.data(), blob.size(), view).ok());
    return hv::cells::root_cell_config(view);
}

TEST(HvCellConfig, HelloDemo) {
    const Bytes blob = system_blob(binary_test::load_example("hv/hello.yaml"));
    auto root = root_of(blob);
    ASSERT_TRUE(root.ok()) << hv::error_message(root.error());
    EXPECT_STREQ(root.value().name, "hello");
    EXPECT_EQ(root.value().cpus.bits(), 0b11u);
    EXPECT_EQ(root.value().entry_ipa, 0x48000000u);
    EXPECT_EQ(root.value().entry_region, 0u);

    jcb::BlobView view;
    ASSERT_TRUE(hv::descriptor::open(blob.data(), blob.size(), view).ok());
    EXPECT_EQ(hv::cells::hypervisor_memory(view).base, 0x7c000000u);
    EXPECT_EQ(hv::cells::mpidr_of_cpu(view, 1), 1u);
    auto cpu = hv::cells::cpu_from_mpidr(view, 0x80000001); // bit 31 is RES1 in MPIDR_EL1
    ASSERT_TRUE(cpu.ok());
    EXPECT_EQ(cpu.value(), 1u);
    EXPECT_EQ(hv::cells::cpu_from_mpidr(view, 0x100).error(), hv::Error::cpu_out_of_range);
}

TEST(HvCellConfig, EntryPrefersALoadableExecutableRegion) {
    System s = binary_test::load_example("hv/hello.yaml");
    Cell& root = s.cells.at(0);
    MemoryRegion code = root.memory.at(0);
    code.name = "code";
    code.phys = PhysAddr{0x50000000};
    code.virt = GuestAddr{0x20000000};
    code.size = 0x100000;
    code.flags = mem_read | mem_execute | mem_loadable;
    root.memory.push_back(code);
    auto config = root_of(system_blob(s));
    ASSERT_TRUE(config.ok());
    EXPECT_EQ(config.value().entry_ipa, 0x20000000u);
    EXPECT_EQ(config.value().entry_phys, 0x50000000u);
    EXPECT_EQ(config.value().entry_region, 2u);
}

TEST(HvCellConfig, RefusesWhatTheHypervisorCannotRun) {
    System base = binary_test::load_example("hv/hello.yaml");

    System no_boot_cpu = base;
    no_boot_cpu.cells.at(0).cpus = {{1, 2, {}}};
    EXPECT_EQ(root_of(system_blob(no_boot_cpu)).error(), hv::Error::boot_cpu_not_root);

    System too_many = base;
    too_many.cells.at(0).cpus = {{0, hv::cells::cpu_limit, {}}};
    EXPECT_EQ(root_of(system_blob(too_many)).error(), hv::Error::cpu_out_of_range);

    System no_code = base;
    for (MemoryRegion& m : no_code.cells.at(0).memory)
        m.flags &= ~uint32_t(mem_execute);
    EXPECT_EQ(root_of(system_blob(no_code)).error(), hv::Error::no_entry_region);

    System io_code = no_code; // an executable device region is no place to start
    io_code.cells.at(0).memory.at(1).flags |= mem_execute;
    EXPECT_EQ(root_of(system_blob(io_code)).error(), hv::Error::no_entry_region);

    System into_hv = base;
    into_hv.cells.at(0).memory.at(0).phys = PhysAddr{0x7bfff000}; // last page overlaps hv
    into_hv.cells.at(0).memory.at(0).virt = GuestAddr{0x7bfff000};
    into_hv.cells.at(0).memory.at(0).size = 0x2000;
    EXPECT_EQ(root_of(system_blob(into_hv)).error(), hv::Error::overlaps_hypervisor);
}

TEST(HvDescriptorSlot, SizesTheBlobForTheVerifier) {
    Bytes slot(4096, 0);
    EXPECT_EQ(hv::boot::descriptor_extent(slot.data(), slot.size()).error(),
              hv::Error::no_descriptor);
    const Bytes blob = system_blob(binary_test::load_example("hv/hello.yaml"));
    std::copy(blob.begin(), blob.end(), slot.begin());
    auto extent = hv::boot::descriptor_extent(slot.data(), slot.size());
    ASSERT_TRUE(extent.ok());
    EXPECT_EQ(extent.value(), blob.size());

    // A total_size beyond the slot is cut to the slot: the verifier then reports the mismatch.
    slot[offsetof(jcb::Header, total_size) + 2] = 0x10;
    EXPECT_EQ(hv::boot::descriptor_extent(slot.data(), slot.size()).value(), slot.size());
    jcb::BlobView view;
    EXPECT_EQ(hv::descriptor::open(slot.data(), slot.size(), view).error,
              jcb::VerifyError::truncated);

    Bytes garbage(4096, 0);
    garbage[5] = 1; // something, but total_size 0
    EXPECT_EQ(hv::boot::descriptor_extent(garbage.data(), garbage.size()).value(), 64u);
    EXPECT_EQ(hv::boot::descriptor_extent(garbage.data(), 63).error(),
              hv::Error::descriptor_too_big);
}

} // namespace
