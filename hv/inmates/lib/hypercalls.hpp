// Hypercall wrappers for inmates (the ABI: schema/include/jailconf/hypercall.hpp,
// docs/hypercalls.md). Each returns x0 as the hypervisor left it: a non-negative result or a
// negative jailconf::hypercall::Status; the calls that report more fill a Reply.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/hypercall.hpp"

namespace inmate {

namespace hc = jailconf::hypercall;

// x0..x3 after a hypercall.
struct Reply {
    int64_t status = 0;
    uint64_t x1 = 0, x2 = 0, x3 = 0;
};

// The raw call: function id and x1..x7 in, x0..x3 out.
Reply hypercall(uint32_t function, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                uint64_t a4 = 0, uint64_t a5 = 0, uint64_t a6 = 0, uint64_t a7 = 0);

inline constexpr size_t console_piece = hc::console_write_max;

int64_t hv_version();
int64_t console_write(const char* text, size_t length); // length <= console_piece
int64_t cell_self();
Reply cell_get_state(uint64_t id); // status = CellState, x1 = CPU bitmap
Reply cell_create(uint64_t address, uint64_t size);
int64_t cell_load(uint64_t id, uint64_t dest, uint64_t source, uint64_t size);
int64_t cell_start(uint64_t id);
int64_t cell_shutdown(uint64_t id);
int64_t cell_destroy(uint64_t id);
// Root only (1.2): the faults counted for cell `id` into `out` (which must be in the root's
// writable RAM, e.g. on its stack); status = bytes written, x1 = the total count.
Reply fault_read(uint64_t id, hc::FaultReport& out);

// Measurements (1.2, jailconf/measurement.hpp): status = entries held, x1 = measurements made,
// x2 = capacity, x3 = entry size.
Reply measurement_info();
// Copies entries from `first` into the buffer at `address` (`size` bytes, 64 per entry):
// status = entries copied, x1 = entries held.
Reply measurement_read(uint64_t first, uint64_t address, uint64_t size);
// status = IntegrityState, x1 = passes, x2 = passes that found a change, x3 = the longest step.
Reply integrity_status();

// The size a descriptor's header records (total_size, little-endian at offset 12).
uint32_t descriptor_size(uint64_t address);

} // namespace inmate
