#include "core/measure/integrity.hpp"

namespace hv::measure {

void IntegrityCheck::start(const uint8_t* data, size_t size,
                           const uint8_t reference[jailconf::measure::digest_size], size_t chunk) {
    data_ = data;
    size_ = size;
    chunk_ = chunk == 0 ? default_chunk : chunk;
    offset_ = 0;
    sha_ = Sha256();
    for (size_t i = 0; i < jailconf::measure::digest_size; ++i)
        reference_[i] = reference[i];
    passes_ = changes_ = 0;
}

IntegrityCheck::Step IntegrityCheck::step() {
    Step s;
    if (data_ == nullptr)
        return s;
    const size_t left = size_ - offset_;
    const size_t take = left < chunk_ ? left : chunk_;
    sha_.update(data_ + offset_, take);
    offset_ += take;
    if (offset_ < size_)
        return s;
    sha_.finish(s.digest);
    sha_ = Sha256();
    offset_ = 0;
    s.pass_done = true;
    ++passes_;
    for (size_t i = 0; i < jailconf::measure::digest_size; ++i) {
        if (s.digest[i] != reference_[i])
            s.changed = true;
    }
    if (s.changed)
        ++changes_;
    return s;
}

} // namespace hv::measure
