// render (`confgen render`): the self-contained HTML resource map of a system with the check and
// lint findings marked, from confgen/render.hpp. Loading, the rules and the page run with the GIL
// released.
#include <filesystem>
#include <optional>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "confgen/check.hpp"
#include "confgen/render.hpp"
#include "knowledge_base.hpp"

namespace pyjailconf {

using namespace jailconf;
namespace fs = std::filesystem;

namespace {

// As the CLI: the page's title is the file name the system was loaded from.
std::string default_title(const std::optional<std::string>& title, const std::string& file) {
    return title ? *title : fs::path(file).filename().string();
}

std::string render_model(const System& system, const PyKnowledgeBase& knowledge,
                         const std::optional<inventory::Inventory>& inventory,
                         const std::optional<std::string>& title) {
    std::shared_ptr<const KnowledgeBase> kb = knowledge.kb; // alive while the GIL is released
    const System copy = snapshot(system); // the caller's object may change once the GIL is released
    py::gil_scoped_release release;
    LintOptions options;
    if (inventory)
        options.inventory = &*inventory;
    Diagnostics diags;
    check_system(copy, diags);
    lint_system(copy, *kb, options, diags);
    diags.sort();
    render::RenderOptions render_options;
    render_options.title = default_title(title, copy.loc.file);
    return render::render_html(copy, diags.all(), render_options);
}

std::string render_path(const fs::path& path, const PyKnowledgeBase& knowledge,
                        const std::optional<inventory::Inventory>& inventory,
                        const std::optional<std::string>& title) {
    std::shared_ptr<const KnowledgeBase> kb = knowledge.kb;
    Diagnostics diags;
    std::optional<Expected<std::string, LoadFailure>> page;
    {
        py::gil_scoped_release release;
        LintOptions options;
        if (inventory)
            options.inventory = &*inventory;
        render::RenderOptions render_options;
        render_options.title = default_title(title, path.string());
        page.emplace(render::render_file(path, *kb, options, render_options, diags));
    }
    if (!*page) {
        if (page->error() == LoadFailure::io)
            raise_os_error(path, diags.empty() ? "cannot read file" : diags.all().front().message);
        raise_with_diagnostics(errors().load, error_lines(diags.all()), diags.all());
    }
    return std::move(**page);
}

} // namespace

void bind_render(py::module_& m) {
    m.def(
        "_render",
        [](const System& system, const PyKnowledgeBase& kb,
           const std::optional<fs::path>& inventory_path,
           const std::optional<std::string>& inventory_text, const std::string& inventory_name,
           const std::optional<std::string>& title) {
            auto inv = read_inventory(inventory_path, inventory_text, inventory_name);
            return render_model(system, kb, inv, title);
        },
        py::arg("system"), py::arg("kb"), py::arg("inventory_path"), py::arg("inventory_text"),
        py::arg("inventory_name"), py::arg("title"), "Render a System (use pyjailconf.render)");
    m.def(
        "_render",
        [](const fs::path& path, const PyKnowledgeBase& kb,
           const std::optional<fs::path>& inventory_path,
           const std::optional<std::string>& inventory_text, const std::string& inventory_name,
           const std::optional<std::string>& title) {
            auto inv = read_inventory(inventory_path, inventory_text, inventory_name);
            return render_path(path, kb, inv, title);
        },
        py::arg("system"), py::arg("kb"), py::arg("inventory_path"), py::arg("inventory_text"),
        py::arg("inventory_name"), py::arg("title"),
        "Load and render a YAML or JSON file (use pyjailconf.render)");
}

} // namespace pyjailconf
