// CPUs (/cpus/cpu@N: MPIDR from `reg`, enable-method, status) and the PSCI firmware interface.
#include <fmt/format.h>

#include "scan/dt/cells.hpp"
#include "scan/dt/interpret.hpp"

namespace jailconf::scan::dt {
namespace {

// MPIDR_EL1 affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0); the rest are flags.
constexpr uint64_t mpidr_affinity_mask = 0xff00ffffffull;

void psci(Context& ctx) {
    const Index& ix = ctx.index;
    for (uint32_t n : ctx.index.node(0).children) {
        std::string version;
        bool found = false;
        for (const std::string& c : ix.strings(n, "compatible")) {
            if (c == "arm,psci") {
                found = true;
                if (version.empty())
                    version = "0.1";
            } else if (c.starts_with("arm,psci-")) {
                found = true;
                // The newest version listed is the one the firmware implements.
                std::string v = c.substr(9);
                if (version.empty() || version == "0.1" || v > version)
                    version = v;
            }
        }
        if (!found)
            continue;
        ctx.claim_subtree(n);
        ctx.inv.psci = inventory::Psci{ix.string(n, "method"), version, ix.origin(n)};
        return;
    }
}

} // namespace

void interpret_cpus(Context& ctx) {
    const Index& ix = ctx.index;
    psci(ctx);
    uint32_t cpus = ix.child(0, "cpus");
    if (cpus == no_node) {
        ctx.warn("dt-no-cpus", "the device tree has no /cpus node");
        return;
    }
    ctx.claim_subtree(cpus);
    uint32_t ac = ix.address_cells(cpus);
    uint32_t id = 0;
    for (uint32_t c : ix.node(cpus).children) {
        bool is_cpu = ix.has(c, "device_type") ? ix.string(c, "device_type") == "cpu"
                                               : base_name(ix.node(c).name) == "cpu";
        if (!is_cpu)
            continue;
        const Property* reg = ix.prop(c, "reg");
        u128 mpidr = 0;
        Cells cells(reg ? std::string_view(reg->value) : std::string_view());
        if (ac == 0 || ac > 2 || !cells.number(ac, mpidr)) {
            ctx.warn("dt-cpu-reg", fmt::format("{}: `reg` does not hold a {}-cell CPU id; CPU "
                                               "left out",
                                               ix.path(c), ac));
            continue;
        }
        inventory::Cpu cpu;
        cpu.id = id++;
        cpu.hw_id = uint64_t(mpidr) & mpidr_affinity_mask;
        cpu.enable_method = ix.string(c, "enable-method");
        cpu.enabled = ix.enabled(c);
        if (auto numa = ix.u32(c, "numa-node-id"))
            cpu.numa_node = *numa;
        cpu.origin = ix.origin(c);
        ctx.inv.cpus.push_back(std::move(cpu));
    }
}

} // namespace jailconf::scan::dt
