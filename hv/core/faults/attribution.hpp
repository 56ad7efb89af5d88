// What a faulting address belongs to, by the descriptors: the hypervisor's own memory or console,
// a block of the platform (GIC distributor or redistributors, PCI ECAM, an IOMMU), or a memory
// region of a cell ("<cell>/<region>": the non-root cells' from their blobs first, since their
// memory came out of the root's, then the root's from the system descriptor). A cell's stray
// address is an IPA outside its own regions, so nothing translates it: it is looked up as a
// physical address, which is what it names under the identity mapping descriptors use for devices.
// Arch-neutral, no allocation.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/blob_view.hpp"

namespace hv::faults {

// Writes the name of what `address` belongs to into `out` (capacity bytes, NUL-terminated when
// capacity > 0) and returns true; writes "" and returns false when nothing known contains it.
// `cells` are the non-root cells' blobs (count of them; invalid views are skipped).
bool name_address(const jailconf::jcb::BlobView& system, const jailconf::jcb::BlobView* cells,
                  unsigned count, uint64_t address, char* out, size_t capacity);

} // namespace hv::faults
