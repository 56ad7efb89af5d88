// The page of `confgen render`: text is escaped wherever it comes from, the page is
// self-contained (no network reference), ids are unique and the output is deterministic.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "check_builder.hpp"
#include "confgen/render.hpp"
#include "render_support.hpp"

namespace jailconf {
namespace {

std::string render_path(const std::string& path) {
    Diagnostics diags;
    auto page = render::render_file(path, test::builtin_kb(), {}, {}, diags);
    EXPECT_TRUE(page) << path;
    return page ? *page : std::string();
}

// Every '<' starts a tag of the page's own vocabulary: text that was not escaped shows up as an
// unknown tag (or as a '<' that starts none).
void expect_only_known_tags(const std::string& html) {
    static const std::set<std::string> known = {"!DOCTYPE", "html",
                                                "head",     "meta",
                                                "title",    "style",
                                                "body",     "h1",
                                                "h2",       "h3",
                                                "p",        "b",
                                                "i",        "br",
                                                "small",    "code",
                                                "span",     "div",
                                                "section",  "table",
                                                "tr",       "th",
                                                "td",       "ul",
                                                "li",       "a",
                                                "svg",      "defs",
                                                "pattern",  "rect",
                                                "line",     "text",
                                                "g",        "linearGradient",
                                                "stop"};
    static const std::regex tag(R"(<(/?)(!DOCTYPE|[A-Za-z][A-Za-z0-9]*)[\s>/])");
    size_t pos = 0;
    while ((pos = html.find('<', pos)) != std::string::npos) {
        std::smatch m;
        std::string window = html.substr(pos, 40);
        ASSERT_TRUE(std::regex_search(window, m, tag, std::regex_constants::match_continuous))
            << "stray '<' at " << pos << ": " << window;
        EXPECT_TRUE(known.count(m[2].str())) << "unexpected tag <" << m[2].str() << "> at " << pos;
        ++pos;
    }
}

// No reference outside the page: no URL scheme, no src attribute, links and url() only to
// fragments of the page itself.
void expect_self_contained(const std::string& html) {
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    static const std::regex attr(R"(\s(src|href|xlink:href|action|srcset)=\"([^\"]*)\")");
    for (std::sregex_iterator it(html.begin(), html.end(), attr), end; it != end; ++it) {
        EXPECT_NE((*it)[1].str(), "src");
        EXPECT_EQ((*it)[2].str().substr(0, 1), "#") << (*it).str();
    }
    static const std::regex url(R"(url\(([^)]*)\))");
    for (std::sregex_iterator it(html.begin(), html.end(), url), end; it != end; ++it)
        EXPECT_EQ((*it)[1].str().substr(0, 1), "#") << (*it).str();
}

void expect_unique_ids_and_resolving_links(const std::string& html) {
    static const std::regex id_re(R"(\sid=\"([^\"]*)\")");
    std::set<std::string> ids;
    for (std::sregex_iterator it(html.begin(), html.end(), id_re), end; it != end; ++it)
        EXPECT_TRUE(ids.insert((*it)[1].str()).second) << "duplicate id " << (*it)[1].str();
    static const std::regex ref(R"((href=\"#|url\(#)([^\")]*))");
    for (std::sregex_iterator it(html.begin(), html.end(), ref), end; it != end; ++it)
        EXPECT_TRUE(ids.count((*it)[2].str())) << "link to missing id " << (*it)[2].str();
}

TEST(RenderEscape, EscapesMarkupQuotesAndControlCharacters) {
    EXPECT_EQ(render::escape_html(R"(<a href="x">&'</a>)"),
              "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    EXPECT_EQ(render::escape_html("tab\tnew\nline"), "tab\tnew\nline");
    EXPECT_EQ(render::escape_html(std::string("nul\0bell\x07", 9)), "nul\xef\xbf\xbd"
                                                                    "bell\xef\xbf\xbd");
    EXPECT_EQ(render::escape_html("gr\xc3\xbc\xc3\x9f"), "gr\xc3\xbc\xc3\x9f");
}

TEST(RenderHtml, HostileNamesMessagesAndPathsCannotBreakThePage) {
    System s = test::base_system();
    const std::string evil = R"(<script>alert("x")</script> & "q" 'r' </svg></title>)";
    s.platform.name = evil;
    s.cells[0].name = "root<&\">";
    s.cells[1].memory[0].name = evil;
    s.cells[1].waivers.push_back(Waiver{"KB-<x>", evil, test::next_loc()});
    s.links[0].name = "ping</text>";
    s.links[0].peers[1].cell = "rt\"><b>";
    Diagnostic d;
    d.rule = "JC-<TEST>";
    d.severity = Severity::warning;
    d.loc = s.cells[1].memory[0].loc;
    d.loc.file = "dir/<evil>&\"name\".yaml";
    s.cells[1].memory[0].loc.file = d.loc.file;
    d.message = R"x(<img src=x onerror="alert(1)"> & </table>)x";
    d.fix = "</section><h1>";
    d.related.push_back({test::next_loc(), "<related>"});
    std::vector<Diagnostic> diags = {d};
    std::string html = render::render_html(s, diags, {"<title>&"});

    expect_only_known_tags(html);
    expect_self_contained(html);
    expect_unique_ids_and_resolving_links(html);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;q&quot; "
                        "&#39;r&#39;"),
              std::string::npos);
    EXPECT_NE(html.find("dir/&lt;evil&gt;&amp;&quot;name&quot;.yaml"), std::string::npos);
    EXPECT_NE(html.find("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"), std::string::npos);
    EXPECT_NE(html.find("root&lt;&amp;&quot;&gt;"), std::string::npos);
    // The finding is still marked on the region it points at, despite the odd file name.
    EXPECT_NE(html.find("class=\"bar memory flag-warning\""), std::string::npos);
    // Exactly one <html>, <body>, and the page ends properly.
    EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
}

TEST(RenderHtml, HostileFileNameThroughTheLoader) {
    auto dir = std::filesystem::temp_directory_path() / "render-test-<&\">";
    std::filesystem::create_directories(dir);
    auto path = dir / "sys<x>&'.yaml";
    std::filesystem::copy_file(std::string(JAILCONF_SOURCE_DIR) + "/examples/qemu-virt.yaml", path,
                               std::filesystem::copy_options::overwrite_existing);
    std::string html = render_path(path.string());
    std::filesystem::remove_all(dir);
    expect_only_known_tags(html);
    expect_self_contained(html);
    EXPECT_NE(html.find("sys&lt;x&gt;&amp;&#39;.yaml"), std::string::npos);
    EXPECT_EQ(html.find("sys<x>"), std::string::npos);
}

class RenderHtmlCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(RenderHtmlCorpus, SelfContainedDeterministicWellFormed) {
    std::string first = render_path(GetParam());
    ASSERT_FALSE(first.empty());
    EXPECT_EQ(first, render_path(GetParam()));
    expect_only_known_tags(first);
    expect_self_contained(first);
    expect_unique_ids_and_resolving_links(first);
    auto input = test::load_for_render(GetParam());
    ASSERT_TRUE(input.system);
    for (const auto& c : input.system->cells)
        EXPECT_NE(first.find(">cell <b>" + render::escape_html(c.name) + "</b>"), std::string::npos)
            << c.name;
    EXPECT_NE(first.find("Axis: segmented"), std::string::npos);
}

std::string corpus_name(const ::testing::TestParamInfo<std::string>& info) {
    std::string root = JAILCONF_SOURCE_DIR;
    std::string rel = info.param.rfind(root, 0) == 0 ? info.param.substr(root.size()) : info.param;
    std::string out;
    for (char c : rel)
        out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return out;
}

INSTANTIATE_TEST_SUITE_P(Real, RenderHtmlCorpus, ::testing::ValuesIn(test::render_corpus()),
                         corpus_name);

TEST(RenderFile, SchemaErrorsGiveNoPage) {
    auto path = std::filesystem::temp_directory_path() / "render-broken.yaml";
    {
        std::ofstream out(path);
        out << "format: jailconf/1\narch: arm64\nno_such_key: 1\n";
    }
    Diagnostics diags;
    auto page = render::render_file(path, test::builtin_kb(), {}, {}, diags);
    std::filesystem::remove(path);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error(), LoadFailure::invalid);
    EXPECT_TRUE(diags.has_errors());
    Diagnostics missing;
    auto none = render::render_file("/nonexistent/x.yaml", test::builtin_kb(), {}, {}, missing);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error(), LoadFailure::io);
}

} // namespace
} // namespace jailconf
