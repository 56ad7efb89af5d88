// Every kind of broken input gets one diagnostic with the right rule and location, and the
// loader returns an error instead of a model.
#include <algorithm>

#include <gtest/gtest.h>

#include "confgen/load.hpp"

namespace jailconf {
namespace {

struct Case {
    const char* file;
    const char* rule;
    uint32_t line;
    uint32_t column;
    const char* message_part;
};

const Case cases[] = {
    {"syntax-error.yaml", "JC-YAML-SYNTAX", 6, 11, "illegal map value"},
    {"unknown-key.yaml", "JC-SCHEMA-UNKNOWN-KEY", 10, 5, "did you mean 'memory'"},
    {"wrong-type.yaml", "JC-SCHEMA-TYPE", 5, 18, "'phys'"},
    {"bad-suffix.yaml", "JC-SCHEMA-VALUE", 5, 36, "'64Q'"},
    {"size-overflow.yaml", "JC-NUMBER", 5, 36, "does not fit in 64 bits"},
    {"hex-overflow.yaml", "JC-NUMBER", 5, 18, "does not fit in 64 bits"},
    {"reversed-range.yaml", "JC-SCHEMA-VALUE", 7, 51, "reversed"},
    {"bad-enum.yaml", "JC-SCHEMA-VALUE", 6, 19, "'pl012'"},
    {"missing-required.yaml", "JC-SCHEMA-REQUIRED", 5, 11, "'size'"},
    {"no-format.yaml", "JC-FORMAT", 1, 1, "no `format:`"},
    {"future-format.yaml", "JC-FORMAT", 1, 9, "jailconf/2"},
    {"duplicate-key.yaml", "JC-YAML-SYNTAX", 3, 1, "duplicate key 'arch'"},
    {"bad-bdf.yaml", "JC-SCHEMA-VALUE", 11, 15, "'00:20.0'"},
    {"empty.yaml", "JC-FILE-EMPTY", 1, 1, "empty"},
    {"blank.yaml", "JC-FILE-EMPTY", 1, 1, "empty"},
    {"garbage.yaml", "JC-INPUT-NOT-TEXT", 1, 6, "NUL"},
    {"alias-bomb.yaml", "JC-YAML-SYNTAX", 0, 0, "2 million nodes"},
    {"include-missing.yaml", "JC-INCLUDE-MISSING", 2, 11, "does-not-exist.yaml"},
    {"include-platform.yaml", "JC-INCLUDE-CONTENT", 2, 1, "'platform'"},
    {"include-cycle/system.yaml", "JC-INCLUDE-CYCLE", 2, 11, "includes itself"},
};

class LoadErrors : public testing::TestWithParam<Case> {};

TEST_P(LoadErrors, ReportsRuleAtLocation) {
    const Case& c = GetParam();
    Diagnostics diags;
    auto system = load_system(std::string(JAILCONF_FIXTURES "/load/") + c.file, diags);
    ASSERT_FALSE(system.has_value());
    EXPECT_EQ(system.error(), LoadFailure::invalid);
    ASSERT_EQ(diags.all().size(), 1u) << diags.all()[0].message;
    const Diagnostic& d = diags.all()[0];
    EXPECT_EQ(d.rule, c.rule) << d.message;
    EXPECT_EQ(d.severity, Severity::error);
    if (c.line != 0) {
        EXPECT_EQ(d.loc.line, c.line) << d.message;
        EXPECT_EQ(d.loc.column, c.column) << d.message;
    }
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.message;
    EXPECT_FALSE(d.fix.empty());
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LoadErrors, testing::ValuesIn(cases),
                         [](const testing::TestParamInfo<Case>& info) {
                             std::string name = info.param.file;
                             for (char& ch : name)
                                 if (!std::isalnum(static_cast<unsigned char>(ch)))
                                     ch = '_';
                             return name;
                         });

TEST(LoadErrors, MissingFileIsAnIoFailure) {
    Diagnostics diags;
    auto system = load_system(JAILCONF_FIXTURES "/load/no-such-file.yaml", diags);
    ASSERT_FALSE(system.has_value());
    EXPECT_EQ(system.error(), LoadFailure::io);
    ASSERT_EQ(diags.all().size(), 1u);
    EXPECT_EQ(diags.all()[0].rule, "JC-IO");
}

TEST(LoadErrors, DirectoryIsAnIoFailure) {
    Diagnostics diags;
    auto system = load_system(JAILCONF_FIXTURES "/load", diags);
    ASSERT_FALSE(system.has_value());
    EXPECT_EQ(system.error(), LoadFailure::io);
}

TEST(LoadErrors, AllErrorsOfAFileAreReported) {
    Diagnostics diags;
    auto system = load_system_from_string(R"(format: jailconf/1
arch: arm64
platform: {name: b, cpus: 2}
hypervisor:
  memory: {phys: 0x7c000000, size: 64m}
  bogus: 1
cells:
  - {name: root, root: yes, cpus: [0]}
)",
                                          "inline.yaml", diags);
    ASSERT_FALSE(system);
    std::vector<std::string> rules;
    for (const auto& d : diags.all())
        rules.push_back(d.rule);
    std::ranges::sort(rules);
    EXPECT_EQ(rules, (std::vector<std::string>{"JC-SCHEMA-TYPE", "JC-SCHEMA-UNKNOWN-KEY",
                                               "JC-SCHEMA-VALUE"}));
}

TEST(LoadErrors, LargeUnsignedAddressesPassTheSchema) {
    // valijson reads integers as int64_t; addresses above 2^63 must not fail `minimum: 0`.
    Diagnostics diags;
    auto system = load_system_from_string(R"(format: jailconf/1
arch: arm64
platform: {name: b, cpus: 1}
hypervisor: {memory: {phys: 0xfffffffffff00000, size: 64K}}
cells: [{name: root, root: true, cpus: [0]}]
)",
                                          "inline.yaml", diags);
    ASSERT_TRUE(system) << (diags.empty() ? "" : diags.all()[0].message);
    EXPECT_EQ(system->hypervisor.memory_phys.value, 0xfffffffffff00000u);
}

} // namespace
} // namespace jailconf
