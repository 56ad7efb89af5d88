// Writing outputs all-or-nothing: every file is written to a temporary name beside its target and
// renamed only when all of them were written, so a failure never leaves a partial output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confgen {

struct PendingFile {
    std::filesystem::path path;
    std::vector<uint8_t> bytes;
};

// On failure returns the error message and leaves no file behind.
std::optional<std::string> write_files_atomically(std::span<const PendingFile> files);
std::optional<std::string> write_text_atomically(const std::filesystem::path& path,
                                                 const std::string& text);

} // namespace confgen
