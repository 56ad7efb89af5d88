#include <cstdio>

#include <fmt/format.h>

#include "confgen/json_writer.hpp"
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
        std::string format; // empty: json for a *.json output, yaml otherwise
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "decompile", "Verify binary descriptors and turn them back into YAML: one system blob "
                     "and any number of cell blobs make one system");
    sub->add_option("files", opts->files, "The system blob (F.jcb) and cell blobs (F.<cell>.jcb)")
        ->required();
    sub->add_option("-o,--output", opts->output,
                    "YAML (or JSON) file to write (default: standard output)");
    sub->add_option("--format", opts->format,
                    "yaml or json (the same document as JSON, which every verb that reads a "
                    "system reads from a file named *.json); default: json when -o names a "
                    "*.json file, yaml otherwise")
        ->check(CLI::IsMember({"yaml", "json"}));
    return [opts] {
        auto system = decompile_files(opts->files);
        if (!system) {
            std::fprintf(stderr, "%s\n", system.error().message.c_str());
            return system.error().exit_code;
        }
        bool json = opts->format.empty() ? opts->output.ends_with(".json") : opts->format == "json";
        std::string text = json ? jailconf::to_json(*system) : jailconf::to_yaml(*system);
        if (opts->output.empty()) {
            std::fputs(text.c_str(), stdout);
            return int(exit_ok);
        }
        if (auto error = write_text_atomically(opts->output, text)) {
            std::fprintf(stderr, "confgen: error: %s\n", error->c_str());
            return int(exit_io);
        }
        return int(exit_ok);
    };
}

} // namespace confgen
