// Findings on the page of `confgen render`: each check or kb finding is marked on the element
// declared where it points (file, line, column), and listed with a link to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "check_builder.hpp"
#include "confgen/render.hpp"
#include "render_support.hpp"

namespace jailconf {
namespace {

using render::Element;
using render::ElementKind;

Element el(std::string id, uint32_t line, uint32_t column, std::string file = "a.yaml") {
    Element e;
    e.id = std::move(id);
    e.loc = SourceLocation{std::move(file), line, column};
    return e;
}

Diagnostic at(std::string file, uint32_t line, uint32_t column) {
    Diagnostic d;
    d.rule = "JC-TEST";
    d.loc = SourceLocation{std::move(file), line, column};
    return d;
}

std::vector<std::string> placed_ids(const std::vector<Element>& elements, const Diagnostic& d) {
    std::vector<Diagnostic> ds = {d};
    auto placed = render::place_findings(elements, ds);
    std::vector<std::string> out;
    for (size_t e : placed[0])
        out.push_back(elements[e].id);
    return out;
}

TEST(RenderPlacement, ExactColumnThenNearestBeforeThenWholeLineThenNothing) {
    // `irqs: [33, 35-38]` on line 7: two ranges at columns 12 and 16; a cell at line 5.
    std::vector<Element> elements = {el("cell", 5, 7), el("irq-a", 7, 12), el("irq-b", 7, 16),
                                     el("other-file", 7, 12, "b.yaml")};
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 7, 16)), std::vector<std::string>{"irq-b"});
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 7, 12)), std::vector<std::string>{"irq-a"});
    // Inside "35-38" (a finding on a sub-node): the range that starts before it.
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 7, 18)), std::vector<std::string>{"irq-b"});
    // Before both (the `irqs:` key): every element of the line.
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 7, 3)),
              (std::vector<std::string>{"irq-a", "irq-b"}));
    // A line without elements, an unknown location, another file: not placed.
    EXPECT_TRUE(placed_ids(elements, at("a.yaml", 6, 1)).empty());
    EXPECT_TRUE(placed_ids(elements, at("", 0, 0)).empty());
    EXPECT_EQ(placed_ids(elements, at("b.yaml", 7, 12)), std::vector<std::string>{"other-file"});
}

TEST(RenderPlacement, SubNodesDrawnWithTheirElementMarkIt) {
    Element dev = el("dev", 10, 9);
    dev.also.push_back(SourceLocation{"a.yaml", 11, 15}); // its msix: mapping
    std::vector<Element> elements = {dev, el("bar", 11, 30)};
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 11, 15)), std::vector<std::string>{"dev"});
    EXPECT_EQ(placed_ids(elements, at("a.yaml", 11, 31)), std::vector<std::string>{"bar"});
}

TEST(RenderPlacement, EveryElementOfASystemHasAnIdAndTheIdsAreUnique) {
    System s = test::base_system();
    s.cells[0].pci_devices.push_back(PciDevice{});
    s.cells[0].pci_devices[0].bars.push_back(PciBar{});
    s.cells[0].stream_ids.push_back(StreamId{0x100, test::next_loc()});
    auto elements = render::collect_elements(s);
    std::set<std::string> ids;
    for (const auto& e : elements) {
        EXPECT_TRUE(ids.insert(e.id).second) << e.id;
        EXPECT_TRUE(std::all_of(e.id.begin(), e.id.end(), [](char c) {
            return std::isalnum((unsigned char)c) || c == '-';
        })) << e.id;
    }
    // Each model element with a location is one page element.
    size_t expected = 1 + 1 + s.platform.cpus.size() + 1 /* irqchip */ + 2 /* hv, hv memory */;
    for (const auto& c : s.cells)
        expected += 1 + c.cpus.size() + c.memory.size() + c.irqs.size() + c.pci_devices.size() +
                    c.pci_devices.size() /* one BAR */ + c.stream_ids.size() + (c.console ? 1 : 0);
    for (const auto& l : s.links)
        expected += 1 + l.peers.size();
    EXPECT_EQ(elements.size(), expected);
}

TEST(RenderFindings, CheckFindingMarksTheOverlappingRegions) {
    System s = test::base_system();
    // rt's RAM moved onto the root cell's: JC-MEM-OVERLAP (or the like) on the rt region.
    s.cells[1].memory[0].phys = PhysAddr{0x40000000};
    Diagnostics diags;
    check_system(s, diags);
    diags.sort();
    ASSERT_TRUE(diags.has_errors()) << test::dump(diags);
    std::string html = render::render_html(s, diags.all(), {});
    // The finding's own element carries the error outline, on the map and in the table.
    auto elements = render::collect_elements(s);
    auto placed = render::place_findings(elements, diags.all());
    bool marked_region = false;
    for (size_t d = 0; d < diags.all().size(); ++d)
        for (size_t e : placed[d])
            if (elements[e].kind == ElementKind::memory_region) {
                marked_region = true;
                const std::string& id = elements[e].id;
                EXPECT_NE(html.find("<tr id=\"" + id + "\" class=\"flag-error\">"),
                          std::string::npos)
                    << id;
                EXPECT_NE(html.find("id=\"" + id + "-bar\" class=\"bar memory flag-error\""),
                          std::string::npos)
                    << id;
                EXPECT_NE(html.find("<a href=\"#" + id + "\">"), std::string::npos);
            }
    EXPECT_TRUE(marked_region) << test::dump(diags);
    // Regions without findings carry no outline.
    EXPECT_NE(html.find("<tr id=\"c0-mem-1\">"), std::string::npos);
}

TEST(RenderFindings, WaivedFindingsAreMarkedAsWaived) {
    System s = test::base_system();
    Diagnostic d;
    d.rule = "KB-TEST";
    d.severity = Severity::error;
    d.loc = s.cells[1].irqs[0].loc;
    d.message = "m";
    d.suppression = "accepted";
    std::vector<Diagnostic> ds = {d};
    std::string html = render::render_html(s, ds, {});
    EXPECT_NE(html.find("<tr id=\"c1-irq-0\" class=\"flag-waived\">"), std::string::npos);
    EXPECT_NE(html.find("error (waived)"), std::string::npos);
    EXPECT_NE(html.find("0</b> errors"), std::string::npos);
}

TEST(RenderFindings, CleanExampleSaysSo) {
    auto in = test::load_for_render(std::string(JAILCONF_SOURCE_DIR) + "/examples/qemu-virt.yaml");
    ASSERT_TRUE(in.system);
    std::string html = render::render_html(*in.system, in.diags.all(), {});
    EXPECT_EQ(in.diags.empty(), html.find("No findings") != std::string::npos);
    EXPECT_EQ(in.diags.empty(), html.find("flag-error\"") == std::string::npos);
}

// The kb fixtures: every finding a flag.yaml expects is produced, marked on an element declared
// on the expected line, outlined on the page and linked from the findings list.
class RenderKbFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderKbFixture, ExpectedFindingsAreMarkedOnTheirLines) {
    const std::string& path = GetParam();
    auto in = test::load_for_render(path);
    ASSERT_TRUE(in.system);
    bool needs_guest_dt = test::read_text(path).find("lint-guest-dt:") != std::string::npos;
    auto elements = render::collect_elements(*in.system);
    const auto& diags = in.diags.all();
    auto placed = render::place_findings(elements, diags);
    std::string html = render::render_html(*in.system, diags, {});
    auto expected = test::expected_findings(path);
    ASSERT_FALSE(expected.empty()) << path;
    size_t found = 0;
    for (const auto& [line, rule] : expected) {
        for (size_t d = 0; d < diags.size(); ++d) {
            if (diags[d].rule != rule || diags[d].loc.line != line || diags[d].loc.file != path)
                continue;
            ++found;
            ASSERT_FALSE(placed[d].empty()) << rule << " at line " << line << " is not marked";
            for (size_t e : placed[d]) {
                const Element& x = elements[e];
                bool on_line = x.loc.line == line;
                for (const auto& l : x.also)
                    on_line |= l.line == line;
                EXPECT_TRUE(on_line)
                    << rule << " marked on " << x.id << " (line " << x.loc.line << ")";
                // Outlined wherever it is drawn with its id, and linked from the finding row.
                std::string sev(to_string(diags[d].severity));
                std::regex marked("id=\"" + x.id +
                                  "(-bar)?\"[^>]*class=\"[^\"]*flag-(error|"
                                  "warning|note|waived)");
                std::regex marked_row("<(tr|div|span) id=\"" + x.id + "\" class=\"[^\"]*flag-");
                std::regex marked_card("class=\"[a-z -]*flag-[a-z]+\" id=\"" + x.id + "\"");
                EXPECT_TRUE(std::regex_search(html, marked) ||
                            std::regex_search(html, marked_row) ||
                            std::regex_search(html, marked_card))
                    << x.id << " not outlined for " << rule;
                EXPECT_NE(html.find("<tr id=\"f-" + std::to_string(d) + "\""), std::string::npos);
                EXPECT_NE(html.find("<a href=\"#" + x.id + "\">"), std::string::npos) << x.id;
            }
        }
    }
    if (!needs_guest_dt) {
        EXPECT_GE(found, expected.size())
            << path << ": lint did not produce every expected finding";
    }
}

std::vector<std::string> kb_flags() {
    std::vector<std::string> out;
    for (const auto& p : test::render_corpus())
        if (p.find("/kb/") != std::string::npos)
            out.push_back(p);
    return out;
}

std::string fixture_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string rule = std::filesystem::path(info.param).parent_path().filename().string();
    std::replace(rule.begin(), rule.end(), '-', '_');
    return rule;
}

INSTANTIATE_TEST_SUITE_P(Kb, RenderKbFixture, ::testing::ValuesIn(kb_flags()), fixture_name);

} // namespace
} // namespace jailconf
