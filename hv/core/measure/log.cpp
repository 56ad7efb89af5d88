#include "core/measure/log.hpp"

namespace hv::measure {

void digest_of(Reader& reader, uint64_t address, uint64_t size, uint8_t out[jm::digest_size]) {
    Sha256 sha;
    uint8_t piece[512];
    while (size != 0) {
        const size_t take = size < sizeof(piece) ? size_t(size) : sizeof(piece);
        reader.read(address, piece, take);
        sha.update(piece, take);
        address += take;
        size -= take;
    }
    sha.finish(out);
}

void digest_of(const void* data, size_t size, uint8_t out[jm::digest_size]) {
    Sha256 sha;
    sha.update(static_cast<const uint8_t*>(data), size);
    sha.finish(out);
}

Log::Added Log::add(jm::Kind kind, uint32_t cell, uint64_t address, uint64_t size,
                    const uint8_t digest[jm::digest_size]) {
    SpinlockGuard guard(lock_);
    Added a;
    a.seq = made_++;
    if (held_ == jm::log_capacity) {
        a.first_loss = made_ == uint64_t(jm::log_capacity) + 1;
        return a;
    }
    jm::Entry& e = entries_[held_];
    e.kind.set(uint32_t(kind));
    e.cell.set(cell);
    e.seq.set(a.seq);
    e.address.set(address);
    e.size.set(size);
    for (size_t i = 0; i < jm::digest_size; ++i)
        e.digest[i] = digest[i];
    ++held_;
    a.stored = true;
    return a;
}

uint32_t Log::held() const {
    SpinlockGuard guard(lock_);
    return held_;
}

uint64_t Log::made() const {
    SpinlockGuard guard(lock_);
    return made_;
}

uint32_t Log::read(uint32_t first, jm::Entry* out, uint32_t max) const {
    SpinlockGuard guard(lock_);
    uint32_t n = 0;
    while (first < held_ && n < max && n < held_ - first) {
        out[n] = entries_[first + n];
        ++n;
    }
    return n;
}

namespace {
Log g_log;
}

Log& measurement_log() {
    return g_log;
}

} // namespace hv::measure
