// Published test vectors for the checksum and the hash of the descriptor format.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jailconf/crc32c.hpp"
#include "jailconf/sha256.hpp"

namespace {

using jailconf::jcb::crc32c;
using jailconf::jcb::Sha256;

const uint8_t* bytes_of(std::string_view s) {
    return reinterpret_cast<const uint8_t*>(s.data());
}

std::string hex(const uint8_t* digest) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < Sha256::digest_size; ++i) {
        out += digits[digest[i] >> 4];
        out += digits[digest[i] & 15];
    }
    return out;
}

std::string sha256_hex(std::string_view s) {
    uint8_t digest[Sha256::digest_size];
    jailconf::jcb::sha256(bytes_of(s), s.size(), digest);
    return hex(digest);
}

// The CRC catalogue "check" value: CRC-32C of the ASCII string "123456789".
TEST(Crc32c, CheckValue) {
    EXPECT_EQ(crc32c(bytes_of("123456789"), 9), 0xe3069283u);
}

TEST(Crc32c, EmptyInput) {
    EXPECT_EQ(crc32c(nullptr, 0), 0u);
}

// RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32c, Rfc3720Vectors) {
    std::vector<uint8_t> zeros(32, 0x00), ones(32, 0xff), up(32), down(32);
    for (uint8_t i = 0; i < 32; ++i) {
        up[i] = i;
        down[i] = uint8_t(31 - i);
    }
    EXPECT_EQ(crc32c(zeros.data(), 32), 0x8a9136aau);
    EXPECT_EQ(crc32c(ones.data(), 32), 0x62a8ab43u);
    EXPECT_EQ(crc32c(up.data(), 32), 0x46dd794eu);
    EXPECT_EQ(crc32c(down.data(), 32), 0x113fdb5cu);
}

TEST(Crc32c, IncrementalEqualsOneShot) {
    const std::string_view text = "The quick brown fox jumps over the lazy dog";
    for (size_t split = 0; split <= text.size(); ++split) {
        uint32_t state =
            jailconf::jcb::crc32c_update(jailconf::jcb::crc32c_init, bytes_of(text), split);
        state = jailconf::jcb::crc32c_update(state, bytes_of(text) + split, text.size() - split);
        EXPECT_EQ(jailconf::jcb::crc32c_final(state), crc32c(bytes_of(text), text.size()));
    }
}

constexpr uint8_t check_input[] = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
static_assert(crc32c(check_input, 9) == 0xe3069283u, "usable at compile time");

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
TEST(Sha256, OneBlockMessage) {
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, EmptyMessage) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, TwoBlockMessage) {
    EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, LongMessage896Bits) {
    EXPECT_EQ(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                         "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, MillionA) {
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Additional vectors: one byte 0xbd; 1000 bytes of 0x00 (padding crosses a block boundary).
TEST(Sha256, AdditionalVectors) {
    EXPECT_EQ(sha256_hex("\xbd"),
              "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b");
    EXPECT_EQ(sha256_hex(std::string(1000, '\0')),
              "541b3e9daa09b20bf85fa273e5cbd3e80185aa4ec298e765db87742b70138a53");
}

// Every split of a message that straddles the 55/56/64-byte padding edges gives one digest.
TEST(Sha256, IncrementalEqualsOneShot) {
    const std::string text(130, 'x');
    for (size_t len : {55u, 56u, 63u, 64u, 65u, 119u, 120u, 130u}) {
        const std::string expected = sha256_hex(std::string_view(text).substr(0, len));
        for (size_t split = 0; split <= len; ++split) {
            Sha256 s;
            s.update(bytes_of(text), split);
            s.update(bytes_of(text) + split, len - split);
            uint8_t digest[Sha256::digest_size];
            s.finish(digest);
            ASSERT_EQ(hex(digest), expected) << "len " << len << " split " << split;
        }
    }
}

} // namespace
