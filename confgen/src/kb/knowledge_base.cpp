// Loading the knowledge base: the compiled-in kb/ plus any --rules-dir, rule ids unique across
// all of them.
#include <algorithm>
#include <fmt/format.h>

#include "confgen/embedded_kb.hpp"
#include "confgen/read_file.hpp"
#include "kb/knowledge_base_impl.hpp"

namespace jailconf {

KnowledgeBase::KnowledgeBase() : impl_(std::make_unique<Impl>()) {}
KnowledgeBase::~KnowledgeBase() = default;
KnowledgeBase::KnowledgeBase(KnowledgeBase&&) noexcept = default;
KnowledgeBase& KnowledgeBase::operator=(KnowledgeBase&&) noexcept = default;

bool KnowledgeBase::load_text(std::string_view text, const std::string& name, Diagnostics& diags) {
    size_t before = diags.error_count();
    std::vector<kb::Rule> parsed;
    kb::parse_kb_file(text, name, parsed, impl_->quirks, diags);
    for (auto& rule : parsed) {
        auto same = std::find_if(impl_->rules.begin(), impl_->rules.end(), [&](const kb::Rule& r) {
            return r.summary.id == rule.summary.id;
        });
        if (same != impl_->rules.end()) {
            diags.report("JC-KB-RULE", rule.summary.loc,
                         fmt::format("rule {} is defined twice", rule.summary.id),
                         "give the new rule its own id",
                         {{same->summary.loc, "first defined here"}});
            continue;
        }
        impl_->rules.push_back(std::move(rule));
    }
    return diags.error_count() == before;
}

bool KnowledgeBase::load_builtin(Diagnostics& diags) {
    bool ok = true;
    for (const auto& f : embedded_kb_files())
        if (!f.path.starts_with("schema/"))
            ok &= load_text(f.content, "kb/" + std::string(f.path), diags);
    return ok;
}

bool KnowledgeBase::load_directory(const std::filesystem::path& dir, Diagnostics& diags) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        diags.report("JC-IO", SourceLocation{dir.string(), 0, 0},
                     fmt::format("'{}' is not a directory", dir.string()),
                     "give --rules-dir a directory holding rule files (*.yaml)");
        return false;
    }
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        if (it.depth() > 4)
            it.disable_recursion_pending();
        if (it->is_regular_file(ec) && it->path().extension() == ".yaml")
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    bool ok = true;
    for (const auto& f : files) {
        auto text = read_file(f);
        if (!text) {
            diags.report("JC-IO", SourceLocation{f.string(), 0, 0}, text.error(),
                         "check the file's permissions");
            ok = false;
            continue;
        }
        ok &= load_text(*text, f.string(), diags);
    }
    return ok;
}

bool KnowledgeBase::load(bool builtin, std::span<const std::filesystem::path> dirs,
                         Diagnostics& diags) {
    bool ok = builtin ? load_builtin(diags) : true;
    for (const auto& d : dirs)
        ok &= load_directory(d, diags);
    diags.sort();
    return ok;
}

std::vector<KbRuleSummary> KnowledgeBase::rules() const {
    std::vector<KbRuleSummary> out;
    for (const auto& r : impl_->rules)
        out.push_back(r.summary);
    return out;
}

std::vector<RuleInfo> KnowledgeBase::rule_infos() const {
    std::vector<RuleInfo> out;
    for (const auto& r : impl_->rules)
        out.push_back({r.summary.id, r.summary.severity, r.summary.title, r.summary.rationale});
    return out;
}

std::vector<KbFactTable> kb_fact_tables() {
    std::vector<KbFactTable> out;
    for (const auto& t : kb::fact_tables()) {
        KbFactTable table{std::string(t.name), std::string(t.doc), t.needs_inventory, {}};
        for (const auto& f : t.fields)
            table.fields.push_back(
                {std::string(f.name), std::string(kb::to_string(f.type)), std::string(f.doc)});
        out.push_back(std::move(table));
    }
    return out;
}

} // namespace jailconf
