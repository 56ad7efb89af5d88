// /cpus and /psci. Each CPU of the cell is a cpu@<MPIDR> node with reg = its MPIDR affinity
// (platform.cpus hw_id) and enable-method "psci". The hypervisor emulates PSCI 1.0 for cells and
// takes both conduits (docs/boot-protocol.md): HVC always traps to EL2, SMC only because
// HCR_EL2.TSC is set, so the guest is told to use "hvc".
#include <fmt/format.h>

#include "guest_dt/parts.hpp"

namespace jailconf::guest_dt::detail {
namespace {

// The host's compatible of the CPU with this MPIDR, when a host tree is given.
std::vector<std::string> cpu_compatible(const Build& b, uint64_t hw_id) {
    if (b.host)
        for (const auto& c : b.inv.cpus)
            if (c.hw_id == hw_id && !c.origin.node.empty())
                if (auto n = b.host->impl().index.find(c.origin.node)) {
                    auto compat = b.host->impl().index.strings(*n, "compatible");
                    if (!compat.empty())
                        return compat;
                }
    return {"arm,armv8"};
}

} // namespace

std::optional<Error> add_cpus_and_psci(Build& b) {
    if (b.cpus.empty())
        return input_error(fmt::format("cell '{}' has no CPU", b.cell.name),
                           "give the cell at least one CPU in `cpus`");
    std::vector<uint64_t> mpidrs;
    bool wide = false;
    for (uint32_t id : b.cpus) {
        const PlatformCpu* found = nullptr;
        for (const PlatformCpu& p : b.system.platform.cpus)
            if (p.id == id)
                found = &p;
        if (!found)
            return input_error(
                fmt::format("cell '{}': CPU {} is not in platform.cpus", b.cell.name, id),
                "list the CPU with its hw_id (MPIDR) in platform.cpus");
        mpidrs.push_back(found->hw_id);
        wide |= found->hw_id > UINT32_MAX;
    }
    b.tree.boot_cpuid = uint32_t(mpidrs.front());

    Node cpus{"cpus", {}, {}, {}};
    cpus.properties.push_back(Property::cells("#address-cells", {wide ? 2u : 1u}));
    cpus.properties.push_back(Property::cells("#size-cells", {0}));
    for (uint64_t mpidr : mpidrs) {
        Node cpu{node_name("cpu", mpidr), {}, {}, {}};
        cpu.properties.push_back(Property::string("device_type", "cpu"));
        cpu.properties.push_back(Property::strings("compatible", cpu_compatible(b, mpidr)));
        std::vector<uint32_t> reg;
        if (wide)
            push64(reg, mpidr);
        else
            reg.push_back(uint32_t(mpidr));
        cpu.properties.push_back(Property::cells("reg", reg));
        cpu.properties.push_back(Property::string("enable-method", "psci"));
        cpus.children.push_back(std::move(cpu));
    }
    b.tree.root.children.push_back(std::move(cpus));

    Node psci{"psci", {}, {}, {}};
    psci.properties.push_back(Property::strings("compatible", {"arm,psci-1.0", "arm,psci-0.2"}));
    psci.properties.push_back(Property::string("method", "hvc"));
    b.tree.root.children.push_back(std::move(psci));
    return std::nullopt;
}

} // namespace jailconf::guest_dt::detail
