// compile -> decompile -> compile gives the same bytes, and decompile gives back the model (minus
// source locations, with CPU and interrupt lists in canonical form).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "binary_test_support.hpp"

namespace jailconf::binary_test {
namespace {

Expected<System, std::string> decompile_blobs(const std::vector<Blob>& blobs) {
    std::vector<DecodeInput> inputs;
    for (const Blob& b : blobs)
        inputs.push_back(DecodeInput{b.cell_name + ".jcb", b.bytes});
    return decompile(inputs);
}

void expect_same_bytes(const std::vector<Blob>& a, const std::vector<Blob>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].kind, b[i].kind);
        EXPECT_EQ(a[i].cell_name, b[i].cell_name);
        EXPECT_EQ(a[i].bytes, b[i].bytes) << "blob " << i;
    }
}

void roundtrip(const System& original) {
    const std::vector<Blob> first = compile_ok(original);
    ASSERT_FALSE(first.empty());
    auto decoded = decompile_blobs(first);
    ASSERT_TRUE(decoded.has_value()) << decoded.error();
    expect_same_bytes(first, compile_ok(*decoded));
}

TEST(BinaryRoundTrip, SampleSystemBytesIdentical) {
    roundtrip(sample_system());
}

TEST(BinaryRoundTrip, EveryExampleBytesIdentical) {
    size_t count = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::string(JAILCONF_SOURCE_DIR) + "/examples")) {
        if (entry.path().extension() != ".yaml")
            continue;
        Diagnostics diags;
        auto system = load_system(entry.path(), diags);
        if (!system || system->cells.empty() || !system->root_cell())
            continue; // an included per-cell file, not a whole system
        SCOPED_TRACE(entry.path().string());
        roundtrip(*system);
        ++count;
    }
    EXPECT_GE(count, 1u);
}

TEST(BinaryRoundTrip, QemuVirtExampleBlobs) {
    const std::vector<Blob> blobs = compile_example("qemu-virt.yaml");
    ASSERT_EQ(blobs.size(), 2u);
    EXPECT_EQ(blobs[0].kind, Blob::Kind::system);
    EXPECT_EQ(blobs[0].cell_name, "root");
    EXPECT_EQ(blobs[1].kind, Blob::Kind::cell);
    EXPECT_EQ(blobs[1].cell_name, "rt");
    for (const Blob& b : blobs)
        EXPECT_TRUE(verify_bytes(b.bytes).ok());
}

// Field by field, ignoring source locations.
void expect_same_cell(const Cell& a, const Cell& b) {
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.root, b.root);
    ASSERT_EQ(a.memory.size(), b.memory.size());
    for (size_t i = 0; i < a.memory.size(); ++i) {
        EXPECT_EQ(a.memory[i].name, b.memory[i].name);
        EXPECT_EQ(a.memory[i].phys, b.memory[i].phys);
        EXPECT_EQ(a.memory[i].virt, b.memory[i].virt);
        EXPECT_EQ(a.memory[i].size, b.memory[i].size);
        EXPECT_EQ(a.memory[i].flags, b.memory[i].flags);
        EXPECT_FALSE(b.memory[i].loc.known());
    }
    ASSERT_EQ(a.pci_devices.size(), b.pci_devices.size());
    for (size_t i = 0; i < a.pci_devices.size(); ++i) {
        const PciDevice &x = a.pci_devices[i], &y = b.pci_devices[i];
        EXPECT_EQ(x.bdf, y.bdf);
        EXPECT_EQ(x.type, y.type);
        ASSERT_EQ(x.bars.size(), y.bars.size());
        for (size_t k = 0; k < x.bars.size(); ++k) {
            EXPECT_EQ(x.bars[k].index, y.bars[k].index);
            EXPECT_EQ(x.bars[k].type, y.bars[k].type);
            EXPECT_EQ(x.bars[k].addr, y.bars[k].addr);
            EXPECT_EQ(x.bars[k].size, y.bars[k].size);
            EXPECT_EQ(x.bars[k].prefetchable, y.bars[k].prefetchable);
        }
        ASSERT_EQ(x.caps.size(), y.caps.size());
        for (size_t k = 0; k < x.caps.size(); ++k) {
            EXPECT_EQ(x.caps[k].id, y.caps[k].id);
            EXPECT_EQ(x.caps[k].offset, y.caps[k].offset);
            EXPECT_EQ(x.caps[k].size, y.caps[k].size);
            EXPECT_EQ(x.caps[k].extended, y.caps[k].extended);
            EXPECT_EQ(x.caps[k].writable, y.caps[k].writable);
        }
        ASSERT_EQ(x.msi.has_value(), y.msi.has_value());
        if (x.msi) {
            EXPECT_EQ(x.msi->vectors, y.msi->vectors);
            EXPECT_EQ(x.msi->addr64, y.msi->addr64);
            EXPECT_EQ(x.msi->maskable, y.msi->maskable);
        }
        ASSERT_EQ(x.msix.has_value(), y.msix.has_value());
        if (x.msix) {
            EXPECT_EQ(x.msix->vectors, y.msix->vectors);
            EXPECT_EQ(x.msix->table_bar, y.msix->table_bar);
            EXPECT_EQ(x.msix->table_offset, y.msix->table_offset);
            EXPECT_EQ(x.msix->pba_bar, y.msix->pba_bar);
            EXPECT_EQ(x.msix->pba_offset, y.msix->pba_offset);
        }
    }
    ASSERT_EQ(a.stream_ids.size(), b.stream_ids.size());
    for (size_t i = 0; i < a.stream_ids.size(); ++i)
        EXPECT_EQ(a.stream_ids[i].id, b.stream_ids[i].id);
    ASSERT_EQ(a.pio.size(), b.pio.size());
    for (size_t i = 0; i < a.pio.size(); ++i) {
        EXPECT_EQ(a.pio[i].base, b.pio[i].base);
        EXPECT_EQ(a.pio[i].size, b.pio[i].size);
    }
    ASSERT_EQ(a.console.has_value(), b.console.has_value());
    if (a.console) {
        EXPECT_EQ(a.console->type, b.console->type);
        EXPECT_EQ(a.console->base, b.console->base);
        EXPECT_EQ(a.console->size, b.console->size);
    }
    ASSERT_EQ(a.watchdog.has_value(), b.watchdog.has_value());
    if (a.watchdog) {
        EXPECT_EQ(a.watchdog->timeout_ms, b.watchdog->timeout_ms);
    }
}

TEST(BinaryRoundTrip, DecompileRebuildsTheModel) {
    const System s = sample_system();
    auto d = decompile_blobs(compile_ok(s));
    ASSERT_TRUE(d.has_value()) << d.error();
    EXPECT_EQ(d->arch, s.arch);
    EXPECT_EQ(d->platform.name, s.platform.name);
    ASSERT_EQ(d->platform.cpus.size(), 4u);
    EXPECT_EQ(d->platform.cpus[3].hw_id, 0x80000003u);
    ASSERT_TRUE(d->platform.irqchip.has_value());
    EXPECT_EQ(d->platform.irqchip->type, IrqChipType::gicv3);
    EXPECT_EQ(d->platform.irqchip->gicd, s.platform.irqchip->gicd);
    EXPECT_EQ(d->platform.irqchip->gicr, s.platform.irqchip->gicr);
    EXPECT_EQ(d->platform.irqchip->gicr_stride, s.platform.irqchip->gicr_stride);
    EXPECT_FALSE(d->platform.irqchip->gicc.has_value());
    EXPECT_FALSE(d->platform.irqchip->ioapic.has_value());
    ASSERT_TRUE(d->platform.pci.has_value());
    EXPECT_EQ(d->platform.pci->ecam, s.platform.pci->ecam);
    EXPECT_EQ(d->platform.pci->bus_end, 255);
    ASSERT_EQ(d->platform.iommus.size(), 1u);
    EXPECT_EQ(d->platform.iommus[0].type, IommuType::smmuv3);
    EXPECT_EQ(d->hypervisor.memory_phys, s.hypervisor.memory_phys);
    EXPECT_EQ(d->hypervisor.memory_size, s.hypervisor.memory_size);
    ASSERT_TRUE(d->hypervisor.console.has_value());
    EXPECT_EQ(d->hypervisor.console->base, 0x09000000u);
    ASSERT_EQ(d->cells.size(), 2u);
    expect_same_cell(s.cells[0], d->cells[0]);
    expect_same_cell(s.cells[1], d->cells[1]);
    ASSERT_EQ(d->cells[0].cpus.size(), 1u); // {2}, {0-1} in the model; 0-2 canonical
    EXPECT_EQ(d->cells[0].cpus[0].first, 0u);
    EXPECT_EQ(d->cells[0].cpus[0].last, 2u);
    ASSERT_EQ(d->links.size(), 2u);
    EXPECT_EQ(d->links[0].name, "ping");
    ASSERT_EQ(d->links[0].peers.size(), 2u);
    EXPECT_EQ(d->links[0].peers[1].cell, "rt");
    EXPECT_EQ(d->links[0].doorbell_irq, std::optional<uint32_t>(140));
    EXPECT_EQ(d->links[1].doorbell_irq, std::nullopt);
    EXPECT_EQ(d->links[1].virt, GuestAddr{0x30000000});
    EXPECT_EQ(d->links[1].peers[0].cell, "rt");
}

TEST(BinaryRoundTrip, SystemBlobMayComeAfterCellBlobs) {
    std::vector<Blob> blobs = compile_ok(sample_system());
    std::swap(blobs[0], blobs[1]);
    auto d = decompile_blobs(blobs);
    ASSERT_TRUE(d.has_value()) << d.error();
    ASSERT_EQ(d->cells.size(), 2u);
    EXPECT_TRUE(d->cells[0].root);
    EXPECT_EQ(d->cells[1].name, "rt");
}

TEST(BinaryRoundTrip, MinimalSystem) {
    System s;
    Cell root;
    root.name = "only";
    root.root = true;
    s.cells.push_back(root);
    s.hypervisor.memory_phys = PhysAddr{0x1000};
    s.hypervisor.memory_size = 0x1000;
    const std::vector<Blob> blobs = compile_ok(s);
    ASSERT_EQ(blobs.size(), 1u);
    roundtrip(s);
}

} // namespace
} // namespace jailconf::binary_test
