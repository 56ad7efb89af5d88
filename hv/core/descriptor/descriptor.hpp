// The hypervisor's entry to configuration descriptors: nothing reads a descriptor except through
// open(), which verifies it, and the BlobView it returns.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/blob_view.hpp"

namespace hv::descriptor {

using jailconf::jcb::BlobView;
using jailconf::jcb::VerifyResult;

// Verifies `size` bytes at `data`; on success `out` views them. The bytes must not change while
// the view is used (the caller copies a descriptor into hypervisor memory before opening it).
[[nodiscard]] VerifyResult open(const uint8_t* data, size_t size, BlobView& out);

// Totals a boot log can print after opening a descriptor.
struct Summary {
    uint32_t cpus = 0; // CPUs given to the cell
    uint32_t memory_regions = 0;
    uint64_t memory_bytes = 0;
    uint32_t irqs = 0; // interrupts given to the cell
    uint32_t pci_devices = 0;
    uint32_t pci_caps = 0;
    uint32_t link_peers = 0;
};
Summary summarize(const BlobView& view);

} // namespace hv::descriptor
