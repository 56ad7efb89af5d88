// What a guest booting with its tree would see equals what the cell owns: the emitted blob read
// back by the scanner gives the cell's CPUs, its RAM at guest addresses, its reserved regions and
// links, devices only inside its regions with only its interrupts, and every device the cell's
// regions hold. Real inputs: every board fixture (scan -> generate -> guest tree) and
// examples/qemu-virt.yaml.
#include <algorithm>
#include <array>
#include <set>

#include "guest_dt_support.hpp"

namespace jailconf {
namespace {

using namespace jailconf::testing;
using inventory::Region;

std::vector<uint32_t> cpu_ids(const Cell& c) {
    std::vector<uint32_t> out;
    for (const auto& r : c.cpus)
        for (uint32_t i = r.first; i <= r.last; ++i)
            out.push_back(i);
    return out;
}

bool is_ram(const MemoryRegion& r) {
    return !(r.flags & mem_io) && (r.flags & mem_read) && (r.flags & mem_write) &&
           !(r.flags & (mem_comm_region | mem_shared | mem_rootshared));
}

bool in_cell_guest_space(const Cell& c, const Region& r) {
    for (const auto& m : c.memory)
        if (r.base >= m.virt.value && r.base + r.size <= m.virt.value + m.size)
            return true;
    return false;
}

bool owned(const Cell& c, uint32_t intid) {
    if (intid >= 16 && intid < 32)
        return true;
    for (const auto& r : c.irqs)
        if (r.contains(intid))
            return true;
    return false;
}

std::optional<uint64_t> guest_of(const Cell& c, const Region& r) {
    for (const auto& m : c.memory)
        if ((m.flags & mem_io) && r.base >= m.phys.value &&
            r.base + r.size <= m.phys.value + m.size)
            return m.virt.value + (r.base - m.phys.value);
    return std::nullopt;
}

// Every property of the guest view `g` (set here, for more checks) against the cell.
void expect_matches_cell(const System& s, const Cell& cell, const inventory::Inventory& host,
                         const std::vector<uint8_t>& dtb, const std::vector<std::string>& notes,
                         const std::string& what, inventory::Inventory& g) {
    SCOPED_TRACE(what + " cell " + cell.name);
    g = guest_view(dtb, what);

    // CPUs: the cell's, by MPIDR, started with PSCI over HVC.
    std::set<uint64_t> want_cpus, got_cpus;
    for (uint32_t id : cpu_ids(cell))
        for (const auto& p : s.platform.cpus)
            if (p.id == id)
                want_cpus.insert(p.hw_id);
    for (const auto& c : g.cpus) {
        got_cpus.insert(c.hw_id);
        EXPECT_EQ(c.enable_method, "psci");
    }
    EXPECT_EQ(g.cpus.size(), cpu_ids(cell).size());
    EXPECT_EQ(got_cpus, want_cpus);
    ASSERT_TRUE(g.psci);
    EXPECT_EQ(g.psci->method, "hvc");

    // RAM: exactly the cell's RAM regions at their guest addresses.
    std::vector<std::pair<uint64_t, uint64_t>> want_ram, got_ram;
    for (const auto& m : cell.memory)
        if (is_ram(m))
            want_ram.emplace_back(m.virt.value, m.size);
    for (const auto& m : g.memory)
        got_ram.emplace_back(m.region.base, m.region.size);
    std::sort(want_ram.begin(), want_ram.end());
    std::sort(got_ram.begin(), got_ram.end());
    EXPECT_EQ(got_ram, want_ram);

    // Reserved: the comm region, shared regions and the cell's links, never mapped.
    std::vector<std::pair<uint64_t, uint64_t>> want_rsv, got_rsv;
    for (const auto& m : cell.memory)
        if (!(m.flags & mem_io) && (m.flags & (mem_comm_region | mem_shared | mem_rootshared)))
            want_rsv.emplace_back(m.virt.value, m.size);
    for (const auto& l : s.links)
        for (const auto& p : l.peers)
            if (p.cell == cell.name)
                want_rsv.emplace_back(l.virt.value, l.size);
    for (const auto& r : g.reserved) {
        EXPECT_TRUE(r.no_map) << r.name;
        got_rsv.emplace_back(r.region.base, r.region.size);
    }
    std::sort(want_rsv.begin(), want_rsv.end());
    std::sort(got_rsv.begin(), got_rsv.end());
    EXPECT_EQ(got_rsv, want_rsv);

    // The GIC at the platform's distributor; the timer with the host's interrupts.
    ASSERT_TRUE(g.gic);
    EXPECT_EQ(g.gic->distributor.base, *s.platform.irqchip->gicd);
    if (s.platform.irqchip->type == IrqChipType::gicv3) {
        uint64_t stride = s.platform.irqchip->gicr_stride.value_or(0x20000);
        uint64_t frames = 0;
        for (const auto& r : g.gic->redistributors) {
            EXPECT_EQ(r.size % stride, 0u);
            EXPECT_GE(r.base, *s.platform.irqchip->gicr);
            frames += r.size / stride;
        }
        EXPECT_EQ(frames, cpu_ids(cell).size());
    }
    ASSERT_FALSE(g.timers.empty());
    ASSERT_FALSE(host.timers.empty());
    std::vector<uint32_t> want_timer, got_timer;
    for (const auto& i : host.timers.front().irqs)
        want_timer.push_back(i.id);
    for (const auto& i : g.timers.front().irqs)
        got_timer.push_back(i.id);
    EXPECT_EQ(got_timer, want_timer);

    // Devices: inside the cell's regions, with the cell's interrupts only ...
    for (const auto& d : g.devices) {
        for (const auto& r : d.regs)
            EXPECT_TRUE(in_cell_guest_space(cell, r)) << d.path;
        for (const auto& i : d.irqs)
            EXPECT_TRUE(owned(cell, i.id)) << d.path << " irq " << i.id;
    }
    // ... and every host device the cell's io regions hold is there, at its guest address, or
    // named in a note that says why not.
    for (const auto& d : host.devices) {
        if (d.status != "okay" || d.compatible.empty() || d.regs.empty())
            continue;
        bool all_inside = true;
        for (const auto& r : d.regs)
            all_inside &= r.size != 0 && guest_of(cell, r).has_value();
        if (!all_inside)
            continue;
        uint64_t base = *guest_of(cell, d.regs.front());
        auto it = std::find_if(g.devices.begin(), g.devices.end(), [&](const auto& x) {
            return x.compatible == d.compatible && !x.regs.empty() && x.regs.front().base == base;
        });
        if (it == g.devices.end()) {
            bool explained = std::any_of(notes.begin(), notes.end(), [&](const std::string& n) {
                return n.starts_with("device " + d.path + ":");
            });
            EXPECT_TRUE(explained) << d.path << " missing from the guest without a note";
            continue;
        }
        EXPECT_EQ(it->regs.size(), d.regs.size()) << d.path;
        size_t owned_irqs = 0;
        for (const auto& i : d.irqs)
            owned_irqs += owned(cell, i.id);
        EXPECT_EQ(it->irqs.size(), owned_irqs) << d.path;
    }
}

TEST(GuestDtConsistency, EveryBoardsRootCellSeesExactlyItsResources) {
    size_t boards = 0;
    for (const std::string& name : dt_fixtures()) {
        Board b = load_board(name);
        if (!b.ok) { // generate refuses a blob without sized RAM (its own test); nothing else
            EXPECT_FALSE(b.generate_error.empty()) << name;
            continue;
        }
        ++boards;
        const Cell& root = b.system.cells.front();
        for (const guest_dt::HostTree* host :
             std::array<const guest_dt::HostTree*, 2>{&*b.host, nullptr}) {
            auto tree = guest_dt::build_tree(b.system, root, b.inv, host);
            ASSERT_TRUE(tree.has_value()) << name << ": " << tree.error().message;
            auto dtb = guest_dt::to_dtb(*tree);
            ASSERT_TRUE(dtb.has_value()) << name;
            inventory::Inventory g;
            expect_matches_cell(b.system, root, b.inv, *dtb, tree->notes, name, g);
            EXPECT_FALSE(g.devices.empty()) << name;
        }
    }
    EXPECT_GE(boards, 1u);
}

TEST(GuestDtConsistency, QemuVirtExampleRootAndRealTimeCell) {
    Board b = load_board("qemu-virt-gicv3");
    ASSERT_TRUE(b.ok);
    System s = load_example("examples/qemu-virt.yaml");
    ASSERT_EQ(s.cells.size(), 2u);
    for (const Cell& cell : s.cells) {
        auto tree = guest_dt::build_tree(s, cell, b.inv, &*b.host);
        ASSERT_TRUE(tree.has_value()) << cell.name << ": " << tree.error().message;
        auto dtb = guest_dt::to_dtb(*tree);
        ASSERT_TRUE(dtb.has_value());
        inventory::Inventory g;
        expect_matches_cell(s, cell, b.inv, *dtb, tree->notes, "qemu-virt.yaml", g);
        if (cell.console) {
            // /chosen stdout-path selects the cell's console device.
            auto chosen = std::find_if(g.consoles.begin(), g.consoles.end(),
                                       [](const auto& c) { return c.chosen; });
            ASSERT_NE(chosen, g.consoles.end()) << cell.name;
            EXPECT_EQ(chosen->base, cell.console->base);
        }
    }
    // The link's doorbell is an edge-triggered SPI on its shared-memory node in each peer.
    const Link& link = s.links.front();
    ASSERT_TRUE(link.doorbell_irq);
    for (const auto& peer : link.peers) {
        auto tree = guest_dt::build_tree(s, *s.find_cell(peer.cell), b.inv, &*b.host);
        ASSERT_TRUE(tree.has_value());
        const auto* rm = tree->root.child("reserved-memory");
        ASSERT_NE(rm, nullptr);
        const guest_dt::Node* shm = nullptr;
        for (const auto& c : rm->children)
            if (const auto* l = c.find("jailconf,link"); l && l->value == link.name + '\0')
                shm = &c;
        ASSERT_NE(shm, nullptr) << peer.cell;
        EXPECT_EQ(shm->find("interrupts")->value,
                  guest_dt::Property::cells("", {0, *link.doorbell_irq - 32, 1}).value);
        EXPECT_EQ(shm->find("compatible")->value, std::string("jailconf,shared-memory") + '\0');
    }
}

TEST(GuestDtConsistency, HypervisorDemoCells) {
    Board b = load_board("qemu-virt-gicv3");
    ASSERT_TRUE(b.ok);
    for (const char* example : hv_examples) {
        System s = load_example(example);
        for (const Cell& cell : s.cells) {
            auto tree = guest_dt::build_tree(s, cell, b.inv, &*b.host);
            ASSERT_TRUE(tree.has_value())
                << example << " " << cell.name << ": " << tree.error().message;
            auto dtb = guest_dt::to_dtb(*tree);
            ASSERT_TRUE(dtb.has_value());
            inventory::Inventory g;
            expect_matches_cell(s, cell, b.inv, *dtb, tree->notes, example, g);
        }
    }
}

TEST(GuestDtConsistency, AnInterruptTheCellDoesNotOwnIsLeftOutAndSaid) {
    Board b = load_board("qemu-virt-gicv3");
    ASSERT_TRUE(b.ok);
    Cell& root = b.system.cells.front();
    ASSERT_TRUE(root.console);
    // The console UART's interrupt, from the inventory, is taken away from the cell.
    auto uart = std::find_if(b.inv.devices.begin(), b.inv.devices.end(), [&](const auto& d) {
        return !d.regs.empty() && d.regs.front().base == root.console->base;
    });
    ASSERT_NE(uart, b.inv.devices.end());
    ASSERT_EQ(uart->irqs.size(), 1u);
    uint32_t irq = uart->irqs.front().id;
    std::vector<IdRange> kept;
    for (const auto& r : root.irqs)
        for (uint32_t i = r.first; i <= r.last; ++i)
            if (i != irq)
                kept.push_back(IdRange{i, i, {}});
    root.irqs = kept;
    auto tree = guest_dt::build_tree(b.system, root, b.inv, &*b.host);
    ASSERT_TRUE(tree.has_value());
    auto dtb = guest_dt::to_dtb(*tree);
    ASSERT_TRUE(dtb.has_value());
    inventory::Inventory g;
    expect_matches_cell(b.system, root, b.inv, *dtb, tree->notes, "qemu-virt without uart irq", g);
    bool said = false;
    for (const auto& n : tree->notes)
        said |= n.find(uart->path) != std::string::npos &&
                n.find(std::to_string(irq)) != std::string::npos;
    EXPECT_TRUE(said);
}

} // namespace
} // namespace jailconf
