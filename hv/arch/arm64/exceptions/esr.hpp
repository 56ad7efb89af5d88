// Decoding of ESR_EL2 (exception syndrome) into words, for the report of an unexpected exception
// and for the cells' fault reports. Pure, so host unit tests cover it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hv::arm64 {

// Exception classes (ESR_ELx.EC, bits [31:26]) the hypervisor handles or names.
enum class ExceptionClass : uint8_t {
    unknown = 0x00,
    wfx = 0x01,
    simd_fp = 0x07,
    illegal_state = 0x0e,
    svc64 = 0x15,
    hvc64 = 0x16,
    smc64 = 0x17,
    sysreg = 0x18,
    instruction_abort_lower = 0x20,
    instruction_abort_same = 0x21,
    pc_alignment = 0x22,
    data_abort_lower = 0x24,
    data_abort_same = 0x25,
    sp_alignment = 0x26,
    serror = 0x2f,
    brk64 = 0x3c,
};

constexpr uint32_t esr_class(uint64_t esr) {
    return uint32_t(esr >> 26) & 0x3f;
}
constexpr uint32_t esr_iss(uint64_t esr) {
    return uint32_t(esr) & 0x1ffffff;
}
// Data/instruction abort ISS fields.
constexpr uint32_t abort_fault_status(uint64_t esr) {
    return uint32_t(esr) & 0x3f;
} // xFSC
constexpr bool abort_is_write(uint64_t esr) {
    return (esr >> 6) & 1;
} // WnR
constexpr bool abort_on_stage1_walk(uint64_t esr) {
    return (esr >> 7) & 1;
} // S1PTW
// A permission fault (xFSC 0b0011xx): HPFAR_EL2 need not hold the IPA for these.
constexpr bool fault_is_permission(uint32_t fsc) {
    return (fsc & 0x3c) == 0x0c;
}

// A name for an exception class, e.g. "data abort from a lower EL"; "unknown class" otherwise.
const char* exception_class_name(uint32_t ec);
// A name for a data/instruction fault status code without its level, e.g. "translation fault";
// fault_level() gives the level (0-3) for the codes that have one, -1 otherwise.
const char* fault_status_name(uint32_t fsc);
int fault_level(uint32_t fsc);

// One line describing `esr`, e.g.
// "EC 0x25 data abort at EL2: translation fault level 1, write (ISS 0x45)".
size_t describe_esr(uint64_t esr, char* buffer, size_t capacity);

} // namespace hv::arm64
