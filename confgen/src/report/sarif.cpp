#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "confgen/report.hpp"
#include "confgen/rules.hpp"

namespace jailconf {
namespace {

using nlohmann::json;

std::string_view sarif_level(Severity s) {
    switch (s) {
    case Severity::error:
        return "error";
    case Severity::warning:
        return "warning";
    case Severity::note:
        return "note";
    }
    return "error";
}

// A relative path stays relative (code-scanning services resolve it against the repository);
// an absolute one becomes a file:// URI. Reserved characters are percent-encoded.
std::string file_uri(const std::string& path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out = std::filesystem::path(path).is_absolute() ? "file://" : "";
    for (unsigned char c : path) {
        if (std::isalnum(c) || std::string_view("-._~/").find(char(c)) != std::string_view::npos) {
            out += char(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

json physical_location(const SourceLocation& loc) {
    json p = {{"artifactLocation", {{"uri", file_uri(loc.file)}}}};
    if (loc.line > 0) {
        p["region"] = {{"startLine", loc.line}};
        if (loc.column > 0)
            p["region"]["startColumn"] = loc.column;
    }
    return p;
}

std::string sentence(std::string_view text) {
    std::string s(text);
    if (!s.empty() && s.back() != '.')
        s += '.';
    return s;
}

} // namespace

std::string render_sarif(std::span<const Diagnostic> diags, std::span<const RuleInfo> extra_rules) {
    std::vector<RuleInfo> rules(builtin_rules().begin(), builtin_rules().end());
    rules.insert(rules.end(), extra_rules.begin(), extra_rules.end());
    json rule_list = json::array();
    for (const auto& r : rules)
        rule_list.push_back(
            {{"id", r.id},
             {"shortDescription", {{"text", sentence(r.title)}}},
             {"fullDescription", {{"text", sentence(r.help)}}},
             {"help", {{"text", sentence(r.help)}}},
             {"defaultConfiguration", {{"level", sarif_level(r.default_severity)}}}});
    json results = json::array();
    for (const auto& d : diags) {
        json result = {{"ruleId", d.rule},
                       {"level", sarif_level(d.severity)},
                       {"message", {{"text", sentence(d.message)}}}};
        auto it = std::ranges::find(rules, d.rule, &RuleInfo::id);
        if (it != rules.end())
            result["ruleIndex"] = it - rules.begin();
        if (d.loc.known())
            result["locations"] = json::array({{{"physicalLocation", physical_location(d.loc)}}});
        json related = json::array();
        for (size_t i = 0; i < d.related.size(); ++i)
            if (d.related[i].loc.known())
                related.push_back({{"id", i + 1},
                                   {"physicalLocation", physical_location(d.related[i].loc)},
                                   {"message", {{"text", sentence(d.related[i].message)}}}});
        if (!related.empty())
            result["relatedLocations"] = std::move(related);
        if (!d.fix.empty())
            result["properties"] = {{"fix", d.fix}};
        if (d.suppression)
            result["suppressions"] =
                json::array({{{"kind", "inSource"}, {"justification", *d.suppression}}});
        results.push_back(std::move(result));
    }
    json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool",
                                        {{"driver",
                                          {{"name", "confgen"},
                                           {"semanticVersion", JAILCONF_VERSION},
                                           {"rules", std::move(rule_list)}}}}},
                                       {"columnKind", "unicodeCodePoints"},
                                       {"results", std::move(results)}}})}};
    return log.dump(2) + "\n";
}

} // namespace jailconf
