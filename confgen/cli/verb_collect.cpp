// `confgen collect`: run on the target; writes a snapshot tar of the allow-listed files.
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "confgen/collect.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_collect(CLI::App& app) {
    struct Options {
        std::string output = "snapshot.tar";
        std::string root;
        bool list = false;
        bool quiet = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "collect", "Copy the allow-listed hardware description files of this machine (/sys, "
                   "/proc, ACPI tables, device tree) into a snapshot tar for 'confgen scan "
                   "--snapshot' on another machine. Nothing else is read.");
    sub->add_option("-o,--output", opts->output, "Snapshot to write")->capture_default_str();
    sub->add_option("--root", opts->root,
                    "Collect from a copy of a machine's tree under this directory instead of /");
    sub->add_flag("--list", opts->list, "Print the allow-list (path patterns and why) and exit");
    sub->add_flag("-q,--quiet", opts->quiet, "No progress output");
    return [opts] {
        if (opts->list) {
            for (const auto& p : jailconf::scan_allow_list())
                std::printf("%-48s %s\n", std::string(p.first).c_str(),
                            std::string(p.second).c_str());
            return int(exit_ok);
        }
        std::unique_ptr<jailconf::MachineFiles> source;
        if (opts->root.empty()) {
            source = jailconf::open_live_machine();
        } else {
            auto dir = jailconf::open_machine_directory(opts->root);
            if (!dir) {
                std::fprintf(stderr, "confgen: %s\n", dir.error().str().c_str());
                return int(exit_io);
            }
            source = std::move(*dir);
        }
        if (geteuid() != 0 && opts->root.empty() && !opts->quiet)
            std::fprintf(stderr, "confgen: warning: not running as root: /proc/iomem addresses "
                                 "and PCI config space beyond 64 bytes will be hidden\n");
        bool quiet = opts->quiet;
        auto snapshot = jailconf::collect_snapshot(
            *source, [quiet](std::string_view pattern, size_t files, size_t bytes) {
                if (!quiet)
                    std::fprintf(
                        stderr, "%s",
                        fmt::format("  {:<48} {:>5} files {:>9} bytes\n", pattern, files, bytes)
                            .c_str());
            });
        if (!snapshot) {
            std::fprintf(stderr, "confgen: %s\n", snapshot.error().str().c_str());
            return int(exit_io);
        }
        for (const auto& w : snapshot->warnings)
            std::fprintf(stderr, "confgen: warning: cannot read %s\n", w.c_str());
        if (auto err = write_text_atomically(opts->output, snapshot->archive)) {
            std::fprintf(stderr, "confgen: %s\n", err->c_str());
            return int(exit_io);
        }
        if (!quiet)
            std::fprintf(stderr, "%s",
                         fmt::format("confgen: wrote {} ({} files, {} bytes, {} unreadable)\n",
                                     opts->output, snapshot->files, snapshot->bytes,
                                     snapshot->warnings.size())
                             .c_str());
        return int(exit_ok);
    };
}

} // namespace confgen
