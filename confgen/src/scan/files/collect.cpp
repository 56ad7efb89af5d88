#include "confgen/collect.hpp"

#include <fmt/format.h>
#include <map>
#include <yaml-cpp/yaml.h>

#include "scan/files/allow_list.hpp"
#include "scan/files/snapshot_manifest.hpp"
#include "scan/files/tar_archive.hpp"

namespace jailconf {
namespace {

using scan::EntryKind;
using scan::TarEntry;

constexpr size_t max_file_size = 64u << 20; // the largest ACPI DSDTs are a few MB
constexpr int max_depth = 64;               // device-tree nesting is far shallower

bool has_wildcard(std::string_view component) {
    return component.find_first_of("*?[") != std::string_view::npos;
}

std::vector<std::string> split(std::string_view pattern) {
    std::vector<std::string> out;
    size_t i = 1;
    while (i <= pattern.size()) {
        size_t end = std::min(pattern.find('/', i), pattern.size());
        out.emplace_back(pattern.substr(i, end - i));
        i = end + 1;
    }
    return out;
}

std::string join(const std::string& dir, const std::string& name) {
    return dir == "/" ? "/" + name : dir + "/" + name;
}

class Collector {
  public:
    explicit Collector(const MachineFiles& source) : source_(source) {}

    void expand(const scan::AllowedPattern& p) {
        auto parts = split(p.pattern);
        walk("/", parts, 0, p.kind);
    }

    std::map<std::string, TarEntry> entries;
    std::vector<std::string> warnings;
    size_t files = 0, bytes = 0;

  private:
    void walk(const std::string& dir, const std::vector<std::string>& parts, size_t i,
              EntryKind kind) {
        if (parts[i] == "**") {
            walk_all(dir, kind, 0);
            return;
        }
        bool last = i + 1 == parts.size();
        std::vector<std::string> names;
        if (has_wildcard(parts[i])) {
            auto listed = list(dir);
            for (auto& n : listed)
                if (scan::match_allowed(join(dir, n)) || scan::directory_allowed(join(dir, n)))
                    names.push_back(n);
        } else {
            names.push_back(parts[i]);
        }
        for (auto& n : names) {
            std::string path = join(dir, n);
            if (last)
                take(path, kind);
            else if (source_.is_directory(path))
                walk(path, parts, i + 1, kind);
        }
    }

    void walk_all(const std::string& dir, EntryKind kind, int depth) {
        if (depth > max_depth) {
            warnings.push_back(
                fmt::format("{}: nested deeper than {} levels, not copied", dir, max_depth));
            return;
        }
        for (auto& n : list(dir)) {
            std::string path = join(dir, n);
            if (source_.is_directory(path))
                walk_all(path, kind, depth + 1);
            else
                take(path, kind);
        }
    }

    std::vector<std::string> list(const std::string& dir) {
        auto names = source_.list(dir);
        if (!names) {
            if (names.error().kind != ScanError::Kind::not_found)
                warnings.push_back(names.error().str());
            return {};
        }
        // Directories are implied by the files in them: an empty one is not recorded (a git
        // checkout of an extracted snapshot could not hold it either), and the scanners treat
        // an absent directory as an empty one.
        return std::move(*names);
    }

    void take(const std::string& path, EntryKind kind) {
        if (!scan::match_allowed(path) || entries.count(path.substr(1)))
            return;
        if (kind == EntryKind::file && source_.is_directory(path))
            return; // e.g. /sys/firmware/acpi/tables/data
        auto content =
            kind == EntryKind::link ? source_.read_link(path) : source_.read(path, max_file_size);
        if (!content) {
            if (content.error().kind != ScanError::Kind::not_found)
                warnings.push_back(content.error().str());
            return;
        }
        ++files;
        bytes += content->size();
        auto type = kind == EntryKind::link ? TarEntry::Type::symlink : TarEntry::Type::file;
        entries[path.substr(1)] = TarEntry{type, path.substr(1), std::move(*content)};
    }

    const MachineFiles& source_;
};

std::string trimmed(const std::map<std::string, TarEntry>& entries, const std::string& path) {
    auto it = entries.find(path);
    if (it == entries.end())
        return "";
    std::string s = it->second.content;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\0'))
        s.pop_back();
    return s;
}

std::string manifest(const Collector& c, const MachineFiles& source) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "format" << YAML::Value << "jailconf-snapshot/1";
    out << YAML::Key << "collected_by" << YAML::Value
        << (std::string("confgen ") + JAILCONF_VERSION);
    out << YAML::Key << "source" << YAML::Value << source.describe();
    out << YAML::Key << "kernel_release" << YAML::Value
        << trimmed(c.entries, "proc/sys/kernel/osrelease");
    out << YAML::Key << "kernel_cmdline" << YAML::Value << trimmed(c.entries, "proc/cmdline");
    out << YAML::Key << "files" << YAML::Value << c.files;
    out << YAML::Key << "unreadable" << YAML::Value << YAML::BeginSeq;
    for (auto& w : c.warnings)
        out << w;
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace

std::vector<std::pair<std::string_view, std::string_view>> scan_allow_list() {
    std::vector<std::pair<std::string_view, std::string_view>> out;
    for (const auto& p : scan::allowed_patterns())
        out.emplace_back(p.pattern, p.why);
    return out;
}

Expected<CollectedSnapshot, ScanError> collect_snapshot(const MachineFiles& source,
                                                        const CollectProgress& progress) {
    Collector c(source);
    for (const auto& p : scan::allowed_patterns()) {
        c.expand(p);
        if (progress)
            progress(p.pattern, c.files, c.bytes);
    }
    if (c.files == 0) {
        ScanError e;
        e.kind = ScanError::Kind::unreadable;
        e.file = source.describe();
        e.message = "none of the allow-listed files could be read";
        e.fix =
            "run 'confgen collect' on the target machine itself (Linux, /sys and /proc mounted)";
        return Unexpected(std::move(e));
    }
    std::vector<TarEntry> ordered;
    ordered.push_back(
        {TarEntry::Type::file, std::string(scan::snapshot_manifest_name), manifest(c, source)});
    for (auto& [path, entry] : c.entries)
        ordered.push_back(std::move(entry));
    CollectedSnapshot out;
    out.archive = scan::write_tar(ordered);
    out.files = c.files;
    out.bytes = c.bytes;
    out.warnings = std::move(c.warnings);
    return out;
}

} // namespace jailconf
