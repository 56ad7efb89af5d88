// /proc/iomem and /proc/ioports: the x86 VM's real files, checked line by line against an
// independent regex reading, and broken variants.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "scan/procfs/resource_tree.hpp"
#include "scan_pci_lspci.hpp"

namespace jailconf::test {
namespace {

using scan::procfs::parse_resource_tree;

const std::string fixtures = JAILCONF_FIXTURES;

void expect_same_as_regex_reading(const std::string& text) {
    static const std::regex line_re(R"(^((?:  )*)([0-9a-f]+)-([0-9a-f]+) : (.*)$)");
    auto lines = parse_resource_tree(text, "f");
    ASSERT_TRUE(lines) << lines.error().str();
    std::istringstream in(text);
    std::string line;
    size_t i = 0, offset = 0;
    std::smatch m;
    while (std::getline(in, line)) {
        ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
        ASSERT_LT(i, lines->size());
        const auto& got = (*lines)[i];
        EXPECT_EQ(got.entry.depth, m[1].length() / 2) << line;
        EXPECT_EQ(got.entry.start, std::stoull(m[2], nullptr, 16)) << line;
        EXPECT_EQ(got.entry.end, std::stoull(m[3], nullptr, 16)) << line;
        EXPECT_EQ(got.entry.name, m[4]) << line;
        EXPECT_EQ(got.offset, offset) << line;
        offset += line.size() + 1;
        ++i;
    }
    EXPECT_EQ(i, lines->size());
}

TEST(ScanProcfsResource, RealIomem) {
    expect_same_as_regex_reading(read_text_file(fixtures + "/machines/x86-vm/proc/iomem"));
}

TEST(ScanProcfsResource, RealIoports) {
    expect_same_as_regex_reading(read_text_file(fixtures + "/machines/x86-vm/proc/ioports"));
}

TEST(ScanProcfsResource, MalformedLines) {
    struct Case {
        std::string text;
        uint64_t offset;
        const char* message;
    } cases[] = {
        {"00000000-00000fff : Reserved\n00001000 : no dash\n", 37, "'-'"},
        {"0000-00ff\n", 9, "' : '"},
        {"00000000000000000-1 : seventeen digits\n", 0, "start address"},
        {"0-fffffffffffffffff : too big\n", 2, "end address"},
        {"   0-1 : odd\n", 0, "not two per level"},
        {"0-1 : a\n    2-3 : two levels down\n", 8, "level 2 below a line of level 0"},
        {"  0-1 : indented first line\n", 0, "level 1 below"},
        {"x-1 : a\n", 0, "start address"},
        {"0-1 : a\n" + std::string(1 << 20, 'a') + "\n", 8, "longer than"},
    };
    for (const auto& c : cases) {
        auto lines = parse_resource_tree(c.text, "/proc/iomem");
        ASSERT_FALSE(lines) << c.text.substr(0, 60);
        EXPECT_EQ(lines.error().file, "/proc/iomem");
        EXPECT_EQ(lines.error().offset, c.offset) << c.text.substr(0, 60);
        EXPECT_NE(lines.error().message.find(c.message), std::string::npos)
            << lines.error().message;
    }
}

TEST(ScanProcfsResource, DepthBound) {
    std::string text;
    for (int depth = 0; depth <= 40; ++depth)
        text += std::string(size_t(2 * depth), ' ') + "0-1 : x\n";
    auto lines = parse_resource_tree(text, "f");
    ASSERT_FALSE(lines);
    EXPECT_NE(lines.error().message.find("deeper than 32"), std::string::npos);
}

TEST(ScanProcfsResource, LineCountBound) {
    std::string text;
    for (int i = 0; i <= 65536; ++i)
        text += "0-1 : x\n";
    auto lines = parse_resource_tree(text, "f");
    ASSERT_FALSE(lines);
    EXPECT_NE(lines.error().message.find("more than 65536 lines"), std::string::npos);
}

TEST(ScanProcfsResource, EmptyNameAndEmptyFile) {
    auto lines = parse_resource_tree("0-1 : \n2-3 :\n", "f");
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0].entry.name, "");
    EXPECT_TRUE(parse_resource_tree("", "f")->empty());
}

TEST(ScanProcfsResource, HiddenAddresses) {
    auto lines = parse_resource_tree("00000000-00000000 : System RAM\n"
                                     "  00000000-00000000 : Kernel code\n",
                                     "f");
    ASSERT_TRUE(lines);
    EXPECT_TRUE(scan::procfs::addresses_hidden(*lines));
}

} // namespace
} // namespace jailconf::test
