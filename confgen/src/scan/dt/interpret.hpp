// The interpreters: each turns one kind of device-tree fact into inventory entries. They share a
// Context; nodes an interpreter represents by a dedicated entry (GIC, CPU, memory, PCI host,
// IOMMU, ...) are claimed so the generic device pass does not list them a second time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "confgen/inventory.hpp"
#include "scan/dt/dt_index.hpp"
#include "scan/dt/interrupts.hpp"

namespace jailconf::scan::dt {

struct Context {
    Context(const Index& i, const Interrupts& q, inventory::Inventory& v);

    const Index& index;
    const Interrupts& irqs;
    inventory::Inventory& inv;
    std::vector<uint32_t> preorder; // every node, parents before children, siblings in order
    std::vector<char> claimed;

    void claim(uint32_t n) { claimed[n] = 1; }
    void claim_subtree(uint32_t n);
    void warn(std::string code, std::string message);
};

void interpret_machine(Context& ctx);
void interpret_cpus(Context& ctx);
void interpret_memory(Context& ctx);
void interpret_gic(Context& ctx);
void interpret_timers(Context& ctx);
void interpret_iommus(Context& ctx);
void interpret_pci(Context& ctx);
void interpret_consoles(Context& ctx);
void interpret_devices(Context& ctx);

} // namespace jailconf::scan::dt
