// Errors as values for the hypervisor: one error enum for hv's own domain (descriptor checks have
// their own, jailconf::jcb::VerifyError), a message per code, and a small Result that carries a
// value or an error. No exceptions exist at EL2, so every fallible call returns one of these.
#pragma once

#include <stdint.h>

namespace hv {

enum class Error : uint16_t {
    ok = 0,
    out_of_tables,       // the static translation-table pool is exhausted
    misaligned,          // an address or size is not a multiple of the page size
    out_of_range,        // an address lies beyond the translation's input or output size
    already_mapped,      // part of the range is mapped already
    no_descriptor,       // nothing that looks like a descriptor at the load address
    descriptor_too_big,  // total_size exceeds the descriptor slot
    wrong_arch,          // the descriptor is not for arm64
    wrong_kind,          // a cell blob where the system blob is expected
    cpu_out_of_range,    // a CPU id beyond what this build or the platform supports
    boot_cpu_not_root,   // CPU 0 (the boot CPU) is not given to the root cell
    no_entry_region,     // the cell has no region its entry point could be in
    overlaps_hypervisor, // a cell region overlaps the hypervisor's memory
    image_outside_hypervisor_memory, // hv's image or descriptor slot is outside its declared memory
    too_many_regions,                // more memory regions than the hypervisor keeps for a cell
    no_cpus,                         // a cell without CPUs
    cpu_not_owned,                   // a CPU the root cell does not own (any more)
    cpu_online,                      // a CPU that is running (the root must turn it off first)
    memory_not_owned,                // a range not inside memory the root cell owns
    memory_in_use,                   // a range given to another cell already
    irq_not_owned,                   // an interrupt the root cell does not own
    unsupported_resource, // PCI devices, stream ids, port I/O, links or region flags not supported
    name_taken,           // a cell with this name exists
    no_free_slot,         // every cell slot is in use
    bad_size,             // a size or length out of bounds
    no_such_cell,         // no cell with this id
    wrong_state,          // the operation does not apply in the cell's state
    not_loadable,         // the destination is not inside a loadable region of the cell
    cpus_did_not_stop,    // a CPU of a stopping cell did not reach the hypervisor in time
    bad_comm_region,      // a comm region that is io, not read-write, under 4 KiB, unaligned, or a
                          // second one
    watchdog_without_comm_region, // a watchdog but no comm region to beat in
    gic_region,                   // a region over the GIC (distributor, redistributors, ...)
    irq_not_spi,                  // an interrupt outside INTIDs 32-1019 (LPIs are not supported)
    too_many_links,               // more links than the hypervisor keeps (link_limit)
    link_overlaps_memory, // link memory overlaps the hypervisor, a root region or another link
    link_overlaps_region, // a peer's guest range of a link overlaps one of its regions or links
    doorbell_not_free,    // a doorbell that is no SPI, is owned by a cell or rings another link
    no_such_link,         // no link of this name or id of which the caller is a peer
    not_a_peer,           // the caller is not a peer of this link
    no_doorbell,          // the link has no doorbell to ring
    count_,
};

inline constexpr const char* error_messages[] = {
    "ok",
    "translation-table pool exhausted",
    "address or size not page aligned",
    "address out of range",
    "range already mapped",
    "no descriptor at the load address",
    "descriptor larger than its slot",
    "descriptor is not for arm64",
    "descriptor is not a system blob",
    "CPU id out of range",
    "the boot CPU (0) does not belong to the root cell",
    "cell has no region flagged loadable or execute to start in",
    "cell memory overlaps the hypervisor's memory",
    "hypervisor image or descriptor slot outside the declared hypervisor memory",
    "more memory regions than a cell may have",
    "cell has no CPUs",
    "CPU not owned by the root cell",
    "CPU is running (turn it off in the root cell first)",
    "memory not owned by the root cell",
    "memory already given to another cell",
    "interrupt not owned by the root cell",
    "resource kind or region flag not supported by this hypervisor",
    "a cell with this name exists",
    "no free cell slot",
    "size out of bounds",
    "no such cell",
    "operation not allowed in the cell's state",
    "destination not inside a loadable region of the cell",
    "a CPU of the cell did not stop in time",
    "communication region must be one read-write RAM region of at least 4 KiB, page aligned",
    "a watchdog needs a communication region to beat in",
    "region maps the interrupt controller, which the hypervisor owns and emulates",
    "interrupt is not an SPI (32-1019): SGIs and PPIs are virtual, LPIs are not supported",
    "more links than the hypervisor keeps",
    "link memory overlaps hypervisor memory, a cell's memory or another link",
    "link's guest range overlaps a region or another link of a peer",
    "doorbell must be an SPI that no cell owns and no other link rings",
    "no such link",
    "not a peer of the link",
    "the link has no doorbell",
};
static_assert(sizeof(error_messages) / sizeof(error_messages[0]) == uint16_t(Error::count_),
              "one message per error code");

// Numbers documented in docs/hypercalls.md (create's resource_refused reasons).
static_assert(uint16_t(Error::gic_region) == 31 && uint16_t(Error::irq_not_spi) == 32);

constexpr const char* error_message(Error e) {
    return uint16_t(e) < uint16_t(Error::count_) ? error_messages[uint16_t(e)] : "unknown error";
}

// A value of T or an Error. T must be default-constructible and cheap to copy (addresses,
// pointers, small structs): the hypervisor never returns owning objects through it.
template <class T> class [[nodiscard]] Result {
  public:
    constexpr Result(T value) : value_(value) {}
    constexpr Result(Error error) : error_(error) {}

    constexpr bool ok() const { return error_ == Error::ok; }
    constexpr Error error() const { return error_; }
    constexpr const T& value() const { return value_; }

  private:
    T value_{};
    Error error_ = Error::ok;
};

// The result of an operation without a value.
template <> class [[nodiscard]] Result<void> {
  public:
    constexpr Result() = default;
    constexpr Result(Error error) : error_(error) {}

    constexpr bool ok() const { return error_ == Error::ok; }
    constexpr Error error() const { return error_; }

  private:
    Error error_ = Error::ok;
};

} // namespace hv

// Returns the error of a failed Result<void> expression from the enclosing function.
#define HV_TRY(expr)                                                                               \
    do {                                                                                           \
        if (auto hv_try_result_ = (expr); !hv_try_result_.ok())                                    \
            return hv_try_result_.error();                                                         \
    } while (0)
