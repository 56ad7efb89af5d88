// libFuzzer target for the device-tree scanner: any blob must give an inventory or a ScanError
// with an offset inside the input, never a crash, a hang or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <string_view>

// The scanner interfaces are internal to libjailconf (confgen/src); the fuzz targets only get the
// public include directory.
#include "../../confgen/src/scan/scanners.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view blob(reinterpret_cast<const char*>(data), size);
    auto inv = jailconf::scan::scan_device_tree_blob(blob, "fuzz.dtb");
    if (!inv) {
        const auto& e = inv.error();
        if (e.kind == jailconf::ScanError::Kind::malformed && (!e.offset || *e.offset > size))
            __builtin_trap();
        return 0;
    }
    // Every fact names where it came from.
    for (const auto& d : inv->devices)
        if (d.origin.node.empty() || !d.origin.offset || *d.origin.offset >= size)
            __builtin_trap();
    return 0;
}
