// The interval sweep behind every overlap check, against a brute-force reference.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <utility>

#include "check/check_util.hpp"
#include "check/interval_sweep.hpp"

namespace jailconf::checks {
namespace {

using Pairs = std::set<std::pair<uint32_t, uint32_t>>;

Pairs sweep(std::vector<Interval> items) {
    Pairs found;
    for_each_overlap(items, [&](const Interval& a, const Interval& b) {
        EXPECT_LT(a.id, b.id);
        EXPECT_TRUE(found.emplace(a.id, b.id).second) << "pair reported twice";
    });
    return found;
}

Pairs brute_force(const std::vector<Interval>& items) {
    Pairs found;
    for (const Interval& a : items)
        for (const Interval& b : items)
            if (a.id < b.id && a.first <= b.last && b.first <= a.last)
                found.emplace(a.id, b.id);
    return found;
}

TEST(CheckSweep, AdjacentIntervalsDoNotOverlap) {
    EXPECT_TRUE(sweep({{0, 0xfff, 0}, {0x1000, 0x1fff, 1}, {0x2000, 0x2fff, 2}}).empty());
}

TEST(CheckSweep, IntervalEndingAtTopOfAddressSpace) {
    Pairs p = sweep({{UINT64_MAX - 0xfff, UINT64_MAX, 0}, {UINT64_MAX, UINT64_MAX, 1}, {0, 5, 2}});
    EXPECT_EQ(p, (Pairs{{0, 1}}));
}

TEST(CheckSweep, ManyWayOverlapReportsEveryPairOnce) {
    std::vector<Interval> items;
    for (uint32_t i = 0; i < 10; ++i)
        items.push_back({0x1000, 0x1fff, i});
    EXPECT_EQ(sweep(items).size(), 45u);
}

TEST(CheckSweep, MatchesBruteForceOnRandomInput) {
    std::mt19937_64 rng(42);
    for (int round = 0; round < 200; ++round) {
        std::vector<Interval> items;
        const uint32_t n = uint32_t(rng() % 60);
        for (uint32_t i = 0; i < n; ++i) {
            uint64_t first = rng() % 1000;
            items.push_back({first, first + rng() % 80, i});
        }
        EXPECT_EQ(sweep(items), brute_force(items)) << "round " << round;
    }
}

TEST(CheckSweep, BudgetListsSomeAndCountsTheRest) {
    ConflictBudget budget(2);
    uint32_t listed = 0;
    for (int i = 0; i < 40; ++i)
        listed += budget.take(1, "JC-X");
    EXPECT_EQ(listed, ConflictBudget::max_listed);
    int summaries = 0;
    budget.for_each_hidden([&](uint32_t id, std::string_view rule, uint32_t count) {
        ++summaries;
        EXPECT_EQ(id, 1u);
        EXPECT_EQ(rule, "JC-X");
        EXPECT_EQ(count, 40 - ConflictBudget::max_listed);
    });
    EXPECT_EQ(summaries, 1);
}

TEST(CheckUtil, LastAddress) {
    EXPECT_EQ(last_address(0x1000, 0x1000), 0x1fffu);
    EXPECT_EQ(last_address(UINT64_MAX - 0xfff, 0x1000), UINT64_MAX); // ends exactly at 2^64
    EXPECT_FALSE(last_address(UINT64_MAX - 0xfff, 0x1001));          // one byte more wraps
    EXPECT_FALSE(last_address(0x1000, 0));
}

TEST(CheckUtil, MergeIdRanges) {
    std::vector<IdRange> r = {{40, 50, {}}, {33, 33, {}}, {34, 39, {}}, {60, 61, {}}, {9, 8, {}}};
    auto m = merge_id_ranges(r);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].first, 33u);
    EXPECT_EQ(m[0].last, 50u);
    EXPECT_EQ(m[1].first, 60u);
}

TEST(CheckUtil, CompressIds) {
    std::vector<uint32_t> v = {0, 1, 2, 3, 8, 10, 11};
    EXPECT_EQ(compress_ids(v), "0-3, 8, 10-11");
    EXPECT_EQ(compress_ids(v, 2), "0-3, 8, ...");
}

} // namespace
} // namespace jailconf::checks
