// The facts the kb rules are written against: tables of records derived from a system
// configuration and, when given, the scanned inventory of the machine it runs on. Deriving
// ownership, topology and coverage is code (here); judging them is data (kb/rules/).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/inventory.hpp"
#include "confgen/lint.hpp"
#include "confgen/model.hpp"
#include "jailconf/comm_region.hpp"
#include "kb/value.hpp"

namespace jailconf::kb {

enum class FieldType { integer, string, boolean, int_list, str_list };
std::string_view to_string(FieldType);

struct FieldInfo {
    std::string_view name;
    FieldType type;
    std::string_view doc;
};

struct TableInfo {
    std::string_view name;
    std::string_view doc;
    bool needs_inventory; // empty without `--inventory`
    std::span<const FieldInfo> fields;

    // -1 for an unknown field.
    int field_index(std::string_view field) const;
};

// Every table, in a fixed order: a table's position is its id.
std::span<const TableInfo> fact_tables();
const TableInfo* find_table(std::string_view name);

struct Record {
    std::vector<Value> values; // by field index
    SourceLocation loc;        // the configuration node the record stands for
    std::string cell;          // the cell it belongs to, for waivers; "" for none
};

struct Table {
    const TableInfo* info = nullptr;
    std::vector<Record> records;

    // Appends a record with every field absent.
    Record& add(SourceLocation loc, std::string cell = {});
    // Sets a field by name; the name must be one of the table's fields (a defect otherwise).
    void set(Record& r, std::string_view field, Value v) const;
};

// Quirks of known hardware, from kb/devices/ and kb/boards/.
struct DeviceQuirk {
    std::string pci_id;     // "8086:10d3" (vendor:device), or "" when matched by compatible
    std::string compatible; // DT compatible string, or ""
    std::vector<std::string> quirks;
    std::string note;
};
struct BoardQuirk {
    std::string compatible; // DT root compatible, or ""
    std::string model;      // DMI / DT model substring, or ""
    std::vector<std::string> quirks;
    std::string note;
};
struct QuirkData {
    std::vector<DeviceQuirk> devices;
    std::vector<BoardQuirk> boards;
};

struct Facts {
    std::vector<Table> tables; // indexed like fact_tables()
    const Table& table(size_t id) const { return tables[id]; }
};

// The hypervisor's tick, in ms: the granularity of its watchdog and message timeouts. Defined
// once, in the comm-region ABI the hypervisor implements.
inline constexpr int64_t hypervisor_tick_ms = jailconf::comm::hypervisor_tick_ms;

Facts build_facts(const System& system, const inventory::Inventory* inventory,
                  const QuirkData& quirks, std::span<const GuestTree> guest_trees);

} // namespace jailconf::kb
