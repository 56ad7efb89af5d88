// Runs the kb rules over the facts of one system; a finding on a cell that waives the rule is
// kept as a note that says so (and as a SARIF suppression), so nothing disappears silently.
#include <algorithm>
#include <fmt/format.h>

#include "kb/knowledge_base_impl.hpp"

namespace jailconf {

LintStats lint_system(const System& system, const KnowledgeBase& kb, const LintOptions& options,
                      Diagnostics& diags) {
    LintStats stats;
    kb::Facts facts =
        kb::build_facts(system, options.inventory, kb.impl().quirks, options.guest_trees);
    kb::QueryIndexCache cache(facts);
    const std::string arch(to_string(system.arch));
    for (const auto& rule : kb.impl().rules) {
        const KbRuleSummary& s = rule.summary;
        if ((s.needs_inventory && !options.inventory) ||
            (!s.arch.empty() && std::find(s.arch.begin(), s.arch.end(), arch) == s.arch.end())) {
            ++stats.rules_skipped;
            continue;
        }
        ++stats.rules_run;
        size_t count = 0;
        kb::evaluate(rule.query, facts, cache, [&](const std::vector<uint32_t>& binding) {
            const auto& vars = rule.query.vars;
            const kb::Record& at = facts.table(vars[size_t(rule.report_var)].table)
                                       .records[binding[size_t(rule.report_var)]];
            if (++count > options.max_findings_per_rule) {
                diags.add({std::string(s.id),
                           Severity::note,
                           at.loc,
                           fmt::format("more than {} findings of {}; the rest are not shown",
                                       options.max_findings_per_rule, s.id),
                           "fix the findings shown and lint again",
                           {},
                           std::nullopt});
                return false;
            }
            Diagnostic d{s.id,
                         s.severity,
                         at.loc,
                         rule.message.render(facts, vars, binding),
                         rule.fix.render(facts, vars, binding),
                         {},
                         std::nullopt};
            if (rule.related) {
                const kb::Record& rel = facts.table(vars[size_t(rule.related->first)].table)
                                            .records[binding[size_t(rule.related->first)]];
                d.related.push_back({rel.loc, rule.related->second.render(facts, vars, binding)});
            }
            const Cell* cell = system.find_cell(at.cell);
            const Waiver* waiver = nullptr;
            if (cell)
                for (const auto& w : cell->waivers)
                    if (w.rule == s.id)
                        waiver = &w;
            if (waiver) {
                d.severity = Severity::note;
                d.message = fmt::format("waived in cell {}: {} (reason: {})", cell->name, d.message,
                                        waiver->reason);
                d.related.push_back({waiver->loc, "waived here"});
                d.suppression = waiver->reason;
                ++stats.waived;
            }
            ++stats.findings;
            diags.add(std::move(d));
            return true;
        });
    }
    return stats;
}

} // namespace jailconf
