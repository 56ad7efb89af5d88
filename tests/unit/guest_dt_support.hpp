// Test support for guest device trees: a scanned board with its generated system (the same path a
// user takes: scan -> generate -> guest-dt), temporary files for dtc, and what a guest would see
// when it boots with the tree (our own scanner over the emitted blob).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <unistd.h>

#include "confgen/generate.hpp"
#include "confgen/guest_dt.hpp"
#include "confgen/load.hpp"
#include "confgen/read_file.hpp"
#include "scan/scanners.hpp"
#include "scan_dt_support.hpp"

namespace jailconf::testing {

struct Board {
    std::string name;
    std::string blob; // the host DTB
    inventory::Inventory inv;
    std::optional<guest_dt::HostTree> host;
    System system; // generated: root cell confined to the machine
    bool ok = false;
    std::string generate_error; // set when only generate failed
};

// `name` as in dt_fixtures(). Boards whose scan yields sized RAM (the Raspberry Pi's firmware
// writes memory at boot, so generate refuses it; that is the generator's test).
inline Board load_board(const std::string& name) {
    Board b;
    b.name = name;
    b.blob = read_binary(fixture_path(name));
    auto inv = scan::scan_device_tree_blob(b.blob, name);
    if (!inv)
        return b;
    b.inv = *inv;
    auto host = guest_dt::HostTree::parse(b.blob, name);
    if (!host)
        return b;
    b.host = std::move(*host);
    auto g = generate_root_system(b.inv, {});
    if (!g) {
        b.generate_error = g.error().message;
        return b;
    }
    b.system = g->system;
    b.ok = true;
    return b;
}

inline System load_example(const std::string& relative) {
    Diagnostics diags;
    auto s = load_system(std::string(JAILCONF_SOURCE_DIR) + "/" + relative, diags);
    EXPECT_TRUE(s.has_value()) << relative;
    EXPECT_FALSE(diags.has_errors()) << relative;
    return s ? *s : System{};
}

// The hypervisor's demo systems (QEMU virt, GICv3), used with the qemu-virt-gicv3 scan.
inline constexpr const char* hv_examples[] = {"examples/hv/manager.yaml", "examples/hv/cells.yaml",
                                              "examples/hv/hello.yaml", "examples/hv/rogue.yaml"};

inline std::string temp_file(const std::string& suffix, const std::string& bytes) {
    std::string tmpl = "/tmp/jailconf-guestdt-XXXXXX" + suffix;
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    int fd = ::mkstemps(name.data(), int(suffix.size()));
    if (fd < 0)
        return {};
    ::close(fd);
    std::ofstream(name.data(), std::ios::binary) << bytes;
    return name.data();
}

inline std::string dtb_string(const std::vector<uint8_t>& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

// What the guest sees: the emitted blob read back by the scanner.
inline inventory::Inventory guest_view(const std::vector<uint8_t>& dtb, const std::string& what) {
    auto inv = scan::scan_device_tree_blob(dtb_string(dtb), what);
    EXPECT_TRUE(inv.has_value()) << what << ": " << (inv ? "" : inv.error().str());
    return inv ? *inv : inventory::Inventory{};
}

} // namespace jailconf::testing
