#include <cstdio>

#include "confgen/schema.hpp"
#include "exit_codes.hpp"
#include "output_file.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_schema(CLI::App& app) {
    auto output = std::make_shared<std::string>();
    CLI::App* sub = app.add_subcommand(
        "schema", "Print the JSON Schema (draft-07) of the YAML format, for editors and CI");
    sub->add_option("-o,--output", *output, "File to write (default: standard output)");
    return [output] {
        std::string schema(jailconf::embedded_schema_json());
        if (output->empty()) {
            std::fputs(schema.c_str(), stdout);
            return int(exit_ok);
        }
        if (auto error = write_text_atomically(*output, schema)) {
            std::fprintf(stderr, "confgen: error: %s\n", error->c_str());
            return int(exit_io);
        }
        return int(exit_ok);
    };
}

} // namespace confgen
