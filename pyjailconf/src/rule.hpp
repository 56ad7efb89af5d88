// A built-in rule as Python sees it (owning copies of the registry's strings).
#pragma once

#include <string>

namespace pyjailconf {

struct Rule {
    std::string id;
    std::string severity; // default severity
    std::string title;
    std::string help;
};

} // namespace pyjailconf
