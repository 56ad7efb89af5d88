// The JSON view of a system: to_json writes the document the YAML writer writes, the loader reads
// it back as the same model (a *.json name, or TextFormat::json), and broken JSON gets one
// diagnostic at the offending line and column.
#include <algorithm>

#include <gtest/gtest.h>

#include "confgen/binary.hpp"
#include "confgen/json_writer.hpp"
#include "confgen/load.hpp"
#include "confgen/yaml_writer.hpp"

namespace jailconf {
namespace {

std::string first_message(const Diagnostics& d) {
    return d.empty() ? std::string() : d.all()[0].message;
}

class JsonRoundTrip : public testing::TestWithParam<const char*> {};

TEST_P(JsonRoundTrip, SameModelAndBytesAsYaml) {
    Diagnostics diags;
    auto yaml = load_system(std::string(JAILCONF_SOURCE_DIR "/") + GetParam(), diags);
    ASSERT_TRUE(yaml.has_value()) << first_message(diags);
    std::string json = to_json(*yaml);
    auto back = load_system_from_string(json, "system.json", diags);
    ASSERT_TRUE(back.has_value()) << first_message(diags) << "\n" << json;
    EXPECT_EQ(to_yaml(*back), to_yaml(*yaml));
    EXPECT_EQ(to_json(*back), json);
    auto a = compile(*yaml);
    auto b = compile(*back);
    ASSERT_TRUE(a.has_value() && b.has_value());
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i)
        EXPECT_EQ((*a)[i].bytes, (*b)[i].bytes);
}

INSTANTIATE_TEST_SUITE_P(Examples, JsonRoundTrip,
                         testing::Values("examples/qemu-virt.yaml", "examples/x86-q35.yaml",
                                         "tests/fixtures/kb/KB-DMA-NO-IOMMU/flag.yaml",
                                         "tests/fixtures/kb/KB-MSIX-TABLE-SHARED/flag.yaml"));

TEST(JsonWriter, NumbersAreIntegersAndRangesStrings) {
    Diagnostics diags;
    auto s = load_system(JAILCONF_SOURCE_DIR "/examples/qemu-virt.yaml", diags);
    ASSERT_TRUE(s.has_value());
    std::string json = to_json(*s);
    EXPECT_EQ(json.rfind("{\n  \"format\": \"jailconf/1\",\n  \"arch\": \"arm64\",", 0), 0u)
        << json;
    EXPECT_NE(json.find("\"phys\": 1073741824"), std::string::npos) << json; // 0x40000000
    EXPECT_NE(json.find("\"35-38\""), std::string::npos) << json;
    EXPECT_EQ(json.back(), '\n');
}

struct BadJson {
    const char* text;
    const char* rule;
    uint32_t line;
    uint32_t column;
    const char* message_part;
};

const BadJson bad_json[] = {
    {"format: jailconf/1\n", "JC-JSON-SYNTAX", 1, 2, "invalid literal"},
    {"{\"format\": \"jailconf/1\",\n \"arch\": \"arm64\",\n}\n", "JC-JSON-SYNTAX", 3, 1,
     "object key"},
    {"{\"format\": \"jailconf/1\", // comment\n}\n", "JC-JSON-SYNTAX", 1, 26, "invalid literal"},
    {"{\"format\": 'jailconf/1'}\n", "JC-JSON-SYNTAX", 1, 12, "invalid literal"},
    {"{\"format\": \"jailconf/1\"\n", "JC-JSON-SYNTAX", 2, 1, "unexpected end of input"},
    {"{\"format\": \"jailconf/1\"} {}\n", "JC-JSON-SYNTAX", 1, 26, "end of input"},
    {"[1, 2]\n", "JC-FORMAT", 1, 1, "not a YAML mapping"},
    {"{\"format\": \"jailconf/2\"}\n", "JC-FORMAT", 1, 12, "jailconf/2"},
    {"{\"format\": \"jailconf/1\", \"format\": \"jailconf/1\"}\n", "JC-YAML-SYNTAX", 1, 26,
     "duplicate key"},
    {"{\"format\": \"jailconf/1\", \"arch\": \"arm64\", \"platform\": {\"name\": \"p\"},\n"
     "\t\"hypervisor\": {\"memory\": {\"phys\": 1, \"size\": 2}}, \"bogus\": 1}\n",
     "JC-SCHEMA-UNKNOWN-KEY", 2, 52, "'bogus'"},
    {"{\"format\": \"jailconf/1\", \"arch\": \"arm65\"}\n", "JC-SCHEMA-VALUE", 1, 34, "'arm65'"},
    {"{\"format\": \"jailconf/1\", \"arch\": \"\\ud83d\\ude00\"}\n", "JC-JSON-SYNTAX", 1, 41,
     "invalid unicode"},
};

class JsonErrors : public testing::TestWithParam<BadJson> {};

TEST_P(JsonErrors, ReportsRuleAtLocation) {
    const BadJson& c = GetParam();
    Diagnostics diags;
    auto system = load_system_from_string(c.text, "bad.json", diags);
    ASSERT_FALSE(system.has_value());
    ASSERT_FALSE(diags.empty());
    // The first finding of the expected rule (a partial system also lacks required keys).
    auto it = std::find_if(diags.all().begin(), diags.all().end(),
                           [&](const Diagnostic& x) { return x.rule == c.rule; });
    ASSERT_NE(it, diags.all().end()) << diags.all()[0].rule << ": " << diags.all()[0].message;
    const Diagnostic& d = *it;
    EXPECT_EQ(d.rule, c.rule) << d.message;
    EXPECT_EQ(d.loc.file, "bad.json");
    EXPECT_EQ(d.loc.line, c.line) << d.message;
    EXPECT_EQ(d.loc.column, c.column) << d.message;
    EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.message;
    EXPECT_FALSE(d.fix.empty());
}

INSTANTIATE_TEST_SUITE_P(Cases, JsonErrors, testing::ValuesIn(bad_json));

TEST(JsonLoad, FormatFollowsTheNameUnlessGiven) {
    const std::string yaml_text = "format: jailconf/1\n";
    Diagnostics as_yaml, as_json;
    // Not valid as a whole system, but the YAML path gets past the syntax.
    (void)load_system_from_string(yaml_text, "text", as_yaml);
    ASSERT_FALSE(as_yaml.empty());
    EXPECT_NE(as_yaml.all()[0].rule, "JC-JSON-SYNTAX");
    (void)load_system_from_string(yaml_text, "text", as_json, TextFormat::json);
    ASSERT_FALSE(as_json.empty());
    EXPECT_EQ(as_json.all()[0].rule, "JC-JSON-SYNTAX");
}

} // namespace
} // namespace jailconf
