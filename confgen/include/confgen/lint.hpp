// `confgen lint`: the knowledge base (kb/ rules and device/board data) applied to a system and,
// when given, the inventory of the machine it runs on. Rules are data; this is their loader and
// evaluator.
#pragma once

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "confgen/diagnostics.hpp"
#include "confgen/inventory.hpp"
#include "confgen/model.hpp"
#include "confgen/rules.hpp"

namespace jailconf {

namespace kb {
struct Rule;
}

// What a kb rule says about itself, for listings, docs and SARIF metadata.
struct KbRuleSummary {
    std::string id;
    Severity severity = Severity::warning;
    std::string title;
    std::string rationale;
    std::vector<std::string> tables; // fact tables it reads
    std::vector<std::string> arch;   // empty: every architecture
    bool needs_inventory = false;
    SourceLocation loc; // where the rule is defined
};

class KnowledgeBase {
  public:
    KnowledgeBase();
    ~KnowledgeBase();
    KnowledgeBase(KnowledgeBase&&) noexcept;
    KnowledgeBase& operator=(KnowledgeBase&&) noexcept;

    // The kb/ shipped with confgen (compiled in). Its files are tested, so a finding here is a
    // build defect; it is still reported, not thrown.
    bool load_builtin(Diagnostics& diags);
    // Every .yaml file of DIR (rules/, devices/ and boards/ subdirectories, or rule files
    // directly): site-specific rules and data. A rule id already defined is an error.
    bool load_directory(const std::filesystem::path& dir, Diagnostics& diags);
    // One file's text; `name` is used in locations. Data files say `devices:` / `boards:` at
    // the top; anything else is a rule file (`rules:`).
    bool load_text(std::string_view text, const std::string& name, Diagnostics& diags);
    // What `confgen lint [--no-builtin-rules] [--rules-dir D]...` loads: the built-in kb/ unless
    // `builtin` is false, then each directory in order. False when a file is wrong (every reason
    // is in `diags`, sorted).
    bool load(bool builtin, std::span<const std::filesystem::path> dirs, Diagnostics& diags);

    std::vector<KbRuleSummary> rules() const;
    // Registry entries for report renderers (SARIF rule metadata); valid while *this lives.
    std::vector<RuleInfo> rule_infos() const;

    struct Impl;
    const Impl& impl() const { return *impl_; }

  private:
    std::unique_ptr<Impl> impl_;
};

// A guest device tree given for a cell, already read (as an inventory).
struct GuestTree {
    std::string cell;
    std::string file;
    inventory::Inventory tree;
};

struct LintOptions {
    const inventory::Inventory* inventory = nullptr;
    std::vector<GuestTree> guest_trees;
    size_t max_findings_per_rule = 200;
};

struct LintStats {
    size_t rules_run = 0;
    size_t rules_skipped = 0; // needs an inventory, or another architecture
    size_t findings = 0;
    size_t waived = 0;
};

// The fact tables kb rules are written against (docs/kb-facts.md is generated from this).
struct KbFactField {
    std::string name;
    std::string type; // integer, string, boolean, list of integers, list of strings
    std::string doc;
};
struct KbFactTable {
    std::string name;
    std::string doc;
    bool needs_inventory = false;
    std::vector<KbFactField> fields;
};
std::vector<KbFactTable> kb_fact_tables();

// Runs every applicable kb rule; findings go to `diags` with the rule's id and severity.
LintStats lint_system(const System& system, const KnowledgeBase& kb, const LintOptions& options,
                      Diagnostics& diags);

} // namespace jailconf
