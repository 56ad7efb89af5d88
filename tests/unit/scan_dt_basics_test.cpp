// The small formatting members of the inventory model.
#include <gtest/gtest.h>

#include "confgen/inventory.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf {
namespace {

using inventory::Origin;

TEST(InventoryBasics, OriginForms) {
    EXPECT_EQ((Origin{"/sys/firmware/acpi/tables/APIC", 0x2c, ""}).str(),
              "/sys/firmware/acpi/tables/APIC+0x2c");
    EXPECT_EQ((Origin{"board.dtb", 0x1234, "/soc/uart@9000000"}).str(),
              "board.dtb:/soc/uart@9000000");
    EXPECT_EQ((Origin{"board.dtb", std::nullopt, "/soc/uart@9000000"}).str(),
              "board.dtb:/soc/uart@9000000");
    EXPECT_EQ((Origin{"/proc/iomem", std::nullopt, ""}).str(), "/proc/iomem");
}

TEST(InventoryBasics, TriggerNames) {
    using inventory::Trigger;
    EXPECT_EQ(inventory::to_string(Trigger::unknown), "unknown");
    EXPECT_EQ(inventory::to_string(Trigger::edge_rising), "edge_rising");
    EXPECT_EQ(inventory::to_string(Trigger::edge_falling), "edge_falling");
    EXPECT_EQ(inventory::to_string(Trigger::level_high), "level_high");
    EXPECT_EQ(inventory::to_string(Trigger::level_low), "level_low");
}

TEST(InventoryBasics, Bdf) {
    inventory::PciFunction f;
    EXPECT_EQ(f.bdf(), "0000:00:00.0");
    f.segment = 0x12;
    f.bus = 0xab;
    f.device = 0x1f;
    f.function = 7;
    EXPECT_EQ(f.bdf(), "0012:ab:1f.7");
}

} // namespace
} // namespace jailconf
