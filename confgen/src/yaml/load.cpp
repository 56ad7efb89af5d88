// Orchestrates loading: text checks, YAML, `format:`, schema, model, and `include:` recursion.
#include "confgen/load.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "confgen/read_file.hpp"
#include "yaml/build_model.hpp"
#include "yaml/document.hpp"
#include "yaml/json_syntax.hpp"
#include "yaml/schema_validation.hpp"

namespace jailconf {
namespace {

namespace fs = std::filesystem;
using yaml::Document;
using yaml::DocumentRole;

constexpr std::string_view format_id = "jailconf/1";
constexpr size_t max_include_depth = 32;

// `format:` is checked before the schema so that a future format version gets one clear message
// instead of a cascade of schema errors.
bool check_format(const Document& doc, Diagnostics& diags) {
    const auto& root = doc.root;
    if (!root.is_object()) {
        diags.report("JC-FORMAT", doc.map.value(""), "the file is not a YAML mapping",
                     "start the file with `format: jailconf/1` followed by the other keys");
        return false;
    }
    if (!root.contains("format")) {
        diags.report("JC-FORMAT", doc.map.value(""), "the file has no `format:` key",
                     "add `format: jailconf/1` as the first line");
        return false;
    }
    const auto& f = root["format"];
    if (!f.is_string() || f.get<std::string>() != format_id) {
        diags.report(
            "JC-FORMAT", doc.map.value("/format"),
            fmt::format("unsupported format {}; this confgen reads {}", f.dump(), format_id),
            "write `format: jailconf/1` (or use a confgen that reads this version)");
        return false;
    }
    return true;
}

class Loader {
  public:
    explicit Loader(Diagnostics& diags) : diags_(diags) {}

    void load_root(std::string_view text, const std::string& name, bool json) {
        stack_.push_back(canonical_or_self(name));
        auto doc = parse(text, name, DocumentRole::system, json);
        if (!doc)
            return;
        yaml::ModelBuilder builder(*doc, diags_);
        builder.build_system_header(system_);
        builder.append_cells(system_.cells);
        builder.append_links(system_.links);
        load_includes(*doc, fs::path(name).parent_path());
    }

    System take() { return std::move(system_); }

  private:
    static fs::path canonical_or_self(const fs::path& p) {
        std::error_code ec;
        fs::path c = fs::weakly_canonical(p, ec);
        return ec ? p : c;
    }

    std::optional<Document> parse(std::string_view text, const std::string& name, DocumentRole role,
                                  bool json) {
        auto doc = yaml::parse_document(text, name, diags_, json);
        if (!doc || !check_format(*doc, diags_) || !yaml::validate_document(*doc, role, diags_))
            return std::nullopt;
        return doc;
    }

    void load_includes(const Document& doc, const fs::path& base) {
        if (!doc.root.contains("include"))
            return;
        const auto& list = doc.root["include"];
        for (size_t i = 0; i < list.size(); ++i) {
            SourceLocation loc = doc.map.value(yaml::pointer_append("/include", i));
            fs::path path = base / list[i].get<std::string>();
            load_include(path, loc);
        }
    }

    void load_include(const fs::path& path, const SourceLocation& loc) {
        fs::path canonical = canonical_or_self(path);
        if (std::ranges::find(stack_, canonical) != stack_.end()) {
            diags_.report("JC-INCLUDE-CYCLE", loc,
                          fmt::format("'{}' includes itself through {}", path.string(), chain()),
                          "remove the include that closes the cycle");
            return;
        }
        if (stack_.size() >= max_include_depth) {
            diags_.report("JC-INCLUDE-CYCLE", loc,
                          fmt::format("includes nest deeper than {} files", max_include_depth),
                          "flatten the include hierarchy");
            return;
        }
        auto text = read_file(path);
        if (!text) {
            diags_.report("JC-INCLUDE-MISSING", loc, text.error(),
                          "fix the path; it is relative to the including file");
            return;
        }
        stack_.push_back(canonical);
        if (auto doc = parse(*text, path.string(), DocumentRole::fragment,
                             yaml::is_json_name(path.string()))) {
            yaml::ModelBuilder builder(*doc, diags_,
                                       system_.platform.pci ? system_.platform.pci->segment : 0);
            builder.append_cells(system_.cells);
            builder.append_links(system_.links);
            load_includes(*doc, path.parent_path());
        }
        stack_.pop_back();
    }

    std::string chain() const {
        std::string out;
        for (const auto& p : stack_)
            out += (out.empty() ? "" : " -> ") + p.filename().string();
        return out;
    }

    Diagnostics& diags_;
    System system_;
    std::vector<fs::path> stack_;
};

} // namespace

Expected<System, LoadFailure> load_system_from_string(std::string_view text,
                                                      const std::string& name, Diagnostics& diags) {
    return load_system_from_string(text, name, diags,
                                   yaml::is_json_name(name) ? TextFormat::json : TextFormat::yaml);
}

Expected<System, LoadFailure> load_system_from_string(std::string_view text,
                                                      const std::string& name, Diagnostics& diags,
                                                      TextFormat format) {
    size_t errors_before = diags.error_count();
    Loader loader(diags);
    loader.load_root(text, name, format == TextFormat::json);
    if (diags.error_count() != errors_before)
        return Unexpected(LoadFailure::invalid);
    return loader.take();
}

Expected<System, LoadFailure> load_system(const fs::path& path, Diagnostics& diags) {
    auto text = read_file(path);
    if (!text) {
        diags.report("JC-IO", SourceLocation{path.string(), 0, 0}, text.error(),
                     "check the path and the file's permissions");
        return Unexpected(LoadFailure::io);
    }
    return load_system_from_string(*text, path.string(), diags);
}

} // namespace jailconf
