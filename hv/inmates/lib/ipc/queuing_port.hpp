// ARINC 653-style queuing ports over a link: a FIFO of bounded messages from one sender to one
// receiver (an SpscQueue). A send to a full port is refused and counted as an overflow, which the
// receiver sees (overflows() only grows), so a lost message is never silent.
#pragma once

#include "spsc_queue.hpp"

namespace ipc {

template <class Fences> class QueuingPortSender {
  public:
    QueuingPortSender(void* base, size_t size, QueueGeometry g) : queue_(base, size, g) {}

    bool valid() const { return queue_.valid(); }
    void init() { queue_.init(); }

    // Status::full means the message was dropped (and counted); too_long that it was refused.
    Status send(const void* data, size_t length) {
        const Status s = queue_.push(data, length);
        if (s == Status::full)
            queue_.count_overflow();
        return s;
    }
    uint32_t pending() const { return queue_.pending(); }

  private:
    QueueProducer<Fences> queue_;
};

template <class Fences> class QueuingPortReceiver {
  public:
    QueuingPortReceiver(void* base, size_t size, QueueGeometry g) : queue_(base, size, g) {}

    bool valid() const { return queue_.valid(); }
    bool ready() const { return queue_.ready(); }
    Status receive(void* out, size_t capacity, size_t& length) {
        return queue_.pop(out, capacity, length);
    }
    uint32_t pending() const { return queue_.pending(); }
    // Messages the sender dropped because the port was full, since it was initialised.
    uint32_t overflows() const { return queue_.overflows(); }

  private:
    QueueConsumer<Fences> queue_;
};

} // namespace ipc
