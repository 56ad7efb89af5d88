// Building Systems in code for the check_system() unit tests: a small valid arm64 system (QEMU
// virt shaped: root cell + one real-time cell + a link) that each test breaks in one place.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/check.hpp"
#include "confgen/diagnostics.hpp"
#include "confgen/model.hpp"

namespace jailconf::test {

// A distinct location per call, so that tests can tell which element a diagnostic points at.
inline SourceLocation next_loc() {
    static uint32_t line = 0;
    return SourceLocation{"test.yaml", ++line, 1};
}

inline constexpr uint32_t rw = mem_read | mem_write;

inline MemoryRegion region(std::string name, uint64_t phys, uint64_t size, uint32_t flags = rw,
                           std::optional<uint64_t> virt = std::nullopt) {
    return MemoryRegion{std::move(name), PhysAddr{phys}, GuestAddr{virt.value_or(phys)}, size,
                        flags,           next_loc()};
}

inline IdRange ids(uint32_t first, uint32_t last) {
    return IdRange{first, last, next_loc()};
}
inline IdRange id(uint32_t one) {
    return ids(one, one);
}

inline Cell cell(std::string name, std::vector<IdRange> cpus, bool root = false) {
    Cell c;
    c.name = std::move(name);
    c.root = root;
    c.cpus = std::move(cpus);
    c.loc = next_loc();
    return c;
}

inline Link link(std::string name, std::vector<std::string> peers, uint64_t phys, uint64_t size,
                 std::optional<uint64_t> virt = std::nullopt) {
    Link l;
    l.name = std::move(name);
    for (auto& p : peers)
        l.peers.push_back({std::move(p), next_loc()});
    l.phys = PhysAddr{phys};
    l.virt = GuestAddr{virt.value_or(phys)};
    l.size = size;
    l.loc = next_loc();
    return l;
}

inline void set_platform_cpus(System& s, uint32_t count) {
    s.platform.cpus.clear();
    for (uint32_t i = 0; i < count; ++i)
        s.platform.cpus.push_back({i, i, next_loc()});
}

// arm64, GICv3, CPUs 0-3, hypervisor at [0x7c000000, +64M). Cell "root" (CPUs 0-2, RAM
// [0x40000000, +896M), UART at 0x09000000 with its console), cell "rt" (CPU 3, RAM at
// phys 0x79000000 / virt 0, 48M; IRQ 34) and link "ping" at 0x78000000 (64K, doorbell 140).
inline System base_system() {
    System s;
    s.arch = Arch::arm64;
    s.loc = next_loc();
    s.platform.name = "test";
    s.platform.loc = next_loc();
    set_platform_cpus(s, 4);
    IrqChip gic;
    gic.type = IrqChipType::gicv3;
    gic.gicd = 0x08000000;
    gic.gicr = 0x080a0000;
    gic.gicr_stride = 0x20000;
    gic.loc = next_loc();
    s.platform.irqchip = gic;
    s.hypervisor.memory_phys = PhysAddr{0x7c000000};
    s.hypervisor.memory_size = 64 << 20;
    s.hypervisor.memory_loc = next_loc();
    s.hypervisor.loc = next_loc();

    Cell root = cell("root", {ids(0, 2)}, true);
    root.memory.push_back(region("ram", 0x40000000, 896 << 20, rw | mem_execute | mem_dma));
    root.memory.push_back(region("uart0", 0x09000000, 0x1000, rw | mem_io));
    root.irqs = {id(33), ids(35, 38)};
    root.console = Console{ConsoleType::pl011, 0x09000000, 0x1000, next_loc()};
    s.cells.push_back(std::move(root));

    Cell rt = cell("rt", {id(3)});
    rt.memory.push_back(region("ram", 0x79000000, 48 << 20, rw | mem_execute, 0x0));
    rt.irqs = {id(34)};
    s.cells.push_back(std::move(rt));

    s.links.push_back(link("ping", {"root", "rt"}, 0x78000000, 0x10000));
    s.links.back().doorbell_irq = 140;
    return s;
}

inline Diagnostics run_check(const System& s) {
    Diagnostics d;
    check_system(s, d);
    return d;
}

inline size_t count(const Diagnostics& d, std::string_view rule) {
    return size_t(std::ranges::count(d.all(), rule, &Diagnostic::rule));
}

inline std::vector<const Diagnostic*> of_rule(const Diagnostics& d, std::string_view rule) {
    std::vector<const Diagnostic*> out;
    for (const Diagnostic& x : d.all())
        if (x.rule == rule)
            out.push_back(&x);
    return out;
}

// "JC-A: message" lines, for readable failure output.
inline std::string dump(const Diagnostics& d) {
    std::string out;
    for (const Diagnostic& x : d.all())
        out += x.rule + ": " + x.message + "  [fix: " + x.fix + "]\n";
    return out;
}

} // namespace jailconf::test
