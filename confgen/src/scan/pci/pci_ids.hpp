// The pci.ids database (https://pci-ids.ucw.cz, Debian package `pci.ids`): vendor, device and
// subsystem names. Parsed once per scan into sorted indexes of offsets into the text, so each
// lookup is a binary search, not a walk over the 1.3 MB file. Tolerant: lines it does not
// understand are skipped, a missing file gives empty names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace jailconf::scan::pci {

class PciIds {
  public:
    PciIds() = default;
    // The file at `path`; empty when it is missing, unreadable or larger than 16 MiB.
    static PciIds load(const std::string& path);
    static PciIds parse(std::string text);

    bool empty() const { return vendors_.empty(); }
    std::string_view vendor(uint16_t vendor) const;
    std::string_view device(uint16_t vendor, uint16_t device) const;
    std::string_view subsystem(uint16_t vendor, uint16_t device, uint16_t subsystem_vendor,
                               uint16_t subsystem) const;

  private:
    struct Entry {
        uint64_t key = 0;
        uint32_t offset = 0; // of the name in text_
        uint32_t length = 0;
    };
    std::string_view find(const std::vector<Entry>& index, uint64_t key) const;

    std::string text_;
    std::vector<Entry> vendors_;    // key: vendor
    std::vector<Entry> devices_;    // key: vendor << 16 | device
    std::vector<Entry> subsystems_; // key: vendor << 48 | device << 32 | subvendor << 16 | sub
};

} // namespace jailconf::scan::pci
