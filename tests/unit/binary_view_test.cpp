// BlobView: the typed read-only access the hypervisor and decompile use after verification.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "binary_test_support.hpp"
#include "jailconf/blob_view.hpp"
#include "jailconf/sha256.hpp"

namespace jailconf::binary_test {
namespace {

TEST(BinaryView, SystemBlob) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    jcb::BlobView v;
    ASSERT_TRUE(jcb::BlobView::create(b.data(), b.size(), v).ok());
    EXPECT_TRUE(v.valid());
    EXPECT_EQ(v.kind(), jcb::BlobKind::system);
    EXPECT_EQ(v.arch(), jcb::BlobArch::arm64);
    EXPECT_EQ(v.size(), b.size());
    EXPECT_STREQ(v.string(v.platform().name), "sample-board");
    EXPECT_STREQ(v.string(v.cell().name), "root");
    EXPECT_EQ(v.cell().root, 1);
    EXPECT_EQ(v.platform_cpus().size(), 4u);
    EXPECT_EQ(v.iommus().size(), 1u);
    EXPECT_EQ(v.hypervisor().memory_size.get(), 64u << 20);
    EXPECT_EQ(v.memory().size(), 3u);
    EXPECT_STREQ(v.string(v.memory()[2].name), "");
    EXPECT_EQ(v.irqs().size(), 3u);
    ASSERT_EQ(v.pci_devices().size(), 2u);
    EXPECT_EQ(v.caps_of(v.pci_devices()[0]).size(), 1u);
    const auto nic_caps = v.caps_of(v.pci_devices()[1]);
    ASSERT_EQ(nic_caps.size(), 3u);
    EXPECT_EQ(nic_caps[2].offset.get(), 0x100u);
    EXPECT_EQ(nic_caps[2].extended, 1);
    EXPECT_EQ(v.stream_ids().size(), 2u);
    EXPECT_TRUE(v.pio().empty());
    EXPECT_TRUE(v.has_console());
    EXPECT_FALSE(v.has_watchdog());
    EXPECT_EQ(v.watchdog().timeout_ms.get(), 0u); // absent: a zeroed element
    ASSERT_EQ(v.links().size(), 2u);
    std::string peers;
    for (const jcb::LinkElem k : v.links())
        for (const jcb::LinkPeerElem p : v.peers_of(k))
            peers += std::string(v.string(p.cell_name)) + " ";
    EXPECT_EQ(peers, "root rt rt root ");
}

TEST(BinaryView, CellBlob) {
    const Bytes b = compile_ok(sample_system())[1].bytes;
    jcb::BlobView v;
    ASSERT_TRUE(jcb::BlobView::create(b.data(), b.size(), v).ok());
    EXPECT_EQ(v.kind(), jcb::BlobKind::cell);
    EXPECT_STREQ(v.string(v.cell().name), "rt");
    EXPECT_EQ(v.cell().root, 0);
    EXPECT_TRUE(v.links().empty());
    EXPECT_EQ(v.platform().flags.get(), 0u);
    EXPECT_EQ(v.pio().size(), 1u);
    EXPECT_EQ(v.pio()[0].base.get(), 0x3f8u);
    EXPECT_TRUE(v.has_watchdog());
    EXPECT_EQ(v.watchdog().timeout_ms.get(), 100u);
    EXPECT_EQ(v.console().type, uint8_t(ConsoleType::ns16550_pio));
}

// The recorded measurement is the SHA-256 of everything after the header.
TEST(BinaryView, PayloadMeasurement) {
    const Bytes b = compile_ok(sample_system())[0].bytes;
    jcb::BlobView v;
    ASSERT_TRUE(jcb::BlobView::create(b.data(), b.size(), v).ok());
    uint8_t digest[jcb::Sha256::digest_size];
    jcb::sha256(b.data() + 64, b.size() - 64, digest);
    EXPECT_EQ(std::memcmp(v.payload_sha256(), digest, sizeof digest), 0);
}

TEST(BinaryView, DefaultViewIsEmpty) {
    const jcb::BlobView v;
    EXPECT_FALSE(v.valid());
    EXPECT_EQ(v.payload_sha256(), nullptr);
    EXPECT_TRUE(v.memory().empty());
    EXPECT_TRUE(v.links().empty());
    EXPECT_FALSE(v.has_console());
    EXPECT_STREQ(v.string(jcb::Le32::of(0)), "");
}

} // namespace
} // namespace jailconf::binary_test
