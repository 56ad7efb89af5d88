// Calls into the platform firmware's PSCI (SMC conduit on QEMU virt with virtualization=on):
// what the hypervisor itself uses to start and stop physical CPUs and the machine.
#pragma once

#include <stdint.h>

namespace hv::arm64::psci {

// Function ids (PSCI 1.0, SMC64 where the call takes addresses).
inline constexpr uint32_t fn_version = 0x84000000;
inline constexpr uint32_t fn_cpu_suspend = 0xc4000001;
inline constexpr uint32_t fn_cpu_off = 0x84000002;
inline constexpr uint32_t fn_cpu_on = 0xc4000003;
inline constexpr uint32_t fn_cpu_on_32 = 0x84000003;
inline constexpr uint32_t fn_affinity_info = 0xc4000004;
inline constexpr uint32_t fn_affinity_info_32 = 0x84000004;
inline constexpr uint32_t fn_system_off = 0x84000008;
inline constexpr uint32_t fn_system_reset = 0x84000009;
inline constexpr uint32_t fn_features = 0x8400000a;

// Return codes.
inline constexpr int64_t success = 0;
inline constexpr int64_t not_supported = -1;
inline constexpr int64_t invalid_parameters = -2;
inline constexpr int64_t denied = -3;
inline constexpr int64_t already_on = -4;
inline constexpr int64_t on_pending = -5;
inline constexpr int64_t internal_failure = -6;

// AFFINITY_INFO results.
inline constexpr int64_t affinity_on = 0;
inline constexpr int64_t affinity_off = 1;
inline constexpr int64_t affinity_on_pending = 2;

// The firmware operations the hypervisor needs, behind an interface so the emulation logic
// (emulation.hpp) runs against a fake in host unit tests.
class Firmware {
  public:
    virtual int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context) = 0;
    [[noreturn]] virtual void cpu_off() = 0;
    [[noreturn]] virtual void system_off() = 0;
    [[noreturn]] virtual void system_reset() = 0;

  protected:
    ~Firmware() = default;
};

// The real firmware, through SMC.
class SmcFirmware final : public Firmware {
  public:
    int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context) override;
    [[noreturn]] void cpu_off() override;
    [[noreturn]] void system_off() override;
    [[noreturn]] void system_reset() override;
};

} // namespace hv::arm64::psci
