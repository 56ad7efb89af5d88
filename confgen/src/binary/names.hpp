// Descriptor names: the rule the verifier applies ([A-Za-z0-9_][A-Za-z0-9_.-]*, at most
// limits::max_name_length bytes), for confgen to report before it writes a blob.
#pragma once

#include <string_view>

#include "jailconf/limits.hpp"
#include "jailconf/verify_common.hpp"

namespace jailconf::binary {

inline bool is_valid_name(std::string_view name) {
    if (name.empty() || name.size() > limits::max_name_length)
        return false;
    if (!jcb::is_name_start(uint8_t(name[0])))
        return false;
    for (char c : name.substr(1))
        if (!jcb::is_name_char(uint8_t(c)))
            return false;
    return true;
}

} // namespace jailconf::binary
