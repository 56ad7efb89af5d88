// Broken ACPI tables: each gives a ScanError naming the file and the offset of the offending
// structure, never a crash, a hang or a sanitizer report. Offsets are taken from the
// disassembly of the intact table, not typed in.
#include <fmt/format.h>

#include "scan/acpi/table_header.hpp"
#include "scan_acpi_support.hpp"

namespace {

using namespace acpi_test;
using jailconf::ScanError;
using jailconf::scan::AcpiTableFile;
using jailconf::scan::scan_acpi_tables;

ScanError scan_error(const AcpiTableFile& t) {
    auto r = scan_acpi_tables({t});
    if (r) {
        ADD_FAILURE() << t.file << ": scan succeeded";
        return {};
    }
    EXPECT_EQ(r.error().kind, ScanError::Kind::malformed);
    EXPECT_EQ(r.error().file, t.file);
    EXPECT_FALSE(r.error().message.empty());
    EXPECT_FALSE(r.error().fix.empty());
    return r.error();
}

const char* kTables[] = {"x86-vm/APIC",
                         "x86-vm/FACP",
                         "x86-vm/MCFG",
                         "templates/x86-madt.aml",
                         "templates/dmar.aml",
                         "templates/ivrs.aml",
                         "templates/iort.aml",
                         "templates/x86-srat.aml",
                         "templates/arm-madt-gicr.aml",
                         "templates/arm-gtdt.aml",
                         "templates/arm-spcr.aml",
                         "templates/x86-hpet.aml"};

TEST(ScanAcpiMalformed, EveryTruncationIsALengthError) {
    for (const char* name : kTables) {
        const std::string bytes = read_bytes(fixture(name));
        for (size_t n = 0; n < bytes.size(); ++n) {
            SCOPED_TRACE(fmt::format("{} cut to {}", name, n));
            const ScanError e = scan_error({name, bytes.substr(0, n)});
            EXPECT_EQ(e.offset, n < jailconf::scan::acpi::kHeaderSize ? 0u : 4u);
        }
    }
}

// Truncated and re-sealed (length field and checksum made consistent): the structure checks
// must catch every cut; an error points into the body, at most at the cut itself (a structure
// that should start there is missing); a success is a cut between structures.
TEST(ScanAcpiMalformed, EveryResealedTruncationIsCaughtInsideTheBody) {
    for (const char* name : kTables) {
        const std::string bytes = read_bytes(fixture(name));
        for (size_t n = jailconf::scan::acpi::kHeaderSize; n < bytes.size(); ++n) {
            SCOPED_TRACE(fmt::format("{} cut to {}", name, n));
            std::string t = bytes.substr(0, n);
            put_le(t, 4, n, 4);
            reseal(t);
            auto r = scan_acpi_tables({{name, t}});
            if (!r) {
                EXPECT_EQ(r.error().kind, ScanError::Kind::malformed);
                ASSERT_TRUE(r.error().offset.has_value());
                EXPECT_GE(*r.error().offset, jailconf::scan::acpi::kHeaderSize);
                EXPECT_LE(*r.error().offset, n);
            }
        }
    }
}

TEST(ScanAcpiMalformed, WrongChecksumNamesByteNineAndTheFix) {
    const std::string bytes = read_bytes(fixture("x86-vm/APIC"));
    std::string t = bytes;
    t[9] = static_cast<char>(t[9] + 1);
    const ScanError e = scan_error({"APIC", t});
    EXPECT_EQ(e.offset, 9u);
    EXPECT_NE(e.message.find("checksum"), std::string::npos);
    EXPECT_NE(e.fix.find(fmt::format("0x{:02x}", static_cast<uint8_t>(bytes[9]))),
              std::string::npos)
        << e.fix;
}

TEST(ScanAcpiMalformed, LengthFieldBiggerOrSmallerThanTheFile) {
    const std::string bytes = read_bytes(fixture("templates/dmar.aml"));
    for (int64_t delta : {-1, 1, 4096}) {
        std::string t = bytes;
        put_le(t, 4, bytes.size() + delta, 4);
        reseal(t);
        const ScanError e = scan_error({"DMAR", t});
        EXPECT_EQ(e.offset, 4u);
        EXPECT_NE(e.message.find(delta < 0 ? "holds more" : "truncated"), std::string::npos)
            << e.message;
    }
    std::string small = bytes;
    put_le(small, 4, 20, 4);
    EXPECT_EQ(scan_error({"DMAR", small}).offset, 4u);
}

TEST(ScanAcpiMalformed, ZeroLengthMadtSubtable) {
    auto madt = load("templates/x86-madt.aml");
    const uint64_t sub = groups(madt.dsl, "Subtable Type").at(3).front().offset;
    std::string t = madt.table.bytes;
    t[sub + 1] = 0;
    reseal(t);
    EXPECT_EQ(scan_error({"APIC", t}).offset, sub);
}

TEST(ScanAcpiMalformed, IvhdEntryRunningPastItsBlock) {
    auto ivrs = load("templates/ivrs.aml");
    const Fields block = groups(ivrs.dsl, "Subtable Type").at(0);
    uint64_t entry = 0;
    for (const auto& e : groups(block, "Entry Type"))
        if (hex(e.front().value) == 0x42)
            entry = e.front().offset;
    ASSERT_NE(entry, 0u);
    // The block now ends 4 bytes into the 8-byte alias entry; the space after it is left as is.
    std::string t = ivrs.table.bytes;
    put_le(t, block.front().offset + 2, entry + 4 - block.front().offset, 2);
    reseal(t);
    EXPECT_EQ(scan_error({"IVRS", t}).offset, entry);
}

TEST(ScanAcpiMalformed, IvhdRangeStartWithoutEnd) {
    auto ivrs = load("templates/ivrs.aml");
    const Fields block = groups(ivrs.dsl, "Subtable Type").at(0);
    for (const auto& e : groups(block, "Entry Type"))
        if (hex(e.front().value) == 0x04) {
            std::string t = ivrs.table.bytes;
            t[e.front().offset] = 0x02; // the end becomes a select
            reseal(t);
            const ScanError err = scan_error({"IVRS", t});
            EXPECT_LT(*err.offset, e.front().offset); // blames the start entry
            return;
        }
    FAIL() << "no range end in the fixture";
}

TEST(ScanAcpiMalformed, IortReferenceCycleIsBoundedAndNamed) {
    auto iort = load("templates/iort-cycle.aml");
    // The chain that cycles starts at the segment 1 root complex's mapping.
    uint64_t mapping = 0;
    for (const auto& n : groups(iort.dsl, "Type"))
        if (hex(n.front().value) == 2 && num(n, "PCI Segment Number") == 1)
            mapping = find(n, "Input base")->offset;
    ASSERT_NE(mapping, 0u);
    const ScanError e = scan_error(iort.table);
    EXPECT_EQ(e.offset, mapping);
    EXPECT_NE(e.message.find("cycle"), std::string::npos);
}

TEST(ScanAcpiMalformed, IortReferenceOutOfRange) {
    auto iort = load("templates/iort-badref.aml");
    uint64_t mapping = 0;
    for (const auto& n : groups(iort.dsl, "Type"))
        if (hex(n.front().value) == 4)
            mapping = find(n, "Input base")->offset;
    ASSERT_NE(mapping, 0u);
    EXPECT_EQ(scan_error(iort.table).offset, mapping);
}

TEST(ScanAcpiMalformed, IortNodeOffsetOutOfRange) {
    auto iort = load("templates/iort.aml");
    std::string t = iort.table.bytes;
    put_le(t, 40, t.size() + 16, 4);
    reseal(t);
    EXPECT_EQ(scan_error({"IORT", t}).offset, 40u);
}

TEST(ScanAcpiMalformed, DmarScopeLengthZero) {
    auto dmar = load("templates/dmar.aml");
    const auto scopes = groups(dmar.dsl, "Device Scope Type");
    ASSERT_FALSE(scopes.empty());
    const uint64_t scope = scopes.front().front().offset;
    std::string t = dmar.table.bytes;
    t[scope + 1] = 0;
    reseal(t);
    EXPECT_EQ(scan_error({"DMAR", t}).offset, scope);
}

TEST(ScanAcpiMalformed, DmarStructureLengthZero) {
    auto dmar = load("templates/dmar.aml");
    const uint64_t first = groups(dmar.dsl, "Subtable Type").front().front().offset;
    std::string t = dmar.table.bytes;
    put_le(t, first + 2, 0, 2);
    reseal(t);
    EXPECT_EQ(scan_error({"DMAR", t}).offset, first);
}

TEST(ScanAcpiMalformed, NotATable) {
    const ScanError e = scan_error({"notes.txt", std::string(64, 'x') + "\n"});
    EXPECT_EQ(e.offset, 4u); // printable "xxxx" signature, length field nonsense
    const ScanError bin = scan_error({"blob", std::string(64, '\0')});
    EXPECT_EQ(bin.offset, 0u);
}

TEST(ScanAcpiHeader, ValidatorAndChecksumArePure) {
    using namespace jailconf::scan::acpi;
    auto madt = load("x86-vm/APIC");
    EXPECT_EQ(table_checksum(madt.table.bytes), 0u);
    auto h = validate_table(madt.table.bytes, "APIC");
    ASSERT_TRUE(h.has_value());
    EXPECT_EQ(h->signature, "APIC");
    EXPECT_EQ(h->length, num(madt.dsl, "Table Length"));
    EXPECT_EQ(h->checksum, num(madt.dsl, "Checksum"));
    EXPECT_EQ(h->oem_revision, num(madt.dsl, "Oem Revision"));
    EXPECT_EQ(h->creator_id, str(madt.dsl, "Asl Compiler ID"));
    EXPECT_EQ(h->creator_revision, num(madt.dsl, "Asl Compiler Revision"));
}

} // namespace

namespace {

// Size, not shape: a MADT of 60000 x2APIC entries (the compiled server MADT's fixed part, then
// copies of its first x2APIC entry with rising ids) must scan in linear time under ASan.
TEST(ScanAcpiLimits, HugeMadtScansInLinearTime) {
    auto madt = load("templates/x86-madt.aml");
    uint64_t x2apic = 0;
    for (const auto& g : groups(madt.dsl, "Subtable Type"))
        if (hex(g.front().value) == 9 && x2apic == 0)
            x2apic = g.front().offset;
    ASSERT_NE(x2apic, 0u);
    const uint64_t first = groups(madt.dsl, "Subtable Type").front().front().offset;
    const std::string entry = madt.table.bytes.substr(x2apic, 16);
    std::string t = madt.table.bytes.substr(0, first);
    constexpr uint32_t kEntries = 60000;
    for (uint32_t i = 0; i < kEntries; ++i) {
        std::string e = entry;
        put_le(e, 4, 0x1000 + i, 4);
        put_le(e, 8, 1, 4); // enabled
        t += e;
    }
    put_le(t, 4, t.size(), 4);
    reseal(t);
    const auto inv = scan_ok({{"big-madt", t}});
    EXPECT_EQ(inv.cpus.size(), kEntries);
}

} // namespace
