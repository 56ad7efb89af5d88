// `confgen explain FILE [--resource R] [--format text|json]`: where every resource of every cell
// came from. Reads provenance.yaml beside FILE when the planner wrote one; otherwise every
// resource is listed with its file and line as written by hand.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "confgen/load.hpp"
#include "confgen/plan.hpp"
#include "confgen/read_file.hpp"
#include "confgen/report.hpp"
#include "exit_codes.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_explain(CLI::App& app) {
    struct Options {
        std::string file, resource, format = "text";
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "explain", "Explain where each resource of each cell came from: the scanned fact and its "
                   "origin, the request line and the planner's rule (from provenance.yaml beside "
                   "FILE), or the YAML line of a hand-written resource.");
    sub->add_option("FILE", opts->file, "System file (e.g. out/system.yaml)")->required();
    sub->add_option("--resource", opts->resource,
                    "Only these: CELL, CELL.KIND (rt.memory), CELL.memory.NAME, KIND, a link "
                    "name, an address (0x9010000), irq:N, cpu:N, sid:N, a BDF, or a number");
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    return [opts] {
        jailconf::Diagnostics diags;
        auto system = jailconf::load_system(opts->file, diags);
        if (!system) {
            std::fprintf(stderr, "%s", jailconf::render_text(diags.all()).c_str());
            return system.error() == jailconf::LoadFailure::io ? int(exit_io)
                                                               : int(exit_input_errors);
        }
        std::vector<jailconf::plan::Provenance> provenance;
        bool have_provenance = false;
        std::filesystem::path prov_path =
            std::filesystem::path(opts->file).parent_path() / "provenance.yaml";
        std::error_code ec;
        if (std::filesystem::exists(prov_path, ec)) {
            auto text = jailconf::read_file(prov_path);
            if (!text) {
                std::fprintf(stderr, "confgen: %s\n", text.error().c_str());
                return int(exit_io);
            }
            auto parsed = jailconf::plan::parse_provenance(*text, prov_path.string());
            if (!parsed) {
                std::fprintf(stderr, "confgen: error: %s\n", parsed.error().c_str());
                return int(exit_input_errors);
            }
            provenance = std::move(*parsed);
            have_provenance = true;
        }
        auto resources = jailconf::plan::list_resources(*system);
        if (!opts->resource.empty()) {
            auto filtered =
                jailconf::plan::filter_resources(std::move(resources), opts->resource, *system);
            if (!filtered) {
                std::fprintf(stderr, "confgen: --resource: %s\n", filtered.error().c_str());
                return int(exit_usage);
            }
            resources = std::move(*filtered);
            if (resources.empty())
                std::fprintf(stderr, "confgen: note: no resource matches '%s'\n",
                             opts->resource.c_str());
        }
        auto items = jailconf::plan::explain(resources, provenance);
        if (opts->format == "json") {
            std::fputs(jailconf::plan::explain_json(items, have_provenance).c_str(), stdout);
        } else {
            if (!have_provenance)
                std::fprintf(stderr,
                             "confgen: note: no provenance.yaml beside %s: every "
                             "resource is shown as written by hand\n",
                             opts->file.c_str());
            std::fputs(jailconf::plan::explain_text(items, have_provenance).c_str(), stdout);
        }
        return int(exit_ok);
    };
}

} // namespace confgen
