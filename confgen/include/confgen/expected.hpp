// A small std::expected work-alike. GCC 12 has std::expected under -std=c++23, but clang 14
// (libFuzzer, clang-tidy) cannot use libstdc++'s <expected>, so the project uses this one type
// everywhere. Same spelling of the operations as std::expected, so it can be swapped later.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace jailconf {

template <class E> struct Unexpected {
    explicit Unexpected(E e) : value(std::move(e)) {}
    E value;
};

template <class T, class E> class [[nodiscard]] Expected {
  public:
    Expected(T value) : data_(std::in_place_index<0>, std::move(value)) {}
    template <class G>
    Expected(Unexpected<G> error) : data_(std::in_place_index<1>, std::move(error.value)) {}

    bool has_value() const { return data_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(data_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(data_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(data_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const E& error() const {
        assert(!has_value());
        return std::get<1>(data_);
    }

  private:
    std::variant<T, E> data_;
};

} // namespace jailconf
