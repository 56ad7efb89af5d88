#include "arch/arm64/guest/faults.hpp"

#include "core/console/console.hpp"
#include "core/faults/attribution.hpp"

namespace hv::arm64::faults {
namespace {

namespace jcb = jailconf::jcb;
using hv::faults::FaultKind;

jcb::BlobView g_system;
hv::faults::FaultLog g_log;

bool is_abort(FaultKind kind) {
    return kind == FaultKind::data_abort || kind == FaultKind::instruction_abort;
}

} // namespace

void set_system(const jcb::BlobView& system) {
    g_system = system;
}

hv::faults::FaultLog& log() {
    return g_log;
}

void record(const RunningCell& cell, unsigned cpu, FaultKind kind, uint64_t address, uint64_t pc,
            uint64_t esr) {
    char device[jailconf::hypercall::fault_device_max] = "";
    if (is_abort(kind) && g_system.valid()) {
        // The other cells' blobs, read under the lifecycle lock so none is replaced meanwhile.
        // A CPU faulting while a lifecycle operation runs (which may be waiting for this very
        // CPU to park) does not wait: it names from the system descriptor alone.
        jcb::BlobView blobs[cells::cell_limit];
        Spinlock& lock = lifecycle().operation_lock();
        if (lock.try_lock()) {
            for (unsigned slot = 1; slot < cells::cell_limit; ++slot) {
                if (lifecycle().state(slot) != cells::CellState::absent)
                    blobs[slot] = lifecycle().view(slot);
            }
            hv::faults::name_address(g_system, blobs, cells::cell_limit, address, device,
                                     sizeof(device));
            lock.unlock();
        } else {
            hv::faults::name_address(g_system, nullptr, 0, address, device, sizeof(device));
        }
        if (device[0] != '\0')
            console::print("cell %s cpu %u:   the address is in %s\n", cell_name(cell), cpu,
                           device);
    }
    g_log.record(cell.slot, {kind, cpu, is_abort(kind) ? address : 0, pc, esr, device});
}

} // namespace hv::arm64::faults
