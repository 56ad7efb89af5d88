// Guest device trees: for each cell, the device tree its operating system should boot with,
// describing exactly what the cell gets (CPUs, RAM at guest addresses, the GIC, the architected
// timer, PSCI, assigned devices with translated registers and owned interrupts, shared-memory
// links, the console). One in-memory tree per cell; the flattened blob (.dtb) and the source
// text (.dts) are two serializations of it. See docs/guest-device-trees.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/expected.hpp"
#include "confgen/inventory.hpp"
#include "confgen/model.hpp"
#include "confgen/scan_error.hpp"

namespace jailconf::guest_dt {

// How a property's bytes are meant, so that the DTS text shows them as written by hand. The
// blob holds the same bytes whatever the kind.
enum class ValueKind : uint8_t { empty, cells, strings, bytes };

struct Property {
    std::string name;
    std::string value; // raw bytes, big-endian cells
    ValueKind kind = ValueKind::bytes;
    bool phandles = false; // every cell is a phandle: the DTS writes references to labels

    static Property flag(std::string name);
    static Property cells(std::string name, const std::vector<uint32_t>& cells);
    // Cells that are all phandles of nodes in the same tree (interrupt-parent, clocks).
    static Property phandle_list(std::string name, const std::vector<uint32_t>& phandles);
    static Property strings(std::string name, const std::vector<std::string>& strings);
    static Property string(std::string name, std::string_view s) {
        return strings(std::move(name), {std::string(s)});
    }
    // Copied from another tree: the kind is guessed as dtc does (strings, cells, bytes).
    static Property raw(std::string name, std::string value);
};

struct Node {
    std::string name;  // "serial@9000000"; "" for the root
    std::string label; // DTS label of a node others refer to ("gic"); "" when none
    std::vector<Property> properties;
    std::vector<Node> children;

    const Property* find(std::string_view property) const;
    const Node* child(std::string_view name) const;
};

struct Tree {
    std::string cell;
    Node root;
    uint32_t boot_cpuid = 0; // physical id of the boot CPU, in the blob header
    // What was deliberately left out or assumed, one line each ("device X: interrupt 45 is not
    // the cell's, left out").
    std::vector<std::string> notes;
};

struct Error {
    enum class Kind : uint8_t {
        unsupported, // a case not built yet (exit 2)
        input,       // the system, inventory or host tree cannot give a guest tree (exit 1)
    };
    Kind kind = Kind::input;
    std::string message;
    std::string fix;
};

// The host's device tree blob, read once with the scanner's FDT reader, used to copy each
// assigned device's plain properties and its fixed clocks.
class HostTree {
  public:
    static Expected<HostTree, ScanError> parse(std::string_view blob, const std::string& file);
    HostTree(HostTree&&) noexcept;
    HostTree& operator=(HostTree&&) noexcept;
    ~HostTree();

    struct Impl;
    const Impl& impl() const { return *impl_; }

  private:
    explicit HostTree(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The tree of one cell. `host` may be null: devices then carry what the inventory knows
// (compatible, reg, interrupts) and nothing more.
Expected<Tree, Error> build_tree(const System& system, const Cell& cell,
                                 const inventory::Inventory& inventory, const HostTree* host);

// The flattened device tree (version 17), deterministic: the same tree gives the same bytes.
Expected<std::vector<uint8_t>, Error> to_dtb(const Tree& tree);
// DTS source that `dtc -I dts -O dtb` compiles to the same tree as `to_dtb`.
std::string to_dts(const Tree& tree);

} // namespace jailconf::guest_dt
