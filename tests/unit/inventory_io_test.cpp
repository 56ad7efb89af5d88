// The inventory's YAML and JSON views: what scan writes, generate reads back unchanged; bad
// inventories are refused with the line and key. Inputs are inventories scanned from the real
// DTB fixtures.
#include <gtest/gtest.h>

#include <filesystem>

#include "confgen/inventory_io.hpp"
#include "confgen/read_file.hpp"
#include "scan/scanners.hpp"

namespace jailconf {
namespace {

namespace fs = std::filesystem;
using inventory::Inventory;

std::vector<fs::path> fixture_dtbs() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(JAILCONF_FIXTURES "/fdt"))
        if (e.path().extension() == ".dtb")
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

Inventory scanned(const fs::path& dtb) {
    auto bytes = read_file(dtb);
    EXPECT_TRUE(bytes.has_value());
    auto inv = scan::scan_device_tree_blob(*bytes, dtb.filename().string());
    EXPECT_TRUE(inv.has_value()) << inv.error().str();
    return inv ? *inv : Inventory{};
}

TEST(InventoryIo, YamlAndJsonRoundTripEveryBoard) {
    auto dtbs = fixture_dtbs();
    ASSERT_GE(dtbs.size(), 5u);
    for (const auto& dtb : dtbs) {
        Inventory inv = scanned(dtb);
        EXPECT_FALSE(inv.devices.empty()) << dtb;
        std::string yaml = inventory::to_yaml(inv);
        auto back = inventory::from_yaml(yaml, "inv.yaml");
        ASSERT_TRUE(back.has_value()) << dtb << ": " << back.error().str();
        EXPECT_TRUE(*back == inv) << dtb << " (YAML)";
        auto from_json = inventory::from_yaml(inventory::to_json(inv), "inv.json");
        ASSERT_TRUE(from_json.has_value()) << from_json.error().str();
        EXPECT_TRUE(*from_json == inv) << dtb << " (JSON)";
        // Writing is deterministic.
        EXPECT_EQ(yaml, inventory::to_yaml(*back));
    }
}

TEST(InventoryIo, AddressesAreHexadecimalAndStringsThatLookLikeNumbersAreQuoted) {
    Inventory inv;
    inv.memory.push_back(
        {{0x40000000, 0x40000000}, std::nullopt, {"x.dtb", std::nullopt, "/memory@40000000"}});
    inv.machine.model = "0x10";
    inv.machine.kernel_release = "true";
    std::string yaml = inventory::to_yaml(inv);
    EXPECT_NE(yaml.find("base: 0x40000000"), std::string::npos) << yaml;
    EXPECT_NE(yaml.find("model: \"0x10\""), std::string::npos) << yaml;
    auto back = inventory::from_yaml(yaml, "inv.yaml");
    ASSERT_TRUE(back.has_value()) << back.error().str();
    EXPECT_EQ(back->machine.model, "0x10");
    EXPECT_EQ(back->machine.kernel_release, "true");
}

struct BadCase {
    const char* text;
    const char* expect; // substring of the message
};

TEST(InventoryIo, BadInventoriesNameTheLineAndTheProblem) {
    const BadCase cases[] = {
        {"format: jailconf/1\n", "not an inventory"},
        {"cpus: []\n", "not an inventory"},
        {"format: jailconf-inventory/1\ncpus:\n  - id: 0\n    colour: red\n",
         "line 4, column 13: unknown key 'colour'"},
        {"format: jailconf-inventory/1\ncpus:\n  - id: -1\n",
         "line 3, column 9: expected a non-negative"},
        {"format: jailconf-inventory/1\npci:\n  - bus: 256\n",
         "256 is too large here (at most 255)"},
        {"format: jailconf-inventory/1\nmemory: {}\n", "expected a list"},
        {"format: jailconf-inventory/1\ntimers:\n  - irqs: [{id: 27, trigger: sideways}]\n",
         "expected a trigger"},
        {"format: jailconf-inventory/1\nwarnings: [{code: 1}]\n", "expected a string"},
        {"format: jailconf-inventory/1\ncpus: [\n", "line"},
        {"", "empty"},
    };
    for (const auto& c : cases) {
        auto r = inventory::from_yaml(c.text, "inv.yaml");
        ASSERT_FALSE(r.has_value()) << c.text;
        EXPECT_EQ(r.error().file, "inv.yaml");
        EXPECT_NE(r.error().message.find(c.expect), std::string::npos)
            << c.text << " -> " << r.error().message;
    }
}

} // namespace
} // namespace jailconf
