#include "arch/arm64/uart/pl011.hpp"

namespace hv::arm64 {
namespace {
constexpr uint64_t uartdr = 0x000;        // data register
constexpr uint64_t uartfr = 0x018;        // flag register
constexpr uint32_t uartfr_txff = 1u << 5; // transmit FIFO full

volatile uint32_t& reg(uint64_t base, uint64_t offset) {
    return *reinterpret_cast<volatile uint32_t*>(uintptr_t(base + offset));
}
} // namespace

void Pl011::put(char c) const {
    while ((reg(base_, uartfr) & uartfr_txff) != 0) {
    }
    reg(base_, uartdr) = uint32_t(uint8_t(c));
}

void Pl011::write(const char* text, size_t length) const {
    for (size_t i = 0; i < length; ++i) {
        if (text[i] == '\n')
            put('\r');
        put(text[i]);
    }
}

} // namespace hv::arm64
