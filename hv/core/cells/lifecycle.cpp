#include "core/cells/lifecycle.hpp"

#include "core/cells/cell_config.hpp"
#include "core/console/console.hpp"

namespace hv::cells {
namespace jcb = jailconf::jcb;

namespace {
// Cell memory for a measurement, through the platform (the arch's cache maintenance included).
class PlatformReader final : public measure::Reader {
  public:
    explicit PlatformReader(CellPlatform& platform) : platform_(platform) {}
    void read(uint64_t address, uint8_t* out, size_t size) override {
        platform_.read_memory(address, out, size);
    }

  private:
    CellPlatform& platform_;
};

bool same_name(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) {
        ++a;
        ++b;
    }
    return *a == *b;
}
} // namespace

void Lifecycle::record(jailconf::measure::Kind kind, unsigned slot, uint64_t address, uint64_t size,
                       const uint8_t* digest) {
    const measure::Log::Added added = log_->add(kind, slot, address, size, digest);
    if (added.first_loss)
        console::print("hv: measurement log full (%u entries): measurement %lu and later ones are "
                       "counted, not kept\n",
                       jailconf::measure::log_capacity, static_cast<unsigned long>(added.seq));
}

void Lifecycle::measure(jailconf::measure::Kind kind, unsigned slot, uint64_t address,
                        uint64_t phys, uint64_t size) {
    if (log_ == nullptr)
        return;
    PlatformReader reader(platform_);
    uint8_t digest[jailconf::measure::digest_size];
    measure::digest_of(reader, phys, size, digest);
    record(kind, slot, address, size, digest);
}

void Lifecycle::measure(jailconf::measure::Kind kind, unsigned slot, uint64_t address,
                        const void* data, size_t size) {
    if (log_ == nullptr)
        return;
    uint8_t digest[jailconf::measure::digest_size];
    measure::digest_of(data, size, digest);
    record(kind, slot, address, size, digest);
}

void Lifecycle::set_state(unsigned slot, CellState s) {
    __atomic_store_n(&state_[slot], uint64_t(s), __ATOMIC_SEQ_CST);
}

CellState Lifecycle::state(unsigned slot) const {
    if (slot >= cell_limit)
        return CellState::absent;
    return CellState(__atomic_load_n(&state_[slot], __ATOMIC_SEQ_CST) & 0xff);
}

FailureReason Lifecycle::reason(unsigned slot) const {
    if (slot >= cell_limit)
        return FailureReason::none;
    return FailureReason(__atomic_load_n(&state_[slot], __ATOMIC_SEQ_CST) >> 8 & 0xff);
}

CpuSet Lifecycle::cpus(unsigned slot) const {
    return slot < cell_limit ? cpus_[slot] : CpuSet();
}

const char* Lifecycle::name(unsigned slot) const {
    return slot < cell_limit && names_[slot] != nullptr ? names_[slot] : "?";
}

void Lifecycle::install_root(const char* name, CpuSet cpus) {
    names_[0] = name;
    cpus_[0] = cpus;
    set_state(0, CellState::running);
}

bool Lifecycle::mark_stopping(unsigned slot, CellState why, FailureReason reason) {
    if (slot >= cell_limit)
        return false;
    uint64_t expected = uint64_t(CellState::running);
    const uint64_t desired = uint64_t(why) | uint64_t(reason) << 8;
    return __atomic_compare_exchange_n(&state_[slot], &expected, desired, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}

bool Lifecycle::any_running() const {
    for (unsigned slot = 0; slot < cell_limit; ++slot) {
        if (state(slot) == CellState::running)
            return true;
    }
    return false;
}

bool Lifecycle::name_taken(const char* name) const {
    for (unsigned slot = 0; slot < cell_limit; ++slot) {
        if (state(slot) != CellState::absent && same_name(names_[slot], name))
            return true;
    }
    return false;
}

Result<void> Lifecycle::move_out_of_root(const jcb::BlobView& cell) {
    // Enough tables for every split up front, so that no unmap fails half-way.
    if (platform_.free_tables() < cell.memory().size() * platform_.tables_per_root_unmap())
        return Error::out_of_tables;
    for (const jcb::MemoryElem m : cell.memory()) {
        const Region in_root = ownership_.root_view_of(m.phys.get(), m.size.get());
        HV_TRY(platform_.unmap_from_root(in_root.virt, in_root.size));
    }
    for (const jcb::MemoryElem m : cell.memory()) {
        if ((m.flags.get() & jcb::mem_io) == 0)
            platform_.zero_memory(m.phys.get(), m.size.get());
    }
    return {};
}

CreateOutcome Lifecycle::create(uint64_t ipa, uint64_t size) {
    SpinlockGuard guard(lock_);
    CreateOutcome out;
    if (size < sizeof(jcb::Header) || size > jailconf::hypercall::descriptor_max) {
        out.error = Error::bad_size;
        return out;
    }
    Result<uint64_t> phys = ownership_.root_memory(ipa, size);
    if (!phys.ok()) {
        out.error = phys.error();
        return out;
    }
    unsigned slot = 1;
    while (slot < cell_limit && state(slot) != CellState::absent)
        ++slot;
    if (slot == cell_limit) {
        out.error = Error::no_free_slot;
        return out;
    }
    platform_.read_memory(phys.value(), blobs_[slot], size_t(size));
    jcb::BlobView view;
    out.verify = jcb::BlobView::create(blobs_[slot], size_t(size), view);
    if (!out.verify.ok())
        return out;
    if (view.kind() != jcb::BlobKind::cell) {
        out.error = Error::wrong_kind;
        return out;
    }
    if (view.arch() != jcb::BlobArch::arm64) {
        out.error = Error::wrong_arch;
        return out;
    }
    const char* name = view.string(view.cell().name);
    if (name_taken(name)) {
        out.error = Error::name_taken;
        return out;
    }
    Result<uint32_t> entry_index = entry_region(view);
    if (!entry_index.ok()) {
        out.error = entry_index.error();
        return out;
    }
    out.finding = ownership_.check_transfer(view, platform_.online_cpus());
    if (!out.finding.ok())
        return out;
    if (links_ != nullptr) {
        out.finding = links_->check_cell(view);
        if (!out.finding.ok())
            return out;
    }
    if (Result<void> built = platform_.build_stage2(slot, view); !built.ok()) {
        out.error = built.error();
        return out;
    }
    if (Result<void> mapped = map_links(slot, name); !mapped.ok()) {
        platform_.release_stage2(slot);
        out.error = mapped.error();
        return out;
    }
    if (Result<void> moved = move_out_of_root(view); !moved.ok()) {
        platform_.release_stage2(slot);
        out.error = moved.error();
        return out;
    }
    ownership_.take(slot, view);
    platform_.irqs_changed_owner(slot, ownership_.resources(slot).irqs);
    if (links_ != nullptr) {
        links_->attach(slot, name);
        platform_.set_doorbells(slot, links_->doorbells_of(name));
    }
    views_[slot] = view;
    names_[slot] = name;
    cpus_[slot] = ownership_.resources(slot).cpus;
    entry_[slot] = view.memory()[entry_index.value()].virt.get();
    platform_.assign_cpus(slot, cpus_[slot]);
    set_state(slot, CellState::created);
    // The verified blob as the hypervisor keeps it (total_size bytes: the .jcb file).
    measure(jailconf::measure::Kind::cell_descriptor, slot, ipa, blobs_[slot], view.size());
    if (monitor_ != nullptr) {
        if (const int comm = comm_region_index(view); comm >= 0) {
            const uint32_t watchdog_ms = view.has_watchdog() ? view.watchdog().timeout_ms.get() : 0;
            monitor_->attach(slot, view.memory()[uint32_t(comm)].phys.get(), watchdog_ms);
        }
    }
    out.slot = slot;
    return out;
}

Result<void> Lifecycle::map_links(unsigned slot, const char* name) {
    if (links_ == nullptr)
        return {};
    const uint32_t mine = links_->links_of(name);
    for (unsigned id = 0; id < links_->count(); ++id) {
        if ((mine >> id & 1) == 0)
            continue;
        // Read-write data for every peer, never executable: a link carries messages, not code.
        const Link& k = links_->link(id);
        HV_TRY(
            platform_.map_into_cell(slot, k.virt, k.phys, k.size, jcb::mem_read | jcb::mem_write));
    }
    return {};
}

Result<void> Lifecycle::load(unsigned slot, uint64_t dest_ipa, uint64_t source_ipa, uint64_t size) {
    SpinlockGuard guard(lock_);
    if (slot == 0 || slot >= cell_limit || state(slot) == CellState::absent)
        return Error::no_such_cell;
    const CellState s = state(slot);
    if (s != CellState::created && s != CellState::stopped && s != CellState::failed)
        return Error::wrong_state;
    if (size == 0 || size > jailconf::hypercall::load_max)
        return Error::bad_size;
    Result<uint64_t> source = ownership_.root_memory(source_ipa, size);
    if (!source.ok())
        return source.error();
    Result<uint64_t> dest = ownership_.cell_memory(slot, dest_ipa, size, jcb::mem_loadable);
    if (!dest.ok())
        return dest.error();
    platform_.copy_memory(dest.value(), source.value(), size);
    // What the cell will run: the destination read back, so a root CPU changing the source
    // during the copy cannot make the measurement differ from the image.
    measure(jailconf::measure::Kind::cell_image, slot, dest_ipa, dest.value(), size);
    return {};
}

Result<void> Lifecycle::start(unsigned slot) {
    SpinlockGuard guard(lock_);
    if (slot == 0 || slot >= cell_limit || state(slot) == CellState::absent)
        return Error::no_such_cell;
    const CellState s = state(slot);
    if (s != CellState::created && s != CellState::stopped && s != CellState::failed)
        return Error::wrong_state;
    // A restart: CPUs of the earlier run must all be off before the first one starts again.
    if (platform_.online_cpus().intersects(cpus_[slot]))
        return Error::cpus_did_not_stop;
    // A restart begins with the cell's interrupts as at creation: one left active or enabled by
    // the previous run (its CPUs parked mid-handler) would otherwise never fire again.
    platform_.irqs_changed_owner(slot, ownership_.resources(slot).irqs);
    const FailureReason why = reason(slot);
    if (monitor_ != nullptr)
        monitor_->started(slot);
    set_state(slot, CellState::running);
    Result<void> started = platform_.start_cpu(slot, cpus_[slot].first(), entry_[slot]);
    if (!started.ok()) {
        __atomic_store_n(&state_[slot], uint64_t(s) | uint64_t(why) << 8, __ATOMIC_SEQ_CST);
        publish_stop(slot);
    }
    return started;
}

Result<void> Lifecycle::shutdown(unsigned slot) {
    SpinlockGuard guard(lock_);
    if (slot == 0)
        return Error::wrong_state; // the root cell powers itself off with PSCI SYSTEM_OFF
    if (slot >= cell_limit || state(slot) == CellState::absent)
        return Error::no_such_cell;
    mark_stopping(slot, CellState::stopped); // a failed cell stays failed
    return stop_now(slot);
}

void Lifecycle::publish_stop(unsigned slot) {
    if (monitor_ == nullptr || !monitor_->attached(slot))
        return;
    const CellState s = state(slot);
    const jailconf::comm::CellState published =
        s == CellState::failed    ? jailconf::comm::CellState::failed
        : s == CellState::created ? jailconf::comm::CellState::created
                                  : jailconf::comm::CellState::shut_down;
    monitor_->stopped(slot, published, reason(slot));
}

Result<void> Lifecycle::stop_now(unsigned slot) {
    Result<void> r = platform_.stop_cpus(cpus_[slot]);
    publish_stop(slot);
    return r;
}

ShutdownOutcome Lifecycle::request_shutdown(unsigned slot) {
    {
        SpinlockGuard guard(lock_);
        if (slot != 0 && slot < cell_limit && state(slot) == CellState::running &&
            monitor_ != nullptr && monitor_->running(slot)) {
            ShutdownOutcome out;
            out.requested = true;
            out.request = monitor_->request_shutdown(slot);
            return out;
        }
    }
    ShutdownOutcome out;
    out.result = shutdown(slot);
    return out;
}

unsigned Lifecycle::tick(monitor::Event* out, bool* stopped_in_time, unsigned capacity) {
    if (monitor_ == nullptr)
        return 0;
    SpinlockGuard guard(lock_);
    // Stops decided elsewhere (a fault, the cell's own power-off) reach the comm region here.
    for (unsigned slot = 1; slot < cell_limit; ++slot) {
        if (monitor_->running(slot) && state(slot) != CellState::running)
            publish_stop(slot);
    }
    const unsigned count = monitor_->tick(out, capacity);
    for (unsigned i = 0; i < count; ++i) {
        const unsigned slot = out[i].slot;
        stopped_in_time[i] = true;
        switch (out[i].kind) {
        case monitor::EventKind::watchdog_expired:
            mark_stopping(slot, CellState::failed, FailureReason::watchdog);
            break;
        case monitor::EventKind::no_reply:
            mark_stopping(slot, CellState::failed, FailureReason::no_reply);
            break;
        case monitor::EventKind::acknowledged:
            mark_stopping(slot, CellState::stopped);
            break;
        case monitor::EventKind::denied:
            continue;
        }
        // Whatever won (this stop, or a fault a moment earlier), the CPUs go and the region
        // says so.
        stopped_in_time[i] = stop_now(slot).ok();
    }
    return count;
}

void Lifecycle::return_to_root(unsigned slot) {
    const CellResources& res = ownership_.resources(slot);
    for (unsigned i = 0; i < res.region_count; ++i) {
        const Region& r = res.regions[i];
        if (!r.is_io())
            platform_.zero_memory(r.phys, r.size);
    }
    platform_.release_stage2(slot);
    for (unsigned i = 0; i < res.region_count; ++i) {
        const Region in_root = ownership_.root_view_of(res.regions[i].phys, res.regions[i].size);
        // The root's tables still hold the splits made when the range left, so mapping it back
        // needs no new table; a failure would be a hypervisor bug, and the range then simply
        // stays unmapped in the root (isolation is kept).
        (void)platform_.map_into_root(in_root.virt, in_root.phys, in_root.size, in_root.flags);
    }
    platform_.assign_cpus(0, res.cpus);
    platform_.irqs_changed_owner(0, res.irqs);
    ownership_.give_back(slot);
    if (links_ != nullptr) {
        // The cell's link mappings went with its stage 2; a link no other cell uses any more
        // starts clean for the next cell of that name (the root, if a peer, sees it zeroed).
        platform_.set_doorbells(slot, IrqSet());
        const uint32_t zero = links_->detach(slot);
        for (unsigned id = 0; id < links_->count(); ++id) {
            if ((zero >> id & 1) != 0)
                platform_.zero_memory(links_->link(id).phys, links_->link(id).size);
        }
    }
}

Result<void> Lifecycle::destroy(unsigned slot) {
    SpinlockGuard guard(lock_);
    if (slot == 0)
        return Error::wrong_state;
    if (slot >= cell_limit || state(slot) == CellState::absent)
        return Error::no_such_cell;
    mark_stopping(slot, CellState::stopped);
    HV_TRY(platform_.stop_cpus(cpus_[slot]));
    if (monitor_ != nullptr)
        monitor_->detach(slot);
    return_to_root(slot);
    views_[slot] = jcb::BlobView();
    names_[slot] = nullptr;
    cpus_[slot] = CpuSet();
    entry_[slot] = 0;
    set_state(slot, CellState::absent);
    return {};
}

} // namespace hv::cells
