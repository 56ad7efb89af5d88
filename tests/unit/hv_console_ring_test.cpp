// hv/core/console/ring: the console ring buffer the root cell reads with console_read.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/console/ring.hpp"

namespace {

using hv::console::Ring;

std::string read_all(const Ring& ring, uint64_t from, size_t max, Ring::Read* out = nullptr) {
    std::string text(max, '\0');
    const Ring::Read r = ring.read(from, text.data(), max);
    text.resize(r.copied);
    if (out != nullptr)
        *out = r;
    return text;
}

TEST(HvConsoleRing, ReadsFromAPositionAndInPieces) {
    auto ring = std::make_unique<Ring>();
    EXPECT_EQ(read_all(*ring, 0, 16), "");
    ring->append("hello ", 6);
    ring->append("world\n", 6);
    Ring::Read r;
    EXPECT_EQ(read_all(*ring, 0, 5, &r), "hello");
    EXPECT_EQ(r.first, 0u);
    EXPECT_EQ(r.next, 5u);
    EXPECT_EQ(r.oldest, 0u);
    EXPECT_EQ(read_all(*ring, r.next, 100, &r), " world\n");
    EXPECT_EQ(r.next, 12u);
    EXPECT_EQ(ring->end(), 12u);
    // Past the end: nothing, and the position stays at the end.
    EXPECT_EQ(read_all(*ring, 50, 10, &r), "");
    EXPECT_EQ(r.first, 12u);
}

TEST(HvConsoleRing, WrapsAndReportsWhatWasLost) {
    auto ring = std::make_unique<Ring>();
    std::string all;
    for (int i = 0; all.size() < Ring::capacity + 1000; ++i) {
        const std::string line = "line " + std::to_string(i) + "\n";
        ring->append(line.data(), line.size());
        all += line;
    }
    Ring::Read r;
    // A reader still at 0 lost the oldest bytes: it gets the oldest held, and knows it.
    const std::string got = read_all(*ring, 0, Ring::capacity, &r);
    EXPECT_EQ(r.oldest, all.size() - Ring::capacity);
    EXPECT_EQ(r.first, r.oldest);
    EXPECT_EQ(got, all.substr(all.size() - Ring::capacity));
    // Across the wrap point, from the middle.
    const uint64_t from = all.size() - 100;
    EXPECT_EQ(read_all(*ring, from, 1000, &r), all.substr(from));
    EXPECT_EQ(r.next, all.size());
}

} // namespace
