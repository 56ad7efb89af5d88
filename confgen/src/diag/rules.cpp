// Built-in rule ids. Adding a check means adding its entry here (and its fixtures under
// tests/fixtures/rules/<ID>/); the docs rule list and SARIF metadata are generated from this table.
#include "confgen/rules.hpp"

#include <algorithm>
#include <array>

namespace jailconf {
namespace {

using enum Severity;

constexpr std::array rules = {
    // Reading and parsing the input.
    RuleInfo{"JC-IO", error, "A file cannot be read",
             "The file does not exist, is a directory or is not readable. Check the path."},
    RuleInfo{"JC-FILE-EMPTY", error, "The file is empty",
             "A configuration must at least contain `format: jailconf/1`."},
    RuleInfo{"JC-INPUT-NOT-TEXT", error, "The file is not UTF-8 text",
             "The file contains NUL bytes or invalid UTF-8; it is probably a binary (a .jcb "
             "descriptor is read with `confgen decompile`)."},
    RuleInfo{"JC-YAML-SYNTAX", error, "YAML syntax error",
             "The file is not well-formed YAML. The location points at where the parser gave up; "
             "the mistake is often on the line before (indentation, a missing colon, a tab)."},
    RuleInfo{"JC-JSON-SYNTAX", error, "JSON syntax error",
             "A file named *.json is read as strict JSON (no comments, no trailing commas, "
             "double-quoted strings); the location points at where the parser gave up."},
    RuleInfo{"JC-FORMAT", error, "Missing or unsupported format version",
             "Every file starts with `format: jailconf/1` so that future format versions can be "
             "told apart."},
    RuleInfo{"JC-SCHEMA-UNKNOWN-KEY", error, "Unknown key",
             "Unknown keys are errors so that a misspelt key is never silently ignored."},
    RuleInfo{"JC-SCHEMA-REQUIRED", error, "A required key is missing",
             "The element lacks a key the format requires."},
    RuleInfo{"JC-SCHEMA-TYPE", error, "Value of the wrong type",
             "The value has the wrong type (for example a list where a number is expected)."},
    RuleInfo{"JC-SCHEMA-VALUE", error, "Value not allowed",
             "The value is outside the allowed set or range, or does not match the required "
             "pattern."},
    RuleInfo{"JC-NUMBER", error, "Malformed number",
             "Numbers are decimal or 0x-prefixed hexadecimal; sizes may end in K, M, G or T "
             "(powers of 1024). The value must fit the field."},
    RuleInfo{"JC-INCLUDE-MISSING", error, "Included file not found",
             "`include:` paths are relative to the including file."},
    RuleInfo{"JC-INCLUDE-CYCLE", error, "Include cycle",
             "A file includes itself, directly or through other files."},
    RuleInfo{"JC-INCLUDE-CONTENT", error, "Key not allowed in an included file",
             "Included files may only contain `format`, `include`, `cells` and `links`; the "
             "system file holds `arch`, `platform` and `hypervisor`."},

    // Semantic checks of a loaded system.
    RuleInfo{"JC-ROOT-COUNT", error, "Not exactly one root cell",
             "The root cell is the one the hypervisor starts at boot; there must be exactly one, "
             "marked `root: true`."},
    RuleInfo{
        "JC-CELL-NAME-DUP", error, "Two cells have the same name",
        "Cell names identify cells in links, descriptors and hypercalls; they must be unique."},
    RuleInfo{"JC-CPU-NONE", error, "A cell has no CPU", "A cell needs at least one CPU to run."},
    RuleInfo{"JC-CPU-ABSENT", error, "CPU not present on the platform",
             "The cell names a CPU that `platform.cpus` does not list."},
    RuleInfo{"JC-CPU-DUP", error, "CPU assigned to two cells",
             "A CPU belongs to exactly one cell; static partitioning never shares cores."},
    RuleInfo{"JC-PLATFORM-CPU-DUP", error, "Platform CPU listed twice",
             "Each logical CPU id and each hardware id (MPIDR/APIC ID) appears once in "
             "`platform.cpus`."},
    RuleInfo{"JC-MEM-ZERO-SIZE", error, "Memory region of size zero",
             "A region of size zero maps nothing; remove it or give it a size."},
    RuleInfo{"JC-MEM-OVERFLOW", error, "Memory region wraps around the address space",
             "phys + size (or virt + size) of a region or link exceeds 2^64; such a range is left "
             "out of the overlap checks until it is fixed."},
    RuleInfo{"JC-MEM-ALIGN", error, "Memory region not page-aligned",
             "Stage-2 translation works in 4 KiB pages: phys, virt and size must be multiples of "
             "0x1000."},
    RuleInfo{
        "JC-MEM-OVERLAP", error, "Memory regions of one cell overlap physically",
        "Two regions of the same cell cover the same physical addresses; merge or split them."},
    RuleInfo{"JC-MEM-VIRT-OVERLAP", error, "Memory regions of one cell overlap in the guest",
             "Two regions (or a region and a link) are mapped at overlapping guest addresses in "
             "the same cell."},
    RuleInfo{"JC-MEM-CELL-OVERLAP", error, "Memory shared between cells without consent",
             "Regions of two cells overlap physically; allowed only when both are marked `shared`, "
             "or when one belongs to the root cell and the other cell's region is marked "
             "`rootshared` (use a link for inter-cell communication)."},
    RuleInfo{"JC-MEM-HV-OVERLAP", error, "Cell memory overlaps hypervisor memory",
             "No cell may map the hypervisor's own memory; it would break isolation."},
    RuleInfo{"JC-MEM-GIC", error, "Cell memory maps the interrupt controller",
             "The hypervisor owns the GIC and emulates the distributor and redistributors for "
             "every cell, interrupt by interrupt. A region over the distributor, any CPU's "
             "redistributor frame (gicr + gicr_stride x the platform's CPUs) or the GICv2 CPU or "
             "hypervisor interface would give the cell every interrupt of the machine; the "
             "descriptor verifier and the hypervisor refuse it too."},
    RuleInfo{"JC-IRQ-RANGE", error, "Interrupt number not assignable",
             "Cells own shared peripheral interrupts: on a GIC, INTIDs 32-1019 (SPI n is INTID "
             "n+32; 0-31 are per-CPU SGIs and PPIs that the hypervisor virtualises); on x86, "
             "interrupts 0-255. Link doorbells obey the same range."},
    RuleInfo{"JC-IRQ-DUP", error, "Interrupt assigned to two cells",
             "An interrupt line is owned by one cell; the hypervisor routes it there."},
    RuleInfo{"JC-PCI-DUP", error, "PCI device assigned twice",
             "A PCI function (segment:bus:device.function) belongs to one cell, once."},
    RuleInfo{"JC-PCI-BAR", error, "Inconsistent PCI BAR",
             "BAR indices are 0-5, a 64-bit BAR takes two slots, no slot is used twice, and a "
             "memory BAR's size is a power of two."},
    RuleInfo{"JC-PCI-MSIX", error, "MSI-X table or PBA outside a BAR",
             "The MSI-X table and pending-bit array must lie inside a memory BAR of the device."},
    RuleInfo{"JC-SID-DUP", error, "IOMMU stream id assigned twice",
             "A stream id identifies a DMA master to the SMMU; two owners break DMA isolation."},
    RuleInfo{"JC-LINK-PEER", error, "Link peer missing or repeated",
             "A link joins two or more distinct existing cells (see JC-LINK-LATER-PEER for a "
             "system that describes only its root cell)."},
    RuleInfo{"JC-LINK-LATER-PEER", note, "Link peer created at run time",
             "A system that describes only its root cell is the boot view of a machine whose "
             "other cells the root creates at run time from its own resources: a link peer that "
             "is no cell of the file is taken to be one of those. The hypervisor maps the link "
             "into a cell of that name when the root creates it; check the name against the "
             "cell's own file."},
    RuleInfo{"JC-LINK-DOORBELL", error, "Link doorbell not free",
             "A doorbell is a virtual interrupt the hypervisor raises in the link's peers: its "
             "INTID must not be an interrupt a cell owns, nor another link's doorbell."},
    RuleInfo{"JC-LINK-NAME-DUP", error, "Two links have the same name",
             "Link names identify the shared-memory channel in each peer; they must be unique."},
    RuleInfo{"JC-LINK-ALIGN", error, "Link memory not page-aligned",
             "Link memory is mapped into each peer with stage-2 pages: phys, virt and size must "
             "be multiples of 0x1000, and size non-zero."},
    RuleInfo{"JC-LINK-OVERLAP", error, "Link memory overlaps other memory",
             "Link memory belongs to the link alone: it must not overlap hypervisor memory, a "
             "cell's regions or another link."},
    RuleInfo{"JC-CONSOLE-UNMAPPED", error, "Console outside the cell's resources",
             "A cell's console must lie inside one of its memory regions (or port I/O ranges for "
             "a port-I/O UART), or the cell faults on its first character."},
    RuleInfo{"JC-ARCH-FIELD", error, "Field does not apply to this architecture",
             "For example a GIC or SMMU on x86_64, port I/O or an APIC on Arm, a PL011 console on "
             "x86_64, or a GIC field of the other GIC version (gicr on GICv2, gicc on GICv3)."},
    // The planner (`confgen generate --request`): a request that cannot be satisfied.
    RuleInfo{"JC-PLAN-CPU", error, "The request's CPUs cannot be given",
             "Not enough free CPUs, a CPU the machine lacks or another cell already has, or none "
             "left for the root cell. The message counts what is free and who took the rest."},
    RuleInfo{
        "JC-PLAN-MEMORY", error, "The request's memory cannot be placed",
        "Not enough free RAM (the message names the largest free block), a bad size or "
        "alignment, or an explicit address that is not free RAM (it says what is in the way)."},
    RuleInfo{"JC-PLAN-DEVICE", error, "A requested device cannot be given to the cell",
             "The selector matches nothing (with a suggestion), or the device belongs to another "
             "cell or the hypervisor, is disabled, shares a register page or an interrupt with a "
             "device that stays behind, or its IOMMU group would be split across cells."},
    RuleInfo{"JC-PLAN-CONSOLE", error, "The requested console cannot be used",
             "The selected console is not a UART the format can describe, or it is the "
             "hypervisor's."},
    RuleInfo{"JC-PLAN-LINK", error, "A requested link cannot be made",
             "Unknown or repeated peers, a duplicate name, no room for its memory, or a doorbell "
             "interrupt already in use."},
    RuleInfo{"JC-PLAN-CELL", error, "A requested cell is not valid",
             "A cell named `root` (the root cell is made from the inventory), or two cells with "
             "one name."},
    RuleInfo{"JC-PLAN-ROOT", error, "The machine cannot be configured",
             "The inventory lacks what every configuration needs (RAM, the architecture), as for "
             "`confgen generate` without a request."},
    RuleInfo{"JC-KB-RULE", error, "A knowledge-base file is malformed",
             "A rule or device-data file (kb/, --rules-dir) does not match its meta-schema, names "
             "a fact table, field or variable that does not exist, or reuses a rule id. The "
             "message names the file, line and what to write instead; docs/kb-facts.md lists the "
             "tables and fields."},
    RuleInfo{"JC-LIMIT", error, "Exceeds a limit of the binary format",
             "The hypervisor works with fixed bounds (schema/include/jailconf/limits.hpp); an "
             "element count, a CPU id or a name length is above what a descriptor can carry."},
};

} // namespace

std::span<const RuleInfo> builtin_rules() {
    return rules;
}

const RuleInfo* find_rule(std::string_view id) {
    auto it = std::ranges::find(rules, id, &RuleInfo::id);
    return it == rules.end() ? nullptr : &*it;
}

} // namespace jailconf
