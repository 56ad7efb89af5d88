// libFuzzer target for the ACPI table scanner: the input is one table, parsed by whichever parser
// its signature selects. Each input is tried as given (header, length and checksum checks) and
// re-sealed (length field and checksum made consistent), so that mutations reach the MADT, DMAR,
// IVRS, IORT, ... structure walkers instead of dying at the checksum. A second table built from
// the same bytes as "SRAT" with a MADT in front exercises the cross-table lookups.
// Seeds: tests/fixtures/acpi (real captures and compiled iasl sources).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// The scanner interface is internal to libjailconf; fuzz targets only get its public headers.
#include "../../confgen/src/scan/scanners.hpp"

namespace {

void reseal(std::string& t) {
    if (t.size() < 36)
        return;
    const auto n = static_cast<uint32_t>(t.size());
    for (int i = 0; i < 4; ++i)
        t[4 + i] = static_cast<char>((n >> (8 * i)) & 0xff);
    t[9] = 0;
    uint8_t sum = 0;
    for (char c : t)
        sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    t[9] = static_cast<char>(static_cast<uint8_t>(-sum));
}

void scan(std::vector<jailconf::scan::AcpiTableFile> tables) {
    auto r = jailconf::scan::scan_acpi_tables(tables);
    if (!r && (r.error().message.empty() || r.error().file.empty()))
        __builtin_trap(); // every error must say what and where
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > (1u << 20))
        return 0;
    std::string bytes(reinterpret_cast<const char*>(data), size);
    scan({{"fuzz", bytes}});
    reseal(bytes);
    scan({{"fuzz", bytes}});
    if (bytes.size() >= 36 && bytes.compare(0, 4, "APIC") == 0) {
        std::string srat = bytes;
        srat.replace(0, 4, "SRAT");
        reseal(srat);
        scan({{"madt", bytes}, {"srat", srat}});
    }
    return 0;
}
