#include "arch/arm64/psci/emulation.hpp"

namespace hv::arm64::psci {
namespace {
// MPIDR affinity fields Aff3 and Aff2..Aff0; the rest of an MPIDR value does not name a CPU.
constexpr uint64_t affinity_mask = 0xff'00ff'ffff;
// A CPU that just called CPU_OFF may still be on its way down when its cell starts it again; the
// firmware then answers ALREADY_ON for a short while. Bounded, so a firmware that keeps saying
// so cannot hang the caller.
constexpr unsigned cpu_on_attempts = 100000;
} // namespace

int CpuTopology::find(uint64_t wanted) const {
    for (unsigned i = 0; i < count; ++i) {
        if ((mpidr[i] & affinity_mask) == (wanted & affinity_mask))
            return int(i);
    }
    return -1;
}

Outcome Emulator::handle(unsigned caller, cells::CpuSet cell_cpus, const Call& call) {
    switch (uint32_t(call.function)) {
    case fn_version:
        return {Action::resume, version_1_0};
    case fn_features:
        return {Action::resume, features(call.arg1)};
    case fn_cpu_on:
        return {Action::resume, cpu_on(cell_cpus, call.arg1, call.arg2, call.arg3)};
    case fn_cpu_on_32:
        return {Action::resume,
                cpu_on(cell_cpus, uint32_t(call.arg1), uint32_t(call.arg2), uint32_t(call.arg3))};
    case fn_affinity_info:
        return {Action::resume, affinity_info(cell_cpus, call.arg1, call.arg2)};
    case fn_affinity_info_32:
        return {Action::resume, affinity_info(cell_cpus, uint32_t(call.arg1), uint32_t(call.arg2))};
    case fn_cpu_off:
        mark_off(caller);
        return {Action::cpu_off, 0};
    case fn_system_off:
        return {Action::system_off, 0};
    case fn_system_reset:
        return {Action::system_reset, 0};
    default:
        // Also the SMCCC answer for an unknown function id.
        return {Action::resume, not_supported};
    }
}

int64_t Emulator::features(uint64_t function) {
    switch (uint32_t(function)) {
    case fn_version:
    case fn_features:
    case fn_cpu_on:
    case fn_cpu_on_32:
    case fn_cpu_off:
    case fn_affinity_info:
    case fn_affinity_info_32:
    case fn_system_off:
    case fn_system_reset:
        return success;
    default:
        return not_supported;
    }
}

int64_t Emulator::cpu_on(cells::CpuSet cell_cpus, uint64_t target, uint64_t entry,
                         uint64_t context) {
    const int cpu = topology_.find(target);
    // A CPU of another cell is reported like one that does not exist: a cell learns nothing
    // about CPUs it does not own.
    if (cpu < 0 || !cell_cpus.contains(unsigned(cpu)))
        return invalid_parameters;
    return start_cpu(unsigned(cpu), entry, context);
}

int64_t Emulator::start_cpu(unsigned cpu, uint64_t entry, uint64_t context) {
    if (cpu >= cells::cpu_limit || cpu >= topology_.count)
        return invalid_parameters;
    {
        SpinlockGuard guard(lock_);
        CpuState& state = cpus_[cpu];
        if (state.power == CpuPower::on)
            return already_on;
        if (state.power == CpuPower::on_pending)
            return on_pending;
        state = {CpuPower::on_pending, entry, context};
    }
    int64_t r = already_on;
    for (unsigned attempt = 0; attempt < cpu_on_attempts && r == already_on; ++attempt)
        r = firmware_.cpu_on(topology_.mpidr[cpu], hv_secondary_entry_, uint64_t(cpu));
    if (r == success)
        return success;
    SpinlockGuard guard(lock_);
    cpus_[cpu] = {};
    return internal_failure;
}

int64_t Emulator::affinity_info(cells::CpuSet cell_cpus, uint64_t target, uint64_t lowest_level) {
    if (lowest_level != 0)
        return invalid_parameters; // only individual CPUs are tracked
    const int cpu = topology_.find(target);
    if (cpu < 0 || !cell_cpus.contains(unsigned(cpu)))
        return invalid_parameters;
    switch (power(unsigned(cpu))) {
    case CpuPower::on:
        return affinity_on;
    case CpuPower::on_pending:
        return affinity_on_pending;
    case CpuPower::off:
        break;
    }
    return affinity_off;
}

void Emulator::mark_on(unsigned cpu) {
    SpinlockGuard guard(lock_);
    cpus_[cpu] = {CpuPower::on, 0, 0};
}

bool Emulator::claim_start(unsigned cpu, uint64_t& entry, uint64_t& context) {
    SpinlockGuard guard(lock_);
    if (cpu >= cells::cpu_limit || cpus_[cpu].power != CpuPower::on_pending)
        return false;
    cpus_[cpu].power = CpuPower::on;
    entry = cpus_[cpu].entry;
    context = cpus_[cpu].context;
    return true;
}

void Emulator::mark_off(unsigned cpu) {
    SpinlockGuard guard(lock_);
    if (cpu < cells::cpu_limit)
        cpus_[cpu] = {};
}

cells::CpuSet Emulator::online() const {
    SpinlockGuard guard(lock_);
    cells::CpuSet set;
    for (unsigned cpu = 0; cpu < cells::cpu_limit; ++cpu) {
        if (cpus_[cpu].power != CpuPower::off)
            set.add(cpu);
    }
    return set;
}

CpuPower Emulator::power(unsigned cpu) const {
    SpinlockGuard guard(lock_);
    return cpu < cells::cpu_limit ? cpus_[cpu].power : CpuPower::off;
}

} // namespace hv::arm64::psci
