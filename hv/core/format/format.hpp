// A printf-like formatter for freestanding code (the hypervisor and the inmates): no heap, no
// locale, no floating point. Output goes to a caller-supplied sink, or into a bounded buffer.
//
// Conversions: %d %i %u %x %X %p %s %c %%, with flags '-' (left-justify) and '0' (zero-pad), a
// decimal field width, and the length modifiers hh, h, l, ll, z. %p prints 0x and 16 hex digits.
// A malformed or unknown conversion is copied to the output as written, so a bad format string
// shows up in the log instead of consuming the wrong argument.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace hv::fmt {

// Receives the formatted output in pieces; `text` is not NUL-terminated.
struct Sink {
    void (*write)(void* context, const char* text, size_t length);
    void* context;
};

// Formats to `sink`; returns the number of characters produced.
size_t vformat(Sink sink, const char* format, va_list args);
size_t format(Sink sink, const char* format, ...) __attribute__((format(printf, 2, 3)));

// Formats into `buffer` (capacity bytes, always NUL-terminated when capacity > 0), like
// snprintf: returns the full length the output would have, even when it was cut short.
size_t vformat_to(char* buffer, size_t capacity, const char* format, va_list args);
size_t format_to(char* buffer, size_t capacity, const char* format, ...)
    __attribute__((format(printf, 3, 4)));

} // namespace hv::fmt
