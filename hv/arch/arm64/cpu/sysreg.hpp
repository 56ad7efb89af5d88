// System register access and barriers at EL2.
#pragma once

#include <stdint.h>

#define HV_READ_SYSREG(name)                                                                       \
    ({                                                                                             \
        uint64_t hv_sysreg_value_;                                                                 \
        __asm__ volatile("mrs %0, " #name : "=r"(hv_sysreg_value_));                               \
        hv_sysreg_value_;                                                                          \
    })

#define HV_WRITE_SYSREG(name, value)                                                               \
    __asm__ volatile("msr " #name ", %0" : : "r"(uint64_t(value)) : "memory")

namespace hv::arm64 {

inline void isb() {
    __asm__ volatile("isb" ::: "memory");
}
inline void dsb_sy() {
    __asm__ volatile("dsb sy" ::: "memory");
}
inline void dsb_ish() {
    __asm__ volatile("dsb ish" ::: "memory");
}
inline void dsb_ishst() {
    __asm__ volatile("dsb ishst" ::: "memory");
}
inline void wfe() {
    __asm__ volatile("wfe" ::: "memory");
}
inline void wfi() {
    __asm__ volatile("wfi" ::: "memory");
}

// Cleans and invalidates the data cache lines holding [start, start + size) to the point of
// coherency, for data another CPU reads with its MMU and caches still off.
void clean_dcache_range(const void* start, uint64_t size);

} // namespace hv::arm64
