// The JSON view of the model. It mirrors src/yaml/writer.cpp key for key (a key the YAML writer
// leaves out is left out here) so that one schema describes both; numbers are JSON integers
// instead of hex and size suffixes.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "confgen/json_writer.hpp"

namespace jailconf {
namespace {

using Json = nlohmann::ordered_json;

// `[33, "35-38"]`: a single id is a number, a range the string the YAML format uses.
Json id_list(const std::vector<IdRange>& ranges) {
    Json out = Json::array();
    for (const auto& r : ranges) {
        if (r.first == r.last)
            out.push_back(r.first);
        else
            out.push_back(fmt::format("{}-{}", r.first, r.last));
    }
    return out;
}

Json console(const Console& c) {
    return Json{{"type", to_string(c.type)}, {"base", c.base}, {"size", c.size}};
}

Json platform(const Platform& p) {
    Json out{{"name", p.name}};
    bool implicit_cpus = !p.cpus.empty();
    for (size_t i = 0; i < p.cpus.size(); ++i)
        implicit_cpus &= p.cpus[i].id == i && p.cpus[i].hw_id == i;
    if (implicit_cpus) {
        out["cpus"] = p.cpus.size();
    } else {
        Json cpus = Json::array();
        for (const auto& c : p.cpus)
            cpus.push_back(Json{{"id", c.id}, {"hw_id", c.hw_id}});
        out["cpus"] = std::move(cpus);
    }
    if (p.irqchip) {
        const IrqChip& ic = *p.irqchip;
        Json chip{{"type", to_string(ic.type)}};
        auto field = [&](const char* key, const std::optional<uint64_t>& v) {
            if (v)
                chip[key] = *v;
        };
        field("gicd", ic.gicd);
        field("gicc", ic.gicc);
        field("gich", ic.gich);
        field("gicv", ic.gicv);
        field("gicr", ic.gicr);
        field("gicr_stride", ic.gicr_stride);
        field("ioapic", ic.ioapic);
        out["irqchip"] = std::move(chip);
    }
    if (p.pci)
        out["pci"] = Json{{"ecam", p.pci->ecam},
                          {"ecam_size", p.pci->ecam_size},
                          {"bus_start", p.pci->bus_start},
                          {"bus_end", p.pci->bus_end},
                          {"segment", p.pci->segment}};
    if (!p.iommus.empty()) {
        Json list = Json::array();
        for (const auto& i : p.iommus)
            list.push_back(Json{{"type", to_string(i.type)}, {"base", i.base}, {"size", i.size}});
        out["iommus"] = std::move(list);
    }
    return out;
}

Json pci_device(const PciDevice& d) {
    Json out{{"bdf", format_bdf(d.bdf)}, {"type", to_string(d.type)}};
    if (!d.bars.empty()) {
        Json bars = Json::array();
        for (const auto& b : d.bars) {
            Json bar{{"index", b.index},
                     {"type", to_string(b.type)},
                     {"addr", b.addr},
                     {"size", b.size}};
            if (b.prefetchable)
                bar["prefetchable"] = true;
            bars.push_back(std::move(bar));
        }
        out["bars"] = std::move(bars);
    }
    if (!d.caps.empty()) {
        Json caps = Json::array();
        for (const auto& c : d.caps) {
            Json cap{{"id", c.id}, {"offset", c.offset}, {"size", c.size}};
            if (c.extended)
                cap["extended"] = true;
            if (c.writable)
                cap["writable"] = true;
            caps.push_back(std::move(cap));
        }
        out["caps"] = std::move(caps);
    }
    if (d.msi)
        out["msi"] = Json{
            {"vectors", d.msi->vectors}, {"addr64", d.msi->addr64}, {"maskable", d.msi->maskable}};
    if (d.msix)
        out["msix"] = Json{{"vectors", d.msix->vectors},
                           {"table_bar", d.msix->table_bar},
                           {"table_offset", d.msix->table_offset},
                           {"pba_bar", d.msix->pba_bar},
                           {"pba_offset", d.msix->pba_offset}};
    return out;
}

Json cell(const Cell& c) {
    Json out{{"name", c.name}};
    if (c.root)
        out["root"] = true;
    out["cpus"] = id_list(c.cpus);
    if (!c.memory.empty()) {
        Json list = Json::array();
        for (const auto& r : c.memory) {
            Json region = Json::object();
            if (!r.name.empty())
                region["name"] = r.name;
            region["phys"] = r.phys.value;
            if (r.virt.value != r.phys.value)
                region["virt"] = r.virt.value;
            region["size"] = r.size;
            Json flags = Json::array();
            for (auto name : mem_flag_names(r.flags))
                flags.push_back(name);
            region["flags"] = std::move(flags);
            list.push_back(std::move(region));
        }
        out["memory"] = std::move(list);
    }
    if (!c.irqs.empty())
        out["irqs"] = id_list(c.irqs);
    if (!c.pci_devices.empty()) {
        Json list = Json::array();
        for (const auto& d : c.pci_devices)
            list.push_back(pci_device(d));
        out["pci_devices"] = std::move(list);
    }
    if (!c.stream_ids.empty()) {
        Json list = Json::array();
        for (const auto& s : c.stream_ids)
            list.push_back(s.id);
        out["stream_ids"] = std::move(list);
    }
    if (!c.pio.empty()) {
        Json list = Json::array();
        for (const auto& p : c.pio)
            list.push_back(Json{{"base", p.base}, {"size", p.size}});
        out["pio"] = std::move(list);
    }
    if (c.console)
        out["console"] = console(*c.console);
    if (c.watchdog)
        out["watchdog"] = Json{{"timeout_ms", c.watchdog->timeout_ms}};
    if (!c.waivers.empty()) {
        Json list = Json::array();
        for (const auto& w : c.waivers)
            list.push_back(Json{{"rule", w.rule}, {"reason", w.reason}});
        out["waivers"] = std::move(list);
    }
    return out;
}

Json link(const Link& l) {
    Json peers = Json::array();
    for (const auto& p : l.peers)
        peers.push_back(p.cell);
    Json out{{"name", l.name}, {"peers", std::move(peers)}, {"phys", l.phys.value}};
    if (l.virt.value != l.phys.value)
        out["virt"] = l.virt.value;
    out["size"] = l.size;
    if (l.doorbell_irq)
        out["doorbell_irq"] = *l.doorbell_irq;
    return out;
}

} // namespace

std::string to_json(const System& s) {
    Json doc{{"format", "jailconf/1"}, {"arch", to_string(s.arch)}};
    doc["platform"] = platform(s.platform);
    Json hv{{"memory",
             Json{{"phys", s.hypervisor.memory_phys.value}, {"size", s.hypervisor.memory_size}}}};
    if (s.hypervisor.console)
        hv["console"] = console(*s.hypervisor.console);
    doc["hypervisor"] = std::move(hv);
    if (!s.cells.empty()) {
        Json cells = Json::array();
        for (const auto& c : s.cells)
            cells.push_back(cell(c));
        doc["cells"] = std::move(cells);
    }
    if (!s.links.empty()) {
        Json links = Json::array();
        for (const auto& l : s.links)
            links.push_back(link(l));
        doc["links"] = std::move(links);
    }
    // Names and reasons are UTF-8 (the loader checks); replace keeps dump() from throwing on a
    // hand-built model that is not.
    return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace jailconf
