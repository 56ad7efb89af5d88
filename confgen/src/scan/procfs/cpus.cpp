#include "scan/procfs/cpus.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "scan/procfs/text_numbers.hpp"
#include "scan/text_lines.hpp"

namespace jailconf::scan::procfs {
namespace {

constexpr uint32_t max_cpu_id = 65535;
constexpr size_t max_cpus = 65536;
constexpr std::string_view cpu_dir = "/sys/devices/system/cpu";
constexpr std::string_view cpuinfo_path = "/proc/cpuinfo";

ScanError list_error(const std::string& file, uint64_t offset, std::string message) {
    return ScanError::malformed_at(file, offset, std::move(message));
}

bool has_word(std::string_view text, std::string_view word) {
    size_t pos = 0;
    while ((pos = text.find(word, pos)) != std::string_view::npos) {
        bool left = pos == 0 || text[pos - 1] == ' ' || text[pos - 1] == '\t';
        size_t after = pos + word.size();
        bool right = after == text.size() || text[after] == ' ' || text[after] == '\t';
        if (left && right)
            return true;
        pos = after;
    }
    return false;
}

} // namespace

Expected<std::vector<uint32_t>, ScanError> parse_cpu_list(std::string_view text,
                                                          const std::string& file) {
    std::vector<uint32_t> ids;
    std::string_view list = text;
    // Only the trailing newline is expected; anything else is part of the list.
    while (!list.empty() && (list.back() == '\n' || list.back() == ' '))
        list.remove_suffix(1);
    size_t at = 0;
    while (at < list.size()) {
        auto first = parse_decimal(list.substr(at));
        if (!first || first->value > max_cpu_id)
            return Unexpected(list_error(file, at, "expected a CPU number (0-65535)"));
        size_t item = at;
        at += first->length;
        uint64_t last = first->value;
        if (at < list.size() && list[at] == '-') {
            ++at;
            auto second = parse_decimal(list.substr(at));
            if (!second || second->value > max_cpu_id)
                return Unexpected(list_error(file, at, "expected a CPU number (0-65535)"));
            if (second->value < first->value)
                return Unexpected(list_error(file, item, "range ends before it starts"));
            at += second->length;
            last = second->value;
        }
        if (ids.size() + (last - first->value + 1) > max_cpus)
            return Unexpected(list_error(file, item, "more CPUs than any kernel supports"));
        for (uint64_t id = first->value; id <= last; ++id)
            ids.push_back(static_cast<uint32_t>(id));
        if (at < list.size()) {
            if (list[at] != ',')
                return Unexpected(list_error(file, at, "expected ',' between CPU ranges"));
            ++at;
            if (at == list.size())
                return Unexpected(list_error(file, at, "list ends with ','"));
        }
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

Cpuinfo parse_cpuinfo(std::string_view text) {
    Cpuinfo out;
    bool in_block = false; // the current block began with a valid "processor" line
    TextLines lines(text);
    for (TextLine next; lines.next(next);) {
        std::string_view line = next.text;
        size_t line_start = next.offset;
        size_t colon = line.find(':');
        if (colon == std::string_view::npos)
            continue;
        std::string_view key = trim(line.substr(0, colon));
        std::string_view value = trim(line.substr(colon + 1));
        if (key == "processor") {
            auto n = parse_decimal(value);
            in_block = n && n->length == value.size();
            if (in_block)
                out.processors.push_back(
                    CpuinfoProcessor{static_cast<uint32_t>(n->value), std::nullopt, line_start});
        } else if (key == "apicid" && in_block) {
            auto n = parse_decimal(value);
            if (n && n->length == value.size())
                out.processors.back().apic_id = n->value;
        } else if (key == "flags") {
            if (has_word(value, "hypervisor"))
                out.hypervisor_flag = true;
            if (has_word(value, "lm"))
                out.arch = "x86_64";
        } else if (key == "CPU architecture") {
            // arm: "8" for AArch64 kernels, "7" and below for 32-bit ones.
            auto n = parse_decimal(value);
            if (n && n->value >= 8)
                out.arch = "arm64";
            else if (n)
                out.arch = "arm32";
        }
    }
    return out;
}

Expected<std::vector<inventory::Cpu>, ScanError>
scan_cpus(const MachineFiles& files, const Cpuinfo& cpuinfo,
          std::vector<inventory::Warning>& warnings) {
    auto read_list =
        [&](std::string_view name) -> Expected<std::optional<std::vector<uint32_t>>, ScanError> {
        std::string path = fmt::format("{}/{}", cpu_dir, name);
        auto text = files.read(path, 1 << 16);
        if (!text) {
            if (text.error().kind != ScanError::Kind::not_found)
                warnings.push_back({"unreadable-file", text.error().str()});
            return std::optional<std::vector<uint32_t>>{};
        }
        auto ids = parse_cpu_list(*text, path);
        if (!ids)
            return Unexpected(ids.error());
        return std::optional<std::vector<uint32_t>>(std::move(*ids));
    };
    std::string origin_file = fmt::format("{}/present", cpu_dir);
    auto present = read_list("present");
    if (!present)
        return Unexpected(present.error());
    std::optional<std::vector<uint32_t>> ids = std::move(*present);
    if (!ids) {
        origin_file = fmt::format("{}/possible", cpu_dir);
        auto possible = read_list("possible");
        if (!possible)
            return Unexpected(possible.error());
        ids = std::move(*possible);
    }
    if (!ids) {
        // Neither list: the CPUs cpuinfo shows (only the online ones).
        origin_file = std::string(cpuinfo_path);
        ids.emplace();
        for (const auto& p : cpuinfo.processors)
            ids->push_back(p.processor);
        std::sort(ids->begin(), ids->end());
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
        warnings.push_back(
            {"cpu-list-missing", fmt::format("neither {0}/present nor {0}/possible readable: CPUs "
                                             "taken from {1} (online CPUs only)",
                                             cpu_dir, cpuinfo_path)});
    }
    auto online_list = read_list("online");
    if (!online_list)
        return Unexpected(online_list.error());

    std::map<uint32_t, const CpuinfoProcessor*> by_id;
    for (const auto& p : cpuinfo.processors)
        by_id.emplace(p.processor, &p);

    std::vector<inventory::Cpu> cpus;
    for (uint32_t id : *ids) {
        inventory::Cpu cpu;
        cpu.id = id;
        cpu.origin.file = origin_file;
        if (auto it = by_id.find(id); it != by_id.end()) {
            cpu.origin.file = std::string(cpuinfo_path);
            cpu.origin.offset = it->second->offset;
            if (it->second->apic_id)
                cpu.hw_id = *it->second->apic_id;
        }
        std::string online_path = fmt::format("{}/cpu{}/online", cpu_dir, id);
        auto state = files.read(online_path, 64);
        if (state) {
            std::string_view v = trim(*state);
            if (v == "0" || v == "1")
                cpu.online = v == "1";
        } else if (state.error().kind != ScanError::Kind::not_found) {
            warnings.push_back({"unreadable-file", state.error().str()});
        }
        if (!cpu.online && *online_list)
            cpu.online = std::binary_search((*online_list)->begin(), (*online_list)->end(), id);
        // The boot CPU often cannot be taken offline and then has no `online` file at all.
        if (!cpu.online && id == 0 && !state && state.error().kind == ScanError::Kind::not_found)
            cpu.online = true;
        cpus.push_back(std::move(cpu));
    }
    return cpus;
}

} // namespace jailconf::scan::procfs
