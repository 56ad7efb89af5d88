// libFuzzer target for the YAML (and JSON) loader: any input must give a model or diagnostics,
// never a crash, a hang or a sanitizer report. Whatever loads and checks cleanly must also
// compile, its blobs must decompile to a system that compiles to the same bytes, and its JSON view
// must load back to a system that compiles to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "confgen/binary.hpp"
#include "confgen/check.hpp"
#include "confgen/json_writer.hpp"
#include "confgen/load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace jailconf;
    std::string_view text(reinterpret_cast<const char*>(data), size);
    {
        Diagnostics json_diags; // the same bytes through the strict JSON front end
        (void)load_system_from_string(text, "fuzz.json", json_diags, TextFormat::json);
    }
    Diagnostics diags;
    auto system = load_system_from_string(text, "fuzz.yaml", diags);
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
    Diagnostics json_diags;
    auto from_json = load_system_from_string(to_json(*system), "fuzz.json", json_diags);
    if (!from_json)
        __builtin_trap();
    auto json_blobs = compile(*from_json);
    if (!json_blobs || json_blobs->size() != blobs->size())
        __builtin_trap();
    for (size_t i = 0; i < blobs->size(); ++i)
        if ((*json_blobs)[i].bytes != (*blobs)[i].bytes)
            __builtin_trap();
    return 0;
}
