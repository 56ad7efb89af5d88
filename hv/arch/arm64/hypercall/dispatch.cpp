#include "arch/arm64/hypercall/dispatch.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "arch/arm64/gic/gicv3.hpp"
#include "arch/arm64/gic/virtual_interrupts.hpp"
#include "arch/arm64/guest/faults.hpp"
#include "arch/arm64/measure/self_measure.hpp"
#include "core/console/console.hpp"
#include "core/console/ring.hpp"
#include "core/measure/log.hpp"
#include "jailconf/hypercall.hpp"

namespace hv::arm64::hypercall {
namespace {

namespace hc = jailconf::hypercall;
using console::print;

uint64_t status(hc::Status s) {
    return uint64_t(int64_t(s));
}

// One status per hv::Error, so a caller can tell an address problem from a state problem.
hc::Status status_of(Error e) {
    switch (e) {
    case Error::ok:
        return hc::Status::success;
    case Error::bad_size:
    case Error::misaligned:
    case Error::out_of_range:
        return hc::Status::invalid_argument;
    case Error::memory_not_owned:
    case Error::not_loadable:
        return hc::Status::invalid_address;
    case Error::no_such_cell:
        return hc::Status::no_such_cell;
    case Error::not_a_peer:
        return hc::Status::denied;
    case Error::wrong_state:
        return hc::Status::wrong_state;
    case Error::no_free_slot:
    case Error::out_of_tables:
        return hc::Status::no_resources;
    case Error::cpus_did_not_stop:
    case Error::cpu_online:
        return hc::Status::busy;
    case Error::wrong_kind:
    case Error::wrong_arch:
    case Error::name_taken:
    case Error::no_entry_region:
        return hc::Status::invalid_descriptor;
    default:
        return hc::Status::invalid_argument;
    }
}

const char* resource_name(cells::ResourceKind kind) {
    switch (kind) {
    case cells::ResourceKind::cpu:
        return "CPU";
    case cells::ResourceKind::memory:
        return "memory region";
    case cells::ResourceKind::irq:
        return "interrupt";
    default:
        return "resource";
    }
}

void console_write(TrapFrame& f, const RunningCell& caller, unsigned cpu) {
    const uint64_t length = f.x[1];
    if (length > hc::console_write_max) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    char bytes[hc::console_write_max];
    for (uint64_t i = 0; i < length; ++i)
        bytes[i] = char(f.x[2 + i / 8] >> (8 * (i % 8)));
    cell_console().write(cpu, cell_name(caller), bytes, size_t(length));
    f.x[0] = length;
}

void get_state(TrapFrame& f, const RunningCell& caller) {
    const uint64_t id = f.x[1];
    if (caller.slot != hc::root_cell_id && id != caller.slot) {
        f.x[0] = status(hc::Status::denied);
        return;
    }
    if (id >= cells::cell_limit) {
        f.x[0] = status(hc::Status::no_such_cell);
        return;
    }
    f.x[0] = uint64_t(lifecycle().state(unsigned(id)));
    f.x[1] = id == 0 ? ownership().root_cpus().bits() : lifecycle().cpus(unsigned(id)).bits();
    f.x[2] = uint64_t(lifecycle().reason(unsigned(id)));
}

// A buffer the root passed for the hypervisor to fill: inside the root's own RAM and writable by
// it (so the hypervisor never writes where the root itself could not), as a hypervisor pointer.
uint8_t* root_writable_buffer(uint64_t address, uint64_t size) {
    const Result<uint64_t> phys = ownership().root_memory(address, size);
    if (!phys.ok() ||
        (ownership().root_view_of(phys.value(), size).flags & jailconf::jcb::mem_write) == 0)
        return nullptr;
    return reinterpret_cast<uint8_t*>(uintptr_t(phys.value()));
}

// The console ring into a buffer in the root's own writable RAM.
void console_read(TrapFrame& f) {
    const uint64_t address = f.x[1], size = f.x[2], from = f.x[3];
    if (size == 0 || size > hc::console_read_max) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    char* out = reinterpret_cast<char*>(root_writable_buffer(address, size));
    if (!out) {
        f.x[0] = status(hc::Status::invalid_address);
        return;
    }
    const console::Ring::Read r = console::ring().read(from, out, size_t(size));
    clean_dcache_range(out, r.copied); // the root reads it with its caches off
    f.x[0] = r.copied;
    f.x[1] = r.first;
    f.x[2] = r.next;
    f.x[3] = r.oldest;
}

// The fault record of a cell slot (guest/faults.hpp) into a buffer in the root's own writable
// RAM, as console_read does.
void fault_read(TrapFrame& f) {
    const uint64_t id = f.x[1], address = f.x[2], size = f.x[3];
    constexpr uint64_t bytes = sizeof(hc::FaultReport);
    if (id >= cells::cell_limit) {
        f.x[0] = status(hc::Status::no_such_cell);
        return;
    }
    if (size < bytes) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    uint8_t* out = root_writable_buffer(address, bytes);
    if (!out) {
        f.x[0] = status(hc::Status::invalid_address);
        return;
    }
    const hc::FaultReport report = faults::log().read(unsigned(id));
    const auto* in = reinterpret_cast<const uint8_t*>(&report);
    for (uint64_t i = 0; i < bytes; ++i) // byte by byte: the buffer need not be aligned
        out[i] = in[i];
    clean_dcache_range(out, bytes); // the root reads it with its caches off
    f.x[0] = bytes;
    f.x[1] = report.total;
}

// Measurements (1.2): the log's size, its entries into root RAM, the integrity check's state.
void measurement_info(TrapFrame& f) {
    const measure::Log& log = measure::measurement_log();
    f.x[0] = log.held();
    f.x[1] = log.made();
    f.x[2] = jailconf::measure::log_capacity;
    f.x[3] = sizeof(jailconf::measure::Entry);
}

void measurement_read(TrapFrame& f) {
    const uint64_t first = f.x[1], address = f.x[2], size = f.x[3];
    constexpr uint64_t entry_size = sizeof(jailconf::measure::Entry);
    if (size < entry_size || size > hc::measurement_read_max) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    uint8_t* buffer = root_writable_buffer(address, size);
    if (!buffer) {
        f.x[0] = status(hc::Status::invalid_address);
        return;
    }
    const measure::Log& log = measure::measurement_log();
    uint32_t copied = 0;
    if (first < jailconf::measure::log_capacity) {
        auto* out = reinterpret_cast<jailconf::measure::Entry*>(buffer);
        copied = log.read(uint32_t(first), out, uint32_t(size / entry_size));
        clean_dcache_range(out, copied * entry_size); // the root reads it with its caches off
    }
    f.x[0] = copied;
    f.x[1] = log.held();
    f.x[2] = f.x[3] = 0;
}

void integrity_status(TrapFrame& f) {
    const self_measure::IntegrityStatus s = self_measure::integrity_status();
    f.x[0] = uint64_t(s.state);
    f.x[1] = s.passes;
    f.x[2] = s.changes;
    f.x[3] = s.max_step_ticks;
}

void create(TrapFrame& f) {
    const uint64_t address = f.x[1], size = f.x[2];
    const cells::CreateOutcome out = lifecycle().create(address, size);
    f.x[1] = f.x[2] = f.x[3] = 0;
    if (out.ok()) {
        const unsigned id = out.slot;
        print("hv: cell %s created (id %u, cpus 0x%lx) from the descriptor at 0x%lx\n",
              lifecycle().name(id), id, lifecycle().cpus(id).bits(), address);
        faults::log().reset(id); // the slot's faults are the new cell's from now on
        f.x[0] = id;
        return;
    }
    if (!out.verify.ok()) {
        print("hv: cell_create refused the descriptor at 0x%lx (%lu bytes): error %u (%s) at "
              "offset 0x%x, section %s\n",
              address, size, unsigned(out.verify.error),
              jailconf::jcb::verify_error_message(out.verify.error), out.verify.offset,
              out.verify.section == 0 ? "header or section table"
                                      : jailconf::jcb::section_name(out.verify.section));
        f.x[0] = status(hc::Status::invalid_descriptor);
        f.x[1] = uint64_t(out.verify.error);
        f.x[2] = out.verify.offset;
        f.x[3] = out.verify.section;
        return;
    }
    if (!out.finding.ok()) {
        print("hv: cell_create refused the descriptor at 0x%lx: %s %lu: %s\n", address,
              resource_name(out.finding.kind), out.finding.which, error_message(out.finding.error));
        f.x[0] = status(hc::Status::resource_refused);
        f.x[1] = uint64_t(out.finding.kind);
        f.x[2] = out.finding.which;
        f.x[3] = uint64_t(out.finding.error);
        return;
    }
    const hc::Status s = status_of(out.error);
    if (s == hc::Status::invalid_descriptor) {
        print("hv: cell_create refused the descriptor at 0x%lx: %s\n", address,
              error_message(out.error));
        f.x[3] = uint64_t(out.error);
    }
    f.x[0] = status(s);
}

// load, start, shutdown and destroy: a result without a value.
void lifecycle_call(TrapFrame& f, hc::Function function) {
    const uint64_t id = f.x[1];
    const unsigned slot = id < cells::cell_limit ? unsigned(id) : cells::cell_limit;
    const char* name = lifecycle().name(slot);
    Result<void> r = Error::no_such_cell;
    switch (function) {
    case hc::Function::cell_load:
        r = lifecycle().load(slot, f.x[2], f.x[3], f.x[4]);
        break;
    case hc::Function::cell_start:
        r = lifecycle().start(slot);
        if (r.ok())
            print("hv: starting cell %s on cpu %u at 0x%lx\n", name, lifecycle().cpus(slot).first(),
                  lifecycle().entry(slot));
        break;
    case hc::Function::cell_shutdown: {
        const cells::ShutdownOutcome out = lifecycle().request_shutdown(slot);
        if (out.requested) {
            if (!out.request.already_pending)
                print("hv: cell %s: shutdown requested (seq %lu), %u ms to answer\n", name,
                      out.request.seq, out.request.timeout_ms);
            f.x[0] = hc::shutdown_requested;
            f.x[1] = out.request.seq;
            f.x[2] = out.request.timeout_ms;
            return;
        }
        r = out.result;
        if (r.ok())
            print("hv: cell %s shut down\n", name);
        break;
    }
    case hc::Function::cell_destroy:
        r = lifecycle().destroy(slot);
        if (r.ok())
            print("hv: cell %s destroyed, its memory zeroed and returned to the root cell\n", name);
        break;
    default:
        break;
    }
    f.x[0] = status(status_of(r.ok() ? Error::ok : r.error()));
}

// link_find: the name arrives in registers like console_write's bytes.
void link_find(TrapFrame& f, const RunningCell& caller) {
    const uint64_t length = f.x[1];
    if (length == 0 || length > hc::link_name_max) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    char name[hc::link_name_max];
    for (uint64_t i = 0; i < length; ++i)
        name[i] = char(f.x[2 + i / 8] >> (8 * (i % 8)));
    const Result<cells::LinkInfo> found = links().find(caller.slot, name, size_t(length));
    if (!found.ok()) {
        f.x[0] = status(hc::Status::invalid_argument);
        return;
    }
    const cells::LinkInfo& k = found.value();
    f.x[0] = k.id;
    f.x[1] = k.virt;
    f.x[2] = k.size;
    f.x[3] = hc::link_find_x3(k.peer_index, k.peer_count, k.doorbell);
}

// link_ring: the doorbell goes pending in every other peer cell; those that enabled it get it
// on their first CPU now (kick SGI), the others when they enable it.
void link_ring(TrapFrame& f, const RunningCell& caller) {
    const Result<uint32_t> targets = links().ring_targets(caller.slot, f.x[1]);
    if (!targets.ok()) {
        f.x[0] = status(status_of(targets.error()));
        return;
    }
    const uint32_t doorbell = links().link(unsigned(f.x[1])).doorbell;
    uint64_t rung = 0;
    for (unsigned slot = 0; slot < cells::cell_limit; ++slot) {
        if ((targets.value() >> slot & 1) == 0 ||
            lifecycle().state(slot) != cells::CellState::running)
            continue;
        ++rung;
        if (gic::virtual_gic().ring_doorbell(slot, doorbell))
            vgic::kick_doorbells(slot);
    }
    f.x[0] = rung;
}

} // namespace

void call_uid(TrapFrame& f) {
    for (unsigned i = 0; i < 4; ++i)
        f.x[i] = hc::jailconf_uid[i];
}

void dispatch(TrapFrame& f, RunningCell& caller, unsigned cpu) {
    const auto function = hc::Function(uint32_t(f.x[0]));
    const bool root = caller.slot == hc::root_cell_id;
    switch (function) {
    case hc::Function::version:
        f.x[0] = hc::abi_version;
        return;
    case hc::Function::console_write:
        console_write(f, caller, cpu);
        return;
    case hc::Function::cell_self:
        f.x[0] = caller.slot;
        return;
    case hc::Function::cell_get_state:
        get_state(f, caller);
        return;
    case hc::Function::console_read:
        if (!root)
            break;
        console_read(f);
        return;
    case hc::Function::cell_create:
        if (!root)
            break;
        create(f);
        return;
    case hc::Function::link_find:
        link_find(f, caller);
        return;
    case hc::Function::link_ring:
        link_ring(f, caller);
        return;
    case hc::Function::fault_read:
        if (!root)
            break;
        fault_read(f);
        return;
    case hc::Function::measurement_info:
        if (!root)
            break;
        measurement_info(f);
        return;
    case hc::Function::measurement_read:
        if (!root)
            break;
        measurement_read(f);
        return;
    case hc::Function::integrity_status:
        if (!root)
            break;
        integrity_status(f);
        return;
    case hc::Function::cell_load:
    case hc::Function::cell_start:
    case hc::Function::cell_shutdown:
    case hc::Function::cell_destroy:
        if (!root)
            break;
        lifecycle_call(f, function);
        return;
    default:
        f.x[0] = status(hc::Status::not_supported);
        return;
    }
    f.x[0] = status(hc::Status::denied);
}

} // namespace hv::arm64::hypercall
