// hv/core/measure: the measurement log (bounded, never overwritten, overflow counted), digests
// read in pieces, and the incremental integrity check; SHA-256 at the padding boundaries (the
// lengths where FIPS 180-4's padding takes one block or two), against hashlib's digests.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/measure/integrity.hpp"
#include "core/measure/log.hpp"
#include "core/measure/sha.hpp"
#include "jailconf/measurement.hpp"
#include "jailconf/sha256.hpp"

namespace {

namespace jm = jailconf::measure;
using hv::measure::IntegrityCheck;
using hv::measure::Log;

std::string hex(const uint8_t* d) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (size_t i = 0; i < jm::digest_size; ++i) {
        s += digits[d[i] >> 4];
        s += digits[d[i] & 15];
    }
    return s;
}

std::vector<uint8_t> pattern(size_t n) {
    std::vector<uint8_t> v(n);
    for (size_t i = 0; i < n; ++i)
        v[i] = uint8_t(i * 7 + 3);
    return v;
}

std::string sha(const std::vector<uint8_t>& v) {
    uint8_t d[32];
    jailconf::jcb::sha256(v.data(), v.size(), d);
    return hex(d);
}

TEST(HvMeasureSha256, PaddingBoundariesMatchHashlib) {
    // python3: hashlib.sha256(bytes((i*7+3)&0xff for i in range(n))).hexdigest()
    const std::pair<size_t, const char*> cases[] = {
        {55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
        {56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
        {63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
        {64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
        {119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
        {120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
        {1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
    };
    for (const auto& [n, expected] : cases)
        EXPECT_EQ(sha(pattern(n)), expected) << n << " bytes";
}

// Memory read through a Reader, counting the pieces.
class VectorReader final : public hv::measure::Reader {
  public:
    explicit VectorReader(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
    void read(uint64_t address, uint8_t* out, size_t size) override {
        ASSERT_LE(address + size, base + bytes_.size());
        for (size_t i = 0; i < size; ++i)
            out[i] = bytes_[address - base + i];
        largest = std::max(largest, size);
        ++pieces;
    }
    static constexpr uint64_t base = 0x60000000;
    size_t largest = 0, pieces = 0;

  private:
    std::vector<uint8_t> bytes_;
};

TEST(HvMeasureDigest, PiecesEqualOneShot) {
    for (size_t n : {size_t(0), size_t(1), size_t(511), size_t(512), size_t(513), size_t(5000)}) {
        const std::vector<uint8_t> data = pattern(n);
        VectorReader reader(data);
        uint8_t d[32];
        hv::measure::digest_of(reader, VectorReader::base, n, d);
        EXPECT_EQ(hex(d), sha(data)) << n;
        EXPECT_LE(reader.largest, 512u); // bounded pieces: a stack buffer at EL2
        hv::measure::digest_of(data.data(), data.size(), d);
        EXPECT_EQ(hex(d), sha(data)) << n;
    }
}

TEST(HvMeasureLog, EntriesAreLittleEndianAndInOrder) {
    Log log;
    uint8_t d[32];
    for (int i = 0; i < 32; ++i)
        d[i] = uint8_t(i);
    auto a = log.add(jm::Kind::cell_image, 3, 0x48000000, 0x10000, d);
    EXPECT_TRUE(a.stored);
    EXPECT_EQ(a.seq, 0u);
    a = log.add(jm::Kind::cell_descriptor, 4, 0x50000000, 216, d);
    EXPECT_EQ(a.seq, 1u);
    EXPECT_EQ(log.held(), 2u);
    EXPECT_EQ(log.made(), 2u);
    jm::Entry out[4];
    ASSERT_EQ(log.read(0, out, 4), 2u);
    const auto* raw = reinterpret_cast<const uint8_t*>(&out[0]);
    EXPECT_EQ(raw[0], 5); // kind, little-endian
    EXPECT_EQ(raw[4], 3); // cell
    EXPECT_EQ(raw[16], 0x00);
    EXPECT_EQ(raw[19], 0x48); // address 0x48000000
    EXPECT_EQ(raw[26], 0x01); // size 0x10000
    EXPECT_EQ(raw[32], 0);
    EXPECT_EQ(raw[63], 31);
    EXPECT_EQ(out[1].kind.get(), uint32_t(jm::Kind::cell_descriptor));
    EXPECT_EQ(out[1].seq.get(), 1u);
    EXPECT_EQ(out[1].size.get(), 216u);
    // Reading from the middle, past the end, and from an index near 2^32.
    EXPECT_EQ(log.read(1, out, 4), 1u);
    EXPECT_EQ(out[0].seq.get(), 1u);
    EXPECT_EQ(log.read(2, out, 4), 0u);
    EXPECT_EQ(log.read(0xffffffffu, out, 4), 0u);
    EXPECT_EQ(log.read(0, out, 0), 0u);
}

TEST(HvMeasureLog, OverflowIsCountedAndReportedOnceNeverOverwrites) {
    Log log;
    uint8_t d[32] = {};
    for (uint32_t i = 0; i < jm::log_capacity; ++i) {
        d[0] = uint8_t(i);
        const auto a = log.add(jm::Kind::cell_image, 1, i, 1, d);
        EXPECT_TRUE(a.stored);
        EXPECT_FALSE(a.first_loss);
    }
    auto a = log.add(jm::Kind::cell_image, 1, 999, 1, d);
    EXPECT_FALSE(a.stored);
    EXPECT_TRUE(a.first_loss);
    EXPECT_EQ(a.seq, uint64_t(jm::log_capacity));
    a = log.add(jm::Kind::cell_image, 1, 1000, 1, d);
    EXPECT_FALSE(a.stored);
    EXPECT_FALSE(a.first_loss); // reported once
    EXPECT_EQ(log.held(), jm::log_capacity);
    EXPECT_EQ(log.made(), uint64_t(jm::log_capacity) + 2);
    jm::Entry first;
    ASSERT_EQ(log.read(0, &first, 1), 1u);
    EXPECT_EQ(first.address.get(), 0u); // the first measurement is kept
    jm::Entry last;
    ASSERT_EQ(log.read(jm::log_capacity - 1, &last, 1), 1u);
    EXPECT_EQ(last.address.get(), uint64_t(jm::log_capacity - 1));
}

struct Watched {
    explicit Watched(size_t n, size_t chunk) : bytes(pattern(n)) {
        uint8_t reference[32];
        jailconf::jcb::sha256(bytes.data(), bytes.size(), reference);
        check.start(bytes.data(), bytes.size(), reference, chunk);
    }
    // Steps until a pass ends; returns the number of steps it took.
    size_t pass(IntegrityCheck::Step& last) {
        size_t steps = 0;
        do {
            last = check.step();
            ++steps;
        } while (!last.pass_done);
        return steps;
    }
    std::vector<uint8_t> bytes;
    IntegrityCheck check;
};

TEST(HvMeasureIntegrity, PassesInBoundedStepsMatchTheReference) {
    Watched w(10000, 1000);
    IntegrityCheck::Step s;
    EXPECT_EQ(w.pass(s), 10u);
    EXPECT_FALSE(s.changed);
    EXPECT_EQ(hex(s.digest), sha(w.bytes));
    Watched odd(10001, 1000); // a last, shorter chunk
    EXPECT_EQ(odd.pass(s), 11u);
    EXPECT_FALSE(s.changed);
    Watched big(100, 4096); // one step per pass
    EXPECT_EQ(big.pass(s), 1u);
    EXPECT_FALSE(s.changed);
    EXPECT_EQ(big.check.passes(), 1u);
    EXPECT_EQ(big.check.changes(), 0u);
}

TEST(HvMeasureIntegrity, AChangeIsFoundWithinTwoPassesAndCounted) {
    for (size_t where : {size_t(0), size_t(4321), size_t(9999)}) {
        Watched w(10000, 1000);
        IntegrityCheck::Step s;
        // Change a byte half-way through a pass: behind the cursor (found next pass) or ahead.
        for (int i = 0; i < 5; ++i)
            w.check.step();
        w.bytes[where] ^= 0x40;
        w.pass(s);
        if (!s.changed)
            w.pass(s);
        EXPECT_TRUE(s.changed) << where;
        EXPECT_EQ(hex(s.digest), sha(w.bytes));
        EXPECT_EQ(w.check.changes(), 1u);
        // Put back: intact again, the count stays.
        w.bytes[where] ^= 0x40;
        w.pass(s);
        if (s.changed) // the pass that was running saw part of the changed bytes
            w.pass(s);
        EXPECT_FALSE(s.changed);
        EXPECT_GE(w.check.changes(), 1u);
    }
}

TEST(HvMeasureIntegrity, NothingBeforeStart) {
    IntegrityCheck c;
    EXPECT_FALSE(c.started());
    const auto s = c.step();
    EXPECT_FALSE(s.pass_done);
    EXPECT_EQ(c.passes(), 0u);
}

} // namespace

namespace {
size_t g_blocks_hashed = 0;
void counting_blocks(uint32_t state[8], const uint8_t* blocks, size_t count) {
    g_blocks_hashed += count;
    jailconf::jcb::Sha256PortableBlocks::compress(state, blocks, count);
}
} // namespace

// The arch's block function (arm64: the SHA-256 instructions) is what the log and the integrity
// check use once installed; whole blocks reach it in one call.
TEST(HvMeasureSha256, InstalledBlockFunctionIsUsed) {
    const std::vector<uint8_t> data = pattern(1000);
    hv::measure::set_sha256_blocks(counting_blocks);
    uint8_t d[32];
    hv::measure::digest_of(data.data(), data.size(), d);
    hv::measure::set_sha256_blocks(nullptr);
    EXPECT_EQ(g_blocks_hashed, 16u); // 15 whole blocks and the padded tail
    EXPECT_EQ(hex(d), sha(data));
}
