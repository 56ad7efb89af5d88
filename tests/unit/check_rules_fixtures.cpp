// Tier 3 of the test plan: every semantic rule ships tests/fixtures/rules/<RULE-ID>/bad.yaml (must
// produce the rule) and good.yaml (a close variant that must not, and has no error at all).
// JC-LIMIT is the exception: reaching a limit takes thousands of elements, so check_limits_test.cpp
// covers it with Systems built in code.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

#include "check_builder.hpp"
#include "confgen/load.hpp"
#include "confgen/rules.hpp"

namespace jailconf::test {
namespace {

namespace fs = std::filesystem;

const fs::path rules_dir = fs::path(JAILCONF_FIXTURES) / "rules";
const std::set<std::string, std::less<>> without_fixtures = {"JC-LIMIT"};

Diagnostics load_and_check(const fs::path& file) {
    Diagnostics d;
    auto system = load_system(file, d);
    if (system)
        check_system(*system, d);
    return d;
}

std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
    for (const auto& entry : fs::directory_iterator(rules_dir))
        if (entry.is_directory())
            dirs.push_back(entry.path());
    std::ranges::sort(dirs);
    return dirs;
}

// The semantic block of the registry: from JC-ROOT-COUNT on, the JC-* rules.
std::vector<std::string_view> semantic_rules() {
    std::vector<std::string_view> ids;
    bool in_block = false;
    for (const RuleInfo& r : builtin_rules()) {
        in_block = in_block || r.id == "JC-ROOT-COUNT";
        // The planner's and the knowledge base's own ids judge requests and rule files, not
        // systems; their tests live with them.
        if (in_block && r.id.starts_with("JC-") && !r.id.starts_with("JC-PLAN-") &&
            r.id != "JC-KB-RULE")
            ids.push_back(r.id);
    }
    return ids;
}

TEST(CheckRuleFixtures, BadFilesProduceTheirRule) {
    for (const fs::path& dir : fixture_dirs()) {
        const std::string rule = dir.filename().string();
        SCOPED_TRACE(rule);
        ASSERT_TRUE(fs::exists(dir / "bad.yaml"));
        Diagnostics d = load_and_check(dir / "bad.yaml");
        EXPECT_GE(count(d, rule), 1u) << dump(d);
    }
}

TEST(CheckRuleFixtures, GoodFilesAreClean) {
    for (const fs::path& dir : fixture_dirs()) {
        const std::string rule = dir.filename().string();
        SCOPED_TRACE(rule);
        ASSERT_TRUE(fs::exists(dir / "good.yaml"));
        Diagnostics d = load_and_check(dir / "good.yaml");
        EXPECT_EQ(count(d, rule), 0u) << dump(d);
        EXPECT_EQ(d.error_count(), 0u) << dump(d);
    }
}

TEST(CheckRuleFixtures, FixtureDirectoriesNameRegisteredRules) {
    for (const fs::path& dir : fixture_dirs())
        EXPECT_NE(find_rule(dir.filename().string()), nullptr) << dir;
}

TEST(CheckRuleFixtures, EverySemanticRuleHasFixtures) {
    auto rules = semantic_rules();
    EXPECT_GE(rules.size(), 26u); // the block as registered when these checks were written
    for (std::string_view rule : rules) {
        if (without_fixtures.contains(rule))
            continue;
        EXPECT_TRUE(fs::is_directory(rules_dir / rule)) << "no fixtures for " << rule;
    }
}

TEST(CheckExamples, ExamplesHaveNoDiagnostics) {
    size_t files = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(JAILCONF_SOURCE_DIR) / "examples")) {
        // request.yaml is a partition request (docs/request.md), not a system.
        if (entry.path().extension() != ".yaml" || entry.path().filename() == "request.yaml")
            continue;
        ++files;
        SCOPED_TRACE(entry.path().string());
        Diagnostics d = load_and_check(entry.path());
        EXPECT_TRUE(d.empty()) << dump(d);
    }
    EXPECT_GE(files, 1u);
}

} // namespace
} // namespace jailconf::test
