// libFuzzer target for the YAML loader: any input must give a model or diagnostics, never a
// crash, a hang or a sanitizer report. Whatever loads and checks cleanly must also compile, and
// its blobs must decompile to a system that compiles to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "confgen/binary.hpp"
#include "confgen/check.hpp"
#include "confgen/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace jailconf;
    Diagnostics diags;
    auto system = load_system_from_string(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.yaml", diags);
    if (!system)
        return 0;
    check_system(*system, diags);
    if (diags.has_errors())
        return 0;
    auto blobs = compile(*system);
    if (!blobs)
        return 0; // a limit of the format, reported as an error
    std::vector<DecodeInput> inputs;
    for (const auto& b : *blobs)
        inputs.push_back(DecodeInput{b.cell_name, b.bytes});
    auto back = decompile(inputs);
    if (!back)
        __builtin_trap();
    auto again = compile(*back);
    if (!again || again->size() != blobs->size())
        __builtin_trap();
    for (size_t i = 0; i < blobs->size(); ++i)
        if ((*again)[i].bytes != (*blobs)[i].bytes)
            __builtin_trap();
    return 0;
}
