// hv/arch/arm64/psci/emulation: PSCI as a cell sees it, against a fake firmware. A cell starts,
// stops and queries only its own CPUs; the firmware is asked to start a physical CPU only for a
// legitimate CPU_ON, and a failed start leaves the CPU off.
#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "arch/arm64/psci/emulation.hpp"

namespace {

using namespace hv::arm64::psci;

struct FakeFirmware final : Firmware {
    struct Start {
        uint64_t mpidr, entry, context;
    };
    std::vector<Start> starts;
    std::vector<int64_t> answers; // returned by cpu_on in order; success when empty

    int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context) override {
        starts.push_back({mpidr, entry, context});
        if (answers.empty())
            return success;
        int64_t r = answers.front();
        answers.erase(answers.begin());
        return r;
    }
    [[noreturn]] void cpu_off() override { throw std::logic_error("cpu_off"); }
    [[noreturn]] void system_off() override { throw std::logic_error("system_off"); }
    [[noreturn]] void system_reset() override { throw std::logic_error("system_reset"); }
};

constexpr uint64_t hv_entry = 0x7c000100;

struct PsciTest : ::testing::Test {
    PsciTest() : psci(firmware, hv_entry) {
        CpuTopology topology;
        topology.count = 4;
        for (unsigned i = 0; i < 4; ++i)
            topology.mpidr[i] = 0x100 + i; // Aff1 = 1, Aff0 = i
        psci.set_topology(topology);
        cell.add(0);
        cell.add(1);
        psci.mark_on(0);
    }
    Outcome call(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
        return psci.handle(0, cell, Call{fn, a1, a2, a3});
    }

    FakeFirmware firmware;
    Emulator psci;
    hv::cells::CpuSet cell;
};

TEST_F(PsciTest, VersionAndFeatures) {
    EXPECT_EQ(call(fn_version).value, 0x10000);
    EXPECT_EQ(call(fn_features, fn_cpu_on).value, success);
    EXPECT_EQ(call(fn_features, fn_system_off).value, success);
    EXPECT_EQ(call(fn_features, fn_cpu_suspend).value, not_supported);
    EXPECT_EQ(call(0x80000000).value, not_supported); // SMCCC_VERSION: not offered
    EXPECT_EQ(call(fn_cpu_suspend).action, Action::resume);
}

TEST_F(PsciTest, CpuOnStartsOnlyTheCellsOwnCpus) {
    Outcome r = call(fn_cpu_on, 0x101, 0x48000040, 0x4a43);
    EXPECT_EQ(r.action, Action::resume);
    EXPECT_EQ(r.value, success);
    ASSERT_EQ(firmware.starts.size(), 1u);
    EXPECT_EQ(firmware.starts[0].mpidr, 0x101u);
    EXPECT_EQ(firmware.starts[0].entry, hv_entry); // the hypervisor's entry, not the cell's
    EXPECT_EQ(firmware.starts[0].context, 1u);     // the CPU index
    EXPECT_EQ(psci.power(1), CpuPower::on_pending);
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000040, 0).value, on_pending);
    EXPECT_EQ(call(fn_affinity_info, 0x101, 0).value, affinity_on_pending);

    uint64_t entry = 0, context = 0;
    ASSERT_TRUE(psci.claim_start(1, entry, context));
    EXPECT_EQ(entry, 0x48000040u);
    EXPECT_EQ(context, 0x4a43u);
    EXPECT_FALSE(psci.claim_start(1, entry, context)); // one start per CPU_ON
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000040, 0).value, already_on);
    EXPECT_EQ(call(fn_affinity_info, 0x101, 0).value, affinity_on);

    // CPU 2 exists but belongs to no one in this cell: it is invalid, and never started.
    EXPECT_EQ(call(fn_cpu_on, 0x102, 0x48000040, 0).value, invalid_parameters);
    EXPECT_EQ(call(fn_cpu_on, 0x1ff, 0x48000040, 0).value, invalid_parameters);
    EXPECT_EQ(call(fn_affinity_info, 0x102, 0).value, invalid_parameters);
    EXPECT_EQ(firmware.starts.size(), 1u);
    EXPECT_FALSE(psci.claim_start(2, entry, context));
}

TEST_F(PsciTest, CpuOffAndRestart) {
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000000, 0).value, success);
    uint64_t entry = 0, context = 0;
    ASSERT_TRUE(psci.claim_start(1, entry, context));
    Outcome off = psci.handle(1, cell, Call{fn_cpu_off, 0, 0, 0});
    EXPECT_EQ(off.action, Action::cpu_off);
    EXPECT_EQ(call(fn_affinity_info, 0x101, 0).value, affinity_off);
    // The firmware may still see the CPU going down: ALREADY_ON is retried, not passed on.
    firmware.answers = {already_on, already_on, success};
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000000, 0).value, success);
    EXPECT_EQ(firmware.starts.size(), 4u);
}

TEST_F(PsciTest, FailedFirmwareStartLeavesTheCpuOff) {
    firmware.answers = {internal_failure};
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000000, 0).value, internal_failure);
    EXPECT_EQ(psci.power(1), CpuPower::off);
    EXPECT_EQ(call(fn_cpu_on, 0x101, 0x48000000, 0).value, success);
}

TEST_F(PsciTest, ThirtyTwoBitCallsAndSystemCalls) {
    EXPECT_EQ(call(fn_cpu_on_32, 0xffffffff00000101ull, 0x48000000, 0).value, success);
    EXPECT_EQ(firmware.starts.at(0).mpidr, 0x101u);
    EXPECT_EQ(call(fn_affinity_info, 0x100, 1).value, invalid_parameters); // levels > 0
    EXPECT_EQ(call(fn_system_off).action, Action::system_off);
    EXPECT_EQ(call(fn_system_reset).action, Action::system_reset);
}

} // namespace
