// `confgen lint`: schema, semantic checks and the knowledge-base rules, for CI (text, JSON,
// SARIF).
#include <cstdio>

#include <fmt/format.h>

#include "confgen/inventory_io.hpp"
#include "confgen/lint.hpp"
#include "confgen/read_file.hpp"
#include "confgen/scan.hpp"
#include "exit_codes.hpp"
#include "load_checked.hpp"
#include "read_inventory.hpp"
#include "verbs.hpp"

namespace confgen {

namespace {

// Loads the knowledge base (built-in unless disabled, then each --rules-dir); prints what is
// wrong with it in the requested format.
std::optional<jailconf::KnowledgeBase> load_kb(bool builtin, const std::vector<std::string>& dirs,
                                               jailconf::ReportFormat format) {
    jailconf::KnowledgeBase kb;
    jailconf::Diagnostics diags;
    if (kb.load(builtin, std::vector<std::filesystem::path>(dirs.begin(), dirs.end()), diags))
        return kb;
    if (format == jailconf::ReportFormat::text)
        std::fputs(jailconf::render_text(diags.all()).c_str(), stderr);
    else if (format == jailconf::ReportFormat::json)
        std::fputs(jailconf::render_json(diags.all()).c_str(), stdout);
    else
        std::fputs(jailconf::render_sarif(diags.all()).c_str(), stdout);
    return std::nullopt;
}

} // namespace

Action add_lint(CLI::App& app) {
    struct Options {
        std::vector<std::string> files, rules_dirs, guest_dts;
        std::string format = "text", inventory;
        bool no_builtin = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "lint", "Check configurations like 'check' does, then apply the knowledge-base rules "
                "(kb/: KB-*), judging the configuration against the scanned machine when "
                "--inventory is given");
    sub->add_option("files", opts->files, "System configuration files (YAML)")->required();
    sub->add_option("--inventory", opts->inventory,
                    "Inventory of the machine ('confgen scan'); rules that judge scanned facts "
                    "are skipped without it");
    sub->add_option("--rules-dir", opts->rules_dirs,
                    "Directory of site-specific rule and device files (*.yaml), in addition to "
                    "the built-in kb/; repeatable");
    sub->add_flag("--no-builtin-rules", opts->no_builtin,
                  "Use only the --rules-dir rules, not the built-in kb/");
    sub->add_option("--guest-dt", opts->guest_dts,
                    "CELL=FILE.dtb: the device tree a cell's guest boots with; its interrupts are "
                    "checked against the cell's; repeatable");
    sub->add_option("--format", opts->format,
                    "Diagnostics format: text (stderr), json or sarif (stdout)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    sub->footer("Exit status: 0 no errors (warnings allowed), 1 errors found (in a configuration "
                "or a rule file), 2 usage error, 3 a file could not be read.\n"
                "Rules: 'confgen rules' lists them; docs/kb-rules.md explains each; a cell waives "
                "one with `waivers: [{rule: KB-..., reason: ...}]`.");
    return [opts] {
        auto format = *jailconf::report_format_from_string(opts->format);
        auto kb = load_kb(!opts->no_builtin, opts->rules_dirs, format);
        if (!kb)
            return int(exit_input_errors);
        jailconf::LintOptions options;
        std::optional<jailconf::inventory::Inventory> inventory;
        if (!opts->inventory.empty()) {
            auto inv = read_inventory(opts->inventory);
            if (!inv)
                return inv.error();
            inventory = std::move(*inv);
            options.inventory = &*inventory;
        }
        for (const auto& spec : opts->guest_dts) {
            size_t eq = spec.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
                std::fprintf(stderr,
                             "confgen: --guest-dt '%s': write CELL=FILE.dtb, e.g. rt=out/rt.dtb\n",
                             spec.c_str());
                return int(exit_usage);
            }
            std::string file = spec.substr(eq + 1);
            auto tree = jailconf::scan_dtb_file(file);
            if (!tree) {
                std::fprintf(stderr, "confgen: error: %s\n", tree.error().str().c_str());
                return int(tree.error().kind == jailconf::ScanError::Kind::malformed
                               ? exit_input_errors
                               : exit_io);
            }
            options.guest_trees.push_back({spec.substr(0, eq), file, std::move(*tree)});
        }
        auto infos = kb->rule_infos();
        jailconf::LintStats total;
        CheckOutcome outcome = load_and_check(
            opts->files, format,
            [&](const jailconf::System& system, jailconf::Diagnostics& diags) {
                for (const auto& g : options.guest_trees)
                    if (!system.find_cell(g.cell))
                        diags.report("JC-IO", jailconf::SourceLocation{g.file, 0, 0},
                                     fmt::format("--guest-dt names cell '{}', which the system "
                                                 "does not have",
                                                 g.cell),
                                     "name a cell of the system");
                auto stats = jailconf::lint_system(system, *kb, options, diags);
                total.rules_run += stats.rules_run;
                total.rules_skipped += stats.rules_skipped;
                total.findings += stats.findings;
                total.waived += stats.waived;
            },
            infos);
        if (format == jailconf::ReportFormat::text) {
            std::string line = fmt::format("lint: {} kb rule{} run", total.rules_run,
                                           total.rules_run == 1 ? "" : "s");
            if (total.rules_skipped)
                line += fmt::format(", {} skipped ({})", total.rules_skipped,
                                    options.inventory ? "other architectures"
                                                      : "no --inventory, or other architectures");
            if (total.waived)
                line += fmt::format(", {} finding{} waived", total.waived,
                                    total.waived == 1 ? "" : "s");
            std::fprintf(stderr, "%s\n", line.c_str());
        }
        return outcome.exit_code;
    };
}

} // namespace confgen
