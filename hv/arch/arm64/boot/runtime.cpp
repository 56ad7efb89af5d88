// What the compiler expects from a C/C++ runtime that does not exist at EL2: the memory
// functions it may emit calls to, the handler for a pure virtual call, and the global
// constructors (.init_array), which hv_primary_main runs before anything else.
// Built with -fno-tree-loop-distribute-patterns: these loops must not become calls to
// themselves.
#include <stddef.h>
#include <stdint.h>

#include "arch/arm64/semihosting/semihosting.hpp"

extern "C" {

void* memcpy(void* dst, const void* src, size_t n) {
    auto* d = static_cast<uint8_t*>(dst);
    const auto* s = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < n; ++i)
        d[i] = s[i];
    return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<uint8_t*>(dst);
    const auto* s = static_cast<const uint8_t*>(src);
    if (d < s) {
        for (size_t i = 0; i < n; ++i)
            d[i] = s[i];
    } else {
        for (size_t i = n; i > 0; --i)
            d[i - 1] = s[i - 1];
    }
    return dst;
}

void* memset(void* dst, int c, size_t n) {
    auto* d = static_cast<uint8_t*>(dst);
    for (size_t i = 0; i < n; ++i)
        d[i] = uint8_t(c);
    return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
    const auto* x = static_cast<const uint8_t*>(a);
    const auto* y = static_cast<const uint8_t*>(b);
    for (size_t i = 0; i < n; ++i) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    }
    return 0;
}

void __cxa_pure_virtual() {
    hv::arm64::semihosting::exit(hv::arm64::semihosting::ExitStatus::hypervisor_fault);
}

using Constructor = void (*)();
extern Constructor __init_array_start[], __init_array_end[];

void hv_run_global_constructors() {
    for (Constructor* c = __init_array_start; c != __init_array_end; ++c)
        (*c)();
}

} // extern "C"
