// The inmate runtime's C++ side: console set-up, PSCI wrappers, the memory functions the
// compiler may call, global constructors, and the report for an exception at EL1.
#include <stddef.h>

#include "inmates/lib/hypercalls.hpp"
#include "inmates/lib/inmate.hpp"
#include "inmates/lib/presence.hpp"

// Inmates need the hypervisor unless they say otherwise (inmates/lib/presence.hpp).
extern "C" __attribute__((weak)) const bool inmate_requires_hypervisor = true;

namespace {

// The console formatter's output: the text in console_write-sized pieces.
void write_console(const char* text, size_t length) {
    while (length != 0) {
        const size_t piece = length < inmate::console_piece ? length : inmate::console_piece;
        inmate::console_write(text, piece);
        text += piece;
        length -= piece;
    }
}

// QEMU virt's PL011: where an inmate that refuses to run without the hypervisor says why (there
// is no console_write to call).
void pl011_write(const char* text, size_t length) {
    auto* const dr = reinterpret_cast<volatile uint32_t*>(uintptr_t(0x09000000));
    auto* const fr = reinterpret_cast<volatile uint32_t*>(uintptr_t(0x09000018));
    for (size_t i = 0; i < length; ++i) {
        while ((*fr & (1u << 5)) != 0) { // TXFF
        }
        *dr = uint8_t(text[i]);
    }
}

// PSCI SYSTEM_OFF without the hypervisor: SMC when EL3 exists or the inmate runs at EL2 (QEMU's
// conduit with virtualization=on), else HVC (QEMU's conduit on a board without EL2 and EL3).
[[noreturn]] void bare_system_off() {
    uint64_t pfr0, el;
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    register uint64_t x0 __asm__("x0") = 0x84000008;
    if ((pfr0 >> 12 & 0xf) != 0 || (el >> 2 & 3) == 2)
        __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
    for (;;)
        __asm__ volatile("wfi");
}

void require_hypervisor() {
    // Read through a volatile so the weak default is never folded into the code.
    if (!*static_cast<const volatile bool*>(&inmate_requires_hypervisor))
        return;
    const inmate::PresenceReport r = inmate::detect_hypervisor();
    if (r.presence == inmate::Presence::jailconf)
        return;
    hv::console::set_output(pl011_write);
    hv::console::print("inmate: refusing to run: this inmate requires the Jailconf hypervisor, but "
                       "%s (0x%lx); powering off\n",
                       inmate::presence_text(r.presence), r.detail);
    bare_system_off();
}

int64_t smc(uint64_t function, uint64_t a1, uint64_t a2, uint64_t a3) {
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    return int64_t(x0);
}
} // namespace

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    for (size_t i = 0; i < n; ++i)
        d[i] = s[i];
    return dst;
}

void* memset(void* dst, int c, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    for (size_t i = 0; i < n; ++i)
        d[i] = static_cast<unsigned char>(c);
    return dst;
}

// Called by start.S on the first CPU, before inmate_main.
void inmate_runtime_init() {
    require_hypervisor();
    hv::console::set_output(write_console);
}

[[noreturn]] void inmate_halt();

[[noreturn]] void inmate_exception(uint64_t slot) {
    uint64_t esr, elr, far;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    hv::console::print("inmate: unexpected exception (vector %lu): ESR 0x%lx ELR 0x%lx FAR 0x%lx\n",
                       slot, esr, elr, far);
    inmate::system_off();
}

} // extern "C"

namespace inmate {

uint32_t psci_version() {
    return uint32_t(smc(0x84000000, 0, 0, 0));
}
int64_t psci_features(uint32_t function) {
    return smc(0x8400000a, function, 0, 0);
}
int64_t cpu_on(uint64_t target, void (*entry)(), uint64_t context) {
    return smc(0xc4000003, target, uint64_t(reinterpret_cast<uintptr_t>(entry)), context);
}
int64_t affinity_info(uint64_t target) {
    return smc(0xc4000004, target, 0, 0);
}

void cpu_off() {
    smc(0x84000002, 0, 0, 0);
    inmate_halt();
}

void system_off() {
    smc(0x84000008, 0, 0, 0);
    inmate_halt();
}

uint64_t counter() {
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
    return v;
}

uint64_t counter_frequency() {
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

void delay_us(uint64_t microseconds) {
    const uint64_t end = counter() + microseconds * (counter_frequency() / 1000000);
    while (counter() < end) {
    }
}

uint64_t mpidr() {
    uint64_t v;
    __asm__ volatile("mrs %0, mpidr_el1" : "=r"(v));
    return v & 0xff00ffffffull;
}

} // namespace inmate
