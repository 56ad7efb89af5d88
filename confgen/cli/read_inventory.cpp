#include "read_inventory.hpp"

#include <cstdio>

#include "confgen/inventory_io.hpp"
#include "confgen/read_file.hpp"
#include "exit_codes.hpp"

namespace confgen {

jailconf::Expected<jailconf::inventory::Inventory, int> read_inventory(const std::string& path) {
    auto text = jailconf::read_file(path);
    if (!text) {
        std::fprintf(stderr, "confgen: %s\n", text.error().c_str());
        return jailconf::Unexpected(int(exit_io));
    }
    auto inv = jailconf::inventory::from_yaml(*text, path);
    if (!inv) {
        std::fprintf(stderr, "confgen: error: %s\n", inv.error().str().c_str());
        return jailconf::Unexpected(int(exit_input_errors));
    }
    return std::move(*inv);
}

} // namespace confgen
