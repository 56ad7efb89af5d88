// "Did you mean ...?" hints: the candidate closest to a misspelt name.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace jailconf {

// The candidate within `max_edits` edits (insert, delete, substitute) of `name`, or "" if none
// is that close. Ties go to the earlier candidate.
std::string closest_name(std::string_view name, std::span<const std::string_view> candidates,
                         size_t max_edits);

// The hint budget the loader uses for keys: two edits, or a third of the name when longer.
inline size_t default_max_edits(std::string_view name) {
    return name.size() / 3 > 2 ? name.size() / 3 : 2;
}

} // namespace jailconf
