// libFuzzer target for the kernel text parsers of the scanner: /proc/iomem and /proc/ioports
// (resource trees), /proc/cpuinfo, CPU lists ("0-3,5"), sysfs PCI `resource` and pci.ids.
// Every input goes through all of them, so the real captures in tests/fixtures/procfs/ seed
// each. None may crash or hang; what they return must respect their own bounds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scan/pci/pci_ids.hpp"
#include "scan/pci/sysfs_resource.hpp"
#include "scan/procfs/cpus.hpp"
#include "scan/procfs/resource_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace jailconf::scan;
    std::string_view text(reinterpret_cast<const char*>(data), size);

    if (auto tree = procfs::parse_resource_tree(text, "fuzz")) {
        uint32_t previous = 0;
        uint64_t offset = 0;
        for (size_t i = 0; i < tree->size(); ++i) {
            const auto& line = (*tree)[i];
            if (line.entry.depth > (i == 0 ? 0 : previous + 1) || line.entry.depth > 32)
                __builtin_trap();
            if (i > 0 && line.offset <= offset)
                __builtin_trap();
            if (line.offset >= size)
                __builtin_trap();
            previous = line.entry.depth;
            offset = line.offset;
        }
    } else if (!tree.error().offset || *tree.error().offset > size) {
        __builtin_trap();
    }

    auto info = procfs::parse_cpuinfo(text);
    for (const auto& p : info.processors)
        if (p.offset >= size)
            __builtin_trap();

    if (auto ids = procfs::parse_cpu_list(text, "fuzz")) {
        if (ids->size() > 65536)
            __builtin_trap();
        for (size_t i = 1; i < ids->size(); ++i)
            if ((*ids)[i] <= (*ids)[i - 1])
                __builtin_trap();
    }

    if (auto lines = pci::parse_sysfs_resource(text, "fuzz")) {
        if (lines->size() > 64)
            __builtin_trap();
        jailconf::inventory::PciFunction fn;
        auto bars = pci::bars_from_resource(*lines, {}, fn);
        for (const auto& bar : bars)
            if (bar.index > 6)
                __builtin_trap();
    }

    auto names = pci::PciIds::parse(std::string(text));
    (void)names.vendor(0x8086);
    (void)names.device(0x8086, 0x100e);
    return 0;
}
