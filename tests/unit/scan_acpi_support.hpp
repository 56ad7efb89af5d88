// Test support for the ACPI scanner: fixture loading, and an independent reader of `iasl -d`
// output. iasl (ACPICA) is the reference implementation of the table layouts; the tests compare
// every fact the scanner extracts with the value the disassembler prints for the same bytes.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "scan/scanners.hpp"

namespace acpi_test {

namespace fs = std::filesystem;

inline fs::path fixture(const std::string& rel) {
    return fs::path(JAILCONF_FIXTURES) / "acpi" / rel;
}

inline std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// One line of the disassembly: "[02Ch 0044   1]   Subtable Type : 01 [I/O APIC]", or a decoded
// flag line under it ("   Polarity : 1"), which gets the offset of the field it decodes and
// length 0.
struct Field {
    uint64_t offset = 0;
    uint64_t length = 0;
    std::string name;
    std::string value; // without the trailing "[description]" and without quotes
};
using Fields = std::vector<Field>;

inline std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string::npos)
        return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

inline Fields parse_dsl(const std::string& text) {
    static const std::regex field(R"(^\[([0-9A-F]+)h (\d+)\s+(\d+)\]\s*(.*?) : (.*)$)");
    static const std::regex decoded(R"(^\s+([^\[\s].*?) : (\S.*)$)");
    Fields out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("Raw Table Data", 0) == 0)
            break;
        std::smatch m;
        Field f;
        if (std::regex_match(line, m, field)) {
            f.offset = std::stoull(m[1].str(), nullptr, 16);
            f.length = std::stoull(m[3].str());
            f.name = trim(m[4].str());
            f.value = trim(m[5].str());
        } else if (!out.empty() && std::regex_match(line, m, decoded)) {
            f.offset = out.back().offset;
            f.name = trim(m[1].str());
            f.value = trim(m[2].str());
        } else {
            continue;
        }
        if (!f.value.empty() && f.value.front() == '"')
            f.value = f.value.substr(1, f.value.find('"', 1) - 1);
        else if (auto sp = f.value.find(" ["); sp != std::string::npos)
            f.value = trim(f.value.substr(0, sp));
        out.push_back(std::move(f));
    }
    return out;
}

// Disassembles `bytes` with iasl in a scratch directory. iasl is a build dependency
// (setup-deps installs acpica-tools), so its absence fails the test rather than skipping it.
inline Fields disassemble(const std::string& bytes) {
    char tmpl[] = "/tmp/jc-acpi-XXXXXX";
    const char* dir = mkdtemp(tmpl);
    if (dir == nullptr) {
        ADD_FAILURE() << "mkdtemp failed";
        return {};
    }
    const fs::path d(dir);
    {
        std::ofstream out(d / "t.dat", std::ios::binary);
        out << bytes;
    }
    const std::string cmd = "cd '" + d.string() + "' && timeout 60 iasl -d t.dat >log 2>&1";
    const int rc = std::system(cmd.c_str());
    const std::string dsl = read_bytes(d / "t.dsl");
    const std::string log = read_bytes(d / "log");
    fs::remove_all(d);
    if (rc != 0 || dsl.empty()) {
        ADD_FAILURE() << "iasl -d failed (is acpica-tools installed?): " << log;
        return {};
    }
    return parse_dsl(dsl);
}

inline uint64_t hex(const std::string& v) {
    return std::stoull(v, nullptr, 16);
}

// Fields from each field named `start` up to the next one (subtables, scopes, entries).
inline std::vector<Fields> groups(const Fields& fields, const std::string& start) {
    std::vector<Fields> out;
    for (const auto& f : fields) {
        if (f.name == start)
            out.emplace_back();
        if (!out.empty())
            out.back().push_back(f);
    }
    return out;
}

inline const Field* find(const Fields& g, const std::string& name) {
    for (const auto& f : g)
        if (f.name == name)
            return &f;
    return nullptr;
}

// The hex value of field `name`; fails the test when the disassembly lacks it.
inline uint64_t num(const Fields& g, const std::string& name) {
    const Field* f = find(g, name);
    if (f == nullptr) {
        ADD_FAILURE() << "disassembly has no field '" << name << "'";
        return 0;
    }
    return hex(f->value);
}
inline std::string str(const Fields& g, const std::string& name) {
    const Field* f = find(g, name);
    return f == nullptr ? std::string() : f->value;
}

// Decoded flag line under a flags field: "Polarity : 3".
inline uint64_t decoded(const Fields& g, const std::string& name) {
    const Field* f = find(g, name);
    if (f == nullptr) {
        ADD_FAILURE() << "disassembly has no decoded flag '" << name << "'";
        return 0;
    }
    return std::stoull(f->value, nullptr, 0);
}

struct Loaded {
    jailconf::scan::AcpiTableFile table;
    Fields dsl;
};

inline Loaded load(const std::string& rel) {
    Loaded l;
    l.table.file = fixture(rel).string();
    l.table.bytes = read_bytes(fixture(rel));
    EXPECT_FALSE(l.table.bytes.empty()) << rel;
    l.dsl = disassemble(l.table.bytes);
    return l;
}

inline jailconf::inventory::Inventory scan_ok(const std::vector<jailconf::scan::AcpiTableFile>& t) {
    auto inv = jailconf::scan::scan_acpi_tables(t);
    if (!inv) {
        ADD_FAILURE() << "scan failed: " << inv.error().file << "+"
                      << inv.error().offset.value_or(0) << ": " << inv.error().message;
        return {};
    }
    return *inv;
}

// Sets the checksum byte so that the table sums to 0 again after a deliberate edit.
inline void reseal(std::string& t) {
    t[9] = 0;
    uint8_t sum = 0;
    for (char c : t)
        sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
    t[9] = static_cast<char>(static_cast<uint8_t>(-sum));
}

inline void put_le(std::string& t, size_t off, uint64_t v, size_t width) {
    for (size_t i = 0; i < width; ++i)
        t[off + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

inline bool has_warning(const jailconf::inventory::Inventory& inv, const std::string& code) {
    for (const auto& w : inv.warnings)
        if (w.code == code)
            return true;
    return false;
}

} // namespace acpi_test
