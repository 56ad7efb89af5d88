// One function per confgen verb: each registers its subcommand and options on the CLI11 app and
// returns the action to run once parsing succeeded.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace confgen {

using Action = std::function<int()>;

Action add_check(CLI::App& app);
Action add_compile(CLI::App& app);
Action add_decompile(CLI::App& app);
Action add_schema(CLI::App& app);
Action add_summary(CLI::App& app);
Action add_rules(CLI::App& app);
Action add_collect(CLI::App& app);
Action add_scan(CLI::App& app);
Action add_generate(CLI::App& app);
Action add_lint(CLI::App& app);
Action add_guest_dt(CLI::App& app);
Action add_explain(CLI::App& app);
Action add_render(CLI::App& app);

} // namespace confgen
