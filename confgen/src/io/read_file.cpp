#include "confgen/read_file.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>

namespace jailconf {

Expected<std::string, std::string> read_file(const std::filesystem::path& path) {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
        return Unexpected(fmt::format("cannot read '{}': no such file", path.string()));
    if (std::filesystem::is_directory(status))
        return Unexpected(fmt::format("cannot read '{}': it is a directory", path.string()));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Unexpected(fmt::format("cannot read '{}': {}", path.string(), std::strerror(errno)));
    std::string data;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        data.append(buffer, size_t(in.gcount()));
        if (data.size() > max_input_file_size)
            return Unexpected(fmt::format("cannot read '{}': larger than the {} MiB limit",
                                          path.string(), max_input_file_size >> 20));
    }
    if (in.bad())
        return Unexpected(fmt::format("cannot read '{}': read error", path.string()));
    return data;
}

} // namespace jailconf
