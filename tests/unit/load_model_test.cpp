// Loading the bundled examples gives the model the YAML describes, with locations.
#include <gtest/gtest.h>

#include "confgen/load.hpp"

namespace jailconf {
namespace {

System load_example(const char* name) {
    Diagnostics diags;
    auto system = load_system(std::string(JAILCONF_SOURCE_DIR "/examples/") + name, diags);
    EXPECT_TRUE(system.has_value());
    for (const auto& d : diags.all())
        ADD_FAILURE() << d.loc.file << ":" << d.loc.line << ": " << d.message;
    return system ? std::move(*system) : System{};
}

TEST(LoadModel, QemuVirtExample) {
    System s = load_example("qemu-virt.yaml");
    EXPECT_EQ(s.arch, Arch::arm64);
    EXPECT_EQ(s.platform.cpus.size(), 4u);
    ASSERT_TRUE(s.platform.irqchip);
    EXPECT_EQ(s.platform.irqchip->type, IrqChipType::gicv3);
    EXPECT_EQ(s.platform.irqchip->gicr_stride, 0x20000u);
    ASSERT_TRUE(s.platform.pci);
    EXPECT_EQ(s.platform.pci->ecam_size, 256u << 20);
    ASSERT_EQ(s.cells.size(), 2u);
    const Cell* root = s.root_cell();
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->name, "root");
    ASSERT_EQ(root->cpus.size(), 1u);
    EXPECT_EQ(root->cpus[0].first, 0u);
    EXPECT_EQ(root->cpus[0].last, 2u);
    EXPECT_EQ(root->memory[0].size, 896ull << 20);
    EXPECT_EQ(root->memory[0].flags, mem_read | mem_write | mem_execute | mem_dma);
    EXPECT_EQ(root->memory[0].virt.value, root->memory[0].phys.value); // virt defaults to phys
    const Cell* rt = s.find_cell("rt");
    ASSERT_NE(rt, nullptr);
    EXPECT_EQ(rt->memory[0].virt.value, 0u);
    ASSERT_TRUE(rt->watchdog);
    EXPECT_EQ(rt->watchdog->timeout_ms, 100u);
    ASSERT_EQ(s.links.size(), 1u);
    EXPECT_EQ(s.links[0].peers.size(), 2u);
    EXPECT_EQ(s.links[0].doorbell_irq, 140u);
    // Locations point at the YAML nodes (1-based).
    EXPECT_EQ(rt->loc.line, 34u); // "  - name: rt"
    EXPECT_EQ(rt->loc.column, 5u);
    EXPECT_NE(rt->loc.file.find("qemu-virt.yaml"), std::string::npos);
}

TEST(LoadModel, SplitExampleMergesIncludedCells) {
    System s = load_example("split/system.yaml");
    ASSERT_EQ(s.cells.size(), 2u);
    EXPECT_EQ(s.cells[0].name, "root");
    EXPECT_EQ(s.cells[1].name, "rt");
    EXPECT_NE(s.cells[1].loc.file.find("cells/rt.yaml"), std::string::npos);
    ASSERT_EQ(s.links.size(), 1u);
    EXPECT_NE(s.links[0].loc.file.find("cells/rt.yaml"), std::string::npos);
}

} // namespace
} // namespace jailconf
