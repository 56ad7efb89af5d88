// The kb rule engine: rule files are checked as precisely as configurations, the shipped kb/
// loads cleanly, and the indexed joins find exactly what a brute-force evaluation finds.
#include <gtest/gtest.h>

#include <random>

#include "check_builder.hpp"
#include "confgen/lint.hpp"
#include "confgen/load.hpp"

namespace jailconf {
namespace {

using test::cell;
using test::ids;
using test::region;

std::vector<Diagnostic> load_errors(std::string_view text) {
    KnowledgeBase kb;
    Diagnostics diags;
    kb.load_text(text, "site/rules/r.yaml", diags);
    diags.sort();
    return diags.all();
}

constexpr std::string_view rule_head = R"(format: jailconf-kb/1
rules:
  - id: KB-TEST
    severity: error
    title: t
    rationale: r
)";

TEST(KbRuleFile, BuiltinKnowledgeBaseLoadsWithoutFindings) {
    KnowledgeBase kb;
    Diagnostics diags;
    EXPECT_TRUE(kb.load_builtin(diags));
    EXPECT_TRUE(diags.empty()) << diags.all().front().message;
    EXPECT_GE(kb.rules().size(), 20u);
    for (const auto& r : kb.rules()) {
        EXPECT_TRUE(r.id.starts_with("KB-")) << r.id;
        EXPECT_TRUE(r.loc.file.starts_with("kb/rules/")) << r.loc.file;
        EXPECT_GT(r.loc.line, 0u);
        EXPECT_FALSE(r.tables.empty());
    }
}

TEST(KbRuleFile, UnknownTableIsReportedAtItsLineWithASuggestion) {
    auto d = load_errors(std::string(rule_head) + R"(    for: {a: regoin}
    message: m
    fix: f
)");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].rule, "JC-KB-RULE");
    EXPECT_EQ(d[0].loc.line, 7u);
    EXPECT_NE(d[0].message.find("regoin"), std::string::npos);
    EXPECT_NE(d[0].fix.find("'region'"), std::string::npos);
}

TEST(KbRuleFile, UnknownFieldNamesTheTableAndSuggests) {
    auto d = load_errors(std::string(rule_head) + R"(    for: {a: region}
    where:
      - {eq: [$a.cel, root]}
    message: m
    fix: f
)");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].loc.line, 9u);
    EXPECT_NE(d[0].message.find("table 'region' has no field 'cel'"), std::string::npos);
    EXPECT_NE(d[0].fix.find("'cell'"), std::string::npos);
}

TEST(KbRuleFile, UnboundVariableInTemplateAndUnlessVariableInMessage) {
    auto d = load_errors(std::string(rule_head) + R"(    for: {a: region}
    unless:
      for: {c: cell}
      where: [{eq: [$c.name, $a.cell]}]
    message: "{b.cell} {c.name}"
    fix: f
)");
    ASSERT_EQ(d.size(), 2u);
    EXPECT_NE(d[0].message.find("unknown variable 'b'"), std::string::npos);
    EXPECT_NE(d[1].message.find("`unless` variable"), std::string::npos);
    EXPECT_EQ(d[0].loc.line, 11u);
}

TEST(KbRuleFile, MetaSchemaErrorsUseTheSchemaRuleIds) {
    auto d = load_errors(std::string(rule_head) + R"(    for: {a: region}
    message: m
    fixx: f
)");
    ASSERT_GE(d.size(), 2u);
    std::vector<std::string> rules;
    for (const auto& x : d)
        rules.push_back(x.rule);
    EXPECT_NE(std::find(rules.begin(), rules.end(), "JC-SCHEMA-UNKNOWN-KEY"), rules.end());
    EXPECT_NE(std::find(rules.begin(), rules.end(), "JC-SCHEMA-REQUIRED"), rules.end());
}

TEST(KbRuleFile, BadIdAndSeverityAreSchemaErrors) {
    auto d = load_errors(R"(format: jailconf-kb/1
rules:
  - {id: kb-lower, severity: fatal, title: t, rationale: r, for: {a: cell}, message: m, fix: f}
)");
    ASSERT_FALSE(d.empty());
    for (const auto& x : d)
        EXPECT_EQ(x.loc.line, 3u);
}

TEST(KbRuleFile, DuplicateIdPointsAtTheFirstDefinition) {
    KnowledgeBase kb;
    Diagnostics diags;
    ASSERT_TRUE(kb.load_builtin(diags));
    EXPECT_FALSE(kb.load_text(R"(format: jailconf-kb/1
rules:
  - {id: KB-CPU0-NOT-ROOT, severity: note, title: t, rationale: r, for: {a: cell}, message: m, fix: f}
)",
                              "site/rules/dup.yaml", diags));
    ASSERT_EQ(diags.all().size(), 1u);
    EXPECT_NE(diags.all()[0].message.find("defined twice"), std::string::npos);
    ASSERT_EQ(diags.all()[0].related.size(), 1u);
    EXPECT_EQ(diags.all()[0].related[0].loc.file, "kb/rules/cpus.yaml");
}

TEST(KbRuleFile, NotYamlIsASyntaxError) {
    auto d = load_errors("rules: [\n  - {id: ");
    ASSERT_EQ(d.size(), 1u);
    EXPECT_EQ(d[0].rule, "JC-YAML-SYNTAX");
}

TEST(KbDataFile, DeviceQuirkNeedsPciOrCompatible) {
    KnowledgeBase kb;
    Diagnostics diags;
    EXPECT_FALSE(kb.load_text(R"(format: jailconf-kb/1
devices:
  - {quirks: [root-only], note: "neither pci nor compatible"}
)",
                              "site/d.yaml", diags));
    // Read as data by its `devices:` key (not by the path): the error is the entry's, not a
    // rule file's missing `rules:`.
    ASSERT_FALSE(diags.empty());
    for (const auto& d : diags.all())
        EXPECT_EQ(d.loc.line, 3u) << d.message;
}

// A system with many cells and random (overlapping) regions, and a rule pair whose join goes
// through the interval index; the same rule count computed by brute force must match.
TEST(KbEvaluate, IndexedOverlapJoinEqualsBruteForce) {
    std::mt19937_64 rng(7);
    System s;
    s.arch = Arch::arm64;
    for (int c = 0; c < 12; ++c) {
        Cell x = cell("c" + std::to_string(c), {ids(uint32_t(c), uint32_t(c))}, c == 0);
        for (int r = 0; r < 40; ++r) {
            uint64_t base = (rng() % 4096) * 0x1000;
            uint64_t size = (1 + rng() % 8) * 0x1000;
            x.memory.push_back(region("r" + std::to_string(r), base, size, test::rw));
        }
        s.cells.push_back(std::move(x));
    }
    KnowledgeBase kb;
    Diagnostics diags;
    ASSERT_TRUE(kb.load_text(R"(format: jailconf-kb/1
rules:
  - id: KB-T-OVERLAP
    severity: note
    title: t
    rationale: r
    for: {a: region, b: region}
    pairs: unordered
    where:
      - {overlaps: [[$a.phys, $a.end], [$b.phys, $b.end]]}
      - {ne: [$a.cell, $b.cell]}
    message: "{a.cell} {b.cell}"
    fix: f
  - id: KB-T-SAMECELL
    severity: note
    title: t
    rationale: r
    for: {a: region, b: region}
    where:
      - {eq: [$a.cell, $b.cell]}
      - {lt: [$a.phys, $b.phys]}
    message: m
    fix: f
  - id: KB-T-UNLESS
    severity: note
    title: t
    rationale: r
    for: {a: region}
    unless:
      for: {b: region}
      where:
        - {within: [[$a.phys, $a.end], [$b.phys, $b.end]]}
        - {ne: [$a.cell, $b.cell]}
    message: m
    fix: f
)",
                             "t/rules/t.yaml", diags))
        << diags.all().front().message;
    LintOptions options;
    options.max_findings_per_rule = 1'000'000;
    lint_system(s, kb, options, diags);
    size_t overlap = 0, same = 0, uncovered = 0;
    std::vector<std::pair<size_t, const MemoryRegion*>> all;
    for (size_t c = 0; c < s.cells.size(); ++c)
        for (const auto& r : s.cells[c].memory)
            all.push_back({c, &r});
    for (size_t i = 0; i < all.size(); ++i) {
        bool covered = false;
        for (size_t j = 0; j < all.size(); ++j) {
            if (i == j)
                continue;
            const auto& a = *all[i].second;
            const auto& b = *all[j].second;
            bool overlaps =
                a.phys.value < b.phys.value + b.size && b.phys.value < a.phys.value + a.size;
            if (j > i && overlaps && all[i].first != all[j].first)
                ++overlap;
            if (all[i].first == all[j].first && a.phys.value < b.phys.value)
                ++same;
            if (all[i].first != all[j].first && b.phys.value <= a.phys.value &&
                a.phys.value + a.size <= b.phys.value + b.size)
                covered = true;
        }
        uncovered += !covered;
    }
    auto count = [&](std::string_view rule) {
        return size_t(std::count_if(diags.all().begin(), diags.all().end(),
                                    [&](const Diagnostic& d) { return d.rule == rule; }));
    };
    EXPECT_GT(overlap, 0u);
    EXPECT_EQ(count("KB-T-OVERLAP"), overlap);
    EXPECT_EQ(count("KB-T-SAMECELL"), same);
    EXPECT_EQ(count("KB-T-UNLESS"), uncovered);
}

TEST(KbEvaluate, WaiverTurnsTheFindingIntoASuppressedNote) {
    Diagnostics diags;
    auto system = load_system_from_string(R"(format: jailconf/1
arch: arm64
platform: {name: t, cpus: 2}
hypervisor: {memory: {phys: 0x7c000000, size: 64M}}
cells:
  - {name: root, root: true, cpus: [1], memory: [{phys: 0x40000000, size: 1G, flags: [read, write, execute]}]}
  - name: rt
    cpus: [0]
    memory: [{phys: 0x79000000, size: 16M, flags: [read, write, execute]}]
    waivers: [{rule: KB-CPU0-NOT-ROOT, reason: "board quirk: only CPU 0 has the FPU"}]
)",
                                          "w.yaml", diags);
    ASSERT_TRUE(system) << diags.all().front().message;
    KnowledgeBase kb;
    ASSERT_TRUE(kb.load_builtin(diags));
    auto stats = lint_system(*system, kb, {}, diags);
    auto it = std::find_if(diags.all().begin(), diags.all().end(),
                           [](const Diagnostic& d) { return d.rule == "KB-CPU0-NOT-ROOT"; });
    ASSERT_NE(it, diags.all().end());
    EXPECT_EQ(it->severity, Severity::note);
    ASSERT_TRUE(it->suppression);
    EXPECT_EQ(*it->suppression, "board quirk: only CPU 0 has the FPU");
    EXPECT_EQ(stats.waived, 1u);
    EXPECT_FALSE(diags.has_errors());
}

TEST(KbEvaluate, FindingsPerRuleAreBounded) {
    System s;
    Cell root = cell("root", {ids(1, 1)}, true);
    Cell rt = cell("rt", {ids(0, 0)});
    s.cells = {root, rt};
    KnowledgeBase kb;
    Diagnostics diags;
    ASSERT_TRUE(kb.load_text(R"(format: jailconf-kb/1
rules:
  - {id: KB-T-ALL, severity: warning, title: t, rationale: r, for: {a: cell, b: cell}, message: m, fix: f}
)",
                             "t/rules/t.yaml", diags));
    LintOptions options;
    options.max_findings_per_rule = 1;
    lint_system(s, kb, options, diags);
    ASSERT_EQ(diags.all().size(), 2u);
    EXPECT_EQ(diags.all()[1].severity, Severity::note);
    EXPECT_NE(diags.all()[1].message.find("more than 1 findings"), std::string::npos);
}

} // namespace
} // namespace jailconf
