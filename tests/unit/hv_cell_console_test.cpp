// hv/core/console/cell_console: cells' output through the hypervisor comes out one whole line at
// a time, prefixed with the cell's name, per CPU, with control bytes neutralised.
#include <gtest/gtest.h>

#include <string>

#include "core/console/cell_console.hpp"
#include "core/console/console.hpp"

namespace {

std::string g_out;
void capture(const char* text, size_t length) {
    g_out.append(text, length);
}

struct Capture {
    Capture() {
        g_out.clear();
        hv::console::set_output(capture);
    }
    ~Capture() { hv::console::set_output(nullptr); }
};

TEST(HvCellConsole, WholeLinesPrefixedWithTheCellPerCpu) {
    Capture c;
    hv::console::CellConsole console;
    console.write(2, "hello", "hel", 3);
    console.write(3, "rogue", "ro", 2);
    EXPECT_EQ(g_out, ""); // nothing until a line is complete
    console.write(2, "hello", "lo\nnext", 7);
    console.write(3, "rogue", "gue\r\n", 5);
    EXPECT_EQ(g_out, "[hello] hello\n[rogue] rogue\n");
    console.flush(2, "hello");
    EXPECT_EQ(g_out, "[hello] hello\n[rogue] rogue\n[hello] next\n");
    console.flush(2, "hello");           // nothing left
    console.write(99, "x", "lost\n", 5); // no such CPU
    EXPECT_EQ(g_out, "[hello] hello\n[rogue] rogue\n[hello] next\n");
}

TEST(HvCellConsole, ControlBytesAndLongLines) {
    Capture c;
    hv::console::CellConsole console;
    const char evil[] = "\x1b[2Jfake\x00\x7f\xff\tok\n";
    console.write(0, "root", evil, sizeof(evil) - 1);
    EXPECT_EQ(g_out, "[root] ?[2Jfake???\tok\n");
    g_out.clear();
    const std::string long_line(300, 'a');
    console.write(1, "root", long_line.data(), long_line.size());
    const std::string piece(hv::console::CellConsole::line_max, 'a');
    EXPECT_EQ(g_out, "[root] " + piece + "\n[root] " + piece + "\n");
}

} // namespace
