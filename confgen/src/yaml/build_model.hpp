// Builds the typed model from a schema-valid document. The schema has already checked shapes
// and types; this adds what JSON Schema cannot say (size suffix overflow, reversed ranges, a BDF
// that does not parse) as JC-NUMBER / JC-SCHEMA-VALUE diagnostics, and applies defaults.
#pragma once

#include <vector>

#include "confgen/diagnostics.hpp"
#include "confgen/model.hpp"
#include "yaml/document.hpp"

namespace jailconf::yaml {

class ModelBuilder {
  public:
    // `pci_segment` is the segment of a BDF written without one (platform.pci.segment).
    ModelBuilder(const Document& doc, Diagnostics& diags, uint16_t pci_segment = 0)
        : doc_(doc), diags_(diags), pci_segment_(pci_segment) {}

    // The parts of a system file other than cells and links.
    void build_system_header(System& out);
    void append_cells(std::vector<Cell>& out);
    void append_links(std::vector<Link>& out);

  private:
    using json = nlohmann::json;

    uint64_t number(const json& v, const std::string& ptr);
    uint64_t size(const json& v, const std::string& ptr);
    std::vector<IdRange> id_list(const json& v, const std::string& ptr);
    std::optional<uint64_t> optional_number(const json& obj, const char* key,
                                            const std::string& ptr);
    template <class T> T bounded(const json& v, const std::string& ptr, uint64_t max);

    Platform platform(const json& v, const std::string& ptr);
    Console console(const json& v, const std::string& ptr);
    Cell cell(const json& v, const std::string& ptr);
    MemoryRegion memory_region(const json& v, const std::string& ptr);
    PciDevice pci_device(const json& v, const std::string& ptr);
    Link link(const json& v, const std::string& ptr);

    SourceLocation at(const std::string& ptr) const { return doc_.map.value(ptr); }
    void bad_value(const std::string& ptr, std::string message, std::string fix);

    const Document& doc_;
    Diagnostics& diags_;
    uint16_t pci_segment_;
};

} // namespace jailconf::yaml
