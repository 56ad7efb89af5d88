// confgen: the Jailconf configuration compiler.
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "exit_codes.hpp"
#include "verbs.hpp"

int main(int argc, char** argv) {
    CLI::App app{"confgen: scan a machine, plan its partitions, check and compile Jailconf "
                 "configurations"};
    app.set_version_flag("--version", std::string("confgen ") + JAILCONF_VERSION);
    app.require_subcommand(1, 1);
    app.fallthrough(false);

    std::vector<std::pair<CLI::App*, confgen::Action>> verbs;
    auto add = [&](confgen::Action (*registrar)(CLI::App&)) {
        size_t before = app.get_subcommands({}).size();
        confgen::Action action = registrar(app);
        verbs.emplace_back(app.get_subcommands({})[before], std::move(action));
    };
    add(confgen::add_check);
    add(confgen::add_compile);
    add(confgen::add_decompile);
    add(confgen::add_schema);
    add(confgen::add_summary);
    add(confgen::add_rules);
    add(confgen::add_collect);
    add(confgen::add_scan);
    add(confgen::add_generate);
    add(confgen::add_lint);
    add(confgen::add_guest_dt);
    add(confgen::add_explain);
    add(confgen::add_render);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        if (e.get_exit_code() == 0)
            return app.exit(e);
        std::fprintf(stderr, "confgen: %s\nRun 'confgen --help' or 'confgen VERB --help'.\n",
                     e.what());
        return confgen::exit_usage;
    }
    for (auto& [sub, action] : verbs)
        if (sub->parsed())
            return action();
    return confgen::exit_usage;
}
