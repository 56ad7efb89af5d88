// Cells and CPUs: root count, names, CPU ownership and the platform CPU list.
#include <gtest/gtest.h>

#include "check_builder.hpp"

namespace jailconf::test {
namespace {

TEST(CheckCells, NoRootCellIsOneDiagnosticAtTheSystem) {
    System s = base_system();
    s.cells[0].root = false;
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-ROOT-COUNT");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.loc.line);
}

TEST(CheckCells, EveryExtraRootIsReported) {
    System s = base_system();
    set_platform_cpus(s, 6);
    s.cells[1].root = true;
    s.cells.push_back(cell("third", {ids(4, 5)}, true));
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-ROOT-COUNT");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.cells[1].loc.line);
    EXPECT_EQ(r[1]->loc.line, s.cells[2].loc.line);
    EXPECT_EQ(r[1]->related[0].loc.line, s.cells[0].loc.line);
}

TEST(CheckCells, DuplicateNames) {
    System s = base_system();
    set_platform_cpus(s, 5);
    s.cells.push_back(cell("rt", {id(4)}));
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CELL-NAME-DUP");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.cells[2].loc.line);
    EXPECT_EQ(r[0]->related[0].loc.line, s.cells[1].loc.line);
}

TEST(CheckCpus, CellWithoutCpu) {
    System s = base_system();
    s.cells[1].cpus.clear();
    Diagnostics d = run_check(s);
    ASSERT_EQ(count(d, "JC-CPU-NONE"), 1u) << dump(d);
    EXPECT_EQ(of_rule(d, "JC-CPU-NONE")[0]->loc.line, s.cells[1].loc.line);
}

TEST(CheckCpus, AbsentCpusAreListedAsRanges) {
    System s = base_system();
    s.cells[1].cpus = {ids(3, 7), id(9)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CPU-ABSENT");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->message, "CPUs 4-7 of cell 'rt' are not on the platform (platform.cpus: 0-3)");
    EXPECT_EQ(r[1]->message, "CPU 9 of cell 'rt' is not on the platform (platform.cpus: 0-3)");
}

TEST(CheckCpus, HugeRangeDoesNotIterateIds) {
    System s = base_system();
    s.cells[1].cpus = {ids(3, UINT32_MAX)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CPU-ABSENT");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_NE(r[0]->message.find("4-4294967295"), std::string::npos) << r[0]->message;
}

TEST(CheckCpus, CpuInTwoCellsNamesBoth) {
    System s = base_system();
    s.cells[1].cpus = {ids(2, 3)};
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-CPU-DUP");
    ASSERT_EQ(r.size(), 1u) << dump(d);
    EXPECT_EQ(r[0]->message, "CPU 2 of cell 'rt' is also assigned to cell 'root'");
    EXPECT_EQ(r[0]->loc.line, s.cells[1].cpus[0].loc.line);
    EXPECT_EQ(r[0]->related[0].loc.line, s.cells[0].cpus[0].loc.line);
}

TEST(CheckCpus, RepeatedCpuWithinOneCellIsHarmless) {
    System s = base_system();
    s.cells[0].cpus.push_back(ids(1, 2));
    Diagnostics d = run_check(s);
    EXPECT_TRUE(d.empty()) << dump(d);
}

TEST(CheckCpus, PlatformDuplicateIdAndHwId) {
    System s = base_system();
    s.platform.cpus[3].id = 2;    // id 2 twice; CPU 3 now absent
    s.platform.cpus[1].hw_id = 0; // hw_id 0 twice
    Diagnostics d = run_check(s);
    auto r = of_rule(d, "JC-PLATFORM-CPU-DUP");
    ASSERT_EQ(r.size(), 2u) << dump(d);
    EXPECT_EQ(r[0]->loc.line, s.platform.cpus[3].loc.line);
    EXPECT_EQ(r[1]->loc.line, s.platform.cpus[1].loc.line);
    EXPECT_EQ(count(d, "JC-CPU-ABSENT"), 1u) << dump(d);
}

} // namespace
} // namespace jailconf::test
