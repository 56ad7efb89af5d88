#include "core/console/ring.hpp"

namespace hv::console {

void Ring::append(const char* text, size_t length) {
    SpinlockGuard guard(lock_);
    for (size_t i = 0; i < length; ++i)
        bytes_[(total_ + i) % capacity] = text[i];
    total_ += length;
}

Ring::Read Ring::read(uint64_t from, char* out, size_t max) const {
    SpinlockGuard guard(lock_);
    Read r;
    r.oldest = total_ > capacity ? total_ - capacity : 0;
    r.first = from < r.oldest ? r.oldest : (from > total_ ? total_ : from);
    const uint64_t available = total_ - r.first;
    r.copied = available < max ? size_t(available) : max;
    for (size_t i = 0; i < r.copied; ++i)
        out[i] = bytes_[(r.first + i) % capacity];
    r.next = r.first + r.copied;
    return r;
}

uint64_t Ring::end() const {
    SpinlockGuard guard(lock_);
    return total_;
}

namespace {
Ring g_ring;
}

Ring& ring() {
    return g_ring;
}

} // namespace hv::console
