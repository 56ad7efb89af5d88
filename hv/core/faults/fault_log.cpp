#include "core/faults/fault_log.hpp"

namespace hv::faults {
namespace {

void saturating_increment(uint32_t& counter) {
    if (counter != 0xffffffffu)
        ++counter;
}

} // namespace

void FaultLog::record(unsigned slot, const Fault& fault) {
    if (slot >= cells::cpu_limit)
        return;
    const uint32_t kind = uint32_t(fault.kind);
    SpinlockGuard guard(lock_);
    FaultReport& r = reports_[slot];
    saturating_increment(r.total);
    saturating_increment(
        r.counts[kind < jailconf::hypercall::fault_kind_count ? kind : uint32_t(FaultKind::other)]);
    r.last_kind = kind < jailconf::hypercall::fault_kind_count ? kind : uint32_t(FaultKind::other);
    r.last_cpu = fault.cpu;
    r.last_address = fault.address;
    r.last_pc = fault.pc;
    r.last_esr = fault.esr;
    unsigned i = 0;
    const char* device = fault.device != nullptr ? fault.device : "";
    for (; i + 1 < jailconf::hypercall::fault_device_max && device[i] != '\0'; ++i)
        r.last_device[i] = device[i];
    for (; i < jailconf::hypercall::fault_device_max; ++i)
        r.last_device[i] = '\0';
}

void FaultLog::reset(unsigned slot) {
    if (slot >= cells::cpu_limit)
        return;
    SpinlockGuard guard(lock_);
    reports_[slot] = FaultReport{};
}

FaultReport FaultLog::read(unsigned slot) const {
    FaultReport r{};
    if (slot < cells::cpu_limit) {
        SpinlockGuard guard(lock_);
        r = reports_[slot];
    }
    r.version = jailconf::hypercall::fault_report_version;
    return r;
}

} // namespace hv::faults
