#include <cstdio>

#include <fmt/format.h>

#include "confgen/yaml_writer.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "read_blobs.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_decompile(CLI::App& app) {
    struct Options {
        std::vector<std::string> files;
        std::string output;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "decompile", "Verify binary descriptors and turn them back into YAML: one system blob "
                     "and any number of cell blobs make one system");
    sub->add_option("files", opts->files, "The system blob (F.jcb) and cell blobs (F.<cell>.jcb)")
        ->required();
    sub->add_option("-o,--output", opts->output, "YAML file to write (default: standard output)");
    return [opts] {
        auto system = decompile_files(opts->files);
        if (!system) {
            std::fprintf(stderr, "%s\n", system.error().message.c_str());
            return system.error().exit_code;
        }
        std::string yaml = jailconf::to_yaml(*system);
        if (opts->output.empty()) {
            std::fputs(yaml.c_str(), stdout);
            return int(exit_ok);
        }
        if (auto error = write_text_atomically(opts->output, yaml)) {
            std::fprintf(stderr, "confgen: error: %s\n", error->c_str());
            return int(exit_io);
        }
        return int(exit_ok);
    };
}

} // namespace confgen
