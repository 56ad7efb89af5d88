// The life of a cell as the root cell drives it through hypercalls: create (from a blob in root
// memory: copied into the hypervisor, verified, every resource checked as the root's and free,
// memory moved out of the root's stage 2 and zeroed), load (copy an image from root memory into
// a loadable region), start, shutdown (park the cell's CPUs), destroy (park, zero, everything
// back to the root). Every argument is checked before anything changes; an operation that fails
// leaves the cells as they were. Arch-neutral: the CellPlatform does the hardware work.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/cells/cell_platform.hpp"
#include "core/cells/links.hpp"
#include "core/cells/ownership.hpp"
#include "core/measure/log.hpp"
#include "core/monitor/monitor.hpp"
#include "core/sync/spinlock.hpp"
#include "jailconf/blob_view.hpp"
#include "jailconf/hypercall.hpp"

namespace hv::cells {

using jailconf::comm::FailureReason;
using jailconf::hypercall::CellState;

// What a shutdown call did: stopped the cell at once, or posted a request to its comm region.
struct ShutdownOutcome {
    Result<void> result;
    bool requested = false; // a shutdown request waits for the cell's reply (request below)
    monitor::Request request;
};

// What create() reports: the new cell's slot, or why the blob or a resource was refused.
struct CreateOutcome {
    Error error = Error::ok;
    unsigned slot = 0;
    jailconf::jcb::VerifyResult verify; // when the verifier refused the blob
    TransferFinding finding;            // when a resource was refused

    bool ok() const { return error == Error::ok && verify.ok() && finding.ok(); }
};

class Lifecycle {
  public:
    // Without a monitor, communication regions are accepted but not initialised or watched.
    // Without links (or with none in the system), a cell gets no link memory. With a log, every
    // created cell's descriptor and every loaded image are measured into it (SHA-256,
    // docs/measurements.md).
    Lifecycle(CellPlatform& platform, Ownership& ownership, monitor::Monitor* monitor = nullptr,
              Links* links = nullptr, measure::Log* log = nullptr)
        : platform_(platform), ownership_(ownership), monitor_(monitor), links_(links), log_(log) {}

    // Slot 0: the root cell, running on `cpus` from boot.
    void install_root(const char* name, CpuSet cpus);

    CreateOutcome create(uint64_t ipa, uint64_t size);
    Result<void> load(unsigned slot, uint64_t dest_ipa, uint64_t source_ipa, uint64_t size);
    Result<void> start(unsigned slot);
    // Stops the cell at once (its CPUs parked), whatever its comm region says.
    Result<void> shutdown(unsigned slot);
    // The root's shutdown: a running cell with a comm region (and a monitor) gets a shutdown
    // request and stops when it acknowledges (or is killed when it does not answer in time,
    // tick()); any other cell is shut down at once.
    ShutdownOutcome request_shutdown(unsigned slot);
    Result<void> destroy(unsigned slot);

    // The hypervisor's tick: lets the monitor examine the comm regions and carries out what it
    // decides (kill, clean stop); publishes stops that happened since (faults, power-offs).
    // Writes up to `capacity` events to `out` (what the monitor decided) and returns how many;
    // `stopped_in_time[i]` says whether event i's stop parked the CPUs within the bound.
    unsigned tick(monitor::Event* out, bool* stopped_in_time, unsigned capacity);

    // Safe from any CPU at any time (states are atomic).
    CellState state(unsigned slot) const;
    // Why a failed cell failed (none otherwise); set together with the state.
    FailureReason reason(unsigned slot) const;
    CpuSet cpus(unsigned slot) const;
    const char* name(unsigned slot) const;
    // The verified blob of a non-root cell (an invalid view for the root or an empty slot).
    const jailconf::jcb::BlobView& view(unsigned slot) const { return views_[slot % cell_limit]; }
    // The entry address start() uses: the cell's entry region (cell_config.hpp's convention).
    uint64_t entry(unsigned slot) const { return slot < cell_limit ? entry_[slot] : 0; }

    // Called by a CPU of cell `slot` that faulted (failed) or asked to power off (stopped):
    // records the state so the cell's other CPUs park when they next reach the hypervisor.
    // Returns false when the cell was not running (someone else is stopping it already).
    bool mark_stopping(unsigned slot, CellState why, FailureReason reason = FailureReason::none);
    // Whether any cell is still running.
    bool any_running() const;

    // The lock every lifecycle operation holds. The root cell's PSCI CPU_ON takes it too: a root
    // CPU starting a CPU that another root CPU is giving to a new cell at that moment would
    // otherwise start it in the root after create checked it was off.
    Spinlock& operation_lock() { return lock_; }

  private:
    void set_state(unsigned slot, CellState s);
    bool name_taken(const char* name) const;
    // Moves the cell's memory out of the root's stage 2 and zeroes it.
    Result<void> move_out_of_root(const jailconf::jcb::BlobView& cell);
    void return_to_root(unsigned slot);
    // Maps the links the new cell is a peer of into its stage 2.
    Result<void> map_links(unsigned slot, const char* name);
    // Stops the cell's CPUs (state already stopping) and publishes the result to its comm region.
    Result<void> stop_now(unsigned slot);
    void publish_stop(unsigned slot);
    // Adds a measurement of `size` bytes at physical `phys` (or of `data`) to the log.
    void measure(jailconf::measure::Kind kind, unsigned slot, uint64_t address, uint64_t phys,
                 uint64_t size);
    void measure(jailconf::measure::Kind kind, unsigned slot, uint64_t address, const void* data,
                 size_t size);
    void record(jailconf::measure::Kind kind, unsigned slot, uint64_t address, uint64_t size,
                const uint8_t* digest);

    CellPlatform& platform_;
    Ownership& ownership_;
    monitor::Monitor* monitor_;
    Links* links_;
    measure::Log* log_;
    Spinlock lock_; // one lifecycle operation at a time
    // CellState in bits [7:0], FailureReason in bits [15:8]: one atomic word, so a reader never
    // sees a failed state without its reason.
    uint64_t state_[cell_limit] = {};
    CpuSet cpus_[cell_limit];
    const char* names_[cell_limit] = {};
    uint64_t entry_[cell_limit] = {};
    jailconf::jcb::BlobView views_[cell_limit];
    // Each cell's blob, copied out of root memory before it is verified, so the root cannot
    // change it afterwards; names and the view point in here.
    alignas(16) uint8_t blobs_[cell_limit][jailconf::hypercall::descriptor_max];
};

} // namespace hv::cells
