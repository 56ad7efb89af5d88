// Console candidates: every enabled serial port, and the one /chosen stdout-path selects
// (an absolute path or an alias, with options such as ":115200n8").
#include <cctype>

#include <fmt/format.h>

#include "scan/dt/interpret.hpp"
#include "scan/dt/translate.hpp"

namespace jailconf::scan::dt {
namespace {

// The UART programming model a driver needs, from the compatible strings; "" when not a UART.
std::string uart_type(const Index& ix, uint32_t n) {
    struct Known {
        const char* compatible;
        const char* type;
    };
    static constexpr Known known[] = {{"arm,pl011", "pl011"},
                                      {"arm,sbsa-uart", "sbsa"},
                                      {"ns16550a", "16550"},
                                      {"ns16550", "16550"},
                                      {"ns16750", "16550"},
                                      {"ns8250", "8250"},
                                      {"ns16450", "8250"},
                                      {"snps,dw-apb-uart", "dw-apb-uart"},
                                      {"brcm,bcm2835-aux-uart", "bcm2835-aux"},
                                      {"xlnx,xuartps", "cadence"},
                                      {"cdns,uart-r1p8", "cadence"},
                                      {"cdns,uart-r1p12", "cadence"}};
    auto compat = ix.strings(n, "compatible");
    for (const Known& k : known)
        for (const std::string& c : compat)
            if (c == k.compatible)
                return k.type;
    for (const std::string& c : compat) {
        if (c.starts_with("fsl,imx") && c.ends_with("-uart"))
            return "imx";
        if (c.starts_with("fsl,") && c.ends_with("-lpuart"))
            return "lpuart";
    }
    if (ix.string(n, "device_type") == "serial" && !compat.empty())
        return compat.front();
    return "";
}

uint32_t leading_number(std::string_view s) {
    uint64_t v = 0;
    for (char c : s) {
        if (!std::isdigit(static_cast<unsigned char>(c)) || v > 100000000)
            break;
        v = v * 10 + uint32_t(c - '0');
    }
    return uint32_t(v);
}

bool add_console(Context& ctx, uint32_t n, const std::string& type) {
    const Index& ix = ctx.index;
    std::vector<std::string> notes;
    auto regs = translated_regs(ix, n, notes);
    if (regs.empty())
        return false;
    inventory::Console c;
    c.type = type;
    c.base = regs.front().base;
    std::vector<inventory::Interrupt> irqs;
    ctx.irqs.device_irqs(n, irqs, notes);
    if (!irqs.empty())
        c.irq = irqs.front();
    c.baud = ix.u32(n, "current-speed").value_or(0);
    c.path = ix.path(n);
    c.origin = ix.origin(n);
    ctx.inv.consoles.push_back(std::move(c));
    return true;
}

void chosen(Context& ctx) {
    const Index& ix = ctx.index;
    uint32_t ch = ix.child(0, "chosen");
    if (ch == no_node)
        return;
    std::string stdout_path = ix.string(ch, "stdout-path");
    if (stdout_path.empty())
        stdout_path = ix.string(ch, "linux,stdout-path");
    if (stdout_path.empty())
        return;
    size_t colon = stdout_path.find(':');
    std::string path = stdout_path.substr(0, colon);
    uint32_t baud = colon == std::string::npos ? 0 : leading_number(stdout_path.substr(colon + 1));
    auto n = ix.find(path);
    if (!n) {
        ctx.warn("dt-stdout-path",
                 fmt::format("/chosen stdout-path '{}' names no node", stdout_path));
        return;
    }
    for (inventory::Console& c : ctx.inv.consoles)
        if (c.path == ix.path(*n)) {
            c.chosen = true;
            if (baud)
                c.baud = baud;
            return;
        }
    // Selected but not a UART this scanner knows, or disabled: still the firmware's choice.
    std::string type = uart_type(ix, *n);
    auto compat = ix.strings(*n, "compatible");
    if (type.empty())
        type = compat.empty() ? std::string("unknown") : compat.front();
    if (!add_console(ctx, *n, type)) {
        ctx.warn("dt-stdout-path", fmt::format("/chosen stdout-path '{}': {} has no translatable "
                                               "`reg`",
                                               stdout_path, ix.path(*n)));
        return;
    }
    ctx.inv.consoles.back().chosen = true;
    if (baud)
        ctx.inv.consoles.back().baud = baud;
}

} // namespace

void interpret_consoles(Context& ctx) {
    const Index& ix = ctx.index;
    for (uint32_t n : ctx.preorder) {
        if (ctx.claimed[n] || !ix.enabled(n))
            continue;
        std::string type = uart_type(ix, n);
        if (!type.empty())
            add_console(ctx, n, type);
    }
    chosen(ctx);
}

} // namespace jailconf::scan::dt
