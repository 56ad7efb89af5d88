// The binary descriptor view of the model: compile (System -> .jcb blobs) and decompile
// (.jcb blobs -> System). The byte layout and the verifier live in schema/include/jailconf/ so
// the hypervisor shares them.
#pragma once

#include "confgen/expected.hpp"
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "confgen/model.hpp"

namespace jailconf {

struct Blob {
    enum class Kind { system, cell } kind = Kind::system;
    std::string cell_name; // the cell it describes (the root cell for the system blob)
    std::vector<uint8_t> bytes;
};

// A system blob (platform, hypervisor, root cell, links) followed by one cell blob per non-root
// cell, in the order of the YAML. The system must have passed the semantic checks; a limit of the
// format that the model exceeds is reported as an error message.
Expected<std::vector<Blob>, std::string> compile(const System& system);

struct DecodeInput {
    std::string name; // file name, for messages
    std::span<const uint8_t> bytes;
};

// Verifies each blob and rebuilds the model. Exactly one system blob; any number of cell blobs,
// appended as non-root cells in the given order. Errors name the input, the offset and the reason.
Expected<System, std::string> decompile(std::span<const DecodeInput> blobs);

} // namespace jailconf
