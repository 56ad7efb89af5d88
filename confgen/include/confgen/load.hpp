// Loading a system from YAML: syntax, `include:` resolution, schema validation (valijson), then
// the typed model. Every finding goes to the Diagnostics sink with the file, line and column.
#pragma once

#include "confgen/expected.hpp"
#include <filesystem>
#include <string_view>

#include "confgen/diagnostics.hpp"
#include "confgen/model.hpp"

namespace jailconf {

enum class LoadFailure {
    io,      // the top-level file could not be read (exit code 3)
    invalid, // the input has errors; they are in the Diagnostics (exit code 1)
};

Expected<System, LoadFailure> load_system(const std::filesystem::path& path, Diagnostics& diags);

// Loads from text already in memory; `name` is used in locations. `include:` paths are resolved
// relative to the directory of `name`.
Expected<System, LoadFailure> load_system_from_string(std::string_view text,
                                                      const std::string& name, Diagnostics& diags);

// The same system can be written as YAML or as JSON (the same document; to_json writes it). A
// file named *.json is JSON (strict syntax, JC-JSON-SYNTAX), any other name YAML; the overload
// below says it for text whose name does not end in .json. Included files go by their own names.
enum class TextFormat { yaml, json };
Expected<System, LoadFailure> load_system_from_string(std::string_view text,
                                                      const std::string& name, Diagnostics& diags,
                                                      TextFormat format);

} // namespace jailconf
