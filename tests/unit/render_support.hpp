// Real configurations for the render tests: the examples and the kb fixtures, loaded, checked and
// linted the way `confgen lint` does (a kb fixture's `# lint-inventory:` machine is scanned and
// its `# lint-args: --rules-dir` directory loaded).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "confgen/check.hpp"
#include "confgen/lint.hpp"
#include "confgen/load.hpp"
#include "confgen/scan.hpp"

namespace jailconf::test {

struct RenderInput {
    std::string path;
    std::optional<System> system;
    Diagnostics diags;
};

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The example systems and every kb fixture that must raise findings.
inline std::vector<std::string> render_corpus() {
    namespace fs = std::filesystem;
    std::string src = JAILCONF_SOURCE_DIR;
    std::vector<std::string> out = {src + "/examples/qemu-virt.yaml",
                                    src + "/examples/x86-q35.yaml",
                                    src + "/examples/split/system.yaml"};
    std::vector<std::string> more;
    for (const auto& e : fs::directory_iterator(src + "/examples/hv"))
        if (e.path().extension() == ".yaml")
            more.push_back(e.path().string());
    for (const auto& e : fs::directory_iterator(std::string(JAILCONF_FIXTURES) + "/kb"))
        if (fs::exists(e.path() / "flag.yaml"))
            more.push_back((e.path() / "flag.yaml").string());
    std::sort(more.begin(), more.end());
    out.insert(out.end(), more.begin(), more.end());
    return out;
}

inline const KnowledgeBase& builtin_kb() {
    static const KnowledgeBase kb = [] {
        KnowledgeBase k;
        Diagnostics d;
        k.load_builtin(d);
        return k;
    }();
    return kb;
}

// Loads, checks and lints `path` like `confgen lint` (with the fixture's header arguments).
inline RenderInput load_for_render(const std::string& path) {
    RenderInput in;
    in.path = path;
    std::string text = read_text(path);
    std::optional<inventory::Inventory> inventory;
    std::optional<KnowledgeBase> site;
    std::smatch m;
    std::string fixtures = JAILCONF_FIXTURES;
    static const std::regex inv_re(R"(#\s*lint-inventory:\s*(\S+))");
    static const std::regex dir_re(R"(#\s*lint-args:.*--rules-dir\s+(\S+))");
    if (std::regex_search(text, m, inv_re)) {
        std::string source = fixtures + "/" + m[1].str();
        if (std::filesystem::is_directory(source)) {
            auto files = open_machine_directory(source);
            EXPECT_TRUE(files) << source;
            if (files) {
                auto inv = scan_machine(**files);
                EXPECT_TRUE(inv) << source;
                if (inv)
                    inventory = std::move(*inv);
            }
        } else {
            auto inv = scan_dtb_file(source);
            EXPECT_TRUE(inv) << source;
            if (inv)
                inventory = std::move(*inv);
        }
    }
    const KnowledgeBase* kb = &builtin_kb();
    if (std::regex_search(text, m, dir_re)) {
        site.emplace();
        Diagnostics d;
        site->load_builtin(d);
        EXPECT_TRUE(site->load_directory(fixtures + "/" + m[1].str(), d)) << path;
        kb = &*site;
    }
    auto system = load_system(path, in.diags);
    EXPECT_TRUE(system) << path;
    if (!system)
        return in;
    check_system(*system, in.diags);
    LintOptions options;
    options.inventory = inventory ? &*inventory : nullptr;
    lint_system(*system, *kb, options, in.diags);
    in.diags.sort();
    in.system = std::move(*system);
    return in;
}

// Lines of `path` marked `# expect: RULE`, with the rule ids named there.
inline std::vector<std::pair<uint32_t, std::string>> expected_findings(const std::string& path) {
    std::vector<std::pair<uint32_t, std::string>> out;
    std::istringstream in(read_text(path));
    std::string line;
    static const std::regex expect_re(R"(#\s*expect:(.*))");
    static const std::regex id_re(R"(\b(KB|JC)-[A-Z0-9-]+\b)");
    for (uint32_t n = 1; std::getline(in, line); ++n) {
        std::smatch m;
        if (!std::regex_search(line, m, expect_re))
            continue;
        std::string rest = m[1].str();
        for (std::sregex_iterator it(rest.begin(), rest.end(), id_re), end; it != end; ++it)
            out.emplace_back(n, it->str());
    }
    return out;
}

} // namespace jailconf::test
