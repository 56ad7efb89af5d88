// Shared by the binary_*_test.cpp files: a System that fills every descriptor section, the
// compiled example, and helpers to read, alter and re-seal blob bytes at known offsets.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "confgen/binary.hpp"
#include "confgen/diagnostics.hpp"
#include "confgen/load.hpp"
#include "confgen/model.hpp"
#include "jailconf/format.hpp"
#include "jailconf/seal.hpp"
#include "jailconf/verify.hpp"

namespace jailconf::binary_test {

using Bytes = std::vector<uint8_t>;

// arm64 system with every section present: the root cell has PCI devices (BARs, capabilities,
// MSI, MSI-X), stream ids and a console; "rt" has port I/O, a console and a watchdog; two links.
inline System sample_system() {
    System s;
    s.arch = Arch::arm64;
    s.platform.name = "sample-board";
    for (uint32_t i = 0; i < 4; ++i)
        s.platform.cpus.push_back(PlatformCpu{i, 0x80000000u | i, {}});
    s.platform.irqchip =
        IrqChip{IrqChipType::gicv3, 0x08000000, {}, {}, {}, 0x080a0000, 0x20000, {}, {}};
    s.platform.pci = PciHost{0x4010000000, 0x10000000, 0, 255, 0, {}};
    s.platform.iommus.push_back(Iommu{IommuType::smmuv3, 0x09050000, 0x20000, {}});
    s.hypervisor.memory_phys = PhysAddr{0x7c000000};
    s.hypervisor.memory_size = 64 << 20;
    s.hypervisor.console = Console{ConsoleType::pl011, 0x09000000, 0x1000, {}};

    Cell root;
    root.name = "root";
    root.root = true;
    root.cpus = {{2, 2, {}}, {0, 1, {}}}; // canonicalised to 0-2
    const uint32_t rwx = mem_read | mem_write | mem_execute | mem_dma;
    root.memory = {
        {"ram", PhysAddr{0x40000000}, GuestAddr{0x40000000}, 896 << 20, rwx, {}},
        {"uart0",
         PhysAddr{0x09000000},
         GuestAddr{0x09000000},
         0x1000,
         mem_read | mem_write | mem_io,
         {}},
        {"",
         PhysAddr{0x10000000},
         GuestAddr{0x10000000},
         0x2eff0000,
         mem_read | mem_write | mem_io,
         {}},
    };
    root.irqs = {{33, 33, {}}, {35, 38, {}}, {48, 79, {}}};
    PciDevice bridge;
    bridge.bdf = Bdf{0, 0, 0, 0};
    bridge.type = PciDeviceType::bridge;
    bridge.caps.push_back(PciCap{0x10, 0x40, 0x3c, false, false, {}});
    PciDevice nic;
    nic.bdf = Bdf{0, 0, 2, 0};
    nic.bars.push_back(PciBar{0, BarType::mem64, 0x10000000, 0x4000, true, {}});
    nic.bars.push_back(PciBar{2, BarType::mem32, 0x10004000, 0x1000, false, {}});
    nic.bars.push_back(PciBar{3, BarType::io, 0x1000, 0x20, false, {}});
    nic.caps.push_back(PciCap{0x05, 0x50, 0x18, false, true, {}});
    nic.caps.push_back(PciCap{0x11, 0x70, 0x0c, false, false, {}});
    nic.caps.push_back(PciCap{0x0001, 0x100, 0x40, true, false, {}});
    nic.msi = PciMsi{8, true, true, {}};
    nic.msix = PciMsix{64, 2, 0x0, 2, 0x800, {}};
    root.pci_devices = {bridge, nic};
    root.stream_ids = {{0x100, {}}, {0x108, {}}};
    root.console = Console{ConsoleType::pl011, 0x09000000, 0x1000, {}};
    s.cells.push_back(root);

    Cell rt;
    rt.name = "rt";
    rt.cpus = {{3, 3, {}}};
    rt.memory = {
        {"ram",
         PhysAddr{0x79000000},
         GuestAddr{0},
         48 << 20,
         mem_read | mem_write | mem_execute | mem_loadable,
         {}},
        {"comm",
         PhysAddr{0x78ff0000},
         GuestAddr{0x80000000},
         0x1000,
         mem_read | mem_write | mem_comm_region,
         {}},
    };
    rt.irqs = {{34, 34, {}}, {39, 39, {}}};
    rt.pio = {{0x3f8, 8, {}}};
    rt.console = Console{ConsoleType::ns16550_pio, 0x3f8, 8, {}};
    rt.watchdog = Watchdog{100, {}};
    s.cells.push_back(rt);

    s.links.push_back(Link{"ping",
                           {{"root", {}}, {"rt", {}}},
                           PhysAddr{0x78000000},
                           GuestAddr{0x78000000},
                           0x10000,
                           140,
                           {}});
    s.links.push_back(Link{"bulk",
                           {{"rt", {}}, {"root", {}}},
                           PhysAddr{0x78100000},
                           GuestAddr{0x30000000},
                           0x100000,
                           std::nullopt,
                           {}});
    return s;
}

inline std::vector<Blob> compile_ok(const System& s) {
    auto blobs = compile(s);
    EXPECT_TRUE(blobs.has_value()) << (blobs ? "" : blobs.error());
    return blobs ? *blobs : std::vector<Blob>{};
}

inline std::string example_path(const std::string& file) {
    return std::string(JAILCONF_SOURCE_DIR) + "/examples/" + file;
}

inline System load_example(const std::string& file) {
    Diagnostics diags;
    auto system = load_system(example_path(file), diags);
    std::string messages;
    for (const Diagnostic& d : diags.all())
        messages += "\n  " + d.rule + " " + d.loc.file + ":" + std::to_string(d.loc.line) + ": " +
                    d.message;
    EXPECT_TRUE(system.has_value() && !diags.has_errors()) << file << messages;
    return system ? *system : System{};
}

// Blob 0 is the system blob, then one per non-root cell (qemu-virt: "rt").
inline std::vector<Blob> compile_example(const std::string& file) {
    return compile_ok(load_example(file));
}

inline jcb::VerifyResult verify_bytes(const Bytes& b) {
    return jcb::verify(b.data(), b.size());
}

inline void reseal(Bytes& b) {
    jcb::seal(b.data(), b.size());
}

// Offset of the section table entry of `id`, and of the section body; 0 when absent.
inline uint32_t entry_offset(const Bytes& b, jcb::SectionId id) {
    const uint16_t n = jcb::load_le16(b.data() + offsetof(jcb::Header, section_count));
    for (uint32_t i = 0; i < n; ++i) {
        const uint32_t at = sizeof(jcb::Header) + i * sizeof(jcb::SectionEntry);
        if (jcb::load_le16(b.data() + at) == uint16_t(id))
            return at;
    }
    return 0;
}
inline uint32_t section_offset(const Bytes& b, jcb::SectionId id) {
    const uint32_t e = entry_offset(b, id);
    return e ? jcb::load_le32(b.data() + e + offsetof(jcb::SectionEntry, offset)) : 0;
}
inline uint32_t section_count(const Bytes& b, jcb::SectionId id) {
    const uint32_t e = entry_offset(b, id);
    return e ? jcb::load_le32(b.data() + e + offsetof(jcb::SectionEntry, count)) : 0;
}

// Byte offset of element i of section `id` (of type T), plus a field offset.
template <class T>
uint32_t elem_offset(const Bytes& b, jcb::SectionId id, uint32_t i, size_t field = 0) {
    return section_offset(b, id) + i * uint32_t(sizeof(T)) + uint32_t(field);
}

template <class T> T read_at(const Bytes& b, size_t offset) {
    T t;
    std::memcpy(&t, b.data() + offset, sizeof(T));
    return t;
}
template <class T> void write_at(Bytes& b, size_t offset, const T& t) {
    std::memcpy(b.data() + offset, &t, sizeof(T));
}

// Applies `f` to element i of section `id` in place (no re-seal).
template <class T, class F> void edit(Bytes& b, jcb::SectionId id, uint32_t i, F f) {
    const uint32_t at = elem_offset<T>(b, id, i);
    T t = read_at<T>(b, at);
    f(t);
    write_at(b, at, t);
}

inline std::string describe_result(const jcb::VerifyResult& r) {
    return std::string(jcb::verify_error_message(r.error)) + " at offset " +
           std::to_string(r.offset);
}

} // namespace jailconf::binary_test
