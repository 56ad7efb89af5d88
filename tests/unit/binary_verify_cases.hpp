// Verifier error cases: each alters a valid blob of the sample system in one precise way (then
// re-seals it so the checksums pass and the check under test is reached) and names the error
// code and offset the verifier must report. binary_verify_structure_test.cpp holds the header,
// table and string cases, binary_verify_values_test.cpp the element cases and the check that
// together they provoke every code.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "binary_test_support.hpp"

namespace jailconf::binary_test {

using jcb::SectionId;
using jcb::VerifyError;

enum class Base { system, cell }; // the sample's system blob or its "rt" cell blob

struct Case {
    std::string name;
    Base base;
    VerifyError error;
    // Alters the blob and returns the offset the verifier must report. Re-sealed afterwards
    // unless `seal` is false.
    std::function<uint32_t(Bytes&)> alter;
    bool seal = true;
};

inline constexpr size_t entry_count = offsetof(jcb::SectionEntry, count);
inline constexpr size_t entry_offset_field = offsetof(jcb::SectionEntry, offset);

inline void set32(Bytes& b, size_t at, uint32_t v) {
    jcb::store_le32(b.data() + at, v);
}
inline void set64(Bytes& b, size_t at, uint64_t v) {
    write_at(b, at, jcb::Le64::of(v));
}
inline uint32_t get32(const Bytes& b, size_t at) {
    return jcb::load_le32(b.data() + at);
}

// Drops the table entry of `id` (later entries move up; its body stays as stray bytes).
inline void remove_entry(Bytes& b, SectionId id) {
    const uint32_t e = entry_offset(b, id);
    const uint16_t n = jcb::load_le16(b.data() + offsetof(jcb::Header, section_count));
    const uint32_t table_end = 64 + 16 * n;
    std::copy(b.begin() + e + 16, b.begin() + table_end, b.begin() + e);
    write_at(b, offsetof(jcb::Header, section_count), jcb::Le16::of(uint16_t(n - 1)));
}

// Offset of field `f` of element i (type T) of section `id`.
template <class T> uint32_t at(const Bytes& b, SectionId id, uint32_t i, size_t f) {
    return elem_offset<T>(b, id, i, f);
}

std::vector<Case> structure_cases();
std::vector<Case> value_cases();

inline void run_case(const Case& c) {
    const std::vector<Blob> blobs = compile_ok(sample_system());
    ASSERT_EQ(blobs.size(), 2u);
    Bytes b = blobs[c.base == Base::system ? 0 : 1].bytes;
    ASSERT_TRUE(verify_bytes(b).ok());
    const uint32_t expected_offset = c.alter(b);
    if (c.seal)
        reseal(b);
    const jcb::VerifyResult r = verify_bytes(b);
    EXPECT_EQ(r.error, c.error) << "got: " << describe_result(r);
    EXPECT_EQ(r.offset, expected_offset) << "got: " << describe_result(r);
}

inline std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.name;
}

} // namespace jailconf::binary_test
