// Module functions: load/loads, check, compile/decompile, YAML and JSON, schema and diagnostics
// rendering. The GIL is released around the library calls; Python objects are only touched while
// it is held.
#include <cerrno>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "confgen/binary.hpp"
#include "confgen/check.hpp"
#include "confgen/json_writer.hpp"
#include "confgen/load.hpp"
#include "confgen/report.hpp"
#include "confgen/rules.hpp"
#include "confgen/schema.hpp"
#include "confgen/yaml_writer.hpp"
#include "knowledge_base.hpp"
#include "ops.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;

namespace {

struct Loaded {
    std::optional<System> system;
    std::optional<LoadFailure> failure;
    std::vector<Diagnostic> diags;
};

Loaded run_load(const fs::path& path, bool with_check) {
    Loaded out;
    Diagnostics diags;
    {
        py::gil_scoped_release release;
        auto system = load_system(path, diags);
        if (system) {
            if (with_check)
                check_system(*system, diags);
            out.system = std::move(*system);
        } else {
            out.failure = system.error();
        }
        diags.sort();
    }
    out.diags = diags.all();
    return out;
}

Loaded run_loads(const std::string& text, const std::string& name, TextFormat format) {
    Loaded out;
    Diagnostics diags;
    {
        py::gil_scoped_release release;
        auto system = load_system_from_string(text, name, diags, format);
        if (system)
            out.system = std::move(*system);
        else
            out.failure = system.error();
        diags.sort();
    }
    out.diags = diags.all();
    return out;
}

[[noreturn]] void raise_io(const fs::path& path, const std::vector<Diagnostic>& diags) {
    raise_os_error(path, diags.empty() ? "cannot read file" : diags.front().message);
}

System unwrap_loaded(Loaded&& loaded, const fs::path* path) {
    if (loaded.failure) {
        if (*loaded.failure == LoadFailure::io && path)
            raise_io(*path, loaded.diags);
        raise_with_diagnostics(errors().load, error_lines(loaded.diags), loaded.diags);
    }
    return std::move(*loaded.system);
}

std::vector<Blob> compile_checked(const System& system) {
    const System copy = snapshot(system); // the caller's object may change once the GIL is released
    Diagnostics diags;
    std::optional<Expected<std::vector<Blob>, std::string>> blobs;
    {
        py::gil_scoped_release release;
        check_system(copy, diags);
        diags.sort();
        if (!diags.has_errors())
            blobs.emplace(compile(copy));
    }
    if (!blobs)
        raise_with_diagnostics(errors().compile, error_lines(diags.all()), diags.all());
    if (!*blobs)
        raise_with_diagnostics(errors().compile, "error: " + blobs->error(), {});
    return std::move(**blobs);
}

py::bytes to_bytes(const std::vector<uint8_t>& data) {
    return py::bytes(reinterpret_cast<const char*>(data.data()), data.size());
}

System decompile_inputs(std::vector<std::string> contents, std::vector<std::string> names) {
    if (contents.empty())
        throw py::value_error("decompile needs at least the system blob");
    if (names.empty())
        for (size_t i = 0; i < contents.size(); ++i)
            names.push_back(contents.size() == 1 ? "<bytes>" : fmt::format("<bytes {}>", i));
    if (names.size() != contents.size())
        throw py::value_error("decompile: as many names as blobs are needed");
    std::optional<Expected<System, std::string>> result;
    {
        py::gil_scoped_release release;
        std::vector<DecodeInput> inputs;
        for (size_t i = 0; i < contents.size(); ++i)
            inputs.push_back(DecodeInput{
                names[i],
                {reinterpret_cast<const uint8_t*>(contents[i].data()), contents[i].size()}});
        result.emplace(decompile(inputs));
    }
    if (!*result) {
        std::string message = "error: " + result->error();
        PyErr_SetString(errors().decode.ptr(), message.c_str());
        throw py::error_already_set();
    }
    return std::move(**result);
}

} // namespace

void raise_os_error(const fs::path& path, const std::string& message) {
    std::error_code ec;
    bool missing = !fs::exists(path, ec) && !ec;
    py::object type =
        py::module_::import("builtins").attr(missing ? "FileNotFoundError" : "OSError");
    py::object exc = type(missing ? ENOENT : EIO, message, path.string());
    PyErr_SetObject(type.ptr(), exc.ptr());
    throw py::error_already_set();
}

void raise_not_supported(const std::string& message) {
    PyErr_SetString(errors().not_supported.ptr(), message.c_str());
    throw py::error_already_set();
}

std::vector<Diagnostic> check_model(const System& system) {
    const System copy = snapshot(system);
    Diagnostics diags;
    {
        py::gil_scoped_release release;
        check_system(copy, diags);
        diags.sort();
    }
    return diags.all();
}

py::bytes compile_system_blob(const System& system) {
    auto blobs = compile_checked(system);
    for (const auto& b : blobs)
        if (b.kind == Blob::Kind::system)
            return to_bytes(b.bytes);
    raise_with_diagnostics(errors().compile, "error: no system blob was produced", {});
}

py::list compile_all_blobs(const System& system) {
    py::list out;
    for (auto& b : compile_checked(system))
        out.append(py::cast(std::move(b)));
    return out;
}

std::string system_to_yaml(const System& system) {
    const System copy = snapshot(system);
    py::gil_scoped_release release;
    return to_yaml(copy);
}

std::string system_to_json(const System& system) {
    const System copy = snapshot(system);
    py::gil_scoped_release release;
    return to_json(copy);
}

void bind_functions(py::module_& m) {
    py::class_<Blob>(m, "Blob", "One compiled binary descriptor")
        .def_property_readonly(
            "kind", [](const Blob& b) { return b.kind == Blob::Kind::system ? "system" : "cell"; },
            "'system' (platform, hypervisor, root cell, links) or 'cell'")
        .def_readonly("cell_name", &Blob::cell_name,
                      "The cell described (the root cell for the system blob)")
        .def_property_readonly(
            "data", [](const Blob& b) { return to_bytes(b.bytes); }, "The descriptor bytes")
        .def("__bytes__", [](const Blob& b) { return to_bytes(b.bytes); })
        .def("__len__", [](const Blob& b) { return b.bytes.size(); })
        .def("__repr__", [](const Blob& b) {
            return fmt::format("Blob(kind={}, cell_name={}, size={})",
                               b.kind == Blob::Kind::system ? "'system'" : "'cell'", q(b.cell_name),
                               b.bytes.size());
        });

    m.def(
        "load",
        [](const fs::path& path) {
            Loaded loaded = run_load(path, false);
            return unwrap_loaded(std::move(loaded), &path);
        },
        py::arg("path"),
        "Load a system from a YAML file, or a JSON file when the name ends in .json (includes "
        "resolved, schema validated). Raises "
        "LoadError (with .diagnostics) or OSError/FileNotFoundError. Does not run the "
        "semantic checks: use check().");
    m.def(
        "loads",
        [](const std::string& text, const std::string& name) {
            Loaded loaded = run_loads(text, name, TextFormat::yaml);
            return unwrap_loaded(std::move(loaded), nullptr);
        },
        py::arg("text"), py::arg("name") = "<string>",
        "Load a system from YAML text; `name` is used in locations and to resolve includes.");
    m.def(
        "loads_json",
        [](const std::string& text, const std::string& name) {
            Loaded loaded = run_loads(text, name, TextFormat::json);
            return unwrap_loaded(std::move(loaded), nullptr);
        },
        py::arg("text"), py::arg("name") = "<string>",
        "Load a system from JSON text (what to_json() writes): strict JSON syntax "
        "(JC-JSON-SYNTAX), then the same schema and model as YAML. Raises LoadError.");
    m.def("check", &check_model, py::arg("system"),
          "Semantic checks of a System: a list of Diagnostic, sorted by location");
    m.def(
        "check",
        [](const fs::path& path) {
            Loaded loaded = run_load(path, true);
            if (loaded.failure && *loaded.failure == LoadFailure::io)
                raise_io(path, loaded.diags);
            return loaded.diags;
        },
        py::arg("path"),
        "Load and check a YAML file: every diagnostic (load errors included), sorted. Raises "
        "OSError/FileNotFoundError when the file cannot be read.");
    m.def(
        "decompile",
        [](const py::bytes& data, std::optional<std::string> name) {
            std::vector<std::string> names;
            if (name)
                names.push_back(*name);
            return decompile_inputs({std::string(data)}, std::move(names));
        },
        py::arg("data"), py::arg("name") = py::none(),
        "Verify a system blob and rebuild the System. Raises DecodeError.");
    m.def(
        "decompile",
        [](const std::vector<py::bytes>& blobs, std::optional<std::vector<std::string>> names) {
            std::vector<std::string> contents;
            contents.reserve(blobs.size());
            for (const auto& b : blobs)
                contents.emplace_back(b);
            return decompile_inputs(std::move(contents),
                                    names ? *names : std::vector<std::string>{});
        },
        py::arg("blobs"), py::arg("names") = py::none(),
        "Verify a system blob followed by cell blobs and rebuild the System. Raises "
        "DecodeError.");
    m.def("to_yaml", &system_to_yaml, py::arg("system"), "The canonical jailconf/1 YAML text");
    m.def("to_json", &system_to_json, py::arg("system"),
          "The same document as JSON (integers for addresses and sizes); load() reads it back "
          "from a *.json file, loads_json() from text");
    m.def(
        "schema", [] { return std::string(embedded_schema_json()); },
        "The JSON Schema of the YAML format");
    m.def(
        "format_diagnostics",
        [](const std::vector<Diagnostic>& diags, const std::string& format,
           std::optional<PyKnowledgeBase> kb) {
            auto f = report_format_from_string(format);
            if (!f)
                throw py::value_error(
                    fmt::format("unknown format '{}' (text, json or sarif)", format));
            switch (*f) {
            case ReportFormat::text:
                return render_text(diags);
            case ReportFormat::json:
                return render_json(diags);
            case ReportFormat::sarif: {
                PyKnowledgeBase knowledge = kb ? std::move(*kb) : builtin_knowledge_base();
                py::gil_scoped_release release;
                return render_sarif(diags, knowledge.kb->rule_infos());
            }
            }
            return std::string();
        },
        py::arg("diagnostics"), py::arg("format") = "text", py::arg("kb") = py::none(),
        "Render diagnostics as confgen does: 'text', 'json' or 'sarif'. SARIF describes the "
        "checks and the kb rules of `kb` (default: the built-in kb/), as `confgen lint --format "
        "sarif` does; KnowledgeBase(builtin_rules=False) gives `confgen check --format sarif`.");
}

} // namespace pyjailconf
