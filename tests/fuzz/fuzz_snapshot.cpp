// Snapshot archives come from other machines: the tar reader must refuse, never crash, on any
// input; what it accepts must survive a write/read round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "scan/files/tar_archive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    auto entries = jailconf::scan::read_tar(input, "fuzz.tar");
    if (!entries)
        return 0;
    auto again = jailconf::scan::read_tar(jailconf::scan::write_tar(*entries), "again.tar");
    if (!again || again->size() != entries->size())
        std::abort();
    for (size_t i = 0; i < entries->size(); ++i)
        if ((*again)[i].path != (*entries)[i].path ||
            (*again)[i].content != (*entries)[i].content || (*again)[i].type != (*entries)[i].type)
            std::abort();
    return 0;
}
