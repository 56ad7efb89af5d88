// Verbs of the CLI contract that are not built yet. They exist so that `confgen --help` shows the
// whole tool, and they refuse plainly instead of pretending.
#include <cstdio>

#include "exit_codes.hpp"
#include "verbs.hpp"

namespace confgen {

void add_unsupported(CLI::App& app, std::vector<std::pair<CLI::App*, Action>>& verbs) {
    struct Pending {
        const char* name;
        const char* help;
    };
    static constexpr Pending pending[] = {
        {"render", "Render a resource map as HTML (not supported yet)"},
    };
    for (const auto& p : pending) {
        CLI::App* sub = app.add_subcommand(p.name, p.help);
        sub->allow_extras();
        const char* name = p.name;
        verbs.emplace_back(sub, [name] {
            std::fprintf(stderr, "confgen: not supported yet: '%s'\n", name);
            return int(exit_usage);
        });
    }
}

} // namespace confgen
