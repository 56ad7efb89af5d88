// `confgen render`: a self-contained HTML page (inline SVG and CSS, no script, no network) that
// draws a system: the physical address map, CPUs, interrupts, PCI devices and stream ids per
// cell, colour-coded, with the check and lint findings marked on the elements they point at.
//
// Three layers, each testable alone: the elements of the page (every model element that has a
// source location), the placement of findings on them (by SourceLocation), and the address-map
// geometry (a segmented axis, see AxisParams). html.cpp only emits what these computed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "confgen/diagnostics.hpp"
#include "confgen/expected.hpp"
#include "confgen/lint.hpp"
#include "confgen/load.hpp"
#include "confgen/model.hpp"

namespace jailconf::render {

// Who an element belongs to: a cell index (>= 0) or one of these.
inline constexpr int owner_platform = -1;
inline constexpr int owner_hypervisor = -2;
inline constexpr int owner_links = -3;
inline constexpr int owner_system = -4;

enum class ElementKind {
    system,
    platform,
    platform_cpu,
    irqchip,
    pci_host,
    iommu,
    hypervisor,
    hypervisor_memory,
    hypervisor_console,
    cell,
    cpu_range,
    memory_region,
    irq_range,
    pci_device,
    pci_bar,
    stream_id,
    pio_range,
    console,
    watchdog,
    waiver,
    link,
    link_peer,
};
std::string_view to_string(ElementKind);

// One thing on the page that came from a YAML node. `id` is its HTML id (ASCII letters, digits
// and '-', unique in the page); drawn copies of it (a bar on the address map) use id + "-bar".
struct Element {
    std::string id;
    ElementKind kind = ElementKind::system;
    int owner = owner_system;
    std::string label; // for people: "rt: memory ram", "platform: GIC (gicv3)"
    SourceLocation loc;
    std::vector<SourceLocation> also; // sub-nodes drawn as part of it (a device's MSI-X, caps)
    size_t index = 0; // position in its list: memory region k of its cell, link k, ...
};

// Every element of the system, in a fixed order (system, platform, hypervisor, cells in order
// with their parts in YAML order, links).
std::vector<Element> collect_elements(const System& system);

// For each diagnostic, the indices (into `elements`) of the elements it is marked on:
//   1. the elements declared at exactly its file, line and column (`loc` or one of `also`);
//   2. otherwise, on the same file and line, the elements that start nearest before its column
//      (a flow sequence such as `irqs: [33, 35-38]` puts several on one line);
//   3. otherwise, on that line, all elements of the line;
//   4. otherwise none: the finding is listed on the page but not marked on a drawing.
// A diagnostic without a known location is never placed. Parents are not marked for their
// children's findings: a finding on a BAR marks the BAR, not its device.
std::vector<std::vector<size_t>> place_findings(std::span<const Element> elements,
                                                std::span<const Diagnostic> diagnostics);

// ---- Address map geometry --------------------------------------------------------------------

// The axis is segmented: every region start and end is a boundary; the stretch between two
// neighbouring boundaries is drawn `covered_min + covered_per_octave * log2(length / 4 KiB)`
// high (clamped to covered_max) when some region covers it, and `gap` high when none does (an
// unused gap of any length is compressed to a fixed band). Within a stretch the scale is linear,
// so the mapping address -> y is strictly increasing: the lengths of bars are not to scale, but
// their order and overlaps are exact. Low addresses are at the top.
struct AxisParams {
    double covered_min = 18;
    double covered_per_octave = 4;
    double covered_max = 140;
    double gap = 14;
    double lane_width = 110;
    double column_gap = 16;
};

struct MapColumn {
    std::string title;
    int owner = owner_platform;
    double x = 0;     // left edge
    double width = 0; // lanes * lane_width
    int lanes = 1;
};

// Something with a physical address range: a cell's memory region or PCI memory BAR, the
// hypervisor's memory or console, a link, a platform block (GIC, ECAM, IOMMU).
struct MapItem {
    size_t element = 0; // index into collect_elements()
    std::string id;     // HTML id of the bar (ids differ when one element has several blocks)
    std::string label;  // short: "ram", "GICD", "BAR 1 of 00:02.0"
    std::string kind;   // "memory", "io", "pci-bar", "hypervisor", "link", "platform"
    int column = 0;
    uint64_t base = 0;
    uint64_t end = 0; // exclusive; saturated at 2^64-1 when base + size overflows
};

struct MapBar {
    size_t item = 0;
    int lane = 0;
    double x = 0, y = 0, width = 0, height = 0;
};

struct AxisStretch {
    uint64_t start = 0;
    uint64_t end = 0; // exclusive
    double y0 = 0, y1 = 0;
    bool gap = false; // no region covers it
};

struct AddressMapLayout {
    AxisParams params;
    std::vector<MapColumn> columns;
    std::vector<MapItem> items; // zero-size regions are left out (the checks report them)
    std::vector<MapBar> bars;   // one per item, same order
    std::vector<AxisStretch> axis;
    double width = 0;
    double height = 0;
    // y of an address inside [axis.front().start, axis.back().end]; clamped outside.
    double y_of(uint64_t address) const;
};

AddressMapLayout layout_address_map(const System& system, std::span<const Element> elements,
                                    const AxisParams& params = {});

// ---- The page ---------------------------------------------------------------------------------

// Text for HTML content and attribute values: & < > " ' become entities, control characters
// other than tab and newline become U+FFFD.
std::string escape_html(std::string_view text);

struct RenderOptions {
    std::string title; // shown in the header, e.g. the file name
};

// The page for a loaded system and the findings about it (as check + lint computed them).
// Deterministic: the same inputs give the same bytes.
std::string render_html(const System& system, std::span<const Diagnostic> diagnostics,
                        const RenderOptions& options);

// Load FILE, run the semantic checks and the kb rules, and render the page. Every finding goes
// to `diags` (sorted); the page is produced whenever the file loads, whatever the findings.
// Fails, with the reasons in `diags`, only when the file cannot be loaded.
Expected<std::string, LoadFailure> render_file(const std::filesystem::path& path,
                                               const KnowledgeBase& kb,
                                               const LintOptions& lint_options,
                                               const RenderOptions& options, Diagnostics& diags);

} // namespace jailconf::render
