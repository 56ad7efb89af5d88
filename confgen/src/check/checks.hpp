// The topics of check_system(), one file each. Every function reports all its findings and relies
// on no other having run first; where a check needs sane input (an overlap needs a range that does
// not wrap) it skips the bad element, whose own rule says so.
#pragma once

#include "confgen/diagnostics.hpp"
#include "confgen/model.hpp"

namespace jailconf::checks {

// JC-ROOT-COUNT, JC-CELL-NAME-DUP.
void check_cells(const System& system, Diagnostics& diags);
// JC-CPU-NONE, JC-CPU-ABSENT, JC-CPU-DUP, JC-PLATFORM-CPU-DUP.
void check_cpus(const System& system, Diagnostics& diags);
// JC-MEM-ZERO-SIZE, JC-MEM-OVERFLOW, JC-MEM-ALIGN for cell regions and hypervisor memory.
void check_memory_shape(const System& system, Diagnostics& diags);
// JC-MEM-OVERLAP, JC-MEM-CELL-OVERLAP, JC-MEM-HV-OVERLAP, JC-LINK-OVERLAP: one physical sweep.
void check_physical_overlaps(const System& system, Diagnostics& diags);
// JC-MEM-VIRT-OVERLAP: one sweep per cell over its regions and the links it is a peer of.
void check_guest_overlaps(const System& system, Diagnostics& diags);
// JC-MEM-GIC: a cell region over the platform's GIC (jailconf/gic_ranges.hpp).
void check_gic_mappings(const System& system, Diagnostics& diags);
// JC-IRQ-RANGE, JC-IRQ-DUP.
void check_irqs(const System& system, Diagnostics& diags);
// JC-PCI-DUP, JC-PCI-BAR, JC-PCI-MSIX.
void check_pci(const System& system, Diagnostics& diags);
// JC-SID-DUP.
void check_stream_ids(const System& system, Diagnostics& diags);
// JC-LINK-PEER, JC-LINK-NAME-DUP, JC-LINK-ALIGN (and JC-MEM-OVERFLOW for link ranges).
void check_links(const System& system, Diagnostics& diags);
// JC-CONSOLE-UNMAPPED.
void check_consoles(const System& system, Diagnostics& diags);
// JC-ARCH-FIELD.
void check_arch_fields(const System& system, Diagnostics& diags);
// JC-LIMIT.
void check_limits(const System& system, Diagnostics& diags);

// Ids that a cell owns exclusively (CPUs, interrupts), for check_shared_ids.
struct SharedIdKind {
    std::vector<IdRange> Cell::*ids;
    const char* rule; // JC-CPU-DUP, JC-IRQ-DUP
    const char* noun; // "CPU", "interrupt"
};
// An id owned by two cells: one sweep over the ranges of all cells.
void check_shared_ids(const System& system, const SharedIdKind& kind, Diagnostics& diags);

// Whether a console type exists on the architecture (pl011 is Arm only, port I/O is x86 only).
bool console_applies(Arch arch, ConsoleType type);

} // namespace jailconf::checks
