// Reading .jcb files and decompiling them into one system, shared by the verbs that accept blobs.
#pragma once

#include <string>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/model.hpp"

namespace confgen {

struct BlobFailure {
    int exit_code; // exit_io when a file cannot be read, exit_input_errors when it is not valid
    std::string message;
};

// Whether the file starts with the descriptor magic ("JCFG").
bool is_blob_file(const std::string& path);

jailconf::Expected<jailconf::System, BlobFailure>
decompile_files(const std::vector<std::string>& paths);

} // namespace confgen
