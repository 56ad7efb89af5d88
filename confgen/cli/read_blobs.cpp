#include "read_blobs.hpp"

#include <fstream>

#include "confgen/binary.hpp"
#include "confgen/read_file.hpp"
#include "exit_codes.hpp"

namespace confgen {

bool is_blob_file(const std::string& path) {
    char magic[4] = {};
    std::ifstream in(path, std::ios::binary);
    return in.read(magic, sizeof magic) && std::string_view(magic, 4) == "JCFG";
}

jailconf::Expected<jailconf::System, BlobFailure>
decompile_files(const std::vector<std::string>& paths) {
    std::vector<std::string> contents;
    for (const auto& path : paths) {
        auto data = jailconf::read_file(path);
        if (!data)
            return jailconf::Unexpected(BlobFailure{exit_io, "confgen: error: " + data.error()});
        contents.push_back(std::move(*data));
    }
    std::vector<jailconf::DecodeInput> inputs;
    for (size_t i = 0; i < contents.size(); ++i)
        inputs.push_back(jailconf::DecodeInput{
            paths[i], {reinterpret_cast<const uint8_t*>(contents[i].data()), contents[i].size()}});
    auto system = jailconf::decompile(inputs);
    if (!system)
        return jailconf::Unexpected(BlobFailure{exit_input_errors, "error: " + system.error()});
    return std::move(*system);
}

} // namespace confgen
