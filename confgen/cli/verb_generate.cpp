// `confgen generate`: the system configuration for a scanned machine. Without a request it
// reserves the hypervisor's memory and confines the root cell to the machine's real resources;
// with one, the planner (confgen/plan.hpp) carves the requested non-root cells and links out of
// that root cell and writes one file per cell plus provenance.yaml.
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "confgen/check.hpp"
#include "confgen/generate.hpp"
#include "confgen/load.hpp"
#include "confgen/numbers.hpp"
#include "confgen/plan.hpp"
#include "confgen/report.hpp"
#include "confgen/yaml_writer.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "read_inventory.hpp"
#include "verbs.hpp"

namespace confgen {
namespace {

int run_planner(const jailconf::inventory::Inventory& inv, const jailconf::GenerateOptions& options,
                const std::string& inventory_name, const std::string& request_name,
                const std::string& output) {
    jailconf::Diagnostics diags;
    auto request = jailconf::plan::load_request(request_name, diags);
    if (!request) {
        std::fprintf(stderr, "%s", jailconf::render_text(diags.all()).c_str());
        return request.error() == jailconf::LoadFailure::io ? int(exit_io) : int(exit_input_errors);
    }
    auto plan = jailconf::plan::plan_system(inv, *request, options, diags);
    diags.sort();
    if (!plan) {
        std::fprintf(stderr, "%s", jailconf::render_text(diags.all()).c_str());
        std::fprintf(stderr, "confgen: the request cannot be planned; nothing written\n");
        return int(exit_input_errors);
    }
    for (const auto& note : plan->notes)
        std::fprintf(stderr, "confgen: note: %s\n", note.c_str());

    // The whole system, as one text, through the loader and every check before anything is
    // written: diagnostics then point at the generated lines.
    std::filesystem::path dir(output);
    jailconf::Diagnostics check;
    auto reloaded = jailconf::load_system_from_string(jailconf::to_yaml(plan->system),
                                                      (dir / "system.yaml").string(), check);
    if (reloaded)
        jailconf::check_system(*reloaded, check);
    check.sort();
    if (!check.empty())
        std::fprintf(stderr, "%s", jailconf::render_text(check.all()).c_str());
    if (check.has_errors()) {
        std::fprintf(stderr, "confgen: the planned configuration does not pass the checks; "
                             "nothing written (please report this with the inventory and "
                             "request)\n");
        return int(exit_input_errors);
    }
    std::vector<PendingFile> files;
    for (const auto& f : jailconf::plan::render_plan(*plan, inventory_name, request_name))
        files.push_back({dir / f.path, std::vector<uint8_t>(f.text.begin(), f.text.end())});
    if (auto err = write_files_atomically(files)) {
        std::fprintf(stderr, "confgen: %s\n", err->c_str());
        return int(exit_io);
    }
    std::string cells;
    for (const auto& c : plan->system.cells)
        if (!c.root)
            cells += (cells.empty() ? "" : ", ") + c.name;
    std::fprintf(stderr, "%s",
                 fmt::format("confgen: wrote {} files to {}: root cell and {} other cell{} ({}), "
                             "{} link{}\n",
                             files.size(), output, plan->system.cells.size() - 1,
                             plan->system.cells.size() == 2 ? "" : "s", cells,
                             plan->system.links.size(), plan->system.links.size() == 1 ? "" : "s")
                     .c_str());
    return int(exit_ok);
}

} // namespace

Action add_generate(CLI::App& app) {
    struct Options {
        std::string inventory, request, output = ".", hv_memory = "64M", hv_memory_at, name;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "generate", "Generate the system configuration for a scanned machine: hypervisor memory "
                    "and a root cell confined to the machine's CPUs, RAM, device registers, "
                    "interrupts and PCI functions. Writes OUT/system.yaml and checks it.");
    sub->add_option("--inventory", opts->inventory, "Inventory written by 'confgen scan'")
        ->required();
    sub->add_option("--request", opts->request,
                    "Partition request (docs/request.md): the non-root cells and links to carve "
                    "out of the root cell. Writes OUT/system.yaml, OUT/cells/NAME.yaml and "
                    "OUT/provenance.yaml");
    sub->add_option("-o,--output", opts->output, "Output directory")->capture_default_str();
    sub->add_option("--hv-memory", opts->hv_memory, "Hypervisor memory size (e.g. 64M)")
        ->capture_default_str();
    sub->add_option("--hv-memory-at", opts->hv_memory_at,
                    "Physical address of the hypervisor memory (default: top of the highest RAM "
                    "range that holds it)");
    sub->add_option("--name", opts->name, "Platform name (default: from the machine's model)");
    return [opts] {
        jailconf::GenerateOptions options;
        options.platform_name = opts->name;
        auto size = jailconf::parse_number_or_size(opts->hv_memory);
        if (!size) {
            std::fprintf(stderr, "confgen: --hv-memory: %s\n", size.error().c_str());
            return int(exit_usage);
        }
        options.hv_memory_size = *size;
        if (!opts->hv_memory_at.empty()) {
            auto at = jailconf::parse_number_or_size(opts->hv_memory_at);
            if (!at) {
                std::fprintf(stderr, "confgen: --hv-memory-at: %s\n", at.error().c_str());
                return int(exit_usage);
            }
            options.hv_memory_phys = *at;
        }
        auto inv = read_inventory(opts->inventory);
        if (!inv)
            return inv.error();
        if (!opts->request.empty())
            return run_planner(*inv, options, opts->inventory, opts->request, opts->output);
        auto generated = jailconf::generate_root_system(*inv, options);
        if (!generated) {
            std::fprintf(stderr, "confgen: error: %s (fix: %s)\n",
                         generated.error().message.c_str(), generated.error().fix.c_str());
            return int(exit_input_errors);
        }
        for (const auto& note : generated->notes)
            std::fprintf(stderr, "confgen: note: %s\n", note.c_str());

        // Check what will be written, as written: diagnostics then point at its lines.
        std::filesystem::path out = std::filesystem::path(opts->output) / "system.yaml";
        std::string yaml =
            fmt::format("# Generated by confgen {} from {}\n", JAILCONF_VERSION, opts->inventory) +
            jailconf::to_yaml(generated->system);
        jailconf::Diagnostics diags;
        auto reloaded = jailconf::load_system_from_string(yaml, out.string(), diags);
        if (reloaded)
            jailconf::check_system(*reloaded, diags);
        diags.sort();
        if (!diags.empty())
            std::fprintf(stderr, "%s", jailconf::render_text(diags.all()).c_str());
        if (diags.has_errors()) {
            std::fprintf(stderr, "confgen: the generated configuration does not pass the checks; "
                                 "nothing written (please report this with the inventory)\n");
            return int(exit_input_errors);
        }
        std::error_code ec;
        std::filesystem::create_directories(opts->output, ec);
        if (auto err = write_text_atomically(out, yaml)) {
            std::fprintf(stderr, "confgen: %s\n", err->c_str());
            return int(exit_io);
        }
        const auto& root = generated->system.cells.front();
        std::fprintf(
            stderr, "%s",
            fmt::format("confgen: wrote {}: hypervisor {} MiB at {:#x}; root cell: {} "
                        "memory regions, {} irq ranges, {} PCI functions, {} port ranges\n",
                        out.string(), generated->system.hypervisor.memory_size >> 20,
                        generated->system.hypervisor.memory_phys.value, root.memory.size(),
                        root.irqs.size(), root.pci_devices.size(), root.pio.size())
                .c_str());
        return int(exit_ok);
    };
}

} // namespace confgen
