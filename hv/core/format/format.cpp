#include "core/format/format.hpp"

#include <stdint.h>

namespace hv::fmt {
namespace {

// Counts what passes through so vformat can return the output length.
class Writer {
  public:
    explicit Writer(Sink sink) : sink_(sink) {}

    void text(const char* s, size_t n) {
        if (n == 0)
            return;
        sink_.write(sink_.context, s, n);
        count_ += n;
    }
    void repeat(char c, size_t n) {
        for (size_t i = 0; i < n; ++i)
            text(&c, 1);
    }
    size_t count() const { return count_; }

  private:
    Sink sink_;
    size_t count_ = 0;
};

struct Spec {
    bool left = false;
    bool zero = false;
    size_t width = 0;
};

void padded(Writer& w, const Spec& spec, const char* s, size_t n, size_t prefix_len = 0) {
    size_t pad = spec.width > n ? spec.width - n : 0;
    if (spec.left) {
        w.text(s, n);
        w.repeat(' ', pad);
    } else if (spec.zero) {
        // Zeros go between a sign or 0x prefix and the digits.
        w.text(s, prefix_len);
        w.repeat('0', pad);
        w.text(s + prefix_len, n - prefix_len);
    } else {
        w.repeat(' ', pad);
        w.text(s, n);
    }
}

void number(Writer& w, const Spec& spec, uint64_t magnitude, bool negative, unsigned base,
            bool upper, bool hex_prefix) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[2 + 64];
    size_t pos = sizeof(buf);
    do {
        buf[--pos] = digits[magnitude % base];
        magnitude /= base;
    } while (magnitude != 0);
    if (hex_prefix) {
        // %p always shows every digit of the address.
        while (pos > sizeof(buf) - 16)
            buf[--pos] = '0';
        buf[--pos] = 'x';
        buf[--pos] = '0';
    }
    if (negative)
        buf[--pos] = '-';
    size_t prefix = negative ? 1 : (hex_prefix ? 2 : 0);
    padded(w, spec, buf + pos, sizeof(buf) - pos, prefix);
}

size_t string_length(const char* s) {
    size_t n = 0;
    while (s[n] != '\0')
        ++n;
    return n;
}

enum class Length { none, hh, h, l, ll, z };

uint64_t unsigned_arg(va_list& args, Length len) {
    switch (len) {
    case Length::hh:
        return uint8_t(va_arg(args, unsigned));
    case Length::h:
        return uint16_t(va_arg(args, unsigned));
    case Length::l:
        return va_arg(args, unsigned long);
    case Length::ll:
        return va_arg(args, unsigned long long);
    case Length::z:
        return va_arg(args, size_t);
    case Length::none:
        break;
    }
    return va_arg(args, unsigned);
}

int64_t signed_arg(va_list& args, Length len) {
    switch (len) {
    case Length::hh:
        return int8_t(va_arg(args, int));
    case Length::h:
        return int16_t(va_arg(args, int));
    case Length::l:
        return va_arg(args, long);
    case Length::ll:
        return va_arg(args, long long);
    case Length::z:
        return int64_t(va_arg(args, size_t));
    case Length::none:
        break;
    }
    return va_arg(args, int);
}

// Parses one conversion starting after '%'; returns the character after it, or nullptr when
// the conversion is malformed (the caller then prints it literally).
const char* conversion(Writer& w, const char* p, va_list& args) {
    Spec spec;
    for (;; ++p) {
        if (*p == '-')
            spec.left = true;
        else if (*p == '0')
            spec.zero = true;
        else
            break;
    }
    while (*p >= '0' && *p <= '9') {
        spec.width = spec.width * 10 + size_t(*p - '0');
        if (spec.width > 256) // keeps a typo from writing pages of padding
            return nullptr;
        ++p;
    }
    Length len = Length::none;
    if (p[0] == 'h' && p[1] == 'h') {
        len = Length::hh;
        p += 2;
    } else if (p[0] == 'l' && p[1] == 'l') {
        len = Length::ll;
        p += 2;
    } else if (*p == 'h') {
        len = Length::h;
        ++p;
    } else if (*p == 'l') {
        len = Length::l;
        ++p;
    } else if (*p == 'z') {
        len = Length::z;
        ++p;
    }
    switch (*p) {
    case 'd':
    case 'i': {
        int64_t v = signed_arg(args, len);
        uint64_t magnitude = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);
        number(w, spec, magnitude, v < 0, 10, false, false);
        break;
    }
    case 'u':
        number(w, spec, unsigned_arg(args, len), false, 10, false, false);
        break;
    case 'x':
    case 'X':
        number(w, spec, unsigned_arg(args, len), false, 16, *p == 'X', false);
        break;
    case 'p':
        if (len != Length::none)
            return nullptr;
        number(w, spec, uintptr_t(va_arg(args, void*)), false, 16, false, true);
        break;
    case 's': {
        if (len != Length::none)
            return nullptr;
        const char* s = va_arg(args, const char*);
        if (s == nullptr)
            s = "(null)";
        spec.zero = false;
        padded(w, spec, s, string_length(s));
        break;
    }
    case 'c': {
        if (len != Length::none)
            return nullptr;
        char c = char(va_arg(args, int));
        spec.zero = false;
        padded(w, spec, &c, 1);
        break;
    }
    case '%':
        w.text("%", 1);
        break;
    default:
        return nullptr;
    }
    return p + 1;
}

struct Buffer {
    char* data;
    size_t capacity;
    size_t used;
};

void buffer_write(void* context, const char* text, size_t length) {
    auto* b = static_cast<Buffer*>(context);
    for (size_t i = 0; i < length; ++i) {
        if (b->used + 1 < b->capacity)
            b->data[b->used++] = text[i];
    }
}

} // namespace

size_t vformat(Sink sink, const char* format, va_list args) {
    Writer w(sink);
    va_list ap;
    va_copy(ap, args);
    const char* p = format;
    while (*p != '\0') {
        const char* start = p;
        while (*p != '\0' && *p != '%')
            ++p;
        w.text(start, size_t(p - start));
        if (*p == '\0')
            break;
        const char* next = conversion(w, p + 1, ap);
        if (next == nullptr) {
            // Print the malformed conversion as written, up to and including its last char.
            const char* end = p + 1;
            while (*end != '\0' && !((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z')))
                ++end;
            if (*end != '\0')
                ++end;
            w.text(p, size_t(end - p));
            next = end;
        }
        p = next;
    }
    va_end(ap);
    return w.count();
}

size_t format(Sink sink, const char* format, ...) {
    va_list args;
    va_start(args, format);
    size_t n = vformat(sink, format, args);
    va_end(args);
    return n;
}

size_t vformat_to(char* buffer, size_t capacity, const char* format, va_list args) {
    Buffer b{buffer, capacity, 0};
    size_t n = vformat(Sink{buffer_write, &b}, format, args);
    if (capacity > 0)
        buffer[b.used] = '\0';
    return n;
}

size_t format_to(char* buffer, size_t capacity, const char* format, ...) {
    va_list args;
    va_start(args, format);
    size_t n = vformat_to(buffer, capacity, format, args);
    va_end(args);
    return n;
}

} // namespace hv::fmt
