#include "scan/dt/translate.hpp"

#include <fmt/format.h>

namespace jailconf::scan::dt {
namespace {

std::string hex(u128 v) {
    uint64_t hi = uint64_t(v >> 64), lo = uint64_t(v);
    return hi ? fmt::format("{:#x}{:016x}", hi, lo) : fmt::format("{:#x}", lo);
}

// One level up: `address` in the child space of `bus` to the child space of bus's parent.
std::optional<u128> map_one_level(const Index& index, uint32_t bus, u128 address,
                                  std::string& why) {
    const Property* ranges = index.prop(bus, "ranges");
    if (!ranges) {
        why = fmt::format("{} has no `ranges`: {} is local to that bus", index.path(bus),
                          hex(address));
        return std::nullopt;
    }
    if (ranges->value.empty())
        return address;
    uint32_t parent = index.node(bus).parent;
    uint32_t child_ac = index.address_cells(bus);
    uint32_t parent_ac = index.address_cells(parent);
    uint32_t sc = index.size_cells(bus);
    // Three address cells (PCI) plus two size cells keep every sum inside 128 bits.
    if (child_ac > 3 || parent_ac > 3 || sc > 2) {
        why = fmt::format("{}: `ranges` with {}/{}/{} cells is beyond this reader", index.path(bus),
                          child_ac, parent_ac, sc);
        return std::nullopt;
    }
    size_t entry_cells = child_ac + parent_ac + sc;
    if (entry_cells == 0 || ranges->value.size() % (entry_cells * 4) != 0) {
        why = fmt::format("{}: `ranges` length {} is not a multiple of {} cells", index.path(bus),
                          ranges->value.size(), entry_cells);
        return std::nullopt;
    }
    Cells cells(ranges->value);
    while (!cells.done()) {
        u128 child = 0, parent_address = 0, size = 0;
        (void)(cells.number(child_ac, child) && cells.number(parent_ac, parent_address) &&
               cells.number(sc, size));
        if (address >= child && address - child < size)
            return parent_address + (address - child);
    }
    why = fmt::format("{} is outside every `ranges` window of {}", hex(address), index.path(bus));
    return std::nullopt;
}

} // namespace

bool read_reg(const Index& index, uint32_t node, std::vector<RegEntry>& out, std::string& why) {
    out.clear();
    const Property* reg = index.prop(node, "reg");
    uint32_t parent = index.node(node).parent;
    if (!reg || parent == no_node)
        return true;
    uint32_t ac = index.address_cells(parent), sc = index.size_cells(parent);
    if (ac > 3 || sc > 2 || ac == 0) {
        why = fmt::format("`reg` with {} address and {} size cells is beyond this reader", ac, sc);
        return false;
    }
    size_t entry = (ac + sc) * 4;
    if (reg->value.size() % entry != 0) {
        why = fmt::format("`reg` length {} is not a multiple of {} address + {} size cells",
                          reg->value.size(), ac, sc);
        return false;
    }
    Cells cells(reg->value);
    while (!cells.done()) {
        RegEntry e;
        (void)(cells.number(ac, e.address) && cells.number(sc, e.size));
        out.push_back(e);
    }
    return true;
}

std::optional<uint64_t> translate(const Index& index, uint32_t bus, u128 address,
                                  std::string& why) {
    // Each step moves to the parent, so the depth limit bounds the walk.
    for (uint32_t b = bus; b != 0; b = index.node(b).parent) {
        auto up = map_one_level(index, b, address, why);
        if (!up)
            return std::nullopt;
        address = *up;
    }
    if (address >> 64) {
        why = fmt::format("{} does not fit in 64 bits", hex(address));
        return std::nullopt;
    }
    return uint64_t(address);
}

std::vector<inventory::Region> translated_regs(const Index& index, uint32_t node,
                                               std::vector<std::string>& notes) {
    std::vector<inventory::Region> out;
    std::vector<RegEntry> entries;
    std::string why;
    if (!read_reg(index, node, entries, why)) {
        notes.push_back(why);
        return out;
    }
    uint32_t parent = index.node(node).parent;
    for (const RegEntry& e : entries) {
        auto base = translate(index, parent, e.address, why);
        if (!base) {
            notes.push_back("reg " + hex(e.address) + " not translated: " + why);
            continue;
        }
        if (e.size >> 64) {
            notes.push_back("reg size " + hex(e.size) + " does not fit in 64 bits");
            continue;
        }
        out.push_back(inventory::Region{*base, uint64_t(e.size)});
    }
    return out;
}

} // namespace jailconf::scan::dt
