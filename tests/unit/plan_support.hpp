// Test support for the planner: inventories scanned from the real fixtures (QEMU virt dumps,
// board DTBs, the x86 VM snapshot), requests from text, and the judge every plan must pass: the
// whole system written as YAML, loaded back and checked by the same code as `confgen check`.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "confgen/check.hpp"
#include "confgen/load.hpp"
#include "confgen/machine_files.hpp"
#include "confgen/plan.hpp"
#include "confgen/read_file.hpp"
#include "confgen/scan.hpp"
#include "confgen/yaml_writer.hpp"
#include "scan/scanners.hpp"

namespace jailconf::testing {

inline inventory::Inventory scan_fixture_dtb(const std::string& name) {
    auto bytes = read_file(std::string(JAILCONF_FIXTURES "/fdt/") + name);
    EXPECT_TRUE(bytes.has_value()) << name;
    if (!bytes)
        return {};
    auto inv = scan::scan_device_tree_blob(*bytes, name);
    EXPECT_TRUE(inv.has_value()) << inv.error().str();
    return inv ? *inv : inventory::Inventory{};
}

inline inventory::Inventory scan_x86_vm() {
    auto files = open_machine_directory(JAILCONF_FIXTURES "/machines/x86-vm");
    EXPECT_TRUE(files.has_value());
    if (!files)
        return {};
    ScanOptions options;
    options.pci_ids_path = "/nonexistent";
    auto inv = scan_machine(**files, options);
    EXPECT_TRUE(inv.has_value()) << inv.error().str();
    return inv ? *inv : inventory::Inventory{};
}

inline plan::Request request_from(const std::string& text, Diagnostics& diags) {
    auto r = plan::load_request_from_string(text, "req.yaml", diags);
    EXPECT_TRUE(r.has_value()) << (diags.empty() ? "" : diags.all().front().message);
    return r ? *r : plan::Request{};
}

struct Planned {
    std::optional<plan::PlanResult> result;
    Diagnostics diags;
    // The first error's message, "" when none.
    std::string error() const {
        for (const auto& d : diags.all())
            if (d.severity == Severity::error)
                return d.message;
        return {};
    }
    const Diagnostic* first_error() const {
        for (const auto& d : diags.all())
            if (d.severity == Severity::error)
                return &d;
        return nullptr;
    }
};

inline Planned plan_text(const inventory::Inventory& inv, const std::string& request) {
    Planned p;
    auto req = plan::load_request_from_string(request, "req.yaml", p.diags);
    if (!req)
        return p;
    auto r = plan::plan_system(inv, *req, {}, p.diags);
    if (r)
        p.result = std::move(*r);
    return p;
}

inline void expect_passes_check(const System& s, const std::string& what) {
    Diagnostics diags;
    auto loaded = load_system_from_string(to_yaml(s), what + "/system.yaml", diags);
    if (loaded)
        check_system(*loaded, diags);
    for (const auto& d : diags.all())
        ADD_FAILURE() << what << ": " << d.rule << " line " << d.loc.line << ": " << d.message;
}

inline const Cell* cell_named(const System& s, const std::string& name) {
    return s.find_cell(name);
}

inline bool has_id(const std::vector<IdRange>& ranges, uint32_t id) {
    for (const auto& r : ranges)
        if (r.contains(id))
            return true;
    return false;
}

inline bool maps_phys(const Cell& c, uint64_t addr) {
    for (const auto& m : c.memory)
        if (addr >= m.phys.value && addr < m.phys.value + m.size)
            return true;
    return false;
}

} // namespace jailconf::testing
