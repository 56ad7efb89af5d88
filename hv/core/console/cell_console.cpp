#include "core/console/cell_console.hpp"

#include "core/console/console.hpp"

namespace hv::console {

void CellConsole::emit(Line& line, const char* cell) {
    line.text[line.length] = '\0';
    print("[%s] %s\n", cell, line.text);
    line.length = 0;
}

void CellConsole::write(unsigned cpu, const char* cell, const char* bytes, size_t length) {
    if (cpu >= cells::cpu_limit)
        return;
    Line& line = lines_[cpu];
    for (size_t i = 0; i < length; ++i) {
        char c = bytes[i];
        if (c == '\n') {
            emit(line, cell);
            continue;
        }
        if (c == '\r')
            continue;
        if ((c < ' ' || c > '~') && c != '\t')
            c = '?';
        line.text[line.length++] = c;
        if (line.length == line_max)
            emit(line, cell); // a very long line goes out in pieces
    }
}

void CellConsole::flush(unsigned cpu, const char* cell) {
    if (cpu < cells::cpu_limit && lines_[cpu].length != 0)
        emit(lines_[cpu], cell);
}

} // namespace hv::console
