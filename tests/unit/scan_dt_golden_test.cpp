// Each fixture's whole scan result as a reviewed text summary: any change in what the scanner
// reports shows up as a diff. JAILCONF_UPDATE_GOLDEN=1 rewrites the files (then review them
// against the DTS before committing; see tests/fixtures/fdt/README.md).
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "scan/scanners.hpp"
#include "scan_dt_summary.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {
namespace {

class DtGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DtGolden, SummaryMatches) {
    std::string name = GetParam();
    std::string golden = std::string(JAILCONF_FIXTURES) + "/fdt/golden/" + name + ".txt";
    auto inv = scan::scan_device_tree_blob(read_binary(fixture_path(name)), name + ".dtb");
    ASSERT_TRUE(inv) << inv.error().str();
    std::string got = dt_summary(*inv);
    if (const char* update = std::getenv("JAILCONF_UPDATE_GOLDEN"); update && *update == '1') {
        std::ofstream(golden, std::ios::binary) << got;
        GTEST_SKIP() << "rewrote " << golden;
    }
    std::string want = read_binary(golden);
    ASSERT_FALSE(want.empty()) << golden << " missing: run with JAILCONF_UPDATE_GOLDEN=1";
    EXPECT_EQ(got, want) << "regenerate with JAILCONF_UPDATE_GOLDEN=1 if the change is intended";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DtGolden, ::testing::ValuesIn(dt_fixtures()),
                         [](const auto& info) {
                             std::string n = info.param;
                             for (char& c : n)
                                 if (!isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             return n;
                         });

} // namespace
} // namespace jailconf::testing
