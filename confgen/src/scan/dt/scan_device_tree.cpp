// The device-tree scanner's entry points: read the tree (blob or directory form), then run the
// interpreters over it in dependency order.
#include <fmt/format.h>

#include "scan/dt/dt_index.hpp"
#include "scan/dt/fdt_reader.hpp"
#include "scan/dt/interpret.hpp"
#include "scan/dt/interrupts.hpp"
#include "scan/dt/sysfs_tree.hpp"
#include "scan/scanners.hpp"

namespace jailconf::scan {
namespace {

Expected<Inventory, ScanError> interpret(const dt::Tree& tree) {
    if (tree.nodes.empty()) {
        ScanError e;
        e.file = tree.file;
        e.message = "the device tree has no root node";
        return Unexpected(std::move(e));
    }
    dt::Index index(tree);
    dt::Interrupts irqs(index);
    Inventory inv;
    dt::Context ctx(index, irqs, inv);
    for (const std::string& p : index.problems())
        ctx.warn("dt-duplicate-phandle", p);
    // Dedicated facts first, so each claims its nodes before the generic device pass.
    dt::interpret_machine(ctx);
    dt::interpret_cpus(ctx);
    dt::interpret_memory(ctx);
    dt::interpret_gic(ctx);
    dt::interpret_timers(ctx);
    dt::interpret_iommus(ctx);
    dt::interpret_pci(ctx);
    dt::interpret_consoles(ctx);
    dt::interpret_devices(ctx);
    return inv;
}

} // namespace

Expected<Inventory, ScanError> scan_device_tree_blob(std::string_view blob,
                                                     const std::string& file) {
    if (blob.size() > fdt::max_blob_size) {
        ScanError e;
        e.kind = ScanError::Kind::too_large;
        e.file = file;
        e.message = fmt::format("{} bytes is larger than the {} byte limit for a device tree blob",
                                blob.size(), fdt::max_blob_size);
        return Unexpected(std::move(e));
    }
    auto tree = dt::read_fdt(blob, file);
    if (!tree)
        return Unexpected(tree.error());
    return interpret(*tree);
}

Expected<Inventory, ScanError> scan_device_tree_directory(const MachineFiles& files,
                                                          std::string_view dir) {
    auto tree = dt::read_sysfs_tree(files, dir);
    if (!tree)
        return Unexpected(tree.error());
    return interpret(*tree);
}

} // namespace jailconf::scan
