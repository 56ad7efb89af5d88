#include "output_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

namespace confgen {
namespace fs = std::filesystem;

std::optional<std::string> write_files_atomically(std::span<const PendingFile> files) {
    std::vector<fs::path> temps;
    auto discard = [&] {
        std::error_code ec;
        for (const auto& t : temps)
            fs::remove(t, ec);
    };
    for (const auto& f : files) {
        if (f.path.has_parent_path()) {
            std::error_code ec;
            fs::create_directories(f.path.parent_path(), ec);
        }
        fs::path temp = f.path;
        temp += fmt::format(".tmp{}", getpid());
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) {
            discard();
            return fmt::format("cannot write '{}': {}", f.path.string(), std::strerror(errno));
        }
        temps.push_back(temp);
        out.write(reinterpret_cast<const char*>(f.bytes.data()), std::streamsize(f.bytes.size()));
        out.close();
        if (!out) {
            discard();
            return fmt::format("cannot write '{}': {}", f.path.string(), std::strerror(errno));
        }
    }
    for (size_t i = 0; i < files.size(); ++i) {
        std::error_code ec;
        fs::rename(temps[i], files[i].path, ec);
        if (ec) {
            discard();
            return fmt::format("cannot write '{}': {}", files[i].path.string(), ec.message());
        }
    }
    return std::nullopt;
}

std::optional<std::string> write_text_atomically(const fs::path& path, const std::string& text) {
    PendingFile f{path, std::vector<uint8_t>(text.begin(), text.end())};
    return write_files_atomically(std::span(&f, 1));
}

} // namespace confgen
