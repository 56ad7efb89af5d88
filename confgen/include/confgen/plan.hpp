// The partition planner: `confgen generate --inventory I --request R`. A request (YAML, see
// docs/request.md) says what each non-root cell needs; the planner carves it out of the root cell
// that `generate_root_system` builds for the scanned machine, and records for every resource
// where it came from (provenance), which `confgen explain` prints.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/diagnostics.hpp"
#include "confgen/expected.hpp"
#include "confgen/generate.hpp"
#include "confgen/inventory.hpp"
#include "confgen/load.hpp"
#include "confgen/model.hpp"

namespace jailconf::plan {

// ---- The request ------------------------------------------------------------------------------

struct CpuRequest {
    enum class Kind : uint8_t { count, list };
    Kind kind = Kind::count;
    uint32_t count = 1;        // Kind::count (`auto` is a count of 1)
    std::vector<uint32_t> ids; // Kind::list, sorted and unique
    SourceLocation loc;
};

struct MemoryRequest {
    std::string name; // default: ram, ram1, ...
    uint64_t size = 0;
    uint64_t align = 0;           // 0: the default (2 MiB, or 4 KiB below 2 MiB)
    std::optional<uint64_t> phys; // nullopt: auto
    std::optional<uint64_t> virt; // nullopt: auto
    SourceLocation loc;
};

struct DeviceSelector {
    enum class Kind : uint8_t { path, compatible, pci, pci_class };
    Kind kind = Kind::path;
    std::string text;        // the path, compatible string or BDF as written
    Bdf bdf;                 // Kind::pci
    uint32_t class_code = 0; // Kind::pci_class: value and how many bits of the 24 count
    uint32_t class_mask = 0;
    std::optional<uint32_t> count; // take only the first N free matches
    SourceLocation loc;

    std::string describe() const; // "compatible arm,pl031"
};

struct CellRequest {
    std::string name;
    CpuRequest cpus;
    std::vector<MemoryRequest> memory;
    std::vector<DeviceSelector> devices;
    bool console_auto = false;
    std::optional<DeviceSelector> console; // a selected UART
    SourceLocation console_loc;
    std::optional<Watchdog> watchdog;
    SourceLocation loc;
};

struct LinkRequest {
    std::string name;
    std::vector<LinkPeer> peers;
    std::optional<uint64_t> size;         // nullopt: auto (64K)
    bool doorbell = false;                // doorbell_irq given
    std::optional<uint32_t> doorbell_irq; // nullopt with doorbell: auto
    SourceLocation size_loc, doorbell_loc;
    SourceLocation loc;
};

struct Request {
    std::optional<uint64_t> hv_memory_size;
    std::optional<uint64_t> hv_memory_phys;
    SourceLocation hv_loc;
    std::vector<CellRequest> cells;
    std::vector<LinkRequest> links;
    std::string file;
};

// Syntax, schema (schema/request.schema.json) and values; every finding goes to `diags`.
Expected<Request, LoadFailure> load_request(const std::filesystem::path& path, Diagnostics& diags);
Expected<Request, LoadFailure>
load_request_from_string(std::string_view text, const std::string& name, Diagnostics& diags);

// ---- Provenance -------------------------------------------------------------------------------

// Where one resource of one cell came from. `key` identifies the resource the same way
// `list_resources` does ("cpu 3", "memory 0x7a000000", "irq 34", "pci 0000:00:02.0", ...).
struct Provenance {
    std::string cell; // cell name; "links" for links, "hypervisor" for its memory
    std::string key;
    std::string source;  // inventory | request | policy
    std::string fact;    // the scanned fact and its origin ("/pl031@9010000 (virt.dtb:/pl031@...)")
    std::string request; // request location "req.yaml:12:7", "" when not requested
    std::string rule;    // the rule or policy that chose it
};

// ---- Planning ---------------------------------------------------------------------------------

struct PlanResult {
    System system;
    std::vector<std::string> notes;
    std::vector<Provenance> provenance;
};

// Plans `request` on the machine of `inv`. Impossible requests add error diagnostics at the
// request's lines (rules JC-PLAN-*) and return nullopt-like Unexpected.
Expected<PlanResult, LoadFailure> plan_system(const inventory::Inventory& inv,
                                              const Request& request, GenerateOptions options,
                                              Diagnostics& diags);

// The files of a plan: system.yaml (platform, hypervisor, root cell, links, `include:` of
// cells/<name>.yaml), one file per non-root cell, and provenance.yaml. Paths are relative to the
// output directory; the order and the bytes depend only on the plan.
struct OutputFile {
    std::string path;
    std::string text;
};
std::vector<OutputFile> render_plan(const PlanResult& plan, const std::string& inventory_name,
                                    const std::string& request_name);

// ---- Explain ----------------------------------------------------------------------------------

// One resource of a loaded system, with where it is written.
struct Resource {
    std::string cell;
    std::string kind; // cpus | memory | irqs | pci_devices | stream_ids | pio | console |
                      // watchdog | links | hypervisor
    std::string key;  // as in Provenance
    std::string what; // one-line description
    SourceLocation loc;
    std::optional<uint64_t> begin, end; // address range [begin, end) when it has one
    std::optional<uint64_t> id;         // CPU, INTID, stream id
};
std::vector<Resource> list_resources(const System& system);

// Filter syntax (docs/request.md): CELL, CELL.KIND, CELL.memory.NAME, KIND, link name,
// an address 0x..., irq:N, cpu:N, sid:N, a BDF, or a plain number (any id).
// Returns an error message for an empty or malformed filter.
Expected<std::vector<Resource>, std::string>
filter_resources(std::vector<Resource> all, std::string_view filter, const System& system);

// provenance.yaml as written by render_plan; an error names the line.
Expected<std::vector<Provenance>, std::string> parse_provenance(std::string_view text,
                                                                const std::string& name);

struct Explained {
    Resource resource;
    std::optional<Provenance> provenance; // nullopt: written by hand
};
std::vector<Explained> explain(const std::vector<Resource>& resources,
                               const std::vector<Provenance>& provenance);
std::string explain_text(const std::vector<Explained>& items, bool have_provenance);
std::string explain_json(const std::vector<Explained>& items, bool have_provenance);

} // namespace jailconf::plan
