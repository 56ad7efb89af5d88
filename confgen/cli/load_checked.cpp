#include "load_checked.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "confgen/check.hpp"
#include "confgen/load.hpp"
#include "exit_codes.hpp"

namespace confgen {

using namespace jailconf;

CheckOutcome load_and_check(const std::vector<std::string>& paths, ReportFormat format,
                            const MoreChecks& more_checks, std::span<const RuleInfo> extra_rules) {
    CheckOutcome outcome;
    Diagnostics all;
    bool io_failure = false;
    for (const auto& path : paths) {
        Diagnostics diags;
        auto system = load_system(path, diags);
        if (system) {
            check_system(*system, diags);
            if (more_checks)
                more_checks(*system, diags);
        } else if (system.error() == LoadFailure::io)
            io_failure = true;
        diags.sort();
        bool clean = system && !diags.has_errors();
        outcome.inputs.push_back(
            CheckedInput{path, clean ? std::move(*system) : std::optional<System>()});
        for (const auto& d : diags.all())
            all.add(d);
    }
    switch (format) {
    case ReportFormat::text: {
        std::string text = render_text(all.all());
        size_t warnings = all.all().size() - all.error_count();
        if (!all.empty())
            text += fmt::format("{} error{}, {} warning{} or note{}\n", all.error_count(),
                                all.error_count() == 1 ? "" : "s", warnings,
                                warnings == 1 ? "" : "s", warnings == 1 ? "" : "s");
        std::fputs(text.c_str(), stderr);
        break;
    }
    case ReportFormat::json:
        std::fputs(render_json(all.all()).c_str(), stdout);
        break;
    case ReportFormat::sarif:
        std::fputs(render_sarif(all.all(), extra_rules).c_str(), stdout);
        break;
    }
    outcome.exit_code = io_failure ? exit_io : all.has_errors() ? exit_input_errors : exit_ok;
    return outcome;
}

} // namespace confgen
