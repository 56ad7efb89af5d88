#include "arch/arm64/console/early_console.hpp"

#include "arch/arm64/uart/pl011.hpp"
#include "core/console/console.hpp"
#include "core/console/ring.hpp"

#ifndef HV_EARLY_CONSOLE
#error "HV_EARLY_CONSOLE is set by hv/CMakeLists.txt"
#endif

namespace hv::arm64::hv_console {
namespace {
Pl011 g_uart(HV_EARLY_CONSOLE);

// Every console byte goes to the UART and to the ring the root cell reads (console_read).
void write(const char* text, size_t length) {
    g_uart.write(text, length);
    console::ring().append(text, length);
}
} // namespace

uint64_t early_base() {
    return HV_EARLY_CONSOLE;
}

void start_early() {
    console::set_output(write);
}

void switch_to(uint64_t base) {
    // set_output takes the console lock, so no line is cut between two UARTs.
    console::set_output(nullptr);
    g_uart = Pl011(base);
    console::set_output(write);
}

} // namespace hv::arm64::hv_console
