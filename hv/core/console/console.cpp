#include "core/console/console.hpp"

#include "core/format/format.hpp"
#include "core/sync/spinlock.hpp"

namespace hv::console {
namespace {

Output g_output = nullptr;
Spinlock g_lock;

void write_output(void*, const char* text, size_t length) {
    if (g_output != nullptr)
        g_output(text, length);
}

} // namespace

void set_output(Output output) {
    SpinlockGuard guard(g_lock);
    g_output = output;
}

void vprint(const char* format, va_list args) {
    SpinlockGuard guard(g_lock);
    fmt::vformat(fmt::Sink{write_output, nullptr}, format, args);
}

void print(const char* format, ...) {
    va_list args;
    va_start(args, format);
    vprint(format, args);
    va_end(args);
}

} // namespace hv::console
