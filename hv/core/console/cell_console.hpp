// Console output of the cells through the hypervisor (the console_write hypercall): the bytes of
// each CPU gather into a line, which goes out whole, prefixed with the cell's name, so lines of
// different cells never mix and a cell cannot pass itself off as another or as the hypervisor.
// Bytes other than printable ASCII, tab and newline become '?': a cell cannot send terminal
// control sequences to the console.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "core/cells/cpu_set.hpp"

namespace hv::console {

class CellConsole {
  public:
    static constexpr size_t line_max = 120;

    // Appends `length` bytes written by `cell` on CPU `cpu`; prints every completed line.
    void write(unsigned cpu, const char* cell, const char* bytes, size_t length);
    // Prints what `cpu` has gathered so far (the cell stopped before ending its line).
    void flush(unsigned cpu, const char* cell);

  private:
    struct Line {
        char text[line_max + 1];
        size_t length = 0;
    };
    void emit(Line& line, const char* cell);

    Line lines_[cells::cpu_limit];
};

} // namespace hv::console
