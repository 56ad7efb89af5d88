#include <cstdio>

#include <fmt/format.h>

#include "confgen/binary.hpp"
#include "exit_codes.hpp"
#include "load_checked.hpp"
#include "output_file.hpp"
#include "verbs.hpp"

namespace confgen {
namespace fs = std::filesystem;

// F.jcb for the system blob, F.<cell>.jcb beside it for each non-root cell.
static fs::path cell_blob_path(const fs::path& system_path, const std::string& cell) {
    fs::path stem = system_path;
    if (stem.extension() == ".jcb")
        stem.replace_extension();
    return fs::path(stem.string() + "." + cell + ".jcb");
}

Action add_compile(CLI::App& app) {
    struct Options {
        std::string file;
        std::string output;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* sub = app.add_subcommand(
        "compile", "Compile a checked configuration into binary descriptors (.jcb) for the "
                   "hypervisor: F.jcb (system: platform, hypervisor, root cell, links) and "
                   "F.<cell>.jcb for each other cell");
    sub->add_option("file", opts->file, "System configuration (YAML)")->required();
    sub->add_option("-o,--output", opts->output, "Path of the system blob, e.g. out/system.jcb")
        ->required();
    return [opts] {
        CheckOutcome outcome = load_and_check({opts->file}, jailconf::ReportFormat::text);
        if (outcome.exit_code != exit_ok || !outcome.inputs[0].system)
            return outcome.exit_code == exit_ok ? int(exit_input_errors) : outcome.exit_code;
        auto blobs = jailconf::compile(*outcome.inputs[0].system);
        if (!blobs) {
            std::fprintf(stderr, "%s: error: %s\n", opts->file.c_str(), blobs.error().c_str());
            return int(exit_input_errors);
        }
        std::vector<PendingFile> files;
        for (auto& blob : *blobs) {
            fs::path path = blob.kind == jailconf::Blob::Kind::system
                                ? fs::path(opts->output)
                                : cell_blob_path(opts->output, blob.cell_name);
            files.push_back(PendingFile{path, std::move(blob.bytes)});
        }
        if (auto error = write_files_atomically(files)) {
            std::fprintf(stderr, "confgen: error: %s\n", error->c_str());
            return int(exit_io);
        }
        for (const auto& f : files)
            std::fprintf(stderr, "wrote %s (%zu bytes)\n", f.path.c_str(), f.bytes.size());
        return int(exit_ok);
    };
}

} // namespace confgen
