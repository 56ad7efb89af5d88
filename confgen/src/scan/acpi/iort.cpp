// IORT: which Arm SMMU serves which PCI requester ids and platform devices.
//
// Nodes sit at byte offsets named in the header; ID mappings point at other nodes by offset. For
// every mapping of a root complex or named component the scanner follows the output references
// until it reaches an SMMU (the mapping then becomes an IdMapping of that SMMU, inputs = the
// source's ids, outputs = stream ids) or an ITS group (no IOMMU in the way: nothing recorded).
// Every reference must be the offset of a node, and a chain may cross at most kMaxHops nodes,
// which also ends reference cycles.
#include <fmt/format.h>

#include <algorithm>

#include "scan/acpi/table.hpp"

namespace jailconf::scan::acpi {

namespace {

constexpr size_t kIortFixed = 48; // header + node count, node offset, reserved
constexpr size_t kNodeHeader = 16;
constexpr size_t kMappingSize = 20;
constexpr int kMaxHops = 16;
// Mapping entries examined while translating through intermediate nodes, over the whole table:
// a table of self-referencing nodes with many mappings would otherwise take quadratic time.
constexpr size_t kMaxTranslationSteps = 1u << 20;
constexpr uint32_t kSingleMapping = 1u << 0;

enum NodeType : uint8_t {
    its_group = 0,
    named_component = 1,
    root_complex = 2,
    smmu_v1v2 = 3,
    smmu_v3 = 4
};

struct Node {
    size_t offset;
    uint8_t type;
    size_t length;
    uint32_t mapping_count;
    size_t mapping_offset;       // absolute
    std::optional<size_t> iommu; // index into the scan's iommus for SMMU nodes
    std::string source;          // who the ids of a root complex or named component belong to
};

struct Mapping {
    size_t offset; // absolute, for errors
    uint32_t input_base;
    uint32_t count; // number of ids
    uint32_t output_base;
    uint32_t output_ref;
};

Mapping read_mapping(std::string_view b, size_t off) {
    Mapping m{off, u32(b, off), u32(b, off + 4), u32(b, off + 8), u32(b, off + 12)};
    // The table stores "number of ids minus one"; a single mapping has no input range at all.
    if (u32(b, off + 16) & kSingleMapping) {
        m.input_base = 0;
        m.count = 1;
    } else {
        m.count = m.count == UINT32_MAX ? UINT32_MAX : m.count + 1;
    }
    return m;
}

const Node* find_node(const std::vector<Node>& nodes, size_t offset) {
    auto it = std::lower_bound(nodes.begin(), nodes.end(), offset,
                               [](const Node& n, size_t o) { return n.offset < o; });
    return it != nodes.end() && it->offset == offset ? &*it : nullptr;
}

std::string smmu_type(uint32_t model) {
    switch (model) {
    case 0: // generic SMMUv1
    case 2: // CoreLink MMU-400
    case 4: // CoreLink MMU-401
        return "smmuv1";
    default: // generic SMMUv2, MMU-500, Cavium ThunderX and later models
        return "smmuv2";
    }
}

ParseResult read_node_body(const Table& t, Node& n, ScanState& s) {
    const std::string_view b = t.bytes;
    const size_t off = n.offset;
    switch (n.type) {
    case its_group: {
        if (auto c = check_structure(t, off, n.length, 20, "IORT ITS group node"); !c)
            return c;
        const uint64_t count = u32(b, off + 16);
        if (count > (n.length - 20) / 4)
            return Unexpected(t.malformed(
                off, fmt::format("IORT ITS group lists {} ITS ids, more than its {} bytes hold",
                                 count, n.length)));
        return Ok{};
    }
    case named_component: {
        if (auto c = check_structure(t, off, n.length, 30, "IORT named component node"); !c)
            return c;
        const std::string_view rest = b.substr(off + 29, n.length - 29);
        const size_t nul = rest.find('\0');
        if (nul == std::string_view::npos)
            return Unexpected(t.malformed(
                off + 29, "IORT named component's device name has no terminating NUL in its node"));
        n.source = std::string(rest.substr(0, nul));
        return Ok{};
    }
    case root_complex:
        if (auto c = check_structure(t, off, n.length, 36, "IORT root complex node"); !c)
            return c;
        n.source = fmt::format("pci:{}", u32(b, off + 28));
        return Ok{};
    case smmu_v1v2: {
        if (auto c = check_structure(t, off, n.length, 36, "IORT SMMUv1/v2 node"); !c)
            return c;
        inventory::Iommu u;
        u.type = smmu_type(u32(b, off + 32));
        u.region = inventory::Region{u64(b, off + 16), u64(b, off + 24)};
        u.path = fmt::format("IORT node 0x{:x}", off);
        u.origin = t.origin(off);
        n.iommu = s.inv.iommus.size();
        s.inv.iommus.push_back(std::move(u));
        return Ok{};
    }
    case smmu_v3: {
        if (auto c = check_structure(t, off, n.length, 44, "IORT SMMUv3 node"); !c)
            return c;
        inventory::Iommu u;
        u.type = "smmuv3";
        u.region = inventory::Region{u64(b, off + 16), 0x20000}; // register pages 0 and 1
        // Event queue, PRI queue, global error, sync completion GSIVs (0 = not wired).
        for (size_t field = 44; field < 60 && field + 4 <= n.length; field += 4)
            if (const uint32_t gsiv = u32(b, off + field))
                u.irqs.push_back(inventory::Interrupt{gsiv, inventory::Trigger::unknown});
        u.path = fmt::format("IORT node 0x{:x}", off);
        u.origin = t.origin(off);
        n.iommu = s.inv.iommus.size();
        s.inv.iommus.push_back(std::move(u));
        return Ok{};
    }
    default: // PMCG, RMR, ...: only their bounds matter here
        return Ok{};
    }
}

// Follows `m` of `source` to the first SMMU or ITS group and records it on the SMMU.
ParseResult follow(const Table& t, const std::vector<Node>& nodes, const Node& source, Mapping m,
                   size_t& steps, ScanState& s) {
    const size_t first_offset = m.offset;
    const uint32_t input_base = m.input_base;
    uint32_t id = m.output_base;
    uint32_t count = m.count;
    uint32_t ref = m.output_ref;
    for (int hop = 0; hop < kMaxHops; ++hop) {
        const Node* target = find_node(nodes, ref);
        if (target == nullptr) // references were all checked already; kept for safety
            return Unexpected(t.malformed(first_offset, "IORT output reference is not a node"));
        if (target->iommu) {
            s.inv.iommus[*target->iommu].id_maps.push_back(
                inventory::IdMapping{input_base, id, count, source.source});
            return Ok{};
        }
        if (target->type == its_group)
            return Ok{};
        // An intermediate node: translate through its mapping that covers the id.
        bool found = false;
        for (uint32_t i = 0; i < target->mapping_count && !found; ++i) {
            if (++steps > kMaxTranslationSteps)
                return Unexpected(t.malformed(
                    first_offset,
                    "IORT ID mapping chains through intermediate nodes are too "
                    "long to follow (more than 2^20 mapping entries examined)",
                    "map root complexes and named components directly to SMMUs or ITS groups"));
            const Mapping next = read_mapping(t.bytes, target->mapping_offset + i * kMappingSize);
            if (id < next.input_base || id - next.input_base >= next.count)
                continue;
            const uint32_t skip = id - next.input_base;
            count = std::min(count, next.count - skip);
            id = next.output_base + skip;
            ref = next.output_ref;
            found = true;
        }
        if (!found)
            return Ok{}; // the ids go nowhere further: no IOMMU serves them
    }
    return Unexpected(t.malformed(
        first_offset,
        fmt::format("IORT ID mapping's output references cross more than {} nodes: the "
                    "references form a cycle",
                    kMaxHops),
        "fix the output reference fields so that every chain ends at an SMMU or ITS group"));
}

} // namespace

ParseResult parse_iort(const Table& t, ScanState& s) {
    const std::string_view b = t.bytes;
    if (b.size() < kIortFixed)
        return Unexpected(t.malformed(
            kHeaderSize,
            fmt::format("IORT is {} bytes, ends before its node array fields", b.size())));
    const uint32_t count = u32(b, 36);
    const uint32_t first = u32(b, 40);
    if (count != 0 && (first < kIortFixed || first > b.size()))
        return Unexpected(
            t.malformed(40, fmt::format("IORT node array offset 0x{:x} is outside the table body "
                                        "(0x{:x}-0x{:x})",
                                        first, kIortFixed, b.size())));
    if (count != 0 && count > (b.size() - first) / kNodeHeader)
        return Unexpected(t.malformed(
            36, fmt::format("IORT says {} nodes, but {} bytes after offset 0x{:x} hold at most {}",
                            count, b.size() - first, first, (b.size() - first) / kNodeHeader)));

    std::vector<Node> nodes;
    size_t off = first;
    for (uint32_t i = 0; i < count; ++i) {
        if (b.size() - off < kNodeHeader)
            return Unexpected(t.malformed(off, fmt::format("IORT node {} of {} starts too close "
                                                           "to the table end for its header",
                                                           i, count)));
        Node n{off, u8(b, off), u16(b, off + 1), u32(b, off + 8), 0, {}, {}};
        if (n.length < kNodeHeader || n.length > b.size() - off)
            return Unexpected(t.malformed(
                off, fmt::format("IORT node type {} has length {}: smaller than its 16-byte "
                                 "header or past the table end",
                                 n.type, n.length)));
        const uint32_t map_off = u32(b, off + 12);
        if (n.mapping_count != 0 && (map_off < kNodeHeader || map_off > n.length ||
                                     n.mapping_count > (n.length - map_off) / kMappingSize))
            return Unexpected(t.malformed(
                off + 12, fmt::format("IORT node's {} ID mappings at node offset 0x{:x} do not "
                                      "fit in its {} bytes",
                                      n.mapping_count, map_off, n.length)));
        n.mapping_offset = off + map_off;
        if (auto r = read_node_body(t, n, s); !r)
            return r;
        off += n.length;
        nodes.push_back(std::move(n));
    }
    // Every reference must land on a node, whichever node it starts from.
    for (const auto& n : nodes)
        for (uint32_t i = 0; i < n.mapping_count; ++i) {
            const size_t m = n.mapping_offset + i * kMappingSize;
            const uint32_t ref = u32(b, m + 12);
            if (find_node(nodes, ref) == nullptr)
                return Unexpected(t.malformed(
                    m, fmt::format("IORT ID mapping's output reference 0x{:x} is not the offset "
                                   "of any node",
                                   ref)));
        }
    size_t steps = 0;
    for (const auto& n : nodes) {
        if (n.type != root_complex && n.type != named_component)
            continue;
        for (uint32_t i = 0; i < n.mapping_count; ++i)
            if (auto r = follow(t, nodes, n, read_mapping(b, n.mapping_offset + i * kMappingSize),
                                steps, s);
                !r)
                return r;
    }
    return Ok{};
}

} // namespace jailconf::scan::acpi
