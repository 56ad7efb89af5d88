# Usage: cmake -DKB_DIR=kb -DOUTPUT=f.cpp -P embed_kb.cmake
# Writes a C++ source defining jailconf::embedded_kb_files(): every .yaml and .json file under
# kb/ with its path relative to kb/, so that the installed confgen and pyjailconf need no data
# directory at run time.
file(GLOB_RECURSE files RELATIVE "${KB_DIR}" "${KB_DIR}/*.yaml" "${KB_DIR}/*.json")
list(SORT files)
set(body "")
set(entries "")
set(n 0)
foreach(f IN LISTS files)
  file(READ "${KB_DIR}/${f}" content HEX)
  string(LENGTH "${content}" hex_len)
  math(EXPR byte_count "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
  string(APPEND body "constexpr char file${n}[] = {${bytes} 0};\n")
  string(APPEND entries "    {\"${f}\", {file${n}, ${byte_count}}},\n")
  math(EXPR n "${n} + 1")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from kb/; do not edit.\n#include <span>\n#include \"confgen/embedded_kb.hpp\"\nnamespace jailconf {\nnamespace {\n${body}constexpr EmbeddedFile files[] = {\n${entries}    {\"\", {}}};\n}\nstd::span<const EmbeddedFile> embedded_kb_files() { return {files, ${n}}; }\n} // namespace jailconf\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
