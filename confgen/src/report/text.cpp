#include <algorithm>
#include <fstream>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "confgen/report.hpp"

namespace jailconf {
namespace {

// Source lines of the files diagnostics point at, read once per render.
class SourceCache {
  public:
    const std::string* line(const SourceLocation& loc) {
        if (!loc.known() || loc.line == 0)
            return nullptr;
        auto [it, inserted] = files_.try_emplace(loc.file);
        if (inserted) {
            std::ifstream in(loc.file, std::ios::binary);
            std::string l;
            while (in && it->second.size() < 1'000'000 && std::getline(in, l))
                it->second.push_back(l);
        }
        return loc.line <= it->second.size() ? &it->second[loc.line - 1] : nullptr;
    }

  private:
    std::map<std::string, std::vector<std::string>> files_;
};

std::string where(const SourceLocation& loc) {
    if (!loc.known())
        return "confgen";
    if (loc.line == 0)
        return loc.file;
    return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

} // namespace

std::optional<ReportFormat> report_format_from_string(std::string_view s) {
    if (s == "text")
        return ReportFormat::text;
    if (s == "json")
        return ReportFormat::json;
    if (s == "sarif")
        return ReportFormat::sarif;
    return std::nullopt;
}

std::string render_text(std::span<const Diagnostic> diags) {
    SourceCache sources;
    std::string out;
    for (const auto& d : diags) {
        out += fmt::format("{}: {}: [{}] {}\n", where(d.loc), to_string(d.severity), d.rule,
                           d.message);
        const std::string* line = sources.line(d.loc);
        bool printable = line && line->size() < 300 && std::ranges::none_of(*line, [](char c) {
                             return static_cast<unsigned char>(c) < 0x20 && c != '\t';
                         });
        if (printable) {
            std::string shown;
            for (char c : *line)
                shown += c == '\t' ? ' ' : c;
            out += fmt::format("  {}\n  {:>{}}\n", shown, "^", d.loc.column);
        }
        if (!d.fix.empty())
            out += fmt::format("  fix: {}\n", d.fix);
        for (const auto& r : d.related)
            out += fmt::format("{}: note: {}\n", where(r.loc), r.message);
    }
    return out;
}

} // namespace jailconf
