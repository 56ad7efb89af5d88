// The hypervisor's console: formatted lines to whatever output the arch code installed (the
// PL011 on arm64). One lock keeps lines from different CPUs from interleaving.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace hv::console {

using Output = void (*)(const char* text, size_t length);

// Installs the output; until then, print() discards its text.
void set_output(Output output);

void print(const char* format, ...) __attribute__((format(printf, 1, 2)));
void vprint(const char* format, va_list args);

} // namespace hv::console
