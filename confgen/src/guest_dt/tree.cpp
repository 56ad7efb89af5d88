// The in-memory guest tree: property constructors (big-endian cells, NUL-terminated strings) and
// look-ups. Both serializations (fdt_writer.cpp, dts_writer.cpp) read this and nothing else.
#include "confgen/guest_dt.hpp"
#include "fdt/fdt_format.hpp"

namespace jailconf::guest_dt {
namespace {

// dtc's own guess when it decompiles: a list of non-empty printable NUL-terminated strings.
bool looks_like_strings(std::string_view v) {
    if (v.empty() || v.back() != '\0' || v.front() == '\0')
        return false;
    for (size_t i = 0; i < v.size(); ++i) {
        auto c = static_cast<unsigned char>(v[i]);
        if (c == 0) {
            if (i + 1 < v.size() && v[i + 1] == '\0')
                return false; // an empty string in the middle
            continue;
        }
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace

Property Property::flag(std::string name) {
    return Property{std::move(name), {}, ValueKind::empty};
}

Property Property::cells(std::string name, const std::vector<uint32_t>& cells) {
    Property p{std::move(name), {}, ValueKind::cells, false};
    for (uint32_t c : cells)
        fdt::append_be32(p.value, c);
    return p;
}

Property Property::phandle_list(std::string name, const std::vector<uint32_t>& phandles) {
    Property p = cells(std::move(name), phandles);
    p.phandles = true;
    return p;
}

Property Property::strings(std::string name, const std::vector<std::string>& strings) {
    Property p{std::move(name), {}, ValueKind::strings, false};
    for (const std::string& s : strings) {
        p.value += s;
        p.value.push_back('\0');
    }
    return p;
}

Property Property::raw(std::string name, std::string value) {
    ValueKind kind = value.empty()               ? ValueKind::empty
                     : looks_like_strings(value) ? ValueKind::strings
                     : value.size() % 4 == 0     ? ValueKind::cells
                                                 : ValueKind::bytes;
    return Property{std::move(name), std::move(value), kind, false};
}

const Property* Node::find(std::string_view property) const {
    for (const Property& p : properties)
        if (p.name == property)
            return &p;
    return nullptr;
}

const Node* Node::child(std::string_view name) const {
    for (const Node& c : children)
        if (c.name == name)
            return &c;
    return nullptr;
}

} // namespace jailconf::guest_dt
