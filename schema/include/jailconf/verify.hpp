// The descriptor verifier, shared by confgen (after compiling, before decompiling) and the
// hypervisor (before using any descriptor). It checks the structure first (header, integrity,
// section table, placement), then every element in section id order, and stops at the first
// finding with its precise reason and byte offset. A blob it accepts can be read through
// BlobView (blob_view.hpp) without further bounds checks. Freestanding, no allocation.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/layout.hpp"
#include "jailconf/verify_cell.hpp"
#include "jailconf/verify_common.hpp"
#include "jailconf/verify_header.hpp"
#include "jailconf/verify_result.hpp"
#include "jailconf/verify_system.hpp"

namespace jailconf::jcb {

// Verifies and, on success, describes where the sections are in `out`. On failure `out` may be
// partly filled and must not be used.
inline VerifyResult verify_layout(const uint8_t* data, size_t size, Layout& out) {
    VerifyResult r = verify_structure(data, size, out);
    if (r.ok())
        r = verify_strings(out);
    if (r.ok() && out.kind == BlobKind::system)
        r = verify_system_head(out);
    if (r.ok())
        r = verify_cell_sections(out);
    if (r.ok() && out.kind == BlobKind::system)
        r = verify_links(out);
    if (r.ok() && out.kind == BlobKind::system)
        r = verify_gic_not_mapped(out);
    return r;
}

inline VerifyResult verify(const uint8_t* data, size_t size) {
    Layout layout;
    return verify_layout(data, size, layout);
}

} // namespace jailconf::jcb
