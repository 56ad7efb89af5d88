// `confgen explain`: each resource of a system with where it came from. provenance.yaml (written
// by the planner beside system.yaml) gives the scanned fact, the request line and the rule; a
// resource it does not name was written by hand and is shown with its file and line.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "confgen/plan.hpp"
#include "yaml/document.hpp"

namespace jailconf::plan {
namespace {

std::string location(const SourceLocation& loc) {
    if (!loc.known())
        return "(no location)";
    return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

} // namespace

Expected<std::vector<Provenance>, std::string> parse_provenance(std::string_view text,
                                                                const std::string& name) {
    Diagnostics diags;
    auto doc = yaml::parse_document(text, name, diags);
    if (!doc) {
        const auto& d = diags.all().front();
        return Unexpected(fmt::format("{}:{}:{}: {}", name, d.loc.line, d.loc.column, d.message));
    }
    const auto& root = doc->root;
    if (!root.is_object() || !root.contains("format") || root["format"] != "jailconf-provenance/1")
        return Unexpected(fmt::format("{}:1:1: not a provenance file (format: "
                                      "jailconf-provenance/1)",
                                      name));
    std::vector<Provenance> out;
    if (!root.contains("resources") || !root["resources"].is_array())
        return out;
    const auto& list = root["resources"];
    for (size_t i = 0; i < list.size(); ++i) {
        const auto& e = list[i];
        Provenance p;
        const char* keys[] = {"cell", "key", "source", "fact", "request", "rule"};
        std::string* fields[] = {&p.cell, &p.key, &p.source, &p.fact, &p.request, &p.rule};
        for (size_t k = 0; k < 6; ++k) {
            if (!e.is_object() || !e.contains(keys[k]) || !e[keys[k]].is_string()) {
                auto loc = doc->map.value(yaml::pointer_append("/resources", i));
                return Unexpected(fmt::format("{}:{}:{}: entry lacks the string '{}'", name,
                                              loc.line, loc.column, keys[k]));
            }
            *fields[k] = e[keys[k]].get<std::string>();
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<Explained> explain(const std::vector<Resource>& resources,
                               const std::vector<Provenance>& provenance) {
    std::vector<Explained> out;
    for (const auto& r : resources) {
        Explained e{r, std::nullopt};
        for (const auto& p : provenance)
            if (p.cell == r.cell && p.key == r.key) {
                e.provenance = p;
                break;
            }
        out.push_back(std::move(e));
    }
    return out;
}

std::string explain_text(const std::vector<Explained>& items, bool have_provenance) {
    std::string out;
    std::string cell;
    for (const auto& e : items) {
        if (e.resource.cell != cell) {
            cell = e.resource.cell;
            out += fmt::format("{}{}:\n", out.empty() ? "" : "\n",
                               cell == "links"        ? "links"
                               : cell == "hypervisor" ? "hypervisor"
                                                      : "cell " + cell);
        }
        out += fmt::format("  {:<10} {}  ({})\n", e.resource.kind, e.resource.what,
                           location(e.resource.loc));
        if (!e.provenance) {
            out += have_provenance ? "      written by hand: provenance.yaml does not name it\n"
                                   : "      written by hand (no provenance.yaml beside the file)\n";
            continue;
        }
        const Provenance& p = *e.provenance;
        out += fmt::format("      from:    {} ({})\n", p.fact, p.source);
        if (!p.request.empty())
            out += fmt::format("      request: {}\n", p.request);
        out += fmt::format("      why:     {}\n", p.rule);
    }
    return out;
}

std::string explain_json(const std::vector<Explained>& items, bool have_provenance) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : items) {
        nlohmann::json j = {{"cell", e.resource.cell},        {"kind", e.resource.kind},
                            {"key", e.resource.key},          {"what", e.resource.what},
                            {"file", e.resource.loc.file},    {"line", e.resource.loc.line},
                            {"column", e.resource.loc.column}};
        if (e.provenance) {
            j["source"] = e.provenance->source;
            j["fact"] = e.provenance->fact;
            j["request"] = e.provenance->request;
            j["rule"] = e.provenance->rule;
        } else {
            j["source"] = "hand";
        }
        list.push_back(std::move(j));
    }
    nlohmann::json root = {{"provenance", have_provenance}, {"resources", std::move(list)}};
    return root.dump(2) + "\n";
}

} // namespace jailconf::plan
