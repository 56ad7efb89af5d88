// Reading an input file whole, bounded in size, with an error message instead of an exception.
#pragma once

#include "confgen/expected.hpp"
#include <filesystem>
#include <string>

namespace jailconf {

inline constexpr size_t max_input_file_size = 64u << 20;

Expected<std::string, std::string> read_file(const std::filesystem::path& path);

} // namespace jailconf
