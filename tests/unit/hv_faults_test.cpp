// hv/core/faults: per-cell, per-kind fault counters with the last fault's details, and the
// attribution of a faulting address to what the descriptors say is there (examples/hv/
// manager.yaml as the system, hello from examples/hv/cells.yaml as a created cell).
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "binary_test_support.hpp"
#include "core/faults/attribution.hpp"
#include "core/faults/fault_log.hpp"

namespace {

using namespace jailconf;
using binary_test::Bytes;
using hv::faults::Fault;
using hv::faults::FaultKind;
using hv::faults::FaultLog;

TEST(HvFaultLog, CountsPerCellAndKindAndKeepsTheLastFault) {
    FaultLog log;
    EXPECT_EQ(log.read(2).total, 0u);
    EXPECT_EQ(log.read(2).version, hypercall::fault_report_version);
    log.record(2,
               {FaultKind::data_abort, 3, 0x7c000000, 0x48000100, 0x93c08006, "hypervisor memory"});
    log.record(2, {FaultKind::data_abort, 3, 0x7c000008, 0x48000104, 0x93c08006, nullptr});
    log.record(2, {FaultKind::serror, 2, 0, 0x48000200, 0xbe000000, ""});
    log.record(1, {FaultKind::forbidden_register, 0, 0, 0x48000300, 0x62000000, ""});
    log.record(9, {FaultKind::data_abort, 0, 0, 0, 0, ""}); // no such slot: ignored
    const hypercall::FaultReport r = log.read(2);
    EXPECT_EQ(r.total, 3u);
    EXPECT_EQ(r.counts[uint32_t(FaultKind::data_abort)], 2u);
    EXPECT_EQ(r.counts[uint32_t(FaultKind::serror)], 1u);
    EXPECT_EQ(r.counts[uint32_t(FaultKind::instruction_abort)], 0u);
    EXPECT_EQ(r.last_kind, uint32_t(FaultKind::serror));
    EXPECT_EQ(r.last_cpu, 2u);
    EXPECT_EQ(r.last_pc, 0x48000200u);
    EXPECT_EQ(r.last_esr, 0xbe000000u);
    EXPECT_STREQ(r.last_device, ""); // the previous name does not linger
    EXPECT_EQ(log.read(1).counts[uint32_t(FaultKind::forbidden_register)], 1u);
    EXPECT_EQ(log.read(9).total, 0u);
    log.reset(2);
    EXPECT_EQ(log.read(2).total, 0u);
    EXPECT_EQ(log.read(2).last_kind, uint32_t(FaultKind::none));
    EXPECT_EQ(log.read(1).total, 1u); // other slots keep theirs
}

TEST(HvFaultLog, DeviceNamesAreCutToTheField) {
    FaultLog log;
    const std::string long_name(200, 'x');
    log.record(0, {FaultKind::data_abort, 0, 1, 2, 3, long_name.c_str()});
    const hypercall::FaultReport r = log.read(0);
    EXPECT_EQ(std::strlen(r.last_device), hypercall::fault_device_max - 1);
    // An out-of-range kind counts as other.
    log.record(0, {FaultKind(77), 0, 0, 0, 0, ""});
    EXPECT_EQ(log.read(0).counts[uint32_t(FaultKind::other)], 1u);
    EXPECT_EQ(log.read(0).last_kind, uint32_t(FaultKind::other));
}

struct Descriptors {
    Descriptors() {
        system = binary_test::compile_example("hv/manager.yaml").at(0).bytes;
        for (const Blob& b : binary_test::compile_example("hv/cells.yaml"))
            if (b.kind == Blob::Kind::cell && b.cell_name == "hello")
                hello = b.bytes;
        EXPECT_TRUE(jcb::BlobView::create(system.data(), system.size(), system_view).ok());
        EXPECT_TRUE(jcb::BlobView::create(hello.data(), hello.size(), cells[1]).ok());
    }
    std::string name(uint64_t address, unsigned count = 2) {
        char out[hypercall::fault_device_max];
        const bool found =
            hv::faults::name_address(system_view, cells, count, address, out, sizeof(out));
        EXPECT_EQ(found, out[0] != '\0');
        return out;
    }
    Bytes system, hello;
    jcb::BlobView system_view;
    jcb::BlobView cells[2]; // [0] stays invalid, as an empty slot
};

TEST(HvFaultAttribution, NamesWhatTheDescriptorsPutAtAnAddress) {
    Descriptors d;
    EXPECT_EQ(d.name(0x7c000000), "hypervisor memory"); // the rogue demo's read
    EXPECT_EQ(d.name(0x7fffffff), "hypervisor memory");
    EXPECT_EQ(d.name(0x08000000), "GIC distributor");
    EXPECT_EQ(d.name(0x0811fffc), "GIC redistributors");
    EXPECT_EQ(d.name(0x09000000), "hypervisor console");
    EXPECT_EQ(d.name(0x48000010), "root/ram");
    EXPECT_EQ(d.name(0x50000000), "root/staging");
    // hello's RAM came out of the root's pool: the cell that has it now is named.
    EXPECT_EQ(d.name(0x60000000), "hello/ram");
    EXPECT_EQ(d.name(0x60000000, 0), "root/pool");
    EXPECT_EQ(d.name(0x0), "");
    EXPECT_EQ(d.name(~uint64_t(0)), "");
}

} // namespace
