// The HTML page: inline CSS and SVG, no script, no external reference. Everything it draws was
// computed by elements.cpp (what is on the page, where findings go) and address_map.cpp (the
// address map geometry); this file only writes it out, escaping every piece of text.
#include <algorithm>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "confgen/check.hpp"
#include "confgen/render.hpp"
#include "render/ids.hpp"

namespace jailconf::render {

std::string escape_html(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            if ((c < 0x20 && ch != '\n' && ch != '\t') || c == 0x7f)
                out += "\xef\xbf\xbd"; // U+FFFD
            else
                out += ch;
        }
    }
    return out;
}

namespace {

std::string esc(std::string_view s) {
    return escape_html(s);
}

std::string human_size(uint64_t size) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    size_t u = 0;
    uint64_t whole = size;
    while (whole >= 1024 && whole % 1024 == 0 && u + 1 < std::size(units)) {
        whole /= 1024;
        ++u;
    }
    if (whole < 1024 || u + 1 == std::size(units))
        return fmt::format("{} {}", whole, units[u]);
    // Not a whole number of the next unit: one decimal of the largest unit it reaches.
    double v = double(size);
    u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) {
        v /= 1024;
        ++u;
    }
    return fmt::format("{:.1f} {}", v, units[u]);
}

std::string where(const SourceLocation& loc) {
    if (!loc.known())
        return "";
    if (loc.line == 0)
        return loc.file;
    return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

// Colours: cells take a fixed palette (no red: red marks findings), then golden-angle hues.
std::string cell_colour(size_t ci) {
    static constexpr const char* palette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1",
                                              "#76b7b2", "#edc948", "#9c755f", "#ff9da7"};
    if (ci < std::size(palette))
        return palette[ci];
    return fmt::format("hsl({}, 55%, 55%)", (ci * 137) % 360);
}
std::string owner_colour(int owner) {
    if (owner >= 0)
        return cell_colour(size_t(owner));
    if (owner == owner_hypervisor)
        return "#555555";
    if (owner == owner_links)
        return "#c9b458";
    return "#8a9bb0";
}

struct Marks {
    // Per element: the diagnostics placed on it.
    std::vector<std::vector<size_t>> on_element;
    // Per diagnostic: the elements it is placed on.
    std::vector<std::vector<size_t>> placed;
};

class Page {
  public:
    Page(const System& s, std::span<const Diagnostic> diags, const RenderOptions& options)
        : s_(s), diags_(diags), options_(options), elements_(collect_elements(s)) {
        marks_.placed = place_findings(elements_, diags_);
        marks_.on_element.resize(elements_.size());
        for (size_t d = 0; d < marks_.placed.size(); ++d)
            for (size_t e : marks_.placed[d])
                marks_.on_element[e].push_back(d);
        for (size_t i = 0; i < elements_.size(); ++i)
            index_.emplace(elements_[i].id, i);
    }

    std::string build() {
        head();
        summary();
        legend();
        address_map();
        cpus();
        interrupts();
        cells();
        links();
        platform();
        findings();
        out_ += "</body>\n</html>\n";
        return std::move(out_);
    }

  private:
    template <class... Args> void put(fmt::format_string<Args...> f, Args&&... args) {
        fmt::format_to(std::back_inserter(out_), f, std::forward<Args>(args)...);
    }

    size_t element(const std::string& id) const { return index_.at(id); }

    // "flag-error" etc. for the worst unwaived finding on the element; "flag-waived" when all
    // its findings are waived; empty without findings.
    std::string flag_class(size_t e) const {
        const auto& ds = marks_.on_element[e];
        if (ds.empty())
            return "";
        bool active = false;
        Severity worst = Severity::note;
        for (size_t d : ds)
            if (!diags_[d].suppression) {
                active = true;
                worst = std::min(worst, diags_[d].severity);
            }
        if (!active)
            return "flag-waived";
        return fmt::format("flag-{}", to_string(worst));
    }

    std::string finding_line(size_t d) const {
        const Diagnostic& g = diags_[d];
        std::string s = fmt::format("[{}] {}: {}", to_string(g.severity), g.rule, g.message);
        if (g.suppression)
            s += fmt::format(" (waived: {})", *g.suppression);
        return s;
    }

    // Tooltip text of an element: its label, location and findings.
    std::string tooltip(size_t e, std::string_view detail) const {
        std::string t = elements_[e].label;
        if (!detail.empty())
            t += fmt::format("\n{}", detail);
        if (elements_[e].loc.known())
            t += fmt::format("\n{}", where(elements_[e].loc));
        for (size_t d : marks_.on_element[e])
            t += "\n" + finding_line(d);
        return t;
    }

    // The findings on an element, as links to the findings list.
    void finding_refs(size_t e) {
        const auto& ds = marks_.on_element[e];
        if (ds.empty())
            return;
        out_ += "<ul class=\"refs\">";
        for (size_t d : ds)
            put("<li class=\"sev-{}{}\"><a href=\"#f-{}\">{}</a> {}</li>",
                to_string(diags_[d].severity), diags_[d].suppression ? " waived" : "", d,
                esc(diags_[d].rule), esc(diags_[d].message));
        out_ += "</ul>";
    }

    void head() {
        std::string title = options_.title.empty() ? s_.platform.name : options_.title;
        put("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Jailconf resource map: {}</title>\n",
            esc(title));
        out_ += R"(<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ccc}
h3{font-size:1.05em;margin:1em 0 .3em}
table{border-collapse:collapse;margin:.3em 0 .8em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
th{background:#f2f2f2}code,.mono{font-family:ui-monospace,monospace;font-size:12.5px}
.swatch{display:inline-block;width:1em;height:1em;vertical-align:-.15em;border:1px solid #333;margin-right:.3em}
.legend span.item{margin-right:1.2em;white-space:nowrap}
.note{color:#555;max-width:70em}
.cell-card{border-left:6px solid var(--c);padding:.2em .8em;margin:1em 0}
.chip{display:inline-block;min-width:4.5em;padding:.3em .5em;margin:.15em;border:1px solid #333;border-radius:4px;color:#fff;text-shadow:0 0 2px #000}
.chip.free{background:#eee;color:#333;text-shadow:none}
.flag-error{outline:3px solid #d00000;outline-offset:1px}
.flag-warning{outline:3px solid #e07000;outline-offset:1px}
.flag-note{outline:2px dashed #1f6fd0;outline-offset:1px}
.flag-waived{outline:2px dotted #777;outline-offset:1px}
svg .bar{stroke:#222;stroke-width:.6}
svg .flag-error{outline:none;stroke:#d00000;stroke-width:3}
svg .flag-warning{outline:none;stroke:#e07000;stroke-width:3}
svg .flag-note{outline:none;stroke:#1f6fd0;stroke-width:2;stroke-dasharray:4 2}
svg .flag-waived{outline:none;stroke:#777;stroke-width:2;stroke-dasharray:2 2}
svg text{font:10px ui-monospace,monospace;fill:#222}
svg text.in{fill:#111;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-opacity:.85}
svg text.title{font:bold 11px system-ui,sans-serif}
svg .gap{fill:url(#gap-hatch)}
ul.refs{margin:.2em 0;padding-left:1.2em;font-size:12.5px}
.sev-error,.sev-error a{color:#b00000}.sev-warning,.sev-warning a{color:#a05000}.sev-note,.sev-note a{color:#1f5fb0}
.waived,.waived a{color:#777}
tr.finding td{font-size:13px}
</style>
</head>
<body>
)";
        put("<h1>Jailconf resource map: {}</h1>\n", esc(title));
    }

    void summary() {
        size_t errors = 0, warnings = 0, notes = 0, waived = 0, unplaced = 0;
        for (size_t d = 0; d < diags_.size(); ++d) {
            if (diags_[d].suppression)
                ++waived;
            else if (diags_[d].severity == Severity::error)
                ++errors;
            else if (diags_[d].severity == Severity::warning)
                ++warnings;
            else
                ++notes;
            if (marks_.placed[d].empty())
                ++unplaced;
        }
        put("<p class=\"summary\">Architecture <b>{}</b>, platform <b>{}</b>, {} CPU{}, {} "
            "cell{}, {} link{}. Findings (checks and kb rules, as <code>confgen lint</code> "
            "reports them): <a href=\"#findings\"><b>{}</b> error{}, <b>{}</b> warning{}, "
            "<b>{}</b> note{}</a>",
            to_string(s_.arch), esc(s_.platform.name), s_.platform.cpus.size(),
            s_.platform.cpus.size() == 1 ? "" : "s", s_.cells.size(),
            s_.cells.size() == 1 ? "" : "s", s_.links.size(), s_.links.size() == 1 ? "" : "s",
            errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", notes,
            notes == 1 ? "" : "s");
        if (waived)
            put(", {} waived", waived);
        if (unplaced)
            put(" ({} not tied to a drawn element)", unplaced);
        out_ += ".</p>\n";
    }

    void legend() {
        out_ += "<section id=\"legend\" class=\"legend\"><h2>Legend</h2><p>";
        for (size_t ci = 0; ci < s_.cells.size(); ++ci)
            put("<span class=\"item\"><span class=\"swatch\" style=\"background:{}\"></span>cell "
                "<b>{}</b>{}</span>",
                cell_colour(ci), esc(s_.cells[ci].name), s_.cells[ci].root ? " (root)" : "");
        put("<span class=\"item\"><span class=\"swatch\" style=\"background:{}\"></span>hypervisor"
            "</span><span class=\"item\"><span class=\"swatch\" style=\"background:{}\"></span>"
            "platform block (GIC, ECAM, IOMMU)</span>",
            owner_colour(owner_hypervisor), owner_colour(owner_platform));
        if (!s_.links.empty())
            out_ += "<span class=\"item\"><span class=\"swatch\" style=\"background:"
                    "linear-gradient(90deg,#4e79a7 50%,#f28e2b 50%)\"></span>link (its peers' "
                    "colours)</span>";
        out_ += "</p><p>Findings are marked on the element they point at: "
                "<span class=\"item flag-error\">error</span> "
                "<span class=\"item flag-warning\">warning</span> "
                "<span class=\"item flag-note\">note</span> "
                "<span class=\"item flag-waived\">waived</span>. "
                "Hover a bar or a chip for its exact range, source line and findings.</p>"
                "</section>\n";
    }

    // ---- address map ----
    void address_map() {
        AddressMapLayout map = layout_address_map(s_, elements_);
        out_ += "<section id=\"address-map\"><h2>Physical address map</h2>\n";
        out_ += "<p class=\"note axis-note\"><b>Axis: segmented, log-scaled per segment.</b> "
                "Addresses grow downwards. Every start and end of a region is a tick; the "
                "segment between two ticks is drawn taller the larger it is (logarithmically: "
                "4 KiB is the smallest height, each doubling adds a little), and an unused gap "
                "of any length is compressed to a thin hatched band. So bar lengths are not to "
                "scale, but order, alignment and overlaps are exact: regions at the same height "
                "share addresses. Regions that overlap inside one column are drawn side by "
                "side. Hover a bar for its exact range.</p>\n";
        if (map.items.empty()) {
            out_ += "<p>No region with a non-zero size.</p></section>\n";
            return;
        }
        const double left = 150, top = 34, right = 10, bottom = 10;
        double width = left + map.width + right, height = top + map.height + bottom;
        put("<svg class=\"map\" width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
            "role=\"img\" aria-label=\"physical address map\">\n",
            width, height, width, height);
        out_ += "<defs><pattern id=\"gap-hatch\" width=\"6\" height=\"6\" "
                "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                "<rect width=\"6\" height=\"6\" fill=\"#f6f6f6\"/>"
                "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ccc\" stroke-width=\"2\"/>"
                "</pattern>";
        for (size_t li = 0; li < s_.links.size(); ++li) {
            put("<linearGradient id=\"link-fill-{}\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">", li);
            const auto& peers = s_.links[li].peers;
            for (size_t k = 0; k < peers.size(); ++k) {
                const Cell* c = s_.find_cell(peers[k].cell);
                std::string colour =
                    c ? cell_colour(size_t(c - s_.cells.data())) : owner_colour(owner_links);
                put("<stop offset=\"{:.3f}\" stop-color=\"{}\"/><stop offset=\"{:.3f}\" "
                    "stop-color=\"{}\"/>",
                    double(k) / double(peers.size()), colour, double(k + 1) / double(peers.size()),
                    colour);
            }
            out_ += "</linearGradient>";
        }
        out_ += "</defs>\n";
        put("<g transform=\"translate({:.0f},{:.0f})\">\n", left, top);
        // Column titles.
        for (const auto& col : map.columns)
            put("<text class=\"title\" x=\"{:.1f}\" y=\"-8\" fill=\"{}\">{}</text>\n", col.x + 2,
                owner_colour(col.owner), esc(col.title));
        // Axis: gaps as hatched bands across the map, a tick and an address at every boundary.
        for (const auto& st : map.axis) {
            if (st.gap)
                put("<rect class=\"gap\" x=\"-8\" y=\"{:.2f}\" width=\"{:.1f}\" height=\"{:.2f}\">"
                    "<title>unused: {:#x} - {:#x} ({})</title></rect>\n",
                    st.y0, map.width + 8, st.y1 - st.y0, st.start, st.end - 1,
                    esc(human_size(st.end - st.start)));
            put("<line x1=\"-6\" x2=\"{:.1f}\" y1=\"{:.2f}\" y2=\"{:.2f}\" stroke=\"#e4e4e4\"/>"
                "<text x=\"-10\" y=\"{:.2f}\" text-anchor=\"end\">{:#x}</text>\n",
                map.width, st.y0, st.y0, st.y0 + 3.5, st.start);
        }
        const AxisStretch& last = map.axis.back();
        put("<text x=\"-10\" y=\"{:.2f}\" text-anchor=\"end\">{:#x}</text>\n", last.y1 + 3.5,
            last.end);
        // Bars.
        for (const auto& bar : map.bars) {
            const MapItem& it = map.items[bar.item];
            const Element& el = elements_[it.element];
            std::string fill = it.kind == "link" ? fmt::format("url(#link-fill-{})", el.index)
                                                 : owner_colour(el.owner);
            std::string detail =
                fmt::format("{}: {:#x} - {:#x}, {} ({:#x} bytes)", it.label, it.base, it.end - 1,
                            human_size(it.end - it.base), it.end - it.base);
            detail += guest_address_note(el);
            std::string cls = flag_class(it.element);
            double inset = bar.height > 3 ? 1 : 0;
            put("<a href=\"#{}\"><rect id=\"{}\" class=\"bar {} {}\" x=\"{:.1f}\" y=\"{:.2f}\" "
                "width=\"{:.1f}\" height=\"{:.2f}\" fill=\"{}\" fill-opacity=\"{}\"><title>{}"
                "</title></rect>",
                el.id, it.id, esc(it.kind), cls, bar.x + 2, bar.y + inset / 2, bar.width - 4,
                bar.height - inset, fill, it.kind == "pci-bar" || it.kind == "io" ? "0.7" : "1",
                esc(tooltip(it.element, detail)));
            if (bar.height >= 12) {
                std::string text = fmt::format("{} {}", it.label, human_size(it.end - it.base));
                size_t fit = size_t(std::max(0.0, (bar.width - 10) / 6.1));
                if (text.size() > fit)
                    text = fit > 1 ? text.substr(0, fit - 1) + "\xe2\x80\xa6" : "";
                put("<text class=\"in\" x=\"{:.1f}\" y=\"{:.2f}\">{}</text>", bar.x + 6,
                    bar.y + std::min(bar.height / 2 + 3.5, 14.0), esc(text));
            }
            out_ += "</a>\n";
        }
        out_ += "</g>\n</svg>\n</section>\n";
    }

    std::string guest_address_note(const Element& el) const {
        if (el.kind == ElementKind::memory_region && el.owner >= 0) {
            const MemoryRegion& r = s_.cells[size_t(el.owner)].memory[el.index];
            std::string s = fmt::format("\nflags: {}", fmt::join(mem_flag_names(r.flags), ", "));
            if (r.virt.value != r.phys.value)
                s += fmt::format("\nmapped in the cell at {:#x}", r.virt.value);
            return s;
        }
        if (el.kind == ElementKind::link) {
            const Link& l = s_.links[el.index];
            std::vector<std::string> peers;
            for (const auto& p : l.peers)
                peers.push_back(p.cell);
            std::string s = fmt::format("\npeers: {}", fmt::join(peers, ", "));
            if (l.virt.value != l.phys.value)
                s += fmt::format("\nmapped in the peers at {:#x}", l.virt.value);
            return s;
        }
        return "";
    }

    // ---- CPUs ----
    void cpus() {
        out_ += "<section id=\"cpus\"><h2>CPUs</h2>\n<p>";
        std::vector<uint32_t> listed;
        for (size_t i = 0; i < s_.platform.cpus.size(); ++i) {
            const PlatformCpu& pc = s_.platform.cpus[i];
            listed.push_back(pc.id);
            chip(pc.id, &i);
        }
        // CPUs a cell names that the platform does not have (the checks flag them).
        for (const auto& c : s_.cells)
            for (const auto& r : c.cpus)
                for (uint64_t id = r.first; id <= r.last && id < uint64_t(r.first) + 4096; ++id)
                    if (std::find(listed.begin(), listed.end(), uint32_t(id)) == listed.end()) {
                        listed.push_back(uint32_t(id));
                        chip(uint32_t(id), nullptr);
                    }
        out_ += "</p></section>\n";
    }

    void chip(uint32_t id, const size_t* platform_index) {
        std::vector<size_t> owners;
        for (size_t ci = 0; ci < s_.cells.size(); ++ci)
            for (const auto& r : s_.cells[ci].cpus)
                if (r.contains(id) && std::find(owners.begin(), owners.end(), ci) == owners.end())
                    owners.push_back(ci);
        std::string background;
        if (owners.size() == 1)
            background = cell_colour(owners[0]);
        else if (owners.size() > 1) {
            std::vector<std::string> stops;
            for (size_t k = 0; k < owners.size(); ++k)
                stops.push_back(fmt::format("{} {:.0f}% {:.0f}%", cell_colour(owners[k]),
                                            100.0 * double(k) / double(owners.size()),
                                            100.0 * double(k + 1) / double(owners.size())));
            background = fmt::format("linear-gradient(90deg,{})", fmt::join(stops, ","));
        }
        std::vector<std::string> names;
        names.reserve(owners.size());
        for (size_t o : owners)
            names.push_back(s_.cells[o].name);
        std::string who = owners.empty() ? "no cell" : fmt::format("{}", fmt::join(names, ", "));
        std::string tip = fmt::format("CPU {}: {}", id, who);
        std::string cls = owners.empty() ? "chip free" : "chip";
        std::string id_attr;
        if (platform_index) {
            size_t e = element(ids::platform_cpu(*platform_index));
            tip = tooltip(e, tip);
            std::string flag = flag_class(e);
            if (!flag.empty())
                cls += " " + flag;
            id_attr = fmt::format(" id=\"{}\"", ids::platform_cpu(*platform_index));
        } else {
            tip += "\n(not a CPU of the platform)";
        }
        put("<span class=\"{}\"{} style=\"background:{}\" title=\"{}\">CPU {}<br><small>{}"
            "</small></span>",
            cls, id_attr, background.empty() ? "#eee" : background, esc(tip), id, esc(who));
    }

    // ---- interrupts ----
    void interrupts() {
        out_ += "<section id=\"interrupts\"><h2>Interrupts</h2>\n";
        uint32_t max_id = 32;
        for (const auto& c : s_.cells)
            for (const auto& r : c.irqs)
                max_id = std::max(max_id, r.last + 1);
        for (const auto& l : s_.links)
            if (l.doorbell_irq)
                max_id = std::max(max_id, *l.doorbell_irq + 1);
        uint64_t span = (uint64_t(max_id) + 31) / 32 * 32;
        const double left = 120, width = 1000, row = 22;
        size_t rows = s_.cells.size() + (s_.links.empty() ? 0 : 1);
        double height = 30 + row * double(rows) + 10;
        bool gic = s_.arch != Arch::x86_64;
        put("<p class=\"note\">{} per cell, on a linear axis from 0 to {}. Hover a range for its "
            "exact ids.</p>\n",
            gic ? "GIC INTIDs (SPI n is INTID n+32)" : "Interrupt numbers", span);
        put("<svg class=\"irqs\" width=\"{:.0f}\" height=\"{:.0f}\" viewBox=\"0 0 {:.0f} {:.0f}\" "
            "role=\"img\" aria-label=\"interrupts per cell\">\n<g transform=\"translate({:.0f},20)"
            "\">\n",
            left + width + 20, height, left + width + 20, height, left);
        auto x_of = [&](uint64_t id) { return width * double(id) / double(span); };
        if (gic)
            put("<rect x=\"0\" y=\"0\" width=\"{:.2f}\" height=\"{:.0f}\" fill=\"#f0f0f0\"><title>"
                "SGIs and PPIs (INTID 0-31): per CPU, not assigned to cells</title></rect>"
                "<text x=\"4\" y=\"{:.0f}\">SGI/PPI</text>\n",
                x_of(32), row * double(rows), row * double(rows) - 5);
        for (uint64_t t = 0; t <= span; t += std::max<uint64_t>(32, span / 16 / 32 * 32))
            put("<line x1=\"{0:.2f}\" x2=\"{0:.2f}\" y1=\"-3\" y2=\"{1:.0f}\" stroke=\"#ddd\"/>"
                "<text x=\"{0:.2f}\" y=\"-6\" text-anchor=\"middle\">{2}</text>\n",
                x_of(t), row * double(rows), t);
        for (size_t ci = 0; ci < s_.cells.size(); ++ci) {
            const Cell& c = s_.cells[ci];
            double y = row * double(ci);
            put("<text class=\"title\" x=\"-8\" y=\"{:.0f}\" text-anchor=\"end\" fill=\"{}\">{}"
                "</text>\n",
                y + 14, cell_colour(ci), esc(c.name));
            for (size_t k = 0; k < c.irqs.size(); ++k) {
                const IdRange& r = c.irqs[k];
                std::string id = ids::cell_part(ci, "irq", k);
                size_t e = element(id);
                double x0 = x_of(r.first), x1 = x_of(uint64_t(r.last) + 1);
                put("<a href=\"#{}\"><rect id=\"{}\" class=\"bar {}\" x=\"{:.2f}\" y=\"{:.0f}\" "
                    "width=\"{:.2f}\" height=\"{:.0f}\" fill=\"{}\"><title>{}</title></rect></a>\n",
                    id, ids::bar(id), flag_class(e), x0, y + 3, std::max(x1 - x0, 3.0), row - 6,
                    cell_colour(ci),
                    esc(tooltip(e, fmt::format("INTID {}", range_text(r.first, r.last)))));
            }
        }
        if (!s_.links.empty()) {
            double y = row * double(s_.cells.size());
            put("<text class=\"title\" x=\"-8\" y=\"{:.0f}\" "
                "text-anchor=\"end\">doorbells</text>\n",
                y + 14);
            for (size_t li = 0; li < s_.links.size(); ++li) {
                const Link& l = s_.links[li];
                if (!l.doorbell_irq)
                    continue;
                size_t e = element(ids::link(li));
                put("<a href=\"#{}\"><rect class=\"bar {}\" x=\"{:.2f}\" y=\"{:.0f}\" "
                    "width=\"{:.2f}\" height=\"{:.0f}\" fill=\"{}\"><title>{}</title></rect></a>\n",
                    ids::link(li), flag_class(e), x_of(*l.doorbell_irq), y + 3,
                    std::max(x_of(1), 3.0), row - 6, owner_colour(owner_links),
                    esc(tooltip(e, fmt::format("doorbell INTID {}", *l.doorbell_irq))));
            }
        }
        out_ += "</g>\n</svg>\n</section>\n";
    }

    // ---- cells ----
    template <class Fn> void row(const std::string& id, Fn&& cells_html) {
        size_t e = element(id);
        std::string cls = flag_class(e);
        put("<tr id=\"{}\"{}>", id, cls.empty() ? "" : fmt::format(" class=\"{}\"", cls));
        cells_html();
        put("<td class=\"mono\">{}</td><td>", esc(where(elements_[e].loc)));
        finding_refs(e);
        out_ += "</td></tr>\n";
    }

    void cells() {
        out_ += "<section id=\"cells\"><h2>Cells</h2>\n";
        for (size_t ci = 0; ci < s_.cells.size(); ++ci)
            cell(ci);
        out_ += "</section>\n";
    }

    void cell(size_t ci) {
        const Cell& c = s_.cells[ci];
        size_t ce = element(ids::cell(ci));
        std::string cls = flag_class(ce);
        put("<div class=\"cell-card {}\" id=\"{}\" style=\"--c:{}\"><h3><span class=\"swatch\" "
            "style=\"background:{}\"></span>cell {}{}</h3>\n<p class=\"mono\">{}</p>",
            cls, ids::cell(ci), cell_colour(ci), cell_colour(ci), esc(c.name),
            c.root ? " (root)" : "", esc(where(c.loc)));
        finding_refs(ce);

        out_ += "<table><tr><th>CPUs</th><th>defined at</th><th>findings</th></tr>\n";
        for (size_t k = 0; k < c.cpus.size(); ++k)
            row(ids::cell_part(ci, "cpu", k),
                [&] { put("<td>{}</td>", range_text(c.cpus[k].first, c.cpus[k].last)); });
        out_ += "</table>\n";

        if (!c.memory.empty()) {
            out_ += "<table><tr><th>memory</th><th>physical</th><th>in the cell</th><th>size</th>"
                    "<th>flags</th><th>defined at</th><th>findings</th></tr>\n";
            for (size_t k = 0; k < c.memory.size(); ++k) {
                const MemoryRegion& r = c.memory[k];
                row(ids::cell_part(ci, "mem", k), [&] {
                    put("<td>{}</td><td class=\"mono\">{:#x}</td><td class=\"mono\">{:#x}</td>"
                        "<td>{}</td><td>{}</td>",
                        esc(r.name), r.phys.value, r.virt.value, esc(human_size(r.size)),
                        esc(fmt::format("{}", fmt::join(mem_flag_names(r.flags), ", "))));
                });
            }
            out_ += "</table>\n";
        }
        if (!c.irqs.empty()) {
            out_ += "<table><tr><th>interrupts</th><th>defined at</th><th>findings</th></tr>\n";
            for (size_t k = 0; k < c.irqs.size(); ++k)
                row(ids::cell_part(ci, "irq", k),
                    [&] { put("<td>{}</td>", range_text(c.irqs[k].first, c.irqs[k].last)); });
            out_ += "</table>\n";
        }
        if (!c.pci_devices.empty()) {
            out_ += "<table><tr><th>PCI device</th><th>type</th><th>BARs</th><th>MSI / MSI-X</th>"
                    "<th>defined at</th><th>findings</th></tr>\n";
            for (size_t k = 0; k < c.pci_devices.size(); ++k)
                pci_device(ci, k);
            out_ += "</table>\n";
        }
        if (!c.stream_ids.empty()) {
            out_ += "<table><tr><th>stream id</th><th>defined at</th><th>findings</th></tr>\n";
            for (size_t k = 0; k < c.stream_ids.size(); ++k)
                row(ids::cell_part(ci, "sid", k),
                    [&] { put("<td class=\"mono\">{:#x}</td>", c.stream_ids[k].id); });
            out_ += "</table>\n";
        }
        if (!c.pio.empty()) {
            out_ += "<table><tr><th>I/O ports</th><th>defined at</th><th>findings</th></tr>\n";
            for (size_t k = 0; k < c.pio.size(); ++k)
                row(ids::cell_part(ci, "pio", k), [&] {
                    put("<td class=\"mono\">{:#x} - {:#x}</td>", c.pio[k].base,
                        uint64_t(c.pio[k].base) + c.pio[k].size - 1);
                });
            out_ += "</table>\n";
        }
        if (c.console || c.watchdog || !c.waivers.empty()) {
            out_ += "<table><tr><th>other</th><th>defined at</th><th>findings</th></tr>\n";
            if (c.console)
                row(ids::cell_part(ci, "console", 0), [&] {
                    put("<td>console {} at <code>{:#x}</code> ({})</td>",
                        to_string(c.console->type), c.console->base,
                        esc(human_size(c.console->size)));
                });
            if (c.watchdog)
                row(ids::cell_part(ci, "watchdog", 0),
                    [&] { put("<td>watchdog {} ms</td>", c.watchdog->timeout_ms); });
            for (size_t k = 0; k < c.waivers.size(); ++k)
                row(ids::cell_part(ci, "waiver", k), [&] {
                    put("<td>waives <code>{}</code>: {}</td>", esc(c.waivers[k].rule),
                        esc(c.waivers[k].reason));
                });
            out_ += "</table>\n";
        }
        out_ += "</div>\n";
    }

    void pci_device(size_t ci, size_t k) {
        const PciDevice& d = s_.cells[ci].pci_devices[k];
        row(ids::cell_part(ci, "pci", k), [&] {
            put("<td class=\"mono\">{}</td><td>{}</td><td>", esc(format_bdf(d.bdf)),
                to_string(d.type));
            for (size_t b = 0; b < d.bars.size(); ++b) {
                const PciBar& bar = d.bars[b];
                std::string id = ids::pci_bar(ci, k, b);
                size_t e = element(id);
                std::string cls = flag_class(e);
                put("<div id=\"{}\" class=\"mono {}\" title=\"{}\">BAR{} {} {:#x} ({}){}</div>", id,
                    cls, esc(tooltip(e, "")), bar.index, to_string(bar.type), bar.addr,
                    esc(human_size(bar.size)), bar.prefetchable ? " prefetchable" : "");
                finding_refs(e);
            }
            out_ += "</td><td>";
            if (d.msi)
                put("MSI: {} vector{}<br>", d.msi->vectors, d.msi->vectors == 1 ? "" : "s");
            if (d.msix)
                put("MSI-X: {} vector{}, table BAR{}+{:#x}", d.msix->vectors,
                    d.msix->vectors == 1 ? "" : "s", d.msix->table_bar, d.msix->table_offset);
            out_ += "</td>";
        });
    }

    void links() {
        if (s_.links.empty())
            return;
        out_ += "<section id=\"links\"><h2>Links</h2>\n<table><tr><th>link</th><th>peers</th>"
                "<th>physical</th><th>in the peers</th><th>size</th><th>doorbell</th>"
                "<th>defined at</th><th>findings</th></tr>\n";
        for (size_t li = 0; li < s_.links.size(); ++li) {
            const Link& l = s_.links[li];
            row(ids::link(li), [&] {
                put("<td>{}</td><td>", esc(l.name));
                for (size_t k = 0; k < l.peers.size(); ++k) {
                    std::string id = ids::link_peer(li, k);
                    size_t e = element(id);
                    const Cell* c = s_.find_cell(l.peers[k].cell);
                    put("<span id=\"{}\" class=\"{}\" title=\"{}\"><span class=\"swatch\" "
                        "style=\"background:{}\"></span>{}</span> ",
                        id, flag_class(e), esc(tooltip(e, "")),
                        c ? cell_colour(size_t(c - s_.cells.data())) : "#fff",
                        esc(l.peers[k].cell));
                    finding_refs(e);
                }
                put("</td><td class=\"mono\">{:#x}</td><td class=\"mono\">{:#x}</td><td>{}</td>"
                    "<td>{}</td>",
                    l.phys.value, l.virt.value, esc(human_size(l.size)),
                    l.doorbell_irq ? fmt::format("INTID {}", *l.doorbell_irq) : "none");
            });
        }
        out_ += "</table>\n</section>\n";
    }

    void platform() {
        const Platform& p = s_.platform;
        out_ += "<section id=\"platform-section\"><h2>Platform and hypervisor</h2>\n<table><tr>"
                "<th>element</th><th>details</th><th>defined at</th><th>findings</th></tr>\n";
        for (const char* id : {"system", "platform"}) {
            row(id, [&] {
                put("<td>{}</td><td>{}</td>", esc(elements_[element(id)].label),
                    std::string_view(id) == "system" ? fmt::format("arch {}", to_string(s_.arch))
                                                     : fmt::format("{} CPUs", p.cpus.size()));
            });
        }
        if (p.irqchip) {
            const IrqChip& g = *p.irqchip;
            std::vector<std::string> parts;
            auto add = [&parts](const char* name, const std::optional<uint64_t>& v) {
                if (v)
                    parts.push_back(fmt::format("{} {:#x}", name, *v));
            };
            add("gicd", g.gicd);
            add("gicc", g.gicc);
            add("gich", g.gich);
            add("gicv", g.gicv);
            add("gicr", g.gicr);
            add("gicr_stride", g.gicr_stride);
            add("ioapic", g.ioapic);
            row(ids::irqchip(), [&] {
                put("<td>interrupt controller</td><td class=\"mono\">{} {}</td>", to_string(g.type),
                    fmt::join(parts, ", "));
            });
        }
        if (p.pci)
            row(ids::pci_host(), [&] {
                put("<td>PCI host</td><td class=\"mono\">ECAM {:#x} ({}), buses {:02x}-{:02x}, "
                    "segment {}</td>",
                    p.pci->ecam, esc(human_size(p.pci->ecam_size)), p.pci->bus_start,
                    p.pci->bus_end, p.pci->segment);
            });
        for (size_t i = 0; i < p.iommus.size(); ++i)
            row(ids::iommu(i), [&] {
                put("<td>IOMMU</td><td class=\"mono\">{} {:#x} ({})</td>",
                    to_string(p.iommus[i].type), p.iommus[i].base,
                    esc(human_size(p.iommus[i].size)));
            });
        const Hypervisor& hv = s_.hypervisor;
        row(ids::hypervisor(), [&] { out_ += "<td>hypervisor</td><td></td>"; });
        row(ids::hypervisor_memory(), [&] {
            put("<td>hypervisor memory</td><td class=\"mono\">{:#x} ({})</td>",
                hv.memory_phys.value, esc(human_size(hv.memory_size)));
        });
        if (hv.console)
            row(ids::hypervisor_console(), [&] {
                put("<td>hypervisor console</td><td class=\"mono\">{} {:#x}</td>",
                    to_string(hv.console->type), hv.console->base);
            });
        out_ += "</table>\n</section>\n";
    }

    void findings() {
        out_ += "<section id=\"findings\"><h2>Findings</h2>\n";
        if (diags_.empty()) {
            out_ += "<p>No findings: the checks and the kb rules found nothing.</p></section>\n";
            return;
        }
        out_ += "<table><tr><th>severity</th><th>rule</th><th>message</th><th>fix</th>"
                "<th>at</th><th>marked on</th></tr>\n";
        for (size_t d = 0; d < diags_.size(); ++d) {
            const Diagnostic& g = diags_[d];
            std::string sev = g.suppression ? fmt::format("{} (waived)", to_string(g.severity))
                                            : std::string(to_string(g.severity));
            put("<tr id=\"f-{}\" class=\"finding sev-{}{}\"><td>{}</td><td><code>{}</code></td>"
                "<td>{}",
                d, to_string(g.severity), g.suppression ? " waived" : "", sev, esc(g.rule),
                esc(g.message));
            if (g.suppression)
                put("<br><i>waived: {}</i>", esc(*g.suppression));
            for (const auto& r : g.related)
                put("<br><small>{} ({})</small>", esc(r.message), esc(where(r.loc)));
            put("</td><td>{}</td><td class=\"mono\">{}</td><td>", esc(g.fix), esc(where(g.loc)));
            if (marks_.placed[d].empty())
                out_ += "<i>not tied to a drawn element</i>";
            for (size_t e : marks_.placed[d])
                put("<a href=\"#{}\">{}</a><br>", elements_[e].id, esc(elements_[e].label));
            out_ += "</td></tr>\n";
        }
        out_ += "</table>\n</section>\n";
    }

    const System& s_;
    std::span<const Diagnostic> diags_;
    const RenderOptions& options_;
    std::vector<Element> elements_;
    std::map<std::string, size_t> index_;
    Marks marks_;
    std::string out_;
};

} // namespace

std::string render_html(const System& system, std::span<const Diagnostic> diagnostics,
                        const RenderOptions& options) {
    return Page(system, diagnostics, options).build();
}

Expected<std::string, LoadFailure> render_file(const std::filesystem::path& path,
                                               const KnowledgeBase& kb,
                                               const LintOptions& lint_options,
                                               const RenderOptions& options, Diagnostics& diags) {
    auto system = load_system(path, diags);
    if (!system) {
        diags.sort();
        return Unexpected(system.error());
    }
    check_system(*system, diags);
    lint_system(*system, kb, lint_options, diags);
    diags.sort();
    RenderOptions opts = options;
    if (opts.title.empty())
        opts.title = path.filename().string();
    return render_html(*system, diags.all(), opts);
}

} // namespace jailconf::render
