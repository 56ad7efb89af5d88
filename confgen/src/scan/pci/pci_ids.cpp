#include "scan/pci/pci_ids.hpp"

#include <algorithm>

#include "confgen/read_file.hpp"
#include "scan/procfs/text_numbers.hpp"
#include "scan/text_lines.hpp"

namespace jailconf::scan::pci {
namespace {

constexpr size_t max_database_size = 16u << 20;

// Exactly four hex digits followed by whitespace (the id columns of pci.ids).
bool id4(std::string_view text, size_t at, uint16_t& out) {
    if (text.size() < at + 5 || (text[at + 4] != ' ' && text[at + 4] != '\t'))
        return false;
    auto n = procfs::parse_hex(text.substr(at, 4));
    if (!n || n->length != 4)
        return false;
    out = static_cast<uint16_t>(n->value);
    return true;
}

} // namespace

PciIds PciIds::load(const std::string& path) {
    if (path.empty())
        return {};
    auto text = read_file(path);
    if (!text || text->size() > max_database_size)
        return {};
    return parse(std::move(*text));
}

PciIds PciIds::parse(std::string text) {
    PciIds ids;
    if (text.size() > max_database_size)
        return ids;
    ids.text_ = std::move(text);
    std::string_view all = ids.text_;
    bool have_vendor = false, have_device = false;
    uint16_t vendor = 0, device = 0;
    TextLines lines(all);
    for (TextLine next; lines.next(next);) {
        std::string_view line = next.text;
        size_t line_start = next.offset;
        if (line.empty() || line[0] == '#')
            continue;
        // The class list ("C 02  Network controller") ends the vendor part; nothing after it
        // names devices.
        if (line.size() >= 2 && line[0] == 'C' && line[1] == ' ')
            break;
        size_t tabs = 0;
        while (tabs < line.size() && tabs < 3 && line[tabs] == '\t')
            ++tabs;
        uint16_t a = 0, b = 0;
        size_t name_at = 0;
        uint64_t key = 0;
        std::vector<Entry>* index = nullptr;
        if (tabs == 0 && id4(line, 0, a)) {
            vendor = a;
            have_vendor = true;
            have_device = false;
            key = a;
            name_at = 4;
            index = &ids.vendors_;
        } else if (tabs == 1 && have_vendor && id4(line, 1, a)) {
            device = a;
            have_device = true;
            key = uint64_t{vendor} << 16 | a;
            name_at = 5;
            index = &ids.devices_;
        } else if (tabs == 2 && have_device && id4(line, 2, a) && id4(line, 7, b)) {
            key = uint64_t{vendor} << 48 | uint64_t{device} << 32 | uint64_t{a} << 16 | b;
            name_at = 11;
            index = &ids.subsystems_;
        } else {
            continue; // not understood: skip, the database format may grow
        }
        std::string_view name = procfs::trim(line.substr(name_at));
        if (name.empty())
            continue;
        index->push_back(
            Entry{key, static_cast<uint32_t>(line_start + size_t(name.data() - line.data())),
                  static_cast<uint32_t>(name.size())});
    }
    // Stable: with duplicate ids the first line wins, as in the file.
    auto by_key = [](const Entry& x, const Entry& y) { return x.key < y.key; };
    std::stable_sort(ids.vendors_.begin(), ids.vendors_.end(), by_key);
    std::stable_sort(ids.devices_.begin(), ids.devices_.end(), by_key);
    std::stable_sort(ids.subsystems_.begin(), ids.subsystems_.end(), by_key);
    return ids;
}

std::string_view PciIds::find(const std::vector<Entry>& index, uint64_t key) const {
    auto it = std::lower_bound(index.begin(), index.end(), key,
                               [](const Entry& e, uint64_t k) { return e.key < k; });
    if (it == index.end() || it->key != key)
        return {};
    return std::string_view(text_).substr(it->offset, it->length);
}

std::string_view PciIds::vendor(uint16_t vendor) const {
    return find(vendors_, vendor);
}

std::string_view PciIds::device(uint16_t vendor, uint16_t device) const {
    return find(devices_, uint64_t{vendor} << 16 | device);
}

std::string_view PciIds::subsystem(uint16_t vendor, uint16_t device, uint16_t subsystem_vendor,
                                   uint16_t subsystem) const {
    return find(subsystems_, uint64_t{vendor} << 48 | uint64_t{device} << 32 |
                                 uint64_t{subsystem_vendor} << 16 | subsystem);
}

} // namespace jailconf::scan::pci
