// The YAML view of the model. Canonical: the same model always gives the same text, and loading
// the text gives the same model back (tested by the compile/decompile round trip).
#include <fmt/format.h>

#include "confgen/yaml_writer.hpp"
#include "yaml/numbers.hpp"

namespace jailconf {
namespace {

std::string hex(uint64_t v) {
    return fmt::format("{:#x}", v);
}

// 4K, 256M, ... when exact and short; hex otherwise (0x2eff0000 reads better than 769984K).
std::string size_text(uint64_t v) {
    static constexpr std::pair<unsigned, char> units[] = {
        {40, 'T'}, {30, 'G'}, {20, 'M'}, {10, 'K'}};
    if (v != 0)
        for (auto [shift, suffix] : units)
            if (v % (uint64_t(1) << shift) == 0)
                return (v >> shift) < 10000 ? fmt::format("{}{}", v >> shift, suffix) : hex(v);
    return hex(v);
}

// Names are restricted to [A-Za-z0-9_.-]; quote those a YAML reader would take for a number,
// a boolean or null.
std::string name_text(const std::string& s) {
    bool special = s.empty() || s == "true" || s == "false" || s == "True" || s == "False" ||
                   s == "TRUE" || s == "FALSE" || s == "null" || s == "Null" || s == "NULL" ||
                   s == "~" || yaml::parse_integer_literal(s).has_value() ||
                   (s[0] == '-' && yaml::parse_integer_literal(s.substr(1)).has_value()) ||
                   s.find_first_not_of("0123456789.-") == std::string::npos;
    return special ? fmt::format("\"{}\"", s) : s;
}

// A double-quoted YAML scalar: backslash and quote escaped, control characters as \xNN.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (unsigned char ch : s) {
        if (ch == '"' || ch == '\\')
            out += '\\';
        if (ch < 0x20)
            out += fmt::format("\\x{:02x}", ch);
        else
            out += char(ch);
    }
    return out + "\"";
}

std::string id_list_text(const std::vector<IdRange>& ranges) {
    std::string out = "[";
    for (size_t i = 0; i < ranges.size(); ++i) {
        out += i ? ", " : "";
        out += ranges[i].first == ranges[i].last
                   ? fmt::format("{}", ranges[i].first)
                   : fmt::format("{}-{}", ranges[i].first, ranges[i].last);
    }
    return out + "]";
}

std::string flags_text(uint32_t flags) {
    std::string out = "[";
    for (auto name : mem_flag_names(flags))
        out += fmt::format("{}{}", out.size() > 1 ? ", " : "", name);
    return out + "]";
}

std::string console_text(const Console& c) {
    return fmt::format("{{type: {}, base: {}, size: {}}}", to_string(c.type), hex(c.base),
                       size_text(c.size));
}

class Writer {
  public:
    std::string run(const System& s, const std::vector<std::string>& includes = {}) {
        line(0, "format: jailconf/1");
        if (!includes.empty()) {
            std::string list;
            for (const auto& i : includes)
                list += (list.empty() ? "" : ", ") + i;
            line(0, fmt::format("include: [{}]", list));
        }
        line(0, fmt::format("arch: {}", to_string(s.arch)));
        blank();
        platform(s.platform);
        blank();
        line(0, "hypervisor:");
        line(1, fmt::format("memory: {{phys: {}, size: {}}}", hex(s.hypervisor.memory_phys.value),
                            size_text(s.hypervisor.memory_size)));
        if (s.hypervisor.console)
            line(1, "console: " + console_text(*s.hypervisor.console));
        if (!s.cells.empty()) {
            blank();
            line(0, "cells:");
            for (const auto& c : s.cells)
                cell(c);
        }
        if (!s.links.empty()) {
            blank();
            line(0, "links:");
            for (const auto& l : s.links)
                link(l);
        }
        return std::move(out_);
    }

    std::string run_fragment(const std::vector<Cell>& cells, const std::vector<Link>& links) {
        line(0, "format: jailconf/1");
        if (!cells.empty()) {
            blank();
            line(0, "cells:");
            for (const auto& c : cells)
                cell(c);
        }
        if (!links.empty()) {
            blank();
            line(0, "links:");
            for (const auto& l : links)
                link(l);
        }
        return std::move(out_);
    }

  private:
    void line(int indent, const std::string& text) {
        out_.append(size_t(indent) * 2, ' ');
        out_ += text;
        out_ += '\n';
    }
    void blank() { out_ += '\n'; }

    void platform(const Platform& p) {
        line(0, "platform:");
        line(1, "name: " + name_text(p.name));
        bool implicit_cpus = true;
        for (size_t i = 0; i < p.cpus.size(); ++i)
            implicit_cpus &= p.cpus[i].id == i && p.cpus[i].hw_id == i;
        if (implicit_cpus && !p.cpus.empty()) {
            line(1, fmt::format("cpus: {}", p.cpus.size()));
        } else {
            line(1, "cpus:");
            for (const auto& c : p.cpus)
                line(2, fmt::format("- {{id: {}, hw_id: {}}}", c.id, hex(c.hw_id)));
        }
        if (p.irqchip) {
            const IrqChip& ic = *p.irqchip;
            std::string text = fmt::format("irqchip: {{type: {}", to_string(ic.type));
            auto field = [&](const char* key, const std::optional<uint64_t>& v, bool is_size) {
                if (v)
                    text += fmt::format(", {}: {}", key, is_size ? size_text(*v) : hex(*v));
            };
            field("gicd", ic.gicd, false);
            field("gicc", ic.gicc, false);
            field("gich", ic.gich, false);
            field("gicv", ic.gicv, false);
            field("gicr", ic.gicr, false);
            field("gicr_stride", ic.gicr_stride, true);
            field("ioapic", ic.ioapic, false);
            line(1, text + "}");
        }
        if (p.pci)
            line(1, fmt::format("pci: {{ecam: {}, ecam_size: {}, bus_start: {}, bus_end: {}, "
                                "segment: {}}}",
                                hex(p.pci->ecam), size_text(p.pci->ecam_size), p.pci->bus_start,
                                p.pci->bus_end, p.pci->segment));
        if (!p.iommus.empty()) {
            line(1, "iommus:");
            for (const auto& i : p.iommus)
                line(2, fmt::format("- {{type: {}, base: {}, size: {}}}", to_string(i.type),
                                    hex(i.base), size_text(i.size)));
        }
    }

    void cell(const Cell& c) {
        line(1, "- name: " + name_text(c.name));
        if (c.root)
            line(2, "root: true");
        line(2, "cpus: " + id_list_text(c.cpus));
        if (!c.memory.empty()) {
            line(2, "memory:");
            for (const auto& r : c.memory) {
                std::string text = "- {";
                if (!r.name.empty())
                    text += "name: " + name_text(r.name) + ", ";
                text += "phys: " + hex(r.phys.value);
                if (r.virt.value != r.phys.value)
                    text += ", virt: " + hex(r.virt.value);
                text +=
                    fmt::format(", size: {}, flags: {}}}", size_text(r.size), flags_text(r.flags));
                line(3, text);
            }
        }
        if (!c.irqs.empty())
            line(2, "irqs: " + id_list_text(c.irqs));
        if (!c.pci_devices.empty()) {
            line(2, "pci_devices:");
            for (const auto& d : c.pci_devices)
                pci_device(d);
        }
        if (!c.stream_ids.empty()) {
            std::string text = "stream_ids: [";
            for (size_t i = 0; i < c.stream_ids.size(); ++i)
                text += fmt::format("{}{}", i ? ", " : "", hex(c.stream_ids[i].id));
            line(2, text + "]");
        }
        if (!c.pio.empty()) {
            line(2, "pio:");
            for (const auto& p : c.pio)
                line(3, fmt::format("- {{base: {}, size: {}}}", hex(p.base), p.size));
        }
        if (c.console)
            line(2, "console: " + console_text(*c.console));
        if (c.watchdog)
            line(2, fmt::format("watchdog: {{timeout_ms: {}}}", c.watchdog->timeout_ms));
        if (!c.waivers.empty()) {
            line(2, "waivers:");
            for (const auto& w : c.waivers)
                line(3, fmt::format("- {{rule: {}, reason: {}}}", w.rule, quoted(w.reason)));
        }
    }

    void pci_device(const PciDevice& d) {
        line(3, fmt::format("- bdf: \"{}\"", format_bdf(d.bdf)));
        line(4, fmt::format("type: {}", to_string(d.type)));
        if (!d.bars.empty()) {
            line(4, "bars:");
            for (const auto& b : d.bars)
                line(5, fmt::format("- {{index: {}, type: {}, addr: {}, size: {}{}}}", b.index,
                                    to_string(b.type), hex(b.addr), size_text(b.size),
                                    b.prefetchable ? ", prefetchable: true" : ""));
        }
        if (!d.caps.empty()) {
            line(4, "caps:");
            for (const auto& c : d.caps)
                line(5, fmt::format("- {{id: {}, offset: {}, size: {}{}{}}}", hex(c.id),
                                    hex(c.offset), c.size, c.extended ? ", extended: true" : "",
                                    c.writable ? ", writable: true" : ""));
        }
        if (d.msi)
            line(4, fmt::format("msi: {{vectors: {}, addr64: {}, maskable: {}}}", d.msi->vectors,
                                d.msi->addr64, d.msi->maskable));
        if (d.msix)
            line(4,
                 fmt::format("msix: {{vectors: {}, table_bar: {}, table_offset: {}, pba_bar: {}, "
                             "pba_offset: {}}}",
                             d.msix->vectors, d.msix->table_bar, hex(d.msix->table_offset),
                             d.msix->pba_bar, hex(d.msix->pba_offset)));
    }

    void link(const Link& l) {
        std::string peers;
        for (const auto& p : l.peers)
            peers += (peers.empty() ? "" : ", ") + name_text(p.cell);
        std::string text = fmt::format("- {{name: {}, peers: [{}], phys: {}", name_text(l.name),
                                       peers, hex(l.phys.value));
        if (l.virt.value != l.phys.value)
            text += ", virt: " + hex(l.virt.value);
        text += ", size: " + size_text(l.size);
        if (l.doorbell_irq)
            text += fmt::format(", doorbell_irq: {}", *l.doorbell_irq);
        line(1, text + "}");
    }

    std::string out_;
};

} // namespace

std::string to_yaml(const System& system) {
    return Writer().run(system);
}

std::string to_yaml(const System& system, const std::vector<std::string>& includes) {
    return Writer().run(system, includes);
}

std::string to_yaml_fragment(const std::vector<Cell>& cells, const std::vector<Link>& links) {
    return Writer().run_fragment(cells, links);
}

} // namespace jailconf
