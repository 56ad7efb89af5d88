#include <cstdio>

#include <fmt/format.h>

#include "load_checked.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_check(CLI::App& app) {
    struct Options {
        std::vector<std::string> files;
        std::string format = "text";
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "check", "Validate configurations: YAML syntax, the schema and the semantic rules (JC-*)");
    sub->add_option("files", opts->files, "System configuration files (YAML)")->required();
    sub->add_option("--format", opts->format,
                    "Diagnostics format: text (stderr), json or sarif (stdout)")
        ->check(CLI::IsMember({"text", "json", "sarif"}));
    sub->footer("Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error, "
                "3 a file could not be read.");
    return [opts] {
        auto format = *jailconf::report_format_from_string(opts->format);
        CheckOutcome outcome = load_and_check(opts->files, format);
        if (format == jailconf::ReportFormat::text)
            for (const auto& input : outcome.inputs)
                if (input.system)
                    std::fprintf(
                        stderr, "%s: ok (%zu cell%s, %zu link%s)\n", input.path.c_str(),
                        input.system->cells.size(), input.system->cells.size() == 1 ? "" : "s",
                        input.system->links.size(), input.system->links.size() == 1 ? "" : "s");
        return outcome.exit_code;
    };
}

} // namespace confgen
