// MachineFiles over an in-memory map, for tests that vary a real capture (drop a file, corrupt
// one, lay a dump out as a sysfs tree). Enforces the allow-list like the real implementations.
#pragma once

#include <map>
#include <set>
#include <string>

#include "confgen/machine_files.hpp"

namespace jailconf::test {

class MemoryFiles final : public MachineFiles {
  public:
    std::map<std::string, std::string> files;
    std::map<std::string, std::string> links;
    std::map<std::string, ScanError::Kind> errors; // reads of these paths fail so

    Expected<std::string, ScanError> read(std::string_view path, size_t max_size) const override {
        if (!path_allowed(path))
            return Unexpected(error(path, ScanError::Kind::not_allowed));
        if (auto e = errors.find(std::string(path)); e != errors.end())
            return Unexpected(error(path, e->second));
        auto it = files.find(std::string(path));
        if (it == files.end())
            return Unexpected(error(path, ScanError::Kind::not_found));
        if (it->second.size() > max_size)
            return Unexpected(error(path, ScanError::Kind::too_large));
        return it->second;
    }
    Expected<std::vector<std::string>, ScanError> list(std::string_view dir) const override {
        std::string prefix = std::string(dir) + "/";
        std::set<std::string> names;
        for (const auto* m : {&files, &links})
            for (const auto& [path, _] : *m)
                if (path.starts_with(prefix))
                    names.insert(
                        path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size()));
        if (names.empty())
            return Unexpected(error(dir, ScanError::Kind::not_found));
        return std::vector<std::string>(names.begin(), names.end());
    }
    Expected<std::string, ScanError> read_link(std::string_view path) const override {
        if (!path_allowed(path))
            return Unexpected(error(path, ScanError::Kind::not_allowed));
        auto it = links.find(std::string(path));
        if (it == links.end())
            return Unexpected(error(path, ScanError::Kind::not_found));
        return it->second;
    }
    bool is_directory(std::string_view) const override { return false; }
    std::string describe() const override { return "memory"; }

  private:
    static ScanError error(std::string_view path, ScanError::Kind kind) {
        ScanError e;
        e.kind = kind;
        e.file = std::string(path);
        e.message = "test";
        return e;
    }
};

} // namespace jailconf::test
