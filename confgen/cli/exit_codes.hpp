// Exit codes of confgen (a contract, DESIGN.md section 5).
#pragma once

namespace confgen {

enum ExitCode : int {
    exit_ok = 0,           // warnings allowed
    exit_input_errors = 1, // diagnostics printed
    exit_usage = 2,        // bad command line, or a feature that is not supported yet
    exit_io = 3,           // I/O or environment error
};

} // namespace confgen
