// The verifier against damaged real descriptors: every single-bit flip and every truncation of
// the compiled examples/qemu-virt.yaml blobs is rejected, never accepted and never a crash.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "binary_test_support.hpp"
#include "jailconf/blob_view.hpp"

namespace jailconf::binary_test {
namespace {

using jcb::VerifyError;

class VerifyCorruption : public ::testing::TestWithParam<size_t> {
  protected:
    Bytes blob() {
        const std::vector<Blob> blobs = compile_example("qemu-virt.yaml");
        EXPECT_EQ(blobs.size(), 2u);
        return blobs.size() > GetParam() ? blobs[GetParam()].bytes : Bytes{};
    }
};

TEST_P(VerifyCorruption, EverySingleBitFlipIsRejected) {
    Bytes b = blob();
    ASSERT_FALSE(b.empty());
    ASSERT_TRUE(verify_bytes(b).ok());
    size_t rejected = 0;
    for (size_t bit = 0; bit < b.size() * 8; ++bit) {
        b[bit / 8] ^= uint8_t(1u << (bit % 8));
        const jcb::VerifyResult r = verify_bytes(b);
        EXPECT_FALSE(r.ok()) << "flipping bit " << bit % 8 << " of byte " << bit / 8;
        rejected += !r.ok();
        b[bit / 8] ^= uint8_t(1u << (bit % 8));
    }
    EXPECT_EQ(rejected, b.size() * 8);
    EXPECT_TRUE(verify_bytes(b).ok());
}

// Where a flip lands decides the reason: the identity fields report themselves, the rest of the
// header its CRC, the payload the payload CRC.
TEST_P(VerifyCorruption, BitFlipReasons) {
    Bytes b = blob();
    ASSERT_FALSE(b.empty());
    const auto flipped = [&](size_t byte) {
        Bytes c = b;
        c[byte] ^= 0x01;
        return verify_bytes(c).error;
    };
    EXPECT_EQ(flipped(0), VerifyError::bad_magic);
    EXPECT_EQ(flipped(4), VerifyError::bad_version);
    EXPECT_EQ(flipped(6), VerifyError::bad_header_size);
    EXPECT_EQ(flipped(8), VerifyError::header_crc_mismatch);
    EXPECT_EQ(flipped(40), VerifyError::header_crc_mismatch);
    EXPECT_EQ(flipped(64), VerifyError::payload_crc_mismatch);
    EXPECT_EQ(flipped(b.size() - 1), VerifyError::payload_crc_mismatch);
}

TEST_P(VerifyCorruption, EveryTruncationIsRejected) {
    const Bytes b = blob();
    ASSERT_FALSE(b.empty());
    for (size_t len = 0; len < b.size(); ++len) {
        const jcb::VerifyResult r = jcb::verify(b.data(), len);
        ASSERT_FALSE(r.ok()) << len;
        EXPECT_EQ(r.error, len < sizeof(jcb::Header) ? VerifyError::truncated_header
                                                     : VerifyError::truncated)
            << len;
        if (len >= sizeof(jcb::Header)) {
            EXPECT_EQ(r.offset, len);
        }
    }
    // Also when total_size is rewritten to match: the CRCs still catch it.
    for (size_t len = sizeof(jcb::Header); len < b.size(); ++len) {
        Bytes c(b.begin(), b.begin() + long(len));
        jcb::store_le32(c.data() + offsetof(jcb::Header, total_size), uint32_t(len));
        EXPECT_FALSE(verify_bytes(c).ok()) << len;
    }
}

// With the checksums recomputed after each flip, the structural and value checks are what stand
// between the flip and the consumer: whatever they let through must decode (unless it clashes
// with the other blob) and compile again.
TEST_P(VerifyCorruption, ResealedBitFlipsAreRejectedOrDecode) {
    const std::vector<Blob> blobs = compile_example("qemu-virt.yaml");
    ASSERT_EQ(blobs.size(), 2u);
    Bytes b = blobs[GetParam()].bytes;
    size_t accepted = 0;
    for (size_t bit = sizeof(jcb::Header) * 8; bit < b.size() * 8; ++bit) {
        Bytes c = b;
        c[bit / 8] ^= uint8_t(1u << (bit % 8));
        reseal(c);
        if (!verify_bytes(c).ok())
            continue;
        ++accepted;
        std::vector<DecodeInput> inputs;
        for (size_t i = 0; i < blobs.size(); ++i)
            inputs.push_back({"b" + std::to_string(i), i == GetParam() ? c : blobs[i].bytes});
        auto system = decompile(inputs);
        if (!system) { // only across blobs: e.g. the root cell renamed to "rt"
            EXPECT_NE(system.error().find("is already described by"), std::string::npos)
                << "bit " << bit << ": " << system.error();
            continue;
        }
        auto again = compile(*system);
        ASSERT_TRUE(again.has_value()) << "bit " << bit << ": " << again.error();
    }
    // Addresses, flags and name characters may change validly; most other bits may not.
    EXPECT_LT(accepted, (b.size() - sizeof(jcb::Header)) * 8 / 2);
}

// The view of a rejected blob is empty, so a consumer that ignores the result reads nothing.
TEST_P(VerifyCorruption, RejectedBlobGivesAnEmptyView) {
    Bytes b = blob();
    ASSERT_FALSE(b.empty());
    b[70] ^= 0x80;
    jcb::BlobView view;
    EXPECT_FALSE(jcb::BlobView::create(b.data(), b.size(), view).ok());
    EXPECT_FALSE(view.valid());
    EXPECT_TRUE(view.memory().empty());
    EXPECT_STREQ(view.string(jcb::Le32::of(5)), "");
}

INSTANTIATE_TEST_SUITE_P(VerifyQemuVirt, VerifyCorruption, ::testing::Values(0u, 1u),
                         [](const auto& info) { return info.param == 0 ? "System" : "RtCell"; });

} // namespace
} // namespace jailconf::binary_test
