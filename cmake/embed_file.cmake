# Usage: cmake -DINPUT=f -DOUTPUT=f.cpp -DSYMBOL=name -P embed_file.cmake
# Writes a C++ source defining `std::string_view jailconf::SYMBOL()` with the file's bytes.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_len)
math(EXPR byte_count "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace jailconf {\nnamespace {\nconstexpr char data[] = {${bytes} 0};\n}\nstd::string_view ${SYMBOL}() { return {data, ${byte_count}}; }\n} // namespace jailconf\n")
