// Word access to memory shared between two CPUs that may run in different cells with their MMUs
// off (so the memory is Device-nGnRnE for them: no unaligned or exclusive accesses, no caches).
// Every shared field is an aligned 32-bit word read or written in one single-copy-atomic access;
// ordering between words comes only from the explicit fences of a Fences policy:
//   acquire(): later loads and stores stay after earlier loads (the index or sequence just read);
//   release(): earlier loads and stores complete before later stores (the index published next).
// HostFences (C++ fences) serves the host tests; inmates use DeviceFences (lib/link.hpp: DMB SY,
// which also orders Device memory, outer shareable by definition, where DMB ISH would not).
// Freestanding: <stdint.h> and <stddef.h> only, so inmates and host tests share it.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace ipc {

struct HostFences {
    static void acquire() { __atomic_thread_fence(__ATOMIC_ACQUIRE); }
    static void release() { __atomic_thread_fence(__ATOMIC_RELEASE); }
    // Both directions (a seqlock reader between its data loads and the second sequence load).
    static void full() { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
};

// One shared word: relaxed atomic access, which is one plain aligned 32-bit load or store.
inline uint32_t load_word(const uint32_t* p) {
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}
inline void store_word(uint32_t* p, uint32_t value) {
    __atomic_store_n(p, value, __ATOMIC_RELAXED);
}

// Bytes to and from shared words, little-endian, so the layout is the same for every peer.
inline void bytes_to_words(uint32_t* words, const void* data, size_t length) {
    const auto* b = static_cast<const uint8_t*>(data);
    for (size_t w = 0; w < (length + 3) / 4; ++w) {
        uint32_t v = 0;
        for (size_t i = 0; i < 4 && w * 4 + i < length; ++i)
            v |= uint32_t(b[w * 4 + i]) << (8 * i);
        store_word(words + w, v);
    }
}
inline void words_to_bytes(void* out, const uint32_t* words, size_t length) {
    auto* b = static_cast<uint8_t*>(out);
    for (size_t w = 0; w < (length + 3) / 4; ++w) {
        const uint32_t v = load_word(words + w);
        for (size_t i = 0; i < 4 && w * 4 + i < length; ++i)
            b[w * 4 + i] = uint8_t(v >> (8 * i));
    }
}

} // namespace ipc
