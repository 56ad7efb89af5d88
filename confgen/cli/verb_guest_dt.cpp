// `confgen guest-dt`: the device tree each cell's guest boots with, as DIR/<cell>.dts and
// DIR/<cell>.dtb. Every tree is built before anything is written, and the files are written
// all-or-nothing.
#include <cstdio>

#include <fmt/format.h>

#include "confgen/guest_dt.hpp"
#include "confgen/inventory_io.hpp"
#include "confgen/read_file.hpp"
#include "exit_codes.hpp"
#include "load_checked.hpp"
#include "output_file.hpp"
#include "verbs.hpp"

namespace confgen {
namespace fs = std::filesystem;
namespace gdt = jailconf::guest_dt;

namespace {

void print_error(const std::string& message, const std::string& fix = {}) {
    std::fprintf(stderr, "%s",
                 fmt::format("confgen: error: {}{}\n", message,
                             fix.empty() ? std::string() : " (fix: " + fix + ")")
                     .c_str());
}

} // namespace

Action add_guest_dt(CLI::App& app) {
    struct Options {
        std::string file, inventory, host_dtb, cell, output, format = "both";
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "guest-dt", "Write the device tree each cell's guest boots with: its CPUs (PSCI), RAM at "
                    "guest addresses, the GIC, the timer, assigned devices with their owned "
                    "interrupts, shared-memory links and the console. Writes OUT/<cell>.dts and "
                    "OUT/<cell>.dtb (arm64).");
    sub->add_option("file", opts->file, "System configuration (YAML)")->required();
    sub->add_option("--inventory", opts->inventory,
                    "Inventory written by 'confgen scan' for the machine (devices, timer)")
        ->required();
    sub->add_option("--host-dtb", opts->host_dtb,
                    "The host's device tree blob: copy the devices' plain properties and fixed "
                    "clocks from it");
    sub->add_option("--cell", opts->cell, "Only this cell (default: every cell)");
    sub->add_option("-o,--output", opts->output, "Output directory")->required();
    sub->add_option("--format", opts->format, "What to write")
        ->check(CLI::IsMember({"dts", "dtb", "both"}))
        ->capture_default_str();
    return [opts] {
        CheckOutcome outcome = load_and_check({opts->file}, jailconf::ReportFormat::text);
        if (outcome.exit_code != exit_ok || !outcome.inputs[0].system)
            return outcome.exit_code == exit_ok ? int(exit_input_errors) : outcome.exit_code;
        const jailconf::System& system = *outcome.inputs[0].system;
        if (system.arch != jailconf::Arch::arm64) {
            std::fprintf(stderr, "confgen: not supported yet: guest device trees for %s\n",
                         std::string(jailconf::to_string(system.arch)).c_str());
            return int(exit_usage);
        }
        std::vector<const jailconf::Cell*> cells;
        for (const auto& c : system.cells)
            if (opts->cell.empty() || c.name == opts->cell)
                cells.push_back(&c);
        if (cells.empty()) {
            std::string names;
            for (const auto& c : system.cells)
                names += (names.empty() ? "" : ", ") + c.name;
            std::fprintf(stderr, "confgen: --cell: no cell '%s' in %s (cells: %s)\n",
                         opts->cell.c_str(), opts->file.c_str(), names.c_str());
            return int(exit_usage);
        }

        auto text = jailconf::read_file(opts->inventory);
        if (!text) {
            std::fprintf(stderr, "confgen: %s\n", text.error().c_str());
            return int(exit_io);
        }
        auto inv = jailconf::inventory::from_yaml(*text, opts->inventory);
        if (!inv) {
            print_error(inv.error().str());
            return int(exit_input_errors);
        }
        std::optional<gdt::HostTree> host;
        if (!opts->host_dtb.empty()) {
            auto blob = jailconf::read_file(opts->host_dtb);
            if (!blob) {
                std::fprintf(stderr, "confgen: %s\n", blob.error().c_str());
                return int(exit_io);
            }
            auto parsed = gdt::HostTree::parse(*blob, opts->host_dtb);
            if (!parsed) {
                print_error(parsed.error().str());
                return int(exit_input_errors);
            }
            host = std::move(*parsed);
        }

        bool dts = opts->format != "dtb", dtb = opts->format != "dts";
        std::vector<PendingFile> files;
        for (const jailconf::Cell* cell : cells) {
            auto tree = gdt::build_tree(system, *cell, *inv, host ? &*host : nullptr);
            if (!tree) {
                const gdt::Error& e = tree.error();
                if (e.kind == gdt::Error::Kind::unsupported) {
                    std::fprintf(stderr, "confgen: %s\n", e.message.c_str());
                    return int(exit_usage);
                }
                std::string who = fmt::format("cell '{}'", cell->name);
                print_error(e.message.find(who) == std::string::npos ? who + ": " + e.message
                                                                     : e.message,
                            e.fix);
                return int(exit_input_errors);
            }
            for (const auto& note : tree->notes)
                std::fprintf(stderr, "confgen: note: cell '%s': %s\n", cell->name.c_str(),
                             note.c_str());
            fs::path base = fs::path(opts->output) / cell->name;
            if (dts) {
                std::string s = gdt::to_dts(*tree);
                files.push_back(PendingFile{fs::path(base.string() + ".dts"),
                                            std::vector<uint8_t>(s.begin(), s.end())});
            }
            if (dtb) {
                auto blob = gdt::to_dtb(*tree);
                if (!blob) {
                    print_error(fmt::format("cell '{}': {}", cell->name, blob.error().message));
                    return int(exit_input_errors);
                }
                files.push_back(PendingFile{fs::path(base.string() + ".dtb"), std::move(*blob)});
            }
        }
        if (auto error = write_files_atomically(files)) {
            std::fprintf(stderr, "confgen: error: %s\n", error->c_str());
            return int(exit_io);
        }
        for (const auto& f : files)
            std::fprintf(stderr, "wrote %s (%zu bytes)\n", f.path.c_str(), f.bytes.size());
        return int(exit_ok);
    };
}

} // namespace confgen
