#include "inmates/lib/hypercalls.hpp"

namespace inmate {

Reply hypercall(uint32_t function, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5,
                uint64_t a6, uint64_t a7) {
    register uint64_t x0 __asm__("x0") = function;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = a3;
    register uint64_t x4 __asm__("x4") = a4;
    register uint64_t x5 __asm__("x5") = a5;
    register uint64_t x6 __asm__("x6") = a6;
    register uint64_t x7 __asm__("x7") = a7;
    __asm__ volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     : "r"(x4), "r"(x5), "r"(x6), "r"(x7)
                     : "memory");
    return {int64_t(x0), x1, x2, x3};
}

namespace {
uint32_t id(hc::Function f) {
    return uint32_t(f);
}
} // namespace

int64_t hv_version() {
    return hypercall(id(hc::Function::version)).status;
}

int64_t console_write(const char* text, size_t length) {
    uint64_t words[6] = {};
    for (size_t i = 0; i < length && i < console_piece; ++i)
        words[i / 8] |= uint64_t(uint8_t(text[i])) << (8 * (i % 8));
    return hypercall(id(hc::Function::console_write), length, words[0], words[1], words[2],
                     words[3], words[4], words[5])
        .status;
}

int64_t cell_self() {
    return hypercall(id(hc::Function::cell_self)).status;
}
Reply cell_get_state(uint64_t cell) {
    return hypercall(id(hc::Function::cell_get_state), cell);
}
Reply cell_create(uint64_t address, uint64_t size) {
    return hypercall(id(hc::Function::cell_create), address, size);
}
int64_t cell_load(uint64_t cell, uint64_t dest, uint64_t source, uint64_t size) {
    return hypercall(id(hc::Function::cell_load), cell, dest, source, size).status;
}
int64_t cell_start(uint64_t cell) {
    return hypercall(id(hc::Function::cell_start), cell).status;
}
int64_t cell_shutdown(uint64_t cell) {
    return hypercall(id(hc::Function::cell_shutdown), cell).status;
}
int64_t cell_destroy(uint64_t cell) {
    return hypercall(id(hc::Function::cell_destroy), cell).status;
}

Reply fault_read(uint64_t cell, hc::FaultReport& out) {
    return hypercall(id(hc::Function::fault_read), cell, uint64_t(uintptr_t(&out)), sizeof(out));
}
Reply measurement_info() {
    return hypercall(id(hc::Function::measurement_info));
}
Reply measurement_read(uint64_t first, uint64_t address, uint64_t size) {
    return hypercall(id(hc::Function::measurement_read), first, address, size);
}
Reply integrity_status() {
    return hypercall(id(hc::Function::integrity_status));
}

uint32_t descriptor_size(uint64_t address) {
    const auto* b = reinterpret_cast<const volatile uint8_t*>(uintptr_t(address + 12));
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

} // namespace inmate
