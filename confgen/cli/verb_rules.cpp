// `confgen rules`: the rules confgen reports, with their default severity and help.
#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "confgen/rules.hpp"
#include "exit_codes.hpp"
#include "verbs.hpp"

namespace confgen {

Action add_rules(CLI::App& app) {
    auto format = std::make_shared<std::string>("text");
    CLI::App* sub = app.add_subcommand("rules", "List the rules confgen reports (id, severity, "
                                                "title, help)");
    sub->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
    return [format] {
        if (*format == "json") {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& r : jailconf::builtin_rules())
                list.push_back({{"id", r.id},
                                {"severity", jailconf::to_string(r.default_severity)},
                                {"title", r.title},
                                {"help", r.help}});
            std::fputs((list.dump(2) + "\n").c_str(), stdout);
            return int(exit_ok);
        }
        for (const auto& r : jailconf::builtin_rules())
            std::fputs(fmt::format("{:<24} {:<8} {}\n", r.id,
                                   jailconf::to_string(r.default_severity), r.title)
                           .c_str(),
                       stdout);
        return int(exit_ok);
    };
}

} // namespace confgen
