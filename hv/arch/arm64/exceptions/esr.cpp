#include "arch/arm64/exceptions/esr.hpp"

#include "core/format/format.hpp"

namespace hv::arm64 {

const char* exception_class_name(uint32_t ec) {
    switch (ExceptionClass(ec)) {
    case ExceptionClass::unknown:
        return "unknown reason (undefined instruction)";
    case ExceptionClass::wfx:
        return "WFI/WFE";
    case ExceptionClass::simd_fp:
        return "SIMD/FP access";
    case ExceptionClass::illegal_state:
        return "illegal execution state";
    case ExceptionClass::svc64:
        return "SVC";
    case ExceptionClass::hvc64:
        return "HVC";
    case ExceptionClass::smc64:
        return "SMC";
    case ExceptionClass::sysreg:
        return "system register access";
    case ExceptionClass::instruction_abort_lower:
        return "instruction abort from a lower EL";
    case ExceptionClass::instruction_abort_same:
        return "instruction abort at EL2";
    case ExceptionClass::pc_alignment:
        return "PC alignment fault";
    case ExceptionClass::data_abort_lower:
        return "data abort from a lower EL";
    case ExceptionClass::data_abort_same:
        return "data abort at EL2";
    case ExceptionClass::sp_alignment:
        return "SP alignment fault";
    case ExceptionClass::serror:
        return "SError";
    case ExceptionClass::brk64:
        return "BRK";
    }
    return "unknown class";
}

const char* fault_status_name(uint32_t fsc) {
    switch (fsc & 0x3c) {
    case 0x00:
        return "address size fault";
    case 0x04:
        return "translation fault";
    case 0x08:
        return "access flag fault";
    case 0x0c:
        return "permission fault";
    default:
        break;
    }
    switch (fsc) {
    case 0x10:
        return "synchronous external abort";
    case 0x21:
        return "alignment fault";
    case 0x30:
        return "TLB conflict abort";
    default:
        break;
    }
    if (fsc >= 0x14 && fsc <= 0x17)
        return "synchronous external abort on a table walk";
    return "other fault";
}

int fault_level(uint32_t fsc) {
    if (fsc < 0x10 || (fsc >= 0x14 && fsc <= 0x17))
        return int(fsc & 3);
    return -1;
}

size_t describe_esr(uint64_t esr, char* buffer, size_t capacity) {
    const uint32_t ec = esr_class(esr);
    size_t n = fmt::format_to(buffer, capacity, "EC 0x%02x %s", ec, exception_class_name(ec));
    auto rest = [&](size_t used) { return used < capacity ? capacity - used : 0; };
    auto at = [&](size_t used) { return used < capacity ? buffer + used : nullptr; };
    const bool abort = ec == uint32_t(ExceptionClass::data_abort_lower) ||
                       ec == uint32_t(ExceptionClass::data_abort_same) ||
                       ec == uint32_t(ExceptionClass::instruction_abort_lower) ||
                       ec == uint32_t(ExceptionClass::instruction_abort_same);
    if (abort && rest(n) > 0) {
        const uint32_t fsc = abort_fault_status(esr);
        const bool data = ec == uint32_t(ExceptionClass::data_abort_lower) ||
                          ec == uint32_t(ExceptionClass::data_abort_same);
        n += fmt::format_to(at(n), rest(n), ": %s", fault_status_name(fsc));
        if (fault_level(fsc) >= 0 && rest(n) > 0)
            n += fmt::format_to(at(n), rest(n), " level %d", fault_level(fsc));
        if (data && rest(n) > 0)
            n += fmt::format_to(at(n), rest(n), ", %s", abort_is_write(esr) ? "write" : "read");
        if (abort_on_stage1_walk(esr) && rest(n) > 0)
            n += fmt::format_to(at(n), rest(n), ", on a stage-1 table walk");
    }
    if (rest(n) > 0)
        n += fmt::format_to(at(n), rest(n), " (ISS 0x%x)", esr_iss(esr));
    return n;
}

} // namespace hv::arm64
