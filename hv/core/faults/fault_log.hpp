// Fault accounting: every abort, forbidden register access or SError a cell causes is counted
// for its cell slot, per kind, in fixed-size saturating counters, with the details of the last
// one (CPU, address, PC, syndrome, and what the address belongs to by the descriptors). The root
// cell reads a slot's record with the fault_read hypercall (jailconf::hypercall::FaultReport).
// A slot starts over when a new cell is created in it; a destroyed cell's record stays readable
// until then. Arch-neutral and lock-protected: several CPUs of a cell may fault at once.
#pragma once

#include <stdint.h>

#include "core/cells/cpu_set.hpp"
#include "core/sync/spinlock.hpp"
#include "jailconf/hypercall.hpp"

namespace hv::faults {

using jailconf::hypercall::FaultKind;
using jailconf::hypercall::FaultReport;

struct Fault {
    FaultKind kind = FaultKind::other;
    unsigned cpu = 0;
    uint64_t address = 0; // the IPA of an abort, 0 otherwise
    uint64_t pc = 0;
    uint64_t esr = 0;
    const char* device = ""; // attribution (attribution.hpp), copied
};

class FaultLog {
  public:
    // Counts `fault` for cell slot `slot` (slots at or above cells::cpu_limit are ignored).
    void record(unsigned slot, const Fault& fault);
    // A new cell in `slot`: its record starts empty.
    void reset(unsigned slot);
    // A copy of the slot's record, version set (an empty record for an unknown slot).
    FaultReport read(unsigned slot) const;

  private:
    mutable Spinlock lock_;
    FaultReport reports_[cells::cpu_limit] = {};
};

} // namespace hv::faults
