// A bounded, lock-free single-producer/single-consumer queue of messages in shared memory (a
// link's, docs/links.md). One producer CPU pushes, one consumer CPU pops; neither ever waits for
// the other. Layout (little-endian 32-bit words, offsets in bytes from the queue's base):
//     0 magic "JCQ1" (the producer writes it last in init()), 4 slot count (a power of two),
//     8 largest message in bytes, 12 overflows (queuing_port.hpp; producer-written),
//    64 head: messages pushed so far (producer-written, wraps at 2^32),
//   128 tail: messages popped so far (consumer-written),
//   192 slots: each a length word, then the message rounded up to words.
// Head and tail sit 64 bytes apart so that two CPUs with caches do not share a line.
// Each side keeps its own index privately and never trusts the shared copy of it; what it reads
// of the other side is bounds-checked (a peer that writes garbage gets Status::corrupt, never an
// access outside the queue). Both peers must agree on the geometry (QueueGeometry).
// Ordering (Fences, shared_words.hpp): the producer writes the slot, release(), then head; the
// consumer reads head, acquire(), then the slot, release(), then tail; the producer reads tail,
// acquire(), before it reuses a slot.
#pragma once

#include "shared_words.hpp"

namespace ipc {

enum class Status : uint8_t {
    ok,
    empty,     // nothing to pop / no sample written yet
    full,      // push: every slot holds an unread message
    too_long,  // push: the message is larger than the geometry allows
    too_small, // pop/read: the caller's buffer cannot hold the message (it stays queued)
    not_ready, // the producer has not initialised the queue (or the geometries differ)
    busy,      // sampling read: the writer kept writing; try again
    corrupt,   // the other side wrote indices or lengths no correct peer can
    invalid,   // the memory given is too small, unaligned, or the geometry is not allowed
};

struct QueueGeometry {
    uint32_t slot_count = 0;  // a power of two, 1 .. 2^16
    uint32_t max_message = 0; // bytes, 1 .. 64 KiB
};

namespace queue_layout {
inline constexpr uint32_t magic = 0x3151434a; // "JCQ1"
inline constexpr size_t magic_word = 0, slots_word = 1, max_word = 2, overflow_word = 3;
inline constexpr size_t head_word = 16, tail_word = 32, slot_base_word = 48;
} // namespace queue_layout

constexpr bool geometry_allowed(QueueGeometry g) {
    return g.slot_count != 0 && g.slot_count <= (1u << 16) &&
           (g.slot_count & (g.slot_count - 1)) == 0 && g.max_message != 0 &&
           g.max_message <= (1u << 16);
}
constexpr size_t slot_words(QueueGeometry g) {
    return 1 + (size_t(g.max_message) + 3) / 4;
}
// The bytes a queue of this geometry occupies.
constexpr size_t queue_bytes(QueueGeometry g) {
    return 4 * (queue_layout::slot_base_word + size_t(g.slot_count) * slot_words(g));
}

// What both sides share: the words and the geometry, checked once.
class QueueView {
  public:
    QueueView(void* base, size_t size, QueueGeometry g)
        : words_(static_cast<uint32_t*>(base)), geometry_(g),
          valid_(base != nullptr && reinterpret_cast<uintptr_t>(base) % 4 == 0 &&
                 geometry_allowed(g) && size >= queue_bytes(g)) {}

    bool valid() const { return valid_; }
    QueueGeometry geometry() const { return geometry_; }
    // The producer initialised the queue with this geometry.
    bool ready() const {
        using namespace queue_layout;
        return valid_ && load_word(words_ + magic_word) == magic &&
               load_word(words_ + slots_word) == geometry_.slot_count &&
               load_word(words_ + max_word) == geometry_.max_message;
    }
    uint32_t* word(size_t index) const { return words_ + index; }
    uint32_t* slot(uint32_t position) const {
        return words_ + queue_layout::slot_base_word +
               size_t(position & (geometry_.slot_count - 1)) * slot_words(geometry_);
    }

  private:
    uint32_t* words_;
    QueueGeometry geometry_;
    bool valid_;
};

template <class Fences> class QueueProducer {
  public:
    QueueProducer(void* base, size_t size, QueueGeometry g) : q_(base, size, g) {}

    bool valid() const { return q_.valid(); }
    bool ready() const { return q_.ready(); }

    // Empties the queue and publishes the geometry; the consumer sees ready() afterwards. Once,
    // before either side uses it (a link's memory starts zeroed, so ready() is false until then).
    void init() {
        using namespace queue_layout;
        if (!q_.valid())
            return;
        store_word(q_.word(magic_word), 0);
        Fences::release();
        store_word(q_.word(head_word), 0);
        store_word(q_.word(tail_word), 0);
        store_word(q_.word(overflow_word), 0);
        store_word(q_.word(slots_word), q_.geometry().slot_count);
        store_word(q_.word(max_word), q_.geometry().max_message);
        head_ = 0;
        overflows_ = 0;
        Fences::release();
        store_word(q_.word(magic_word), magic);
    }

    Status push(const void* data, size_t length) {
        using namespace queue_layout;
        if (!q_.valid())
            return Status::invalid;
        if (length > q_.geometry().max_message)
            return Status::too_long;
        const uint32_t tail = load_word(q_.word(tail_word));
        Fences::acquire(); // the consumer's reads of the slot we reuse are done
        const uint32_t used = head_ - tail;
        if (used > q_.geometry().slot_count)
            return Status::corrupt;
        if (used == q_.geometry().slot_count)
            return Status::full;
        uint32_t* slot = q_.slot(head_);
        store_word(slot, uint32_t(length));
        bytes_to_words(slot + 1, data, length);
        Fences::release(); // the message before the index that publishes it
        ++head_;
        store_word(q_.word(head_word), head_);
        return Status::ok;
    }

    // Messages waiting, as the producer sees it (the consumer may have taken some since).
    uint32_t pending() const { return head_ - load_word(q_.word(queue_layout::tail_word)); }

    // Overflows counted by the sender of a queuing port (queuing_port.hpp).
    uint32_t count_overflow() {
        ++overflows_;
        store_word(q_.word(queue_layout::overflow_word), overflows_);
        return overflows_;
    }

  private:
    QueueView q_;
    uint32_t head_ = 0;
    uint32_t overflows_ = 0;
};

template <class Fences> class QueueConsumer {
  public:
    QueueConsumer(void* base, size_t size, QueueGeometry g) : q_(base, size, g) {}

    bool valid() const { return q_.valid(); }
    bool ready() const { return q_.ready(); }

    // Takes the oldest message into `out` (up to `capacity` bytes); `length` is its size.
    Status pop(void* out, size_t capacity, size_t& length) {
        using namespace queue_layout;
        length = 0;
        if (!q_.valid())
            return Status::invalid;
        if (!q_.ready())
            return Status::not_ready;
        Fences::acquire(); // the indices init() wrote before the magic we just saw
        const uint32_t head = load_word(q_.word(head_word));
        Fences::acquire(); // the slot after the index that published it
        const uint32_t waiting = head - tail_;
        if (waiting > q_.geometry().slot_count)
            return Status::corrupt;
        if (waiting == 0)
            return Status::empty;
        const uint32_t* slot = q_.slot(tail_);
        const uint32_t size = load_word(slot);
        if (size > q_.geometry().max_message)
            return Status::corrupt;
        if (size > capacity) {
            length = size;
            return Status::too_small;
        }
        words_to_bytes(out, slot + 1, size);
        length = size;
        Fences::release(); // done reading the slot before the producer may reuse it
        ++tail_;
        store_word(q_.word(tail_word), tail_);
        return Status::ok;
    }

    // Messages waiting now (0 when not ready).
    uint32_t pending() const {
        if (!q_.ready())
            return 0;
        const uint32_t waiting = load_word(q_.word(queue_layout::head_word)) - tail_;
        return waiting > q_.geometry().slot_count ? 0 : waiting;
    }
    // The producer's overflow count (queuing ports).
    uint32_t overflows() const { return load_word(q_.word(queue_layout::overflow_word)); }

  private:
    QueueView q_;
    uint32_t tail_ = 0;
};

inline const char* status_name(Status s) {
    switch (s) {
    case Status::ok:
        return "ok";
    case Status::empty:
        return "empty";
    case Status::full:
        return "full";
    case Status::too_long:
        return "message too long";
    case Status::too_small:
        return "buffer too small";
    case Status::not_ready:
        return "not ready";
    case Status::busy:
        return "busy";
    case Status::corrupt:
        return "corrupt";
    case Status::invalid:
        return "invalid";
    }
    return "?";
}

} // namespace ipc
