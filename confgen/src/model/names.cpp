// Names of model enums as written in YAML and messages.
#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <utility>

#include "confgen/model.hpp"

namespace jailconf {
namespace {

constexpr std::array<std::pair<MemFlag, std::string_view>, 9> mem_flag_table = {{
    {mem_read, "read"},
    {mem_write, "write"},
    {mem_execute, "execute"},
    {mem_dma, "dma"},
    {mem_io, "io"},
    {mem_loadable, "loadable"},
    {mem_comm_region, "comm_region"},
    {mem_shared, "shared"},
    {mem_rootshared, "rootshared"},
}};

} // namespace

std::string_view to_string(Arch a) {
    switch (a) {
    case Arch::arm64:
        return "arm64";
    case Arch::x86_64:
        return "x86_64";
    case Arch::arm32:
        return "arm32";
    }
    return "?";
}

std::string_view to_string(ConsoleType t) {
    switch (t) {
    case ConsoleType::pl011:
        return "pl011";
    case ConsoleType::ns16550:
        return "ns16550";
    case ConsoleType::ns16550_pio:
        return "ns16550_pio";
    }
    return "?";
}

std::string_view to_string(IrqChipType t) {
    switch (t) {
    case IrqChipType::gicv2:
        return "gicv2";
    case IrqChipType::gicv3:
        return "gicv3";
    case IrqChipType::apic:
        return "apic";
    }
    return "?";
}

std::string_view to_string(IommuType t) {
    switch (t) {
    case IommuType::smmuv2:
        return "smmuv2";
    case IommuType::smmuv3:
        return "smmuv3";
    case IommuType::vtd:
        return "vtd";
    case IommuType::amd_vi:
        return "amd_vi";
    }
    return "?";
}

std::string_view to_string(BarType t) {
    switch (t) {
    case BarType::mem32:
        return "mem32";
    case BarType::mem64:
        return "mem64";
    case BarType::io:
        return "io";
    }
    return "?";
}

std::string_view to_string(PciDeviceType t) {
    switch (t) {
    case PciDeviceType::device:
        return "device";
    case PciDeviceType::bridge:
        return "bridge";
    }
    return "?";
}

std::string format_bdf(const Bdf& b) {
    if (b.segment != 0)
        return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", b.segment, b.bus, b.device, b.function);
    return fmt::format("{:02x}:{:02x}.{:x}", b.bus, b.device, b.function);
}

std::vector<std::string_view> mem_flag_names(uint32_t flags) {
    std::vector<std::string_view> names;
    for (auto [bit, name] : mem_flag_table)
        if (flags & bit)
            names.push_back(name);
    return names;
}

std::optional<MemFlag> mem_flag_from_name(std::string_view name) {
    auto it =
        std::ranges::find(mem_flag_table, name, &std::pair<MemFlag, std::string_view>::second);
    if (it == mem_flag_table.end())
        return std::nullopt;
    return it->first;
}

namespace {
template <class Enum, class... Values>
std::optional<Enum> find_enum(std::string_view name, Values... values) {
    std::optional<Enum> found;
    ((to_string(values) == name ? (void)(found = values) : (void)0), ...);
    return found;
}
} // namespace

template <> std::optional<Arch> enum_from_string(std::string_view n) {
    return find_enum<Arch>(n, Arch::arm64, Arch::x86_64, Arch::arm32);
}
template <> std::optional<ConsoleType> enum_from_string(std::string_view n) {
    return find_enum<ConsoleType>(n, ConsoleType::pl011, ConsoleType::ns16550,
                                  ConsoleType::ns16550_pio);
}
template <> std::optional<IrqChipType> enum_from_string(std::string_view n) {
    return find_enum<IrqChipType>(n, IrqChipType::gicv2, IrqChipType::gicv3, IrqChipType::apic);
}
template <> std::optional<IommuType> enum_from_string(std::string_view n) {
    return find_enum<IommuType>(n, IommuType::smmuv2, IommuType::smmuv3, IommuType::vtd,
                                IommuType::amd_vi);
}
template <> std::optional<BarType> enum_from_string(std::string_view n) {
    return find_enum<BarType>(n, BarType::mem32, BarType::mem64, BarType::io);
}
template <> std::optional<PciDeviceType> enum_from_string(std::string_view n) {
    return find_enum<PciDeviceType>(n, PciDeviceType::device, PciDeviceType::bridge);
}

const Cell* System::root_cell() const {
    auto it = std::ranges::find_if(cells, &Cell::root);
    return it == cells.end() ? nullptr : &*it;
}

const Cell* System::find_cell(std::string_view name) const {
    auto it = std::ranges::find(cells, name, &Cell::name);
    return it == cells.end() ? nullptr : &*it;
}

} // namespace jailconf
