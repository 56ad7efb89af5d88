// A test-and-set spinlock for the few structures CPUs share (the console, the cell table). The
// __atomic builtins compile to exclusive loads/stores on arm64 (with -mno-outline-atomics) and to
// the host's atomics in unit tests, so the lock itself needs no arch code.
#pragma once

namespace hv {

class Spinlock {
  public:
    void lock() {
        while (__atomic_exchange_n(&taken_, true, __ATOMIC_ACQUIRE)) {
            while (__atomic_load_n(&taken_, __ATOMIC_RELAXED)) {
            }
        }
    }
    // Takes the lock only if it is free (for paths that must not wait, e.g. a faulting CPU).
    bool try_lock() { return !__atomic_exchange_n(&taken_, true, __ATOMIC_ACQUIRE); }
    void unlock() { __atomic_store_n(&taken_, false, __ATOMIC_RELEASE); }

  private:
    bool taken_ = false;
};

// Holds a Spinlock for the lifetime of a scope.
class SpinlockGuard {
  public:
    explicit SpinlockGuard(Spinlock& lock) : lock_(lock) { lock_.lock(); }
    ~SpinlockGuard() { lock_.unlock(); }
    SpinlockGuard(const SpinlockGuard&) = delete;
    SpinlockGuard& operator=(const SpinlockGuard&) = delete;

  private:
    Spinlock& lock_;
};

} // namespace hv
