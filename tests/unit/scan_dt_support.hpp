// Test support for the device-tree scanner: the fixtures, dtc as an independent reader of them,
// and a small parser of dtc's DTS output that the tests compare the scanner against. This code
// shares nothing with confgen/src/scan/dt on purpose.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

namespace jailconf::testing {

inline const std::vector<std::string>& dt_fixtures() {
    static const std::vector<std::string> names = {
        "qemu-virt-gicv2",      "qemu-virt-gicv3", "qemu-virt-smmuv3-pci", "bcm2711-rpi-4-b",
        "zynqmp-zcu102-rev1.0", "imx8mp-evk",      "rk3399-rockpro64",     "juno-r2"};
    return names;
}

inline std::string fixture_path(const std::string& name) {
    return std::string(JAILCONF_FIXTURES) + "/fdt/" + name + ".dtb";
}

inline std::string read_binary(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// Output of a shell command (dtc), empty on failure.
inline std::string run(const std::string& command) {
    std::string out;
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        return out;
    std::array<char, 65536> buffer;
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), p)) > 0)
        out.append(buffer.data(), n);
    if (::pclose(p) != 0)
        return {};
    return out;
}

// A DTS file compiled by dtc into a blob (for hand-written error-handling cases).
inline std::string compile_dts(const std::string& dts) {
    char tmpl[] = "/tmp/jailconf-dts-XXXXXX";
    int fd = ::mkstemp(tmpl);
    if (fd < 0)
        return {};
    ::close(fd);
    {
        std::ofstream f(tmpl);
        f << dts;
    }
    std::string blob = run(std::string("dtc -q -I dts -O dtb ") + tmpl + " 2>/dev/null");
    ::unlink(tmpl);
    return blob;
}

// ---- A tree as dtc prints it -------------------------------------------------------------

struct DtsNode {
    std::string path;
    std::vector<std::pair<std::string, std::string>> props; // name, raw bytes
    const std::string* get(const std::string& name) const {
        for (const auto& p : props)
            if (p.first == name)
                return &p.second;
        return nullptr;
    }
};

struct DtsTree {
    std::vector<DtsNode> nodes; // in file order
    std::map<std::string, size_t> by_path;
    std::vector<std::pair<uint64_t, uint64_t>> memreserve;

    const DtsNode* node(const std::string& path) const {
        auto it = by_path.find(path);
        return it == by_path.end() ? nullptr : &nodes[it->second];
    }
};

inline std::vector<uint32_t> dts_cells(const std::string& bytes) {
    std::vector<uint32_t> out;
    for (size_t i = 0; i + 4 <= bytes.size(); i += 4)
        out.push_back(uint32_t(uint8_t(bytes[i])) << 24 | uint32_t(uint8_t(bytes[i + 1])) << 16 |
                      uint32_t(uint8_t(bytes[i + 2])) << 8 | uint32_t(uint8_t(bytes[i + 3])));
    return out;
}

inline std::string dts_parent(const std::string& path) {
    size_t slash = path.rfind('/');
    return slash == 0 ? "/" : path.substr(0, slash);
}

// Parses the subset of DTS that `dtc -O dts` writes from a blob: one node or property per line,
// values as <cells>, "strings" and [bytes] lists.
inline bool parse_value(const std::string& text, std::string& out) {
    size_t i = 0;
    auto skip = [&] {
        while (i < text.size() && (text[i] == ' ' || text[i] == ','))
            ++i;
    };
    for (skip(); i < text.size(); skip()) {
        char c = text[i++];
        if (c == '<') {
            size_t end = text.find('>', i);
            if (end == std::string::npos)
                return false;
            std::istringstream cells(text.substr(i, end - i));
            std::string word;
            while (cells >> word) {
                uint32_t v = uint32_t(std::stoul(word, nullptr, 0));
                for (int shift = 24; shift >= 0; shift -= 8)
                    out.push_back(char((v >> shift) & 0xff));
            }
            i = end + 1;
        } else if (c == '[') {
            size_t end = text.find(']', i);
            if (end == std::string::npos)
                return false;
            std::istringstream bytes(text.substr(i, end - i));
            std::string word;
            while (bytes >> word)
                out.push_back(char(std::stoul(word, nullptr, 16)));
            i = end + 1;
        } else if (c == '"') {
            while (i < text.size() && text[i] != '"') {
                char ch = text[i++];
                if (ch != '\\') {
                    out.push_back(ch);
                    continue;
                }
                char e = text[i++];
                switch (e) {
                case '0':
                    out.push_back('\0');
                    break;
                case 'n':
                    out.push_back('\n');
                    break;
                case 't':
                    out.push_back('\t');
                    break;
                case 'r':
                    out.push_back('\r');
                    break;
                case 'a':
                    out.push_back('\a');
                    break;
                case 'b':
                    out.push_back('\b');
                    break;
                case 'v':
                    out.push_back('\v');
                    break;
                case 'f':
                    out.push_back('\f');
                    break;
                case 'x':
                    out.push_back(char(std::stoul(text.substr(i, 2), nullptr, 16)));
                    i += 2;
                    break;
                default:
                    out.push_back(e);
                    break;
                }
            }
            ++i;
            out.push_back('\0'); // each string literal ends in NUL
        } else {
            return false;
        }
    }
    return true;
}

inline std::optional<DtsTree> parse_dts(const std::string& text) {
    DtsTree tree;
    std::vector<std::string> stack; // open node paths
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        size_t start = line.find_first_not_of(" \t");
        if (start == std::string::npos)
            continue;
        line = line.substr(start);
        if (line == "/dts-v1/;")
            continue;
        if (line.starts_with("/memreserve/")) {
            std::istringstream w(line.substr(12));
            std::string a, s;
            w >> a >> s;
            tree.memreserve.emplace_back(std::stoull(a, nullptr, 0),
                                         std::stoull(s.substr(0, s.size() - 1), nullptr, 0));
            continue;
        }
        if (line == "};") {
            if (stack.empty())
                return std::nullopt;
            stack.pop_back();
            continue;
        }
        if (line.ends_with(" {")) {
            std::string name = line.substr(0, line.size() - 2);
            std::string path = stack.empty()         ? "/"
                               : stack.back() == "/" ? "/" + name
                                                     : stack.back() + "/" + name;
            stack.push_back(path);
            tree.by_path[path] = tree.nodes.size();
            tree.nodes.push_back(DtsNode{path, {}});
            continue;
        }
        if (stack.empty() || !line.ends_with(";"))
            return std::nullopt;
        line.pop_back();
        size_t eq = line.find(" = ");
        std::string name = line.substr(0, eq), value;
        if (eq != std::string::npos && !parse_value(line.substr(eq + 3), value))
            return std::nullopt;
        tree.nodes.back().props.emplace_back(name, value);
    }
    if (!stack.empty())
        return std::nullopt;
    return tree;
}

inline std::optional<DtsTree> dtc_tree(const std::string& dtb_path) {
    std::string dts = run("dtc -q -I dtb -O dts " + dtb_path + " 2>/dev/null");
    if (dts.empty())
        return std::nullopt;
    return parse_dts(dts);
}

// ---- An independent, deliberately plain reading of reg, ranges and interrupts -------------

inline uint32_t dts_cells_of(const DtsTree& t, const std::string& path, const char* name,
                             uint32_t fallback) {
    const DtsNode* n = t.node(path);
    const std::string* p = n ? n->get(name) : nullptr;
    return p && p->size() == 4 ? dts_cells(*p)[0] : fallback;
}

inline unsigned __int128 dts_number(const std::vector<uint32_t>& c, size_t at, uint32_t count) {
    unsigned __int128 v = 0;
    for (uint32_t i = 0; i < count; ++i)
        v = v << 32 | c[at + i];
    return v;
}

// `address` in the child space of `bus` to a CPU address (recursive, one call per level).
inline std::optional<uint64_t> dts_translate(const DtsTree& t, const std::string& bus,
                                             unsigned __int128 address) {
    if (bus == "/")
        return uint64_t(address);
    const std::string* ranges = t.node(bus)->get("ranges");
    if (!ranges)
        return std::nullopt;
    std::string up = dts_parent(bus);
    if (ranges->empty())
        return dts_translate(t, up, address);
    uint32_t ca = dts_cells_of(t, bus, "#address-cells", 2);
    uint32_t pa = dts_cells_of(t, up, "#address-cells", 2);
    uint32_t cs = dts_cells_of(t, bus, "#size-cells", 1);
    auto c = dts_cells(*ranges);
    for (size_t i = 0; i + ca + pa + cs <= c.size(); i += ca + pa + cs) {
        auto child = dts_number(c, i, ca), parent = dts_number(c, i + ca, pa),
             size = dts_number(c, i + ca + pa, cs);
        if (address >= child && address < child + size)
            return dts_translate(t, up, parent + (address - child));
    }
    return std::nullopt;
}

struct DtsRegion {
    uint64_t base, size;
};

// The translatable `reg` entries of a node.
inline std::vector<DtsRegion> dts_regs(const DtsTree& t, const std::string& path) {
    std::vector<DtsRegion> out;
    const std::string* reg = t.node(path)->get("reg");
    if (!reg || path == "/")
        return out;
    std::string bus = dts_parent(path);
    uint32_t ac = dts_cells_of(t, bus, "#address-cells", 2),
             sc = dts_cells_of(t, bus, "#size-cells", 1);
    auto c = dts_cells(*reg);
    for (size_t i = 0; ac + sc > 0 && i + ac + sc <= c.size(); i += ac + sc)
        if (auto base = dts_translate(t, bus, dts_number(c, i, ac)))
            out.push_back({*base, uint64_t(dts_number(c, i + ac, sc))});
    return out;
}

// The node an `interrupts` property goes to when it is reached by interrupt-parent inheritance
// only (no nexus), or "" for anything more involved.
inline std::string dts_interrupt_parent(const DtsTree& t, const std::string& path) {
    std::map<uint32_t, std::string> phandles;
    for (const auto& n : t.nodes)
        if (const std::string* ph = n.get("phandle"))
            phandles[dts_cells(*ph)[0]] = n.path;
    for (std::string p = path;; p = dts_parent(p)) {
        if (p != path && t.node(p)->get("#interrupt-cells"))
            return ""; // an ancestor is itself the parent: beyond this plain reading
        if (const std::string* ip = t.node(p)->get("interrupt-parent"))
            return phandles.count(dts_cells(*ip)[0]) ? phandles[dts_cells(*ip)[0]] : "";
        if (p == "/")
            return "";
    }
}

} // namespace jailconf::testing
