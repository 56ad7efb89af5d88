// libFuzzer target for the PCI config-space parser (scan/pci/config_space.hpp): any byte
// string gives a parse or an error with an offset, never a crash, a hang or a sanitizer
// report, and what it returns stays inside the bytes it was given. Seeds: the real config
// spaces in tests/fixtures/pci/ (the x86 VM and the pciutils machine dumps).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "scan/pci/config_space.hpp"
#include "scan/pci/sysfs_resource.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace jailconf::scan::pci;
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto parsed = parse_config_space(bytes, "fuzz");
    if (!parsed) {
        if (!parsed.error().offset || *parsed.error().offset > extended_size)
            __builtin_trap();
        return 0;
    }
    const auto& fn = parsed->function;
    // Each dword slot at most once per list: 48 standard, 960 extended.
    if (fn.capabilities.size() > 48 + 960)
        __builtin_trap();
    for (const auto& cap : fn.capabilities)
        if (cap.offset + 2u > size || (cap.offset & 3) != 0 || cap.offset < 0x40 ||
            cap.extended != (cap.offset >= 0x100))
            __builtin_trap();
    if (fn.msix && (fn.msix->table_size == 0 || fn.msix->table_size > 2048))
        __builtin_trap();
    if (fn.msi && (fn.msi->vectors == 0 || fn.msi->vectors > 32))
        __builtin_trap();
    // The BAR cross-check with a resource file made of the same bytes' BARs.
    std::vector<SysfsResource> lines;
    for (const auto& bar : parsed->bars)
        lines.push_back(
            SysfsResource{bar.address, bar.address + 0xfff, bar.io ? resource_io : resource_mem});
    auto bars = bars_from_resource(lines, parsed->bars, parsed->function);
    if (bars.size() > 7)
        __builtin_trap();
    return 0;
}
