// `confgen scan`: the hardware inventory of this machine or of a snapshot, DTB
// or ACPI tables.
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "confgen/inventory_io.hpp"
#include "confgen/scan.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "verbs.hpp"

namespace confgen {
namespace {

int scan_error_exit(const jailconf::ScanError& e) {
    std::fprintf(stderr, "confgen: error: %s\n", e.str().c_str());
    // A file that says something wrong is an input error; one that cannot be read
    // is I/O.
    return e.kind == jailconf::ScanError::Kind::malformed ? int(exit_input_errors) : int(exit_io);
}

} // namespace

Action add_scan(CLI::App& app) {
    struct Options {
        std::string root, snapshot, dtb, acpi, output, format, pci_ids = "/usr/share/misc/pci.ids";
        bool keys = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand("scan", "Scan hardware into an inventory: this "
                                               "machine (default), a snapshot from "
                                               "'confgen collect', a copied tree, a "
                                               "device-tree blob or raw ACPI tables");
    auto* root = sub->add_option("--root", opts->root,
                                 "Scan a copy of a machine's tree under this directory");
    auto* snapshot = sub->add_option("--snapshot", opts->snapshot, "Scan a snapshot tar");
    auto* dtb = sub->add_option("--dtb", opts->dtb, "Scan a flattened device tree (.dtb) alone");
    auto* acpi = sub->add_option("--acpi", opts->acpi,
                                 "Scan a directory of raw ACPI tables (e.g. 'acpidump -b' output)");
    root->excludes(snapshot, dtb, acpi);
    snapshot->excludes(dtb, acpi);
    dtb->excludes(acpi);
    sub->add_option("-o,--output", opts->output,
                    "Inventory file to write (default: standard output)");
    sub->add_option("--format", opts->format,
                    "yaml or json (default: from the output's extension, else yaml)")
        ->check(CLI::IsMember({"yaml", "json"}));
    sub->add_option("--pci-ids", opts->pci_ids, "pci.ids database for device names")
        ->capture_default_str();
    sub->add_flag("--keys", opts->keys,
                  "Print every inventory key with its type (Markdown) and exit");
    return [opts] {
        if (opts->keys) {
            std::fputs(jailconf::inventory::describe_keys().c_str(), stdout);
            return int(exit_ok);
        }
        jailconf::Expected<jailconf::inventory::Inventory, jailconf::ScanError> inv =
            jailconf::inventory::Inventory{};
        jailconf::ScanOptions options;
        options.pci_ids_path = opts->pci_ids;
        if (!opts->dtb.empty()) {
            inv = jailconf::scan_dtb_file(opts->dtb);
        } else if (!opts->acpi.empty()) {
            inv = jailconf::scan_acpi_directory(opts->acpi);
        } else {
            jailconf::Expected<std::unique_ptr<jailconf::MachineFiles>, jailconf::ScanError> files =
                std::unique_ptr<jailconf::MachineFiles>();
            if (!opts->snapshot.empty())
                files = jailconf::open_snapshot(opts->snapshot);
            else if (!opts->root.empty())
                files = jailconf::open_machine_directory(opts->root);
            else
                files = jailconf::open_live_machine();
            if (!files)
                return scan_error_exit(files.error());
            if (opts->snapshot.empty() && opts->root.empty() && geteuid() != 0)
                std::fprintf(stderr, "confgen: warning: not running as root: /proc/iomem "
                                     "addresses and PCI config space beyond 64 bytes are hidden\n");
            inv = jailconf::scan_machine(**files, options);
        }
        if (!inv)
            return scan_error_exit(inv.error());
        for (const auto& w : inv->warnings)
            std::fprintf(stderr, "confgen: warning [%s]: %s\n", w.code.c_str(), w.message.c_str());
        std::string format = opts->format;
        if (format.empty())
            format = opts->output.ends_with(".json") ? "json" : "yaml";
        std::string text = format == "json" ? jailconf::inventory::to_json(*inv)
                                            : jailconf::inventory::to_yaml(*inv);
        if (opts->output.empty()) {
            std::fwrite(text.data(), 1, text.size(), stdout);
            return int(exit_ok);
        }
        if (auto err = write_text_atomically(opts->output, text)) {
            std::fprintf(stderr, "confgen: %s\n", err->c_str());
            return int(exit_io);
        }
        std::fprintf(stderr, "%s",
                     fmt::format("confgen: wrote {} ({} CPUs, {} memory ranges, {} devices, {} PCI "
                                 "functions, {} warnings)\n",
                                 opts->output, inv->cpus.size(), inv->memory.size(),
                                 inv->devices.size(), inv->pci.size(), inv->warnings.size())
                         .c_str());
        return int(exit_ok);
    };
}

} // namespace confgen
