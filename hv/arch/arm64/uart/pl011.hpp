// The ARM PL011 UART, transmit side only: the hypervisor's console. QEMU's PL011 needs no baud
// setup; on hardware the firmware has configured it already.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hv::arm64 {

class Pl011 {
  public:
    constexpr explicit Pl011(uint64_t base) : base_(base) {}

    void write(const char* text, size_t length) const;
    uint64_t base() const { return base_; }

  private:
    void put(char c) const;

    uint64_t base_;
};

} // namespace hv::arm64
