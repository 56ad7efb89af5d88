// The typed model as Python classes: attributes read/write, lists mutable in place, enums and
// memory flags as strings (the YAML names), addresses as ints, __repr__ and structural __eq__.
#include <cstdint>
#include <type_traits>

#include <fmt/format.h>
#include <pybind11/stl.h>
#include <pybind11/stl_bind.h>

#include "bindings.hpp"
#include "lifetime_guard.hpp"
#include "model_eq.hpp"
#include "ops.hpp"

namespace pyjailconf {

using namespace jailconf;

namespace {

std::string hex(uint64_t v) {
    return fmt::format("{:#x}", v);
}

template <class T> std::string opt_hex(const std::optional<T>& v) {
    return v ? hex(*v) : std::string("None");
}

template <class T> std::string repr_of(const T& value) {
    return py::repr(py::cast(value)).template cast<std::string>();
}

template <class T> std::string opt_repr(const std::optional<T>& v) {
    return v ? repr_of(*v) : std::string("None");
}

// A string property over an enum member, checked with enum_from_string.
template <class E, class C> void def_enum(py::class_<C>& cls, const char* name, E C::*member) {
    cls.def_property(
        name, [member](const C& self) { return std::string(to_string(self.*member)); },
        [member, name](C& self, const std::string& value) {
            auto parsed = enum_from_string<E>(value);
            if (!parsed)
                throw py::value_error(fmt::format("unknown {} '{}'", name, value));
            self.*member = *parsed;
        });
}

// An optional sub-object: reading gives the contained object itself (so `cell.console.base = x`
// changes the cell) or None; assigning an object or None replaces it.
template <class T, class C>
void def_optional(py::class_<C>& cls, const char* name, std::optional<T> C::*member) {
    cls.def_property(
        name, [member](C& self) -> T* { return self.*member ? &*(self.*member) : nullptr; },
        [member](C& self, std::optional<T> value) { self.*member = std::move(value); });
}

// An address member of a Strong type, as a plain int.
template <class Tag, class C>
void def_address(py::class_<C>& cls, const char* name, Strong<Tag, uint64_t> C::*member) {
    cls.def_property(
        name, [member](const C& self) { return (self.*member).value; },
        [member](C& self, uint64_t v) { (self.*member).value = v; });
}

template <class C> void def_location(py::class_<C>& cls) {
    cls.def_property_readonly(
        "location",
        [](const C& self) -> py::object {
            if (!self.loc.known())
                return py::none();
            return py::make_tuple(self.loc.file, self.loc.line, self.loc.column);
        },
        "(file, line, column) where the element was declared, or None");
}

// Common protocol: keyword constructor (any attribute), ==, copy, repr.
template <class C, class Repr> void def_common(py::class_<C>& cls, Repr repr) {
    cls.def(py::init([](const py::kwargs& kwargs) {
                py::object obj = py::cast(C{});
                for (auto item : kwargs)
                    py::setattr(obj, item.first, item.second);
                if constexpr (std::is_same_v<C, MemoryRegion> || std::is_same_v<C, Link>) {
                    // virt equals phys unless given, as in YAML
                    if (kwargs.contains("phys") && !kwargs.contains("virt"))
                        obj.attr("virt") = obj.attr("phys");
                }
                return obj.cast<C>();
            }),
            "Create with keyword arguments naming attributes")
        .def(
            "__eq__", [](const C& a, const C& b) { return same(a, b); }, py::is_operator())
        .def(
            "__eq__", [](const C&, const py::object&) { return false; }, py::is_operator())
        .def("__copy__", [](const C& self) { return C(self); })
        .def(
            "__deepcopy__", [](const C& self, const py::object&) { return C(self); },
            py::arg("memo"))
        .def(
            "copy", [](const C& self) { return C(self); }, "A deep copy")
        .def("__repr__", repr);
    cls.attr("__hash__") = py::none();
    def_location(cls);
}

// Replaces the methods of a bound list that can move or free its elements by guarded ones. An
// append within the list's capacity moves nothing and needs no check.
template <class V> void guard_structural_methods(py::class_<V, std::unique_ptr<V>>& cls) {
    for (const char* name : {"append", "extend", "insert", "pop", "remove", "clear", "__delitem__",
                             "__setitem__", "__iadd__"}) {
        if (!py::hasattr(cls, name))
            continue;
        py::object original = cls.attr(name);
        const bool is_append = std::string_view(name) == "append";
        cls.attr(name) = py::cpp_function(
            [original, is_append](py::object self, const py::args& args, const py::kwargs& kwargs) {
                const V& v = self.cast<const V&>();
                if (!is_append || v.size() == v.capacity())
                    ensure_unreferenced(v);
                return original(self, *args, **kwargs);
            },
            py::name(name), py::is_method(cls));
    }
}

// A list attribute: reading gives the list itself (changed in place); assigning replaces it,
// after checking that no Python view into the old elements is alive.
template <class T, class C>
void def_list(py::class_<C>& cls, const char* name, std::vector<T> C::*member) {
    cls.def_property(
        name, [member](C& self) -> std::vector<T>& { return self.*member; },
        [member](C& self, const std::vector<T>& value) {
            ensure_unreferenced(self.*member);
            self.*member = value;
        },
        py::return_value_policy::reference_internal);
}

// A sub-object that owns lists (the platform): assigning it replaces those lists.
template <class T, class C> void def_owner(py::class_<C>& cls, const char* name, T C::*member) {
    cls.def_property(
        name, [member](C& self) -> T& { return self.*member; },
        [member](C& self, const T& value) {
            ensure_unreferenced(self.*member);
            self.*member = value;
        },
        py::return_value_policy::reference_internal);
}

// A list of model elements, changed in place; see lifetime_guard.hpp for held elements.
template <class V> void bind_list(py::module_& m, const char* name) {
    auto cls = py::bind_vector<V>(m, name);
    cls.def(
           "__eq__", [](const V& a, const V& b) { return same(a, b); }, py::is_operator())
        .def(
            "__eq__",
            [](const V& a, const py::list& b) {
                using T = typename V::value_type;
                if (a.size() != b.size())
                    return false;
                for (size_t i = 0; i < a.size(); ++i)
                    if (!py::isinstance<T>(b[i]) || !same(a[i], b[i].cast<const T&>()))
                        return false;
                return true;
            },
            py::is_operator())
        .def("__repr__", [](const py::object& self) { return py::repr(py::list(self)); });
    guard_structural_methods<V>(cls);
    // `cell.memory = [r1, r2]` assigns a plain list or tuple
    py::implicitly_convertible<py::list, V>();
    py::implicitly_convertible<py::tuple, V>();
}

std::vector<std::string> flag_names(uint32_t flags) {
    std::vector<std::string> out;
    for (auto n : mem_flag_names(flags))
        out.emplace_back(n);
    return out;
}

uint32_t flags_from_names(const std::vector<std::string>& names) {
    uint32_t flags = 0;
    for (const auto& n : names) {
        auto f = mem_flag_from_name(n);
        if (!f)
            throw py::value_error(fmt::format("unknown memory flag '{}'", n));
        flags |= *f;
    }
    return flags;
}

std::string ranges_repr(const std::vector<IdRange>& ranges) {
    std::string out = "[";
    for (size_t i = 0; i < ranges.size(); ++i) {
        if (i)
            out += ", ";
        out += ranges[i].first == ranges[i].last
                   ? fmt::format("{}", ranges[i].first)
                   : fmt::format("{}-{}", ranges[i].first, ranges[i].last);
    }
    return out + "]";
}

Bdf parse_bdf(const std::string& text) {
    // "SSSS:BB:DD.F" or "BB:DD.F", hex fields
    unsigned seg = 0, bus = 0, dev = 0, fn = 0;
    char tail = 0;
    int n = std::sscanf(text.c_str(), "%x:%x:%x.%x%c", &seg, &bus, &dev, &fn, &tail);
    if (n != 4) {
        seg = 0;
        n = std::sscanf(text.c_str(), "%x:%x.%x%c", &bus, &dev, &fn, &tail);
        if (n != 3)
            throw py::value_error(fmt::format("bad BDF '{}' (expected BB:DD.F)", text));
    }
    if (seg > 0xffff || bus > 0xff || dev > 31 || fn > 7)
        throw py::value_error(fmt::format("BDF '{}' out of range", text));
    return Bdf{uint16_t(seg), uint8_t(bus), uint8_t(dev), uint8_t(fn)};
}

} // namespace

void bind_model(py::module_& m) {
    bind_list<std::vector<Cell>>(m, "CellList");
    bind_list<std::vector<MemoryRegion>>(m, "MemoryRegionList");
    bind_list<std::vector<IdRange>>(m, "IdRangeList");
    bind_list<std::vector<PciDevice>>(m, "PciDeviceList");
    bind_list<std::vector<PciBar>>(m, "PciBarList");
    bind_list<std::vector<PciCap>>(m, "PciCapList");
    bind_list<std::vector<StreamId>>(m, "StreamIdList");
    bind_list<std::vector<PioRange>>(m, "PioRangeList");
    bind_list<std::vector<PlatformCpu>>(m, "PlatformCpuList");
    bind_list<std::vector<Iommu>>(m, "IommuList");
    bind_list<std::vector<Link>>(m, "LinkList");
    bind_list<std::vector<Waiver>>(m, "WaiverList");

    py::class_<MemoryRegion> region(m, "MemoryRegion", "A memory or MMIO region of a cell");
    region.def_readwrite("name", &MemoryRegion::name)
        .def_readwrite("size", &MemoryRegion::size)
        .def_property(
            "flags", [](const MemoryRegion& r) { return flag_names(r.flags); },
            [](MemoryRegion& r, const std::vector<std::string>& names) {
                r.flags = flags_from_names(names);
            },
            "Flag names, e.g. ['read', 'write', 'io'] (assign a new list to change)")
        .def_property(
            "flag_bits", [](const MemoryRegion& r) { return r.flags; },
            [](MemoryRegion& r, uint32_t bits) {
                if (bits & ~mem_flags_all)
                    throw py::value_error(
                        fmt::format("unknown memory flag bits {:#x}", bits & ~mem_flags_all));
                r.flags = bits;
            },
            "The flags as the descriptor's bit mask")
        .def_property_readonly("end", [](const MemoryRegion& r) { return r.phys.value + r.size; });
    def_address(region, "phys", &MemoryRegion::phys);
    def_address(region, "virt", &MemoryRegion::virt);
    def_common(region, [](const MemoryRegion& r) {
        return fmt::format("MemoryRegion(name={}, phys={}, virt={}, size={}, flags={})", q(r.name),
                           hex(r.phys.value), hex(r.virt.value), hex(r.size),
                           repr_of(flag_names(r.flags)));
    });

    py::class_<IdRange> ids(m, "IdRange", "An inclusive range of CPU or interrupt ids");
    ids.def_readwrite("first", &IdRange::first)
        .def_readwrite("last", &IdRange::last)
        .def("__contains__", [](const IdRange& r, uint32_t id) { return r.contains(id); })
        .def("__iter__",
             [](const IdRange& r) {
                 py::list out;
                 for (uint64_t i = r.first; i <= r.last && r.first <= r.last; ++i)
                     out.append(i);
                 return py::iter(out);
             })
        .def("__len__",
             [](const IdRange& r) { return r.last >= r.first ? size_t(r.last - r.first) + 1 : 0; });
    def_common(ids, [](const IdRange& r) {
        return fmt::format("IdRange(first={}, last={})", r.first, r.last);
    });

    py::class_<PciBar> bar(m, "PciBar", "A BAR of a PCI device");
    bar.def_readwrite("index", &PciBar::index)
        .def_readwrite("addr", &PciBar::addr)
        .def_readwrite("size", &PciBar::size)
        .def_readwrite("prefetchable", &PciBar::prefetchable);
    def_enum(bar, "type", &PciBar::type);
    def_common(bar, [](const PciBar& b) {
        return fmt::format("PciBar(index={}, type={}, addr={}, size={}, prefetchable={})", b.index,
                           q(std::string(to_string(b.type))), hex(b.addr), hex(b.size),
                           b.prefetchable ? "True" : "False");
    });

    py::class_<PciCap> cap(m, "PciCap", "A PCI capability the cell may see");
    cap.def_readwrite("id", &PciCap::id)
        .def_readwrite("offset", &PciCap::offset)
        .def_readwrite("size", &PciCap::size)
        .def_readwrite("extended", &PciCap::extended)
        .def_readwrite("writable", &PciCap::writable);
    def_common(cap, [](const PciCap& c) {
        return fmt::format("PciCap(id={:#x}, offset={:#x}, size={}, extended={}, writable={})",
                           c.id, c.offset, c.size, c.extended ? "True" : "False",
                           c.writable ? "True" : "False");
    });

    py::class_<PciMsi> msi(m, "PciMsi", "MSI capability of a PCI device");
    msi.def_readwrite("vectors", &PciMsi::vectors)
        .def_readwrite("addr64", &PciMsi::addr64)
        .def_readwrite("maskable", &PciMsi::maskable);
    def_common(msi, [](const PciMsi& v) {
        return fmt::format("PciMsi(vectors={}, addr64={}, maskable={})", v.vectors,
                           v.addr64 ? "True" : "False", v.maskable ? "True" : "False");
    });

    py::class_<PciMsix> msix(m, "PciMsix", "MSI-X capability of a PCI device");
    msix.def_readwrite("vectors", &PciMsix::vectors)
        .def_readwrite("table_bar", &PciMsix::table_bar)
        .def_readwrite("table_offset", &PciMsix::table_offset)
        .def_readwrite("pba_bar", &PciMsix::pba_bar)
        .def_readwrite("pba_offset", &PciMsix::pba_offset);
    def_common(msix, [](const PciMsix& v) {
        return fmt::format(
            "PciMsix(vectors={}, table_bar={}, table_offset={:#x}, pba_bar={}, pba_offset={:#x})",
            v.vectors, v.table_bar, v.table_offset, v.pba_bar, v.pba_offset);
    });

    py::class_<PciDevice> pci(m, "PciDevice", "A PCI device (or bridge) assigned to a cell");
    pci.def_property(
           "bdf", [](const PciDevice& d) { return format_bdf(d.bdf); },
           [](PciDevice& d, const std::string& text) { d.bdf = parse_bdf(text); },
           "Bus/device/function as text, e.g. '00:01.0'")
        .def_property(
            "bdf_packed", [](const PciDevice& d) { return d.bdf.packed(); },
            [](PciDevice& d, uint32_t v) { d.bdf = Bdf::from_packed(v); });
    def_list(pci, "bars", &PciDevice::bars);
    def_list(pci, "caps", &PciDevice::caps);
    def_enum(pci, "type", &PciDevice::type);
    def_optional(pci, "msi", &PciDevice::msi);
    def_optional(pci, "msix", &PciDevice::msix);
    def_common(pci, [](const PciDevice& d) {
        return fmt::format("PciDevice(bdf={}, type={}, bars={}, caps={}, msi={}, msix={})",
                           q(format_bdf(d.bdf)), q(std::string(to_string(d.type))), d.bars.size(),
                           d.caps.size(), opt_repr(d.msi), opt_repr(d.msix));
    });

    py::class_<StreamId> sid(m, "StreamId", "An IOMMU stream id owned by a cell");
    sid.def_readwrite("id", &StreamId::id);
    def_common(sid, [](const StreamId& s) { return fmt::format("StreamId(id={:#x})", s.id); });

    py::class_<PioRange> pio(m, "PioRange", "An x86 port I/O range a cell may access");
    pio.def_readwrite("base", &PioRange::base).def_readwrite("size", &PioRange::size);
    def_common(pio, [](const PioRange& p) {
        return fmt::format("PioRange(base={:#x}, size={:#x})", p.base, p.size);
    });

    py::class_<Console> console(m, "Console", "A debug console (UART)");
    console.def_readwrite("base", &Console::base).def_readwrite("size", &Console::size);
    def_enum(console, "type", &Console::type);
    def_common(console, [](const Console& c) {
        return fmt::format("Console(type={}, base={}, size={})", q(std::string(to_string(c.type))),
                           hex(c.base), hex(c.size));
    });

    py::class_<Watchdog> watchdog(m, "Watchdog", "The cell watchdog");
    watchdog.def_readwrite("timeout_ms", &Watchdog::timeout_ms);
    def_common(watchdog, [](const Watchdog& w) {
        return fmt::format("Watchdog(timeout_ms={})", w.timeout_ms);
    });

    py::class_<Waiver> waiver(m, "Waiver",
                              "A kb finding the cell accepts: lint reports it as a note with the "
                              "reason (Diagnostic.suppression)");
    waiver.def_readwrite("rule", &Waiver::rule).def_readwrite("reason", &Waiver::reason);
    def_common(waiver, [](const Waiver& w) {
        return fmt::format("Waiver(rule={}, reason={})", q(w.rule), q(w.reason));
    });

    py::class_<Cell> cell(m, "Cell", "A cell (partition)");
    cell.def_readwrite("name", &Cell::name)
        .def_readwrite("root", &Cell::root)
        .def(
            "find_region",
            [](Cell& c, const std::string& name) -> MemoryRegion* {
                for (auto& r : c.memory)
                    if (r.name == name)
                        return &r;
                return nullptr;
            },
            py::return_value_policy::reference_internal, py::arg("name"),
            "The memory region called `name`, or None");
    def_list(cell, "cpus", &Cell::cpus);
    def_list(cell, "memory", &Cell::memory);
    def_list(cell, "irqs", &Cell::irqs);
    def_list(cell, "pci_devices", &Cell::pci_devices);
    def_list(cell, "stream_ids", &Cell::stream_ids);
    def_list(cell, "pio", &Cell::pio);
    def_optional(cell, "console", &Cell::console);
    def_optional(cell, "watchdog", &Cell::watchdog);
    def_list(cell, "waivers", &Cell::waivers);
    def_common(cell, [](const Cell& c) {
        return fmt::format("Cell(name={}, root={}, cpus={}, memory={} regions, irqs={}, "
                           "pci_devices={}, console={}, watchdog={})",
                           q(c.name), c.root ? "True" : "False", ranges_repr(c.cpus),
                           c.memory.size(), ranges_repr(c.irqs), c.pci_devices.size(),
                           opt_repr(c.console), opt_repr(c.watchdog));
    });

    py::class_<IrqChip> irqchip(m, "IrqChip", "The interrupt controller of the platform");
    irqchip.def_readwrite("gicd", &IrqChip::gicd)
        .def_readwrite("gicc", &IrqChip::gicc)
        .def_readwrite("gich", &IrqChip::gich)
        .def_readwrite("gicv", &IrqChip::gicv)
        .def_readwrite("gicr", &IrqChip::gicr)
        .def_readwrite("gicr_stride", &IrqChip::gicr_stride)
        .def_readwrite("ioapic", &IrqChip::ioapic);
    def_enum(irqchip, "type", &IrqChip::type);
    def_common(irqchip, [](const IrqChip& c) {
        return fmt::format("IrqChip(type={}, gicd={}, gicc={}, gich={}, gicv={}, gicr={}, "
                           "gicr_stride={}, ioapic={})",
                           q(std::string(to_string(c.type))), opt_hex(c.gicd), opt_hex(c.gicc),
                           opt_hex(c.gich), opt_hex(c.gicv), opt_hex(c.gicr),
                           opt_hex(c.gicr_stride), opt_hex(c.ioapic));
    });

    py::class_<PciHost> host(m, "PciHost", "The PCI host bridge (ECAM window)");
    host.def_readwrite("ecam", &PciHost::ecam)
        .def_readwrite("ecam_size", &PciHost::ecam_size)
        .def_readwrite("bus_start", &PciHost::bus_start)
        .def_readwrite("bus_end", &PciHost::bus_end)
        .def_readwrite("segment", &PciHost::segment);
    def_common(host, [](const PciHost& h) {
        return fmt::format("PciHost(ecam={}, ecam_size={}, bus_start={}, bus_end={}, segment={})",
                           hex(h.ecam), hex(h.ecam_size), h.bus_start, h.bus_end, h.segment);
    });

    py::class_<Iommu> iommu(m, "Iommu", "An IOMMU of the platform");
    iommu.def_readwrite("base", &Iommu::base).def_readwrite("size", &Iommu::size);
    def_enum(iommu, "type", &Iommu::type);
    def_common(iommu, [](const Iommu& i) {
        return fmt::format("Iommu(type={}, base={}, size={})", q(std::string(to_string(i.type))),
                           hex(i.base), hex(i.size));
    });

    py::class_<PlatformCpu> pcpu(m, "PlatformCpu", "A physical CPU of the platform");
    pcpu.def_readwrite("id", &PlatformCpu::id).def_readwrite("hw_id", &PlatformCpu::hw_id);
    def_common(pcpu, [](const PlatformCpu& c) {
        return fmt::format("PlatformCpu(id={}, hw_id={})", c.id, hex(c.hw_id));
    });

    py::class_<Platform> platform(m, "Platform", "The board: CPUs, interrupt controller, PCI");
    platform.def_readwrite("name", &Platform::name);
    def_list(platform, "cpus", &Platform::cpus);
    def_list(platform, "iommus", &Platform::iommus);
    def_optional(platform, "irqchip", &Platform::irqchip);
    def_optional(platform, "pci", &Platform::pci);
    def_common(platform, [](const Platform& p) {
        return fmt::format("Platform(name={}, cpus={}, irqchip={}, pci={}, iommus={})", q(p.name),
                           p.cpus.size(), opt_repr(p.irqchip), opt_repr(p.pci), p.iommus.size());
    });

    py::class_<Hypervisor> hv(m, "Hypervisor", "The hypervisor's own memory and console");
    hv.def_readwrite("memory_size", &Hypervisor::memory_size);
    def_address(hv, "memory_phys", &Hypervisor::memory_phys);
    def_optional(hv, "console", &Hypervisor::console);
    def_common(hv, [](const Hypervisor& h) {
        return fmt::format("Hypervisor(memory_phys={}, memory_size={}, console={})",
                           hex(h.memory_phys.value), hex(h.memory_size), opt_repr(h.console));
    });

    py::class_<Link> link(m, "Link", "Shared memory between cells");
    link.def_readwrite("name", &Link::name)
        .def_readwrite("size", &Link::size)
        .def_readwrite("doorbell_irq", &Link::doorbell_irq)
        .def_property(
            "peers",
            [](const Link& l) {
                std::vector<std::string> out;
                for (const auto& p : l.peers)
                    out.push_back(p.cell);
                return out;
            },
            [](Link& l, const std::vector<std::string>& names) {
                l.peers.clear();
                for (const auto& n : names)
                    l.peers.push_back(LinkPeer{n, {}});
            },
            "Names of the peer cells (assign a new list to change)");
    def_address(link, "phys", &Link::phys);
    def_address(link, "virt", &Link::virt);
    def_common(link, [](const Link& l) {
        std::vector<std::string> peers;
        for (const auto& p : l.peers)
            peers.push_back(p.cell);
        return fmt::format(
            "Link(name={}, peers={}, phys={}, virt={}, size={}, doorbell_irq={})", q(l.name),
            repr_of(peers), hex(l.phys.value), hex(l.virt.value), hex(l.size),
            l.doorbell_irq ? fmt::format("{}", *l.doorbell_irq) : std::string("None"));
    });

    py::class_<System> system(m, "System", "A partitioned system: platform, hypervisor, cells");
    def_enum(system, "arch", &System::arch);
    def_owner(system, "platform", &System::platform);
    def_list(system, "cells", &System::cells);
    def_list(system, "links", &System::links);
    system.def_readwrite("hypervisor", &System::hypervisor)
        .def(
            "root_cell", [](System& s) { return const_cast<Cell*>(s.root_cell()); },
            py::return_value_policy::reference_internal, "The root cell, or None")
        .def(
            "find_cell",
            [](System& s, const std::string& name) { return const_cast<Cell*>(s.find_cell(name)); },
            py::return_value_policy::reference_internal, py::arg("name"),
            "The cell called `name`, or None")
        .def("check", &check_model,
             "Semantic checks (JC-* rules): all diagnostics, sorted by location")
        .def("compile", &compile_system_blob,
             "Check and compile; returns the system blob (platform, hypervisor, root cell, "
             "links) as bytes. Raises CompileError.")
        .def("compile_all", &compile_all_blobs,
             "Check and compile; returns every blob as a list of Blob (the system blob first, "
             "then one per non-root cell). Raises CompileError.")
        .def("to_yaml", &system_to_yaml, "The canonical jailconf/1 YAML text")
        .def("to_json", &system_to_json,
             "The same document as JSON (integers for addresses and sizes), as `confgen "
             "decompile --format json` writes it; load() reads it back from a *.json file, "
             "loads_json() from text");
    def_common(system, [](const System& s) {
        std::vector<std::string> cells;
        for (const auto& c : s.cells)
            cells.push_back(c.name);
        std::vector<std::string> links;
        for (const auto& l : s.links)
            links.push_back(l.name);
        return fmt::format("System(arch={}, platform={}, cells={}, links={})",
                           q(std::string(to_string(s.arch))), q(s.platform.name), repr_of(cells),
                           repr_of(links));
    });
}

} // namespace pyjailconf
