// Root facts: model, compatible, and the architecture guessed from the CPU cores named.
#include <cstdlib>

#include "scan/dt/interpret.hpp"

namespace jailconf::scan::dt {
namespace {

// "arm64", "arm32" or "" from one CPU compatible string such as "arm,cortex-a57".
std::string arch_of_core(std::string_view c) {
    static constexpr std::string_view only32[] = {
        "arm,cortex-a5",  "arm,cortex-a7",  "arm,cortex-a8",  "arm,cortex-a9",
        "arm,cortex-a12", "arm,cortex-a15", "arm,cortex-a17", "arm,cortex-a32",
        "marvell,pj4a",   "marvell,pj4b",   "qcom,krait",     "qcom,scorpion"};
    for (std::string_view s : only32)
        if (c == s)
            return "arm32";
    if (c.starts_with("arm,arm11") || c.starts_with("arm,arm9") || c.starts_with("arm,cortex-r") ||
        c.starts_with("arm,cortex-m"))
        return "arm32";
    if (c == "arm,armv8" || c.starts_with("arm,cortex-a") || c.starts_with("arm,cortex-x") ||
        c.starts_with("arm,neoverse") || c.starts_with("qcom,kryo") || c.starts_with("nvidia,") ||
        c.starts_with("apm,") || c.starts_with("cavium,thunder") || c.starts_with("apple,"))
        return "arm64"; // every remaining Cortex-A core (A34 and later) is ARMv8 or newer
    return "";
}

} // namespace

void interpret_machine(Context& ctx) {
    const Index& ix = ctx.index;
    ctx.inv.machine.model = ix.string(0, "model");
    ctx.inv.machine.compatible = ix.strings(0, "compatible");
    uint32_t cpus = ix.child(0, "cpus");
    if (cpus == no_node)
        return;
    for (uint32_t c : ix.node(cpus).children)
        for (const std::string& compat : ix.strings(c, "compatible")) {
            std::string arch = arch_of_core(compat);
            if (!arch.empty()) {
                ctx.inv.machine.arch = arch;
                return;
            }
        }
}

} // namespace jailconf::scan::dt
