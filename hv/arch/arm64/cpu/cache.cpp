#include "arch/arm64/cpu/sysreg.hpp"

namespace hv::arm64 {

void clean_dcache_range(const void* start, uint64_t size) {
    // CTR_EL0.DminLine (bits [19:16]): log2 of the smallest data cache line, in words.
    const uint64_t line = uint64_t(4) << ((HV_READ_SYSREG(ctr_el0) >> 16) & 0xf);
    uint64_t address = uint64_t(reinterpret_cast<uintptr_t>(start)) & ~(line - 1);
    const uint64_t end = uint64_t(reinterpret_cast<uintptr_t>(start)) + size;
    for (; address < end; address += line)
        __asm__ volatile("dc civac, %0" : : "r"(address) : "memory");
    dsb_sy();
}

} // namespace hv::arm64
