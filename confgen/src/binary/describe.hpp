// Verifier findings as text for people: "offset 0x1a0: section 'memory' extends past the end of
// the blob (0x1c0 > 0x1b0)". The hypervisor prints the bare message table instead.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "jailconf/verify_result.hpp"

namespace jailconf::binary {

// `bytes` is the blob the result is about; it lets the text name the element (index in its
// section) a finding concerns.
std::string describe(const jcb::VerifyResult& result, std::span<const uint8_t> bytes);

} // namespace jailconf::binary
