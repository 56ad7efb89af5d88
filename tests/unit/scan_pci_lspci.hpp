// A reader for `lspci -vvv -nn` and `lspci -mm -nn` text, for tests only: pciutils decodes
// config space with its own code, so comparing our parse with its output checks the parser
// against an independent implementation, not against a golden file of our own making.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jailconf::test {

struct LspciCapability {
    uint16_t offset = 0;
    bool extended = false;
    std::string text; // what follows "[offset] " up to the end of the line
};

struct LspciRegion {
    unsigned index = 0;
    bool io = false;
    bool is64 = false;
    bool prefetchable = false;
    uint64_t address = 0;
    std::optional<uint64_t> size;
};

struct LspciFunction {
    std::string bdf;       // always with the domain: "0000:00:1c.0"
    uint16_t class_id = 0; // base class << 8 | subclass
    uint8_t prog_if = 0;
    uint16_t vendor = 0, device = 0;
    uint8_t revision = 0;
    std::optional<std::pair<uint16_t, uint16_t>> subsystem;
    uint8_t pin = 0; // 1 = A
    std::optional<std::pair<uint8_t, uint8_t>> secondary_subordinate;
    std::vector<LspciRegion> regions;
    std::vector<LspciCapability> capabilities;
    bool chain_broken = false; // lspci said <chain broken> / <chain looped>
    std::optional<unsigned> msi_vectors;
    std::optional<bool> msi_64, msi_maskable;
    std::optional<unsigned> msix_count;
    std::optional<std::pair<unsigned, uint32_t>> msix_table, msix_pba;
    std::string express_type; // "Root Port", "Endpoint", ...
    std::optional<uint16_t> acs_cap, acs_ctl;
    std::string driver;
};

std::vector<LspciFunction> parse_lspci_vvv(const std::string& text);

struct LspciNames {
    std::string vendor, device; // "" where lspci printed the generic "Device [xxxx]"
};
std::map<std::string, LspciNames> parse_lspci_mm(const std::string& text);

// The capability id lspci's description names, by its own wording; nullopt when the test does
// not know the wording (then only the offset is compared). Virtual Channel may be 0x02 or 0x09.
std::vector<uint16_t> lspci_capability_ids(const LspciCapability& cap);

std::string read_text_file(const std::string& path);

} // namespace jailconf::test
