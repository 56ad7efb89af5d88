// ARINC 653-style sampling ports over a link: one writer keeps replacing a single message, the
// reader gets the latest one with its age and validity (younger than the refresh period), never
// a mix of two messages. Lock-free for both sides: a sequence counter (seqlock) that is odd while
// the writer writes; a reader that sees it change retries, a bounded number of times (busy).
// Layout (little-endian 32-bit words): 0 magic "JCS1", 4 largest message in bytes, 8 sequence,
// 12 length, 16 timestamp (low, high), 24 the message. Times are in the caller's units (an
// inmate passes the generic counter, which all CPUs share).
#pragma once

#include "spsc_queue.hpp"

namespace ipc {

namespace sampling_layout {
inline constexpr uint32_t magic = 0x3153434a; // "JCS1"
inline constexpr size_t magic_word = 0, max_word = 1, seq_word = 2, length_word = 3, stamp_word = 4,
                        data_word = 6;
} // namespace sampling_layout

constexpr size_t sampling_bytes(uint32_t max_message) {
    return 4 * (sampling_layout::data_word + (size_t(max_message) + 3) / 4);
}

struct Sample {
    Status status = Status::empty;
    size_t length = 0;
    uint64_t stamp = 0; // when the writer wrote it
    uint64_t age = 0;   // now - stamp
    bool valid = false; // age <= the refresh period
};

template <class Fences> class SamplingPortWriter {
  public:
    SamplingPortWriter(void* base, size_t size, uint32_t max_message)
        : words_(static_cast<uint32_t*>(base)), max_(max_message),
          valid_(base != nullptr && reinterpret_cast<uintptr_t>(base) % 4 == 0 &&
                 max_message != 0 && max_message <= (1u << 16) &&
                 size >= sampling_bytes(max_message)) {}

    bool valid() const { return valid_; }
    void init() {
        using namespace sampling_layout;
        if (!valid_)
            return;
        store_word(words_ + magic_word, 0);
        Fences::release();
        store_word(words_ + seq_word, 0);
        store_word(words_ + max_word, max_);
        seq_ = 0;
        Fences::release();
        store_word(words_ + magic_word, magic);
    }

    Status write(const void* data, size_t length, uint64_t now) {
        using namespace sampling_layout;
        if (!valid_)
            return Status::invalid;
        if (length > max_)
            return Status::too_long;
        store_word(words_ + seq_word, ++seq_); // odd: writing
        Fences::release();
        store_word(words_ + length_word, uint32_t(length));
        store_word(words_ + stamp_word, uint32_t(now));
        store_word(words_ + stamp_word + 1, uint32_t(now >> 32));
        bytes_to_words(words_ + data_word, data, length);
        Fences::release();
        store_word(words_ + seq_word, ++seq_); // even: complete
        return Status::ok;
    }

  private:
    uint32_t* words_;
    uint32_t max_;
    bool valid_;
    uint32_t seq_ = 0;
};

template <class Fences> class SamplingPortReader {
  public:
    static constexpr unsigned retries = 16;

    SamplingPortReader(void* base, size_t size, uint32_t max_message, uint64_t refresh_period)
        : words_(static_cast<uint32_t*>(base)), max_(max_message), refresh_(refresh_period),
          valid_(base != nullptr && reinterpret_cast<uintptr_t>(base) % 4 == 0 &&
                 max_message != 0 && max_message <= (1u << 16) &&
                 size >= sampling_bytes(max_message)) {}

    bool valid() const { return valid_; }

    // The latest message into `out` (up to `capacity` bytes).
    Sample read(void* out, size_t capacity, uint64_t now) const {
        using namespace sampling_layout;
        Sample r;
        if (!valid_) {
            r.status = Status::invalid;
            return r;
        }
        if (load_word(words_ + magic_word) != magic || load_word(words_ + max_word) != max_) {
            r.status = Status::not_ready;
            return r;
        }
        Fences::acquire(); // the sequence init() reset before the magic we just saw
        for (unsigned attempt = 0; attempt < retries; ++attempt) {
            const uint32_t first = load_word(words_ + seq_word);
            Fences::acquire();
            if (first == 0) {
                r.status = Status::empty;
                return r;
            }
            if ((first & 1) != 0)
                continue; // being written
            const uint32_t length = load_word(words_ + length_word);
            const uint64_t stamp =
                load_word(words_ + stamp_word) | uint64_t(load_word(words_ + stamp_word + 1)) << 32;
            const bool fits = length <= max_ && length <= capacity;
            if (fits)
                words_to_bytes(out, words_ + data_word, length);
            Fences::acquire(); // every load above before the second sequence load
            if (load_word(words_ + seq_word) != first)
                continue; // torn: the writer wrote meanwhile
            if (length > max_) {
                r.status = Status::corrupt;
                return r;
            }
            r.length = length;
            if (!fits) {
                r.status = Status::too_small;
                return r;
            }
            r.status = Status::ok;
            r.stamp = stamp;
            r.age = now >= stamp ? now - stamp : 0;
            r.valid = r.age <= refresh_;
            return r;
        }
        r.status = Status::busy;
        return r;
    }

  private:
    uint32_t* words_;
    uint32_t max_;
    uint64_t refresh_;
    bool valid_;
};

} // namespace ipc
