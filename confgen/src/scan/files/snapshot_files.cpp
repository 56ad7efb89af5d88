// MachineFiles over a snapshot archive written by `confgen collect`. The archive is read once
// into memory (snapshots are a few MB); listings come from the entry names.
#include <fmt/format.h>
#include <map>
#include <set>

#include "confgen/machine_files.hpp"
#include "confgen/read_file.hpp"
#include "scan/files/allow_list.hpp"
#include "scan/files/snapshot_manifest.hpp"
#include "scan/files/tar_archive.hpp"

namespace jailconf {
namespace {

using scan::TarEntry;

ScanError entry_error(ScanError::Kind kind, std::string_view path, std::string message,
                      std::string fix = {}) {
    return ScanError::of_file(kind, std::string(path), std::move(message), std::move(fix));
}

class SnapshotMachineFiles final : public MachineFiles {
  public:
    SnapshotMachineFiles(std::string name, std::vector<TarEntry> entries) : name_(std::move(name)) {
        dirs_["/"];
        for (auto& e : entries) {
            std::string path = "/" + e.path;
            add_parents(path);
            if (e.type == TarEntry::Type::directory)
                dirs_[path];
            else
                entries_[path] = std::move(e);
        }
    }

    Expected<std::string, ScanError> read(std::string_view path, size_t max_size) const override {
        if (!path_allowed(path))
            return Unexpected(
                entry_error(ScanError::Kind::not_allowed, path, "not on the scanner's allow-list"));
        auto it = entries_.find(std::string(path));
        if (it == entries_.end() || it->second.type != TarEntry::Type::file)
            return Unexpected(missing(path));
        if (it->second.content.size() > max_size)
            return Unexpected(entry_error(ScanError::Kind::too_large, path,
                                          fmt::format("larger than {} bytes", max_size)));
        return it->second.content;
    }

    Expected<std::vector<std::string>, ScanError> list(std::string_view dir) const override {
        if (!scan::directory_allowed(dir))
            return Unexpected(
                entry_error(ScanError::Kind::not_allowed, dir, "not on the scanner's allow-list"));
        auto it = dirs_.find(std::string(dir));
        if (it == dirs_.end())
            return Unexpected(missing(dir));
        return std::vector<std::string>(it->second.begin(), it->second.end());
    }

    Expected<std::string, ScanError> read_link(std::string_view path) const override {
        if (!path_allowed(path))
            return Unexpected(
                entry_error(ScanError::Kind::not_allowed, path, "not on the scanner's allow-list"));
        auto it = entries_.find(std::string(path));
        if (it == entries_.end() || it->second.type != TarEntry::Type::symlink)
            return Unexpected(missing(path));
        return it->second.content;
    }

    bool is_directory(std::string_view path) const override {
        return dirs_.count(std::string(path)) != 0;
    }

    std::string describe() const override { return fmt::format("snapshot {}", name_); }

  private:
    ScanError missing(std::string_view path) const {
        return entry_error(ScanError::Kind::not_found, path,
                           fmt::format("not in snapshot {}", name_),
                           "it was absent or unreadable on the machine when collected");
    }

    void add_parents(const std::string& path) {
        size_t slash = path.rfind('/');
        std::string child = path.substr(slash + 1);
        std::string parent = slash == 0 ? "/" : path.substr(0, slash);
        auto [it, inserted] = dirs_.try_emplace(parent);
        it->second.insert(child);
        if (inserted && parent != "/")
            add_parents(parent);
    }

    std::string name_;
    std::map<std::string, TarEntry> entries_;
    std::map<std::string, std::set<std::string>> dirs_;
};

} // namespace

Expected<std::unique_ptr<MachineFiles>, ScanError> open_snapshot(const std::string& tar_path) {
    auto bytes = read_file(tar_path);
    if (!bytes)
        return Unexpected(entry_error(ScanError::Kind::unreadable, tar_path, bytes.error()));
    auto entries = scan::read_tar(*bytes, tar_path);
    if (!entries)
        return Unexpected(entries.error());
    bool has_manifest = false;
    for (auto& e : *entries)
        has_manifest |= e.path == scan::snapshot_manifest_name;
    if (!has_manifest)
        return Unexpected(entry_error(
            ScanError::Kind::malformed, tar_path,
            fmt::format("not a confgen snapshot: no {}", scan::snapshot_manifest_name),
            "make snapshots with 'confgen collect'; for a copied directory tree use --root"));
    return std::unique_ptr<MachineFiles>(
        std::make_unique<SnapshotMachineFiles>(tar_path, std::move(*entries)));
}

} // namespace jailconf
