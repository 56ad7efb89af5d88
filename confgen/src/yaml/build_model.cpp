#include "yaml/build_model.hpp"

#include <fmt/format.h>

#include "yaml/numbers.hpp"

namespace jailconf::yaml {
namespace {

using json = nlohmann::json;

bool flag(const json& obj, const char* key) {
    return obj.contains(key) && obj[key].is_boolean() && obj[key].get<bool>();
}

std::string str(const json& obj, const char* key) {
    return obj.contains(key) && obj[key].is_string() ? obj[key].get<std::string>() : std::string();
}

template <class Enum> Enum enum_member(const json& obj, const char* key, Enum fallback) {
    // The schema has checked the name; the fallback is unreachable for valid documents.
    return enum_from_string<Enum>(str(obj, key)).value_or(fallback);
}

std::optional<Bdf> parse_bdf(const std::string& text, uint16_t default_segment) {
    unsigned seg = 0, bus = 0, dev = 0, fn = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%4x:%2x:%2x.%1x%c", &seg, &bus, &dev, &fn, &tail) == 4 ||
        (seg = default_segment,
         std::sscanf(text.c_str(), "%2x:%2x.%1x%c", &bus, &dev, &fn, &tail) == 3)) {
        if (dev > 31 || fn > 7)
            return std::nullopt;
        return Bdf{uint16_t(seg), uint8_t(bus), uint8_t(dev), uint8_t(fn)};
    }
    return std::nullopt;
}

} // namespace

void ModelBuilder::bad_value(const std::string& ptr, std::string message, std::string fix) {
    diags_.report("JC-NUMBER", at(ptr), std::move(message), std::move(fix));
}

uint64_t ModelBuilder::number(const json& v, const std::string& ptr) {
    if (v.is_number_unsigned())
        return v.get<uint64_t>();
    if (v.is_number_integer() && v.get<int64_t>() >= 0)
        return uint64_t(v.get<int64_t>());
    bad_value(ptr, fmt::format("expected a non-negative number, got {}", v.dump()),
              "write a decimal or 0x-hexadecimal number");
    return 0;
}

uint64_t ModelBuilder::size(const json& v, const std::string& ptr) {
    if (!v.is_string())
        return number(v, ptr);
    auto parsed = parse_size_suffix(v.get<std::string>());
    if (!parsed) {
        bad_value(ptr, parsed.error(), "write a size like 4K, 256M or 0x10000000");
        return 0;
    }
    return *parsed;
}

template <class T> T ModelBuilder::bounded(const json& v, const std::string& ptr, uint64_t max) {
    uint64_t n = number(v, ptr);
    if (n > max) {
        bad_value(ptr, fmt::format("{:#x} is larger than the maximum {:#x}", n, max),
                  fmt::format("use a value up to {:#x}", max));
        return T(0);
    }
    return T(n);
}

std::optional<uint64_t> ModelBuilder::optional_number(const json& obj, const char* key,
                                                      const std::string& ptr) {
    if (!obj.contains(key))
        return std::nullopt;
    return number(obj[key], pointer_append(ptr, key));
}

std::vector<IdRange> ModelBuilder::id_list(const json& v, const std::string& ptr) {
    std::vector<IdRange> out;
    for (size_t i = 0; i < v.size(); ++i) {
        std::string item_ptr = pointer_append(ptr, i);
        const json& item = v[i];
        if (item.is_string()) {
            auto range = parse_id_range(item.get<std::string>());
            if (!range) {
                diags_.report("JC-SCHEMA-VALUE", at(item_ptr), range.error(),
                              "write ranges as first-last with first <= last");
                continue;
            }
            if (range->last > UINT32_MAX) {
                bad_value(item_ptr, fmt::format("{:#x} does not fit in 32 bits", range->last),
                          "use ids below 2^32");
                continue;
            }
            out.push_back(IdRange{uint32_t(range->first), uint32_t(range->last), at(item_ptr)});
        } else {
            uint32_t id = bounded<uint32_t>(item, item_ptr, UINT32_MAX);
            out.push_back(IdRange{id, id, at(item_ptr)});
        }
    }
    return out;
}

void ModelBuilder::build_system_header(System& out) {
    const json& root = doc_.root;
    out.loc = at("");
    out.arch = enum_member(root, "arch", Arch::arm64);
    out.platform = platform(root["platform"], "/platform");
    if (out.platform.pci)
        pci_segment_ = out.platform.pci->segment;
    const json& hv = root["hypervisor"];
    out.hypervisor.loc = at("/hypervisor");
    out.hypervisor.memory_loc = at("/hypervisor/memory");
    out.hypervisor.memory_phys = PhysAddr{number(hv["memory"]["phys"], "/hypervisor/memory/phys")};
    out.hypervisor.memory_size = size(hv["memory"]["size"], "/hypervisor/memory/size");
    if (hv.contains("console"))
        out.hypervisor.console = console(hv["console"], "/hypervisor/console");
}

Platform ModelBuilder::platform(const json& v, const std::string& ptr) {
    Platform p;
    p.loc = at(ptr);
    p.name = str(v, "name");
    const json& cpus = v["cpus"];
    std::string cpus_ptr = pointer_append(ptr, "cpus");
    if (cpus.is_array()) {
        for (size_t i = 0; i < cpus.size(); ++i) {
            std::string cp = pointer_append(cpus_ptr, i);
            p.cpus.push_back(
                PlatformCpu{bounded<uint32_t>(cpus[i]["id"], pointer_append(cp, "id"), UINT32_MAX),
                            number(cpus[i]["hw_id"], pointer_append(cp, "hw_id")), at(cp)});
        }
    } else {
        uint32_t count = bounded<uint32_t>(cpus, cpus_ptr, 4096);
        for (uint32_t id = 0; id < count; ++id)
            p.cpus.push_back(PlatformCpu{id, id, at(cpus_ptr)});
    }
    if (v.contains("irqchip")) {
        const json& ic = v["irqchip"];
        std::string icp = pointer_append(ptr, "irqchip");
        IrqChip chip;
        chip.loc = at(icp);
        chip.type = enum_member(ic, "type", IrqChipType::gicv3);
        chip.gicd = optional_number(ic, "gicd", icp);
        chip.gicc = optional_number(ic, "gicc", icp);
        chip.gich = optional_number(ic, "gich", icp);
        chip.gicv = optional_number(ic, "gicv", icp);
        chip.gicr = optional_number(ic, "gicr", icp);
        if (ic.contains("gicr_stride"))
            chip.gicr_stride = size(ic["gicr_stride"], pointer_append(icp, "gicr_stride"));
        chip.ioapic = optional_number(ic, "ioapic", icp);
        p.irqchip = chip;
    }
    if (v.contains("pci")) {
        const json& pci = v["pci"];
        std::string pp = pointer_append(ptr, "pci");
        PciHost host;
        host.loc = at(pp);
        host.ecam = number(pci["ecam"], pointer_append(pp, "ecam"));
        host.ecam_size = size(pci["ecam_size"], pointer_append(pp, "ecam_size"));
        if (pci.contains("bus_start"))
            host.bus_start =
                bounded<uint8_t>(pci["bus_start"], pointer_append(pp, "bus_start"), 255);
        if (pci.contains("bus_end"))
            host.bus_end = bounded<uint8_t>(pci["bus_end"], pointer_append(pp, "bus_end"), 255);
        if (pci.contains("segment"))
            host.segment = bounded<uint16_t>(pci["segment"], pointer_append(pp, "segment"), 65535);
        p.pci = host;
    }
    if (v.contains("iommus")) {
        const json& list = v["iommus"];
        for (size_t i = 0; i < list.size(); ++i) {
            std::string ip = pointer_append(pointer_append(ptr, "iommus"), i);
            p.iommus.push_back(Iommu{enum_member(list[i], "type", IommuType::smmuv3),
                                     number(list[i]["base"], pointer_append(ip, "base")),
                                     size(list[i]["size"], pointer_append(ip, "size")), at(ip)});
        }
    }
    return p;
}

Console ModelBuilder::console(const json& v, const std::string& ptr) {
    Console c;
    c.loc = at(ptr);
    c.type = enum_member(v, "type", ConsoleType::pl011);
    c.base = number(v["base"], pointer_append(ptr, "base"));
    c.size = v.contains("size") ? size(v["size"], pointer_append(ptr, "size"))
                                : (c.type == ConsoleType::ns16550_pio ? 8 : 0x1000);
    return c;
}

void ModelBuilder::append_cells(std::vector<Cell>& out) {
    if (!doc_.root.contains("cells"))
        return;
    const json& cells = doc_.root["cells"];
    for (size_t i = 0; i < cells.size(); ++i)
        out.push_back(cell(cells[i], pointer_append("/cells", i)));
}

Cell ModelBuilder::cell(const json& v, const std::string& ptr) {
    Cell c;
    c.loc = at(ptr);
    c.name = str(v, "name");
    c.root = flag(v, "root");
    c.cpus = id_list(v["cpus"], pointer_append(ptr, "cpus"));
    if (v.contains("memory"))
        for (size_t i = 0; i < v["memory"].size(); ++i)
            c.memory.push_back(
                memory_region(v["memory"][i], pointer_append(pointer_append(ptr, "memory"), i)));
    if (v.contains("irqs"))
        c.irqs = id_list(v["irqs"], pointer_append(ptr, "irqs"));
    if (v.contains("pci_devices"))
        for (size_t i = 0; i < v["pci_devices"].size(); ++i)
            c.pci_devices.push_back(pci_device(
                v["pci_devices"][i], pointer_append(pointer_append(ptr, "pci_devices"), i)));
    if (v.contains("stream_ids"))
        for (size_t i = 0; i < v["stream_ids"].size(); ++i) {
            std::string sp = pointer_append(pointer_append(ptr, "stream_ids"), i);
            c.stream_ids.push_back(
                StreamId{bounded<uint32_t>(v["stream_ids"][i], sp, UINT32_MAX), at(sp)});
        }
    if (v.contains("pio"))
        for (size_t i = 0; i < v["pio"].size(); ++i) {
            std::string pp = pointer_append(pointer_append(ptr, "pio"), i);
            const json& r = v["pio"][i];
            c.pio.push_back(
                PioRange{bounded<uint16_t>(r["base"], pointer_append(pp, "base"), 65535),
                         bounded<uint32_t>(r["size"], pointer_append(pp, "size"), 65536), at(pp)});
        }
    if (v.contains("console"))
        c.console = console(v["console"], pointer_append(ptr, "console"));
    if (v.contains("watchdog")) {
        std::string wp = pointer_append(ptr, "watchdog");
        c.watchdog = Watchdog{bounded<uint32_t>(v["watchdog"]["timeout_ms"],
                                                pointer_append(wp, "timeout_ms"), UINT32_MAX),
                              at(wp)};
    }
    if (v.contains("waivers"))
        for (size_t i = 0; i < v["waivers"].size(); ++i) {
            const json& w = v["waivers"][i];
            c.waivers.push_back(Waiver{str(w, "rule"), str(w, "reason"),
                                       at(pointer_append(pointer_append(ptr, "waivers"), i))});
        }
    return c;
}

MemoryRegion ModelBuilder::memory_region(const json& v, const std::string& ptr) {
    MemoryRegion r;
    r.loc = at(ptr);
    r.name = str(v, "name");
    r.phys = PhysAddr{number(v["phys"], pointer_append(ptr, "phys"))};
    r.virt = GuestAddr{v.contains("virt") ? number(v["virt"], pointer_append(ptr, "virt"))
                                          : r.phys.value};
    r.size = size(v["size"], pointer_append(ptr, "size"));
    for (const json& f : v["flags"])
        if (auto bit = mem_flag_from_name(f.is_string() ? f.get<std::string>() : ""))
            r.flags |= *bit;
    return r;
}

PciDevice ModelBuilder::pci_device(const json& v, const std::string& ptr) {
    PciDevice d;
    d.loc = at(ptr);
    std::string bdf_ptr = pointer_append(ptr, "bdf");
    if (auto bdf = parse_bdf(str(v, "bdf"), pci_segment_))
        d.bdf = *bdf;
    else
        diags_.report(
            "JC-SCHEMA-VALUE", at(bdf_ptr), fmt::format("'{}' is not a PCI address", str(v, "bdf")),
            "write bus:device.function in hex, device <= 1f, function <= 7, e.g. \"00:02.0\"");
    d.type = enum_member(v, "type", PciDeviceType::device);
    if (v.contains("bars"))
        for (size_t i = 0; i < v["bars"].size(); ++i) {
            const json& b = v["bars"][i];
            std::string bp = pointer_append(pointer_append(ptr, "bars"), i);
            d.bars.push_back(PciBar{bounded<uint8_t>(b["index"], pointer_append(bp, "index"), 5),
                                    enum_member(b, "type", BarType::mem32),
                                    number(b["addr"], pointer_append(bp, "addr")),
                                    size(b["size"], pointer_append(bp, "size")),
                                    flag(b, "prefetchable"), at(bp)});
        }
    if (v.contains("caps"))
        for (size_t i = 0; i < v["caps"].size(); ++i) {
            const json& c = v["caps"][i];
            std::string cp = pointer_append(pointer_append(ptr, "caps"), i);
            d.caps.push_back(
                PciCap{bounded<uint16_t>(c["id"], pointer_append(cp, "id"), 65535),
                       bounded<uint16_t>(c["offset"], pointer_append(cp, "offset"), 4095),
                       bounded<uint16_t>(c["size"], pointer_append(cp, "size"), 4096),
                       flag(c, "extended"), flag(c, "writable"), at(cp)});
        }
    if (v.contains("msi")) {
        const json& m = v["msi"];
        std::string mp = pointer_append(ptr, "msi");
        d.msi = PciMsi{bounded<uint16_t>(m["vectors"], pointer_append(mp, "vectors"), 32),
                       flag(m, "addr64"), flag(m, "maskable"), at(mp)};
    }
    if (v.contains("msix")) {
        const json& m = v["msix"];
        std::string mp = pointer_append(ptr, "msix");
        d.msix = PciMsix{
            bounded<uint16_t>(m["vectors"], pointer_append(mp, "vectors"), 2048),
            bounded<uint8_t>(m["table_bar"], pointer_append(mp, "table_bar"), 5),
            bounded<uint32_t>(m["table_offset"], pointer_append(mp, "table_offset"), UINT32_MAX),
            bounded<uint8_t>(m["pba_bar"], pointer_append(mp, "pba_bar"), 5),
            bounded<uint32_t>(m["pba_offset"], pointer_append(mp, "pba_offset"), UINT32_MAX),
            at(mp)};
    }
    return d;
}

void ModelBuilder::append_links(std::vector<Link>& out) {
    if (!doc_.root.contains("links"))
        return;
    const json& links = doc_.root["links"];
    for (size_t i = 0; i < links.size(); ++i)
        out.push_back(link(links[i], pointer_append("/links", i)));
}

Link ModelBuilder::link(const json& v, const std::string& ptr) {
    Link l;
    l.loc = at(ptr);
    l.name = str(v, "name");
    for (size_t i = 0; i < v["peers"].size(); ++i)
        l.peers.push_back(LinkPeer{v["peers"][i].get<std::string>(),
                                   at(pointer_append(pointer_append(ptr, "peers"), i))});
    l.phys = PhysAddr{number(v["phys"], pointer_append(ptr, "phys"))};
    l.virt = GuestAddr{v.contains("virt") ? number(v["virt"], pointer_append(ptr, "virt"))
                                          : l.phys.value};
    l.size = size(v["size"], pointer_append(ptr, "size"));
    if (v.contains("doorbell_irq"))
        l.doorbell_irq =
            bounded<uint32_t>(v["doorbell_irq"], pointer_append(ptr, "doorbell_irq"), UINT32_MAX);
    return l;
}

} // namespace jailconf::yaml
