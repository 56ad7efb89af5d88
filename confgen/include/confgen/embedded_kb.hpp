// The knowledge base (kb/: rules, device and board data, their schemas), embedded at build time.
#pragma once

#include <span>
#include <string_view>

namespace jailconf {

struct EmbeddedFile {
    std::string_view path; // relative to kb/, e.g. "rules/pci.yaml"
    std::string_view content;
};

std::span<const EmbeddedFile> embedded_kb_files();

} // namespace jailconf
