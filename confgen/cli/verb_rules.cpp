// `confgen rules`: the rules confgen reports — the built-in checks (JC-*) and the knowledge-base
// rules (KB-*) — and, with --facts, the fact tables kb rules are written against.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "confgen/lint.hpp"
#include "confgen/report.hpp"
#include "confgen/rules.hpp"
#include "exit_codes.hpp"
#include "verbs.hpp"

namespace confgen {
namespace {

int print_facts(bool json) {
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : jailconf::kb_fact_tables()) {
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : t.fields)
            fields.push_back({{"name", f.name}, {"type", f.type}, {"doc", f.doc}});
        tables.push_back({{"name", t.name},
                          {"doc", t.doc},
                          {"needs_inventory", t.needs_inventory},
                          {"fields", std::move(fields)}});
    }
    if (json) {
        std::fputs((tables.dump(2) + "\n").c_str(), stdout);
        return exit_ok;
    }
    for (const auto& t : tables) {
        std::fputs(fmt::format("{}{}: {}\n", t["name"].get<std::string>(),
                               t["needs_inventory"].get<bool>() ? " (inventory)" : "",
                               t["doc"].get<std::string>())
                       .c_str(),
                   stdout);
        for (const auto& f : t["fields"])
            std::fputs(fmt::format("  {:<20} {:<17} {}\n", f["name"].get<std::string>(),
                                   f["type"].get<std::string>(), f["doc"].get<std::string>())
                           .c_str(),
                       stdout);
    }
    return exit_ok;
}

} // namespace

Action add_rules(CLI::App& app) {
    struct Options {
        std::string format = "text";
        std::vector<std::string> rules_dirs;
        bool facts = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "rules", "List the rules confgen reports: the checks (JC-*) and the knowledge-base rules "
                 "(KB-*) with their severity, title and help");
    sub->add_option("--format", opts->format, "text or json")
        ->check(CLI::IsMember({"text", "json"}));
    sub->add_option("--rules-dir", opts->rules_dirs,
                    "Also list the rules of this directory (as 'confgen lint --rules-dir')");
    sub->add_flag("--facts", opts->facts,
                  "List the fact tables and fields kb rules are written against instead");
    return [opts] {
        bool json = opts->format == "json";
        if (opts->facts)
            return print_facts(json);
        jailconf::KnowledgeBase kb;
        jailconf::Diagnostics diags;
        bool ok = kb.load_builtin(diags);
        for (const auto& d : opts->rules_dirs)
            ok &= kb.load_directory(d, diags);
        if (!ok) {
            diags.sort();
            std::fputs(jailconf::render_text(diags.all()).c_str(), stderr);
            return int(exit_input_errors);
        }
        nlohmann::json list = nlohmann::json::array();
        for (const auto& r : jailconf::builtin_rules())
            list.push_back({{"id", r.id},
                            {"kind", "check"},
                            {"severity", jailconf::to_string(r.default_severity)},
                            {"title", r.title},
                            {"help", r.help}});
        for (const auto& r : kb.rules())
            list.push_back({{"id", r.id},
                            {"kind", "kb"},
                            {"severity", jailconf::to_string(r.severity)},
                            {"title", r.title},
                            {"help", r.rationale},
                            {"source", fmt::format("{}:{}", r.loc.file, r.loc.line)},
                            {"tables", r.tables},
                            {"arch", r.arch},
                            {"needs_inventory", r.needs_inventory}});
        if (json) {
            std::fputs((list.dump(2) + "\n").c_str(), stdout);
            return int(exit_ok);
        }
        for (const auto& r : list)
            std::fputs(fmt::format("{:<26} {:<8} {}\n", r["id"].get<std::string>(),
                                   r["severity"].get<std::string>(), r["title"].get<std::string>())
                           .c_str(),
                       stdout);
        return int(exit_ok);
    };
}

} // namespace confgen
