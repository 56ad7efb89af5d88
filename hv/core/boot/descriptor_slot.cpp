#include "core/boot/descriptor_slot.hpp"

#include "jailconf/format.hpp"

namespace hv::boot {

Result<size_t> descriptor_extent(const uint8_t* slot, size_t slot_size) {
    constexpr size_t header_size = sizeof(jailconf::jcb::Header);
    if (slot_size < header_size)
        return Error::descriptor_too_big;
    bool all_zero = true;
    for (size_t i = 0; i < header_size; ++i)
        all_zero = all_zero && slot[i] == 0;
    if (all_zero)
        return Error::no_descriptor;
    const size_t total_offset = offsetof(jailconf::jcb::Header, total_size);
    uint32_t total = 0;
    for (size_t i = 0; i < 4; ++i)
        total |= uint32_t(slot[total_offset + i]) << (8 * i);
    if (total < header_size)
        return header_size;
    return total > slot_size ? slot_size : size_t(total);
}

} // namespace hv::boot
