// decompile() error messages: they name the input, the offset and the reason.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fmt/format.h>

#include "binary_test_support.hpp"

namespace jailconf::binary_test {
namespace {

using jcb::SectionId;

std::string decode_error(const std::vector<DecodeInput>& inputs) {
    auto r = decompile(inputs);
    EXPECT_FALSE(r.has_value());
    return r ? std::string() : r.error();
}

class BinaryDecode : public ::testing::Test {
  protected:
    std::vector<Blob> blobs = compile_ok(sample_system());
    Bytes& system_blob() { return blobs[0].bytes; }
    Bytes& rt_blob() { return blobs[1].bytes; }
};

TEST_F(BinaryDecode, SectionPastTheEnd) {
    Bytes& b = rt_blob();
    const uint32_t e = entry_offset(b, SectionId::memory);
    jcb::store_le32(b.data() + e + 8, 40);
    reseal(b);
    const uint32_t start = section_offset(b, SectionId::memory);
    EXPECT_EQ(decode_error({{"F.jcb", system_blob()}, {"F.rt.jcb", b}}),
              fmt::format("F.rt.jcb: offset {:#x}: section 'memory' extends past the end of the "
                          "blob ({:#x} > {:#x})",
                          start, start + 40 * 32, b.size()));
}

TEST_F(BinaryDecode, ElementFindingNamesTheElement) {
    Bytes& b = rt_blob();
    const uint32_t f =
        elem_offset<jcb::MemoryElem>(b, SectionId::memory, 1, offsetof(jcb::MemoryElem, size));
    write_at(b, f, jcb::Le64::of(0x1800));
    reseal(b);
    EXPECT_EQ(decode_error({{"F.jcb", system_blob()}, {"F.rt.jcb", b}}),
              fmt::format("F.rt.jcb: offset {:#x}: section 'memory' element 1: not 4 KiB aligned "
                          "(0x1800, alignment 0x1000)",
                          f));
}

TEST_F(BinaryDecode, HeaderFinding) {
    Bytes& b = system_blob();
    b[0] = 'X';
    EXPECT_EQ(decode_error({{"F.jcb", b}}),
              "F.jcb: offset 0x0: bad magic (not a jailconf descriptor)");
}

TEST_F(BinaryDecode, ChecksumFinding) {
    Bytes& b = system_blob();
    b[b.size() - 1] ^= 0x10;
    const std::string e = decode_error({{"F.jcb", b}});
    EXPECT_TRUE(e.starts_with("F.jcb: offset 0x10: payload checksum mismatch (stored 0x")) << e;
}

TEST_F(BinaryDecode, NoSystemBlob) {
    EXPECT_EQ(decode_error({{"F.rt.jcb", rt_blob()}}),
              "no system blob among the inputs; give the one compile wrote to -o first");
    EXPECT_EQ(decode_error({}),
              "no system blob among the inputs; give the one compile wrote to -o first");
}

TEST_F(BinaryDecode, TwoSystemBlobs) {
    EXPECT_EQ(decode_error({{"a.jcb", system_blob()}, {"b.jcb", system_blob()}}),
              "b.jcb: a second system blob (the first is a.jcb); give exactly one");
}

TEST_F(BinaryDecode, SameCellTwice) {
    EXPECT_EQ(
        decode_error({{"F.jcb", system_blob()}, {"F.rt.jcb", rt_blob()}, {"copy.jcb", rt_blob()}}),
        "copy.jcb: cell 'rt' is already described by F.rt.jcb");
}

TEST_F(BinaryDecode, CellNamedLikeTheRootCell) {
    System s = sample_system();
    s.cells[1].name = "root";
    s.links.clear();
    std::vector<Blob> other;
    // compile() itself does not look at names across blobs; check_system (JC-CELL-NAME-DUP) does.
    auto compiled = compile(s);
    ASSERT_TRUE(compiled.has_value()) << compiled.error();
    EXPECT_EQ(decode_error({{"F.jcb", (*compiled)[0].bytes}, {"F.root.jcb", (*compiled)[1].bytes}}),
              "F.root.jcb: cell 'root' is already described by F.jcb");
}

TEST_F(BinaryDecode, ArchitecturesDiffer) {
    System s = sample_system();
    s.arch = Arch::arm32;
    const std::vector<Blob> arm32 = compile_ok(s);
    EXPECT_EQ(decode_error({{"F.jcb", system_blob()}, {"G.rt.jcb", arm32[1].bytes}}),
              "G.rt.jcb: architecture arm32 differs from F.jcb's arm64");
}

TEST_F(BinaryDecode, CellBlobsAppendInInputOrder) {
    System s = sample_system();
    Cell extra = s.cells[1];
    extra.name = "rt2";
    extra.memory = {{"ram", PhysAddr{0x60000000}, GuestAddr{0}, 0x100000, mem_read, {}}};
    s.cells.push_back(extra);
    const std::vector<Blob> b = compile_ok(s);
    ASSERT_EQ(b.size(), 3u);
    auto d = decompile(std::vector<DecodeInput>{
        {"F.rt2.jcb", b[2].bytes}, {"F.jcb", b[0].bytes}, {"F.rt.jcb", b[1].bytes}});
    ASSERT_TRUE(d.has_value()) << d.error();
    ASSERT_EQ(d->cells.size(), 3u);
    EXPECT_EQ(d->cells[0].name, "root");
    EXPECT_EQ(d->cells[1].name, "rt2");
    EXPECT_EQ(d->cells[2].name, "rt");
}

} // namespace
} // namespace jailconf::binary_test
