// `confgen render FILE -o map.html [--inventory I] [--rules-dir D]`: the resource map of a system
// as one self-contained HTML page, with the check and lint findings marked on it.
#include <cstdio>

#include <fmt/format.h>

#include "confgen/inventory_io.hpp"
#include "confgen/lint.hpp"
#include "confgen/read_file.hpp"
#include "confgen/render.hpp"
#include "confgen/report.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "read_inventory.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_render(CLI::App& app) {
    struct Options {
        std::string file, output, inventory;
        std::vector<std::string> rules_dirs;
        bool no_builtin = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "render", "Render a system as a self-contained HTML page (inline SVG, no script, no "
                  "network): the physical address map, CPUs, interrupts, PCI devices and stream "
                  "ids per cell, colour-coded, with the findings of 'confgen lint' marked on the "
                  "elements they point at");
    sub->add_option("FILE", opts->file, "System configuration file (YAML)")->required();
    sub->add_option("-o,--output", opts->output, "The HTML page to write (e.g. map.html)")
        ->required();
    sub->add_option("--inventory", opts->inventory,
                    "Inventory of the machine ('confgen scan'), for the kb rules that judge "
                    "scanned facts (as 'confgen lint --inventory')");
    sub->add_option("--rules-dir", opts->rules_dirs,
                    "Directory of site-specific rule and device files, in addition to the "
                    "built-in kb/; repeatable");
    sub->add_flag("--no-builtin-rules", opts->no_builtin,
                  "Use only the --rules-dir rules, not the built-in kb/");
    sub->footer("The findings are also printed to stderr, as 'confgen lint' prints them.\n"
                "Exit status: 0 the page was written, whatever the findings in the "
                "configuration (they are shown on the page); 1 FILE cannot be loaded (syntax or "
                "schema errors: no page is written), or a rule file or the inventory is "
                "invalid; 2 usage error; 3 a file could not be read or the page could not be "
                "written. Nothing is written on failure.\n"
                "docs/render.md explains how to read the page.");
    return [opts] {
        jailconf::KnowledgeBase kb;
        {
            jailconf::Diagnostics kb_diags;
            std::vector<std::filesystem::path> dirs(opts->rules_dirs.begin(),
                                                    opts->rules_dirs.end());
            if (!kb.load(!opts->no_builtin, dirs, kb_diags)) {
                std::fputs(jailconf::render_text(kb_diags.all()).c_str(), stderr);
                return int(exit_input_errors);
            }
        }
        jailconf::LintOptions lint_options;
        std::optional<jailconf::inventory::Inventory> inventory;
        if (!opts->inventory.empty()) {
            auto inv = read_inventory(opts->inventory);
            if (!inv)
                return inv.error();
            inventory = std::move(*inv);
            lint_options.inventory = &*inventory;
        }
        jailconf::Diagnostics diags;
        auto page = jailconf::render::render_file(opts->file, kb, lint_options, {}, diags);
        std::fputs(jailconf::render_text(diags.all()).c_str(), stderr);
        if (!page) {
            std::fprintf(stderr, "confgen: %s cannot be loaded; no page written\n",
                         opts->file.c_str());
            return page.error() == jailconf::LoadFailure::io ? int(exit_io)
                                                             : int(exit_input_errors);
        }
        if (auto err = write_text_atomically(opts->output, *page)) {
            std::fprintf(stderr, "confgen: %s\n", err->c_str());
            return int(exit_io);
        }
        size_t warnings = diags.all().size() - diags.error_count();
        std::fprintf(stderr, "render: wrote %s (%zu error%s, %zu warning%s or note%s shown)\n",
                     opts->output.c_str(), diags.error_count(), diags.error_count() == 1 ? "" : "s",
                     warnings, warnings == 1 ? "" : "s", warnings == 1 ? "" : "s");
        return int(exit_ok);
    };
}

} // namespace confgen
