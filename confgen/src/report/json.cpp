#include <algorithm>

#include <nlohmann/json.hpp>

#include "confgen/report.hpp"

namespace jailconf {
namespace {

nlohmann::json location_json(const SourceLocation& loc) {
    return {{"file", loc.file}, {"line", loc.line}, {"column", loc.column}};
}

} // namespace

std::string render_json(std::span<const Diagnostic> diags) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& d : diags) {
        nlohmann::json item = location_json(d.loc);
        item["rule"] = d.rule;
        item["severity"] = to_string(d.severity);
        item["message"] = d.message;
        item["fix"] = d.fix;
        nlohmann::json related = nlohmann::json::array();
        for (const auto& r : d.related) {
            nlohmann::json rj = location_json(r.loc);
            rj["message"] = r.message;
            related.push_back(std::move(rj));
        }
        item["related"] = std::move(related);
        if (d.suppression)
            item["waived"] = *d.suppression;
        list.push_back(std::move(item));
    }
    auto count = [&](Severity s) { return std::ranges::count(diags, s, &Diagnostic::severity); };
    nlohmann::json doc = {{"version", 1},
                          {"diagnostics", std::move(list)},
                          {"errors", count(Severity::error)},
                          {"warnings", count(Severity::warning)},
                          {"notes", count(Severity::note)}};
    return doc.dump(2) + "\n";
}

} // namespace jailconf
