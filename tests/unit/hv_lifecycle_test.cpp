// hv/core/cells: the ownership ledger and the cell lifecycle behind the hypercalls, driven with a
// fake CellPlatform (memory as a sparse byte store, the root's stage 2 as a set of pages, CPUs as
// a set). Cell blobs are compiled by confgen from examples/hv/cells.yaml and variations; the
// root cell comes from examples/hv/manager.yaml, as on QEMU.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "binary_test_support.hpp"
#include "core/cells/lifecycle.hpp"
#include "core/cells/ownership.hpp"
#include "core/measure/log.hpp"
#include "core/monitor/monitor.hpp"
#include "jailconf/comm_region.hpp"

namespace {

using namespace jailconf;
using binary_test::Bytes;
using hv::Error;
using hv::cells::CellState;
using hv::cells::CpuSet;
using hv::cells::FailureReason;
using hv::cells::ResourceKind;

constexpr uint64_t page = 4096;
constexpr uint64_t MiB = 1 << 20;
// Where the tests put blobs and images in the root cell's staging memory (manager.yaml).
constexpr uint64_t staging = 0x50000000;
constexpr uint64_t image = 0x50100000;

class FakePlatform final : public hv::cells::CellPlatform {
  public:
    explicit FakePlatform(const hv::cells::Ownership& own) {
        for (unsigned i = 0; i < own.root_region_count(); ++i) {
            const auto& r = own.root_region(i);
            for (uint64_t a = 0; a < r.size; a += page)
                root_pages.insert(r.virt + a);
        }
    }

    void poke(uint64_t phys, const Bytes& bytes) {
        for (size_t i = 0; i < bytes.size(); ++i)
            memory[phys + i] = bytes[i];
    }
    uint8_t peek(uint64_t phys) const {
        auto it = memory.find(phys);
        return it == memory.end() ? 0 : it->second;
    }

    void read_memory(uint64_t phys, void* out, size_t size) override {
        for (size_t i = 0; i < size; ++i)
            static_cast<uint8_t*>(out)[i] = peek(phys + i);
    }
    void zero_memory(uint64_t phys, uint64_t size) override {
        zeroed.push_back({phys, size});
        memory.erase(memory.lower_bound(phys), memory.lower_bound(phys + size));
    }
    void copy_memory(uint64_t dst, uint64_t src, uint64_t size) override {
        for (uint64_t i = 0; i < size; ++i) {
            const uint8_t b = peek(src + i);
            if (b != 0)
                memory[dst + i] = b;
            else
                memory.erase(dst + i);
        }
    }
    hv::Result<void> build_stage2(unsigned slot, const jcb::BlobView&) override {
        if (tables < 1)
            return Error::out_of_tables;
        --tables;
        stage2.insert(slot);
        return {};
    }
    void release_stage2(unsigned slot) override {
        if (stage2.erase(slot) != 0)
            ++tables;
    }
    size_t free_tables() const override { return tables; }
    size_t tables_per_root_unmap() const override { return 4; }
    hv::Result<void> unmap_from_root(uint64_t ipa, uint64_t size) override {
        for (uint64_t a = 0; a < size; a += page)
            root_pages.erase(ipa + a);
        return {};
    }
    hv::Result<void> map_into_root(uint64_t ipa, uint64_t, uint64_t size, uint32_t) override {
        for (uint64_t a = 0; a < size; a += page)
            root_pages.insert(ipa + a);
        return {};
    }
    CpuSet online_cpus() const override { return online; }
    void assign_cpus(unsigned slot, CpuSet cpus) override {
        for (unsigned c = 0; c < hv::cells::cpu_limit; ++c) {
            if (cpus.contains(c))
                owner[c] = slot;
        }
    }
    hv::Result<void> start_cpu(unsigned slot, unsigned cpu, uint64_t entry) override {
        started.push_back({slot, cpu, entry});
        online.add(cpu);
        return {};
    }
    hv::Result<void> stop_cpus(CpuSet cpus) override {
        if (stuck.intersects(cpus))
            return Error::cpus_did_not_stop;
        online.remove_all(cpus);
        return {};
    }
    hv::Result<void> map_into_cell(unsigned slot, uint64_t ipa, uint64_t phys, uint64_t size,
                                   uint32_t flags) override {
        if (tables < 1)
            return Error::out_of_tables;
        cell_maps.push_back({slot, ipa, phys, size, flags});
        return {};
    }
    void set_doorbells(unsigned slot, const hv::cells::IrqSet& bells) override {
        std::vector<uint32_t> ids;
        for (uint32_t i = 0; i < hv::cells::irq_limit; ++i) {
            if (bells.contains(i))
                ids.push_back(i);
        }
        doorbells[slot] = ids;
    }
    void irqs_changed_owner(unsigned new_slot, const hv::cells::IrqSet& irqs) override {
        std::vector<uint32_t> ids;
        for (uint32_t i = 0; i < hv::cells::irq_limit; ++i) {
            if (irqs.contains(i))
                ids.push_back(i);
        }
        irq_moves.push_back({new_slot, ids});
    }

    std::map<uint64_t, uint8_t> memory;
    std::set<uint64_t> root_pages;
    std::vector<std::pair<uint64_t, uint64_t>> zeroed;
    struct Start {
        unsigned slot, cpu;
        uint64_t entry;
    };
    std::vector<Start> started;
    std::set<unsigned> stage2;
    size_t tables = 64;
    CpuSet online, stuck;
    unsigned owner[hv::cells::cpu_limit] = {};
    std::vector<std::pair<unsigned, std::vector<uint32_t>>> irq_moves;
    struct CellMap {
        unsigned slot;
        uint64_t ipa, phys, size;
        uint32_t flags;
    };
    std::vector<CellMap> cell_maps;
    std::map<unsigned, std::vector<uint32_t>> doorbells;
};

Bytes cell_blob(const System& s, const std::string& name) {
    for (const Blob& b : binary_test::compile_ok(s)) {
        if (b.kind == Blob::Kind::cell && b.cell_name == name)
            return b.bytes;
    }
    ADD_FAILURE() << "no cell blob " << name;
    return {};
}

// The monitor's view of the same fake memory: comm regions live in FakePlatform::memory.
class FakeMonitorPlatform final : public hv::monitor::MonitorPlatform {
  public:
    explicit FakeMonitorPlatform(FakePlatform& p) : platform(p) {}
    void publish(uint64_t phys, const comm::HypervisorArea& area) override {
        write(phys, &area, sizeof(area));
    }
    void read_cell_area(uint64_t phys, comm::CellArea& out) override {
        platform.read_memory(phys + comm::cell_area_offset, &out, sizeof(out));
    }
    void clear_cell_area(uint64_t phys) override {
        const comm::CellArea zero{};
        write(phys + comm::cell_area_offset, &zero, sizeof(zero));
    }
    uint64_t now() const override { return clock; }
    uint64_t frequency() const override { return 1000; } // one count per ms

    void write(uint64_t phys, const void* data, size_t size) {
        const auto* b = static_cast<const uint8_t*>(data);
        platform.poke(phys, Bytes(b, b + size));
    }
    template <class T> T read(uint64_t phys) {
        T v{};
        platform.read_memory(phys, &v, sizeof(v));
        return v;
    }

    FakePlatform& platform;
    uint64_t clock = 5000;
};

struct Machine {
    explicit Machine(bool with_monitor = false) {
        const Bytes sys = binary_test::compile_example("hv/manager.yaml").at(0).bytes;
        system_bytes = sys;
        jcb::BlobView view;
        EXPECT_TRUE(jcb::BlobView::create(system_bytes.data(), system_bytes.size(), view).ok());
        EXPECT_TRUE(ownership.set_root(view).ok());
        platform = std::make_unique<FakePlatform>(ownership);
        platform->online.add(0); // the root runs on CPU 0
        if (with_monitor) {
            monitor_platform = std::make_unique<FakeMonitorPlatform>(*platform);
            monitor = std::make_unique<hv::monitor::Monitor>(*monitor_platform);
        }
        lifecycle = std::make_unique<hv::cells::Lifecycle>(*platform, ownership, monitor.get());
        lifecycle->install_root("root", ownership.root_cpus());
    }
    // Puts `blob` at `at` in root memory and creates a cell from it.
    hv::cells::CreateOutcome create(const Bytes& blob, uint64_t at = staging) {
        platform->poke(at, blob);
        return lifecycle->create(at, blob.size());
    }

    Bytes system_bytes;
    hv::cells::Ownership ownership;
    std::unique_ptr<FakePlatform> platform;
    std::unique_ptr<FakeMonitorPlatform> monitor_platform;
    std::unique_ptr<hv::monitor::Monitor> monitor;
    std::unique_ptr<hv::cells::Lifecycle> lifecycle;
};

System cells_example() {
    return binary_test::load_example("hv/cells.yaml");
}

TEST(HvLifecycle, CreateLoadStartShutdownDestroyMovesResourcesAndZeroesMemory) {
    Machine m;
    const Bytes hello = cell_blob(cells_example(), "hello");
    // Something the root left in the memory it is about to give away.
    m.platform->poke(0x60000100, {0xde, 0xad});
    auto created = m.create(hello);
    ASSERT_TRUE(created.ok()) << hv::error_message(created.error);
    const unsigned id = created.slot;
    EXPECT_EQ(id, 1u);
    EXPECT_EQ(m.lifecycle->state(id), CellState::created);
    EXPECT_STREQ(m.lifecycle->name(id), "hello");
    EXPECT_EQ(m.lifecycle->entry(id), 0x48000000u);

    // CPU 2, the 2 MiB at 0x60000000 and interrupt 34 left the root.
    EXPECT_FALSE(m.ownership.root_cpus().contains(2));
    EXPECT_TRUE(m.ownership.root_cpus().contains(3));
    EXPECT_FALSE(m.ownership.root_irqs().contains(34));
    EXPECT_TRUE(m.ownership.resources(id).irqs.contains(34));
    // ...and reaches the cell reset (disabled, not pending) by the platform.
    ASSERT_EQ(m.platform->irq_moves.size(), 1u);
    EXPECT_EQ(m.platform->irq_moves[0].first, id);
    EXPECT_EQ(m.platform->irq_moves[0].second, std::vector<uint32_t>{34});
    EXPECT_EQ(m.platform->owner[2], id);
    EXPECT_EQ(m.platform->root_pages.count(0x60000000), 0u);
    EXPECT_EQ(m.platform->root_pages.count(0x601ff000), 0u);
    EXPECT_EQ(m.platform->root_pages.count(0x60200000), 1u);
    EXPECT_EQ(m.ownership.root_memory(0x60000000, page).error(), Error::memory_not_owned);
    EXPECT_EQ(m.platform->peek(0x60000100), 0u);
    ASSERT_EQ(m.platform->zeroed.size(), 1u);
    EXPECT_EQ(m.platform->zeroed[0], std::make_pair(uint64_t(0x60000000), 2 * MiB));

    // The image goes to the cell's region (guest 0x48000000 = phys 0x60000000).
    m.platform->poke(image, {1, 2, 3, 4});
    ASSERT_TRUE(m.lifecycle->load(id, 0x48000000, image, 4).ok());
    EXPECT_EQ(m.platform->peek(0x60000002), 3u);
    ASSERT_TRUE(m.lifecycle->start(id).ok());
    EXPECT_EQ(m.lifecycle->state(id), CellState::running);
    ASSERT_EQ(m.platform->started.size(), 1u);
    EXPECT_EQ(m.platform->started[0].cpu, 2u);
    EXPECT_EQ(m.platform->started[0].entry, 0x48000000u);
    EXPECT_EQ(m.lifecycle->start(id).error(), Error::wrong_state);
    EXPECT_EQ(m.lifecycle->load(id, 0x48000000, image, 4).error(), Error::wrong_state);

    ASSERT_TRUE(m.lifecycle->shutdown(id).ok());
    EXPECT_EQ(m.lifecycle->state(id), CellState::stopped);
    EXPECT_FALSE(m.platform->online.contains(2));

    m.platform->poke(0x60001000, {0x55});
    ASSERT_TRUE(m.lifecycle->destroy(id).ok());
    EXPECT_EQ(m.lifecycle->state(id), CellState::absent);
    EXPECT_EQ(m.platform->peek(0x60000002), 0u);
    EXPECT_EQ(m.platform->peek(0x60001000), 0u);
    EXPECT_TRUE(m.ownership.root_cpus().contains(2));
    EXPECT_TRUE(m.ownership.root_irqs().contains(34));
    // create, start (a fresh start resets them too), destroy.
    ASSERT_EQ(m.platform->irq_moves.size(), 3u);
    EXPECT_EQ(m.platform->irq_moves[1].first, id);
    EXPECT_EQ(m.platform->irq_moves[2].first, 0u);
    EXPECT_EQ(m.platform->irq_moves[2].second, std::vector<uint32_t>{34});
    EXPECT_EQ(m.platform->owner[2], 0u);
    EXPECT_EQ(m.platform->root_pages.count(0x60000000), 1u);
    EXPECT_TRUE(m.platform->stage2.empty());
    EXPECT_TRUE(m.ownership.root_memory(0x60000000, 2 * MiB).ok());

    // The slot and the name are free again.
    auto again = m.create(hello);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.slot, id);
}

TEST(HvLifecycle, TwoCellsAndTheirConflicts) {
    Machine m;
    const System cells = cells_example();
    const Bytes hello = cell_blob(cells, "hello");
    ASSERT_TRUE(m.create(hello).ok());
    EXPECT_EQ(m.create(hello).error, Error::name_taken);

    System twin = cells; // another name, same resources
    twin.cells.at(1).name = "twin";
    auto r = m.create(cell_blob(twin, "twin"));
    EXPECT_EQ(r.finding.error, Error::cpu_not_owned);
    EXPECT_EQ(r.finding.kind, ResourceKind::cpu);
    EXPECT_EQ(r.finding.which, 2u);

    twin.cells.at(1).cpus = {{3, 3, {}}};
    r = m.create(cell_blob(twin, "twin"));
    EXPECT_EQ(r.finding.error, Error::memory_in_use);
    EXPECT_EQ(r.finding.which, 0u);

    twin.cells.at(1).memory.at(0).phys = PhysAddr{0x60400000};
    r = m.create(cell_blob(twin, "twin"));
    EXPECT_EQ(r.finding.error, Error::irq_not_owned);
    EXPECT_EQ(r.finding.which, 34u);

    auto rogue = m.create(cell_blob(cells, "rogue"));
    ASSERT_TRUE(rogue.ok());
    EXPECT_EQ(rogue.slot, 2u);
    // No CPU left for a third cell: CPUs 0 and 1 are the root's but CPU 0 runs it.
    twin.cells.at(1).irqs.clear();
    twin.cells.at(1).cpus = {{0, 0, {}}};
    EXPECT_EQ(m.create(cell_blob(twin, "twin")).finding.error, Error::cpu_online);
    twin.cells.at(1).cpus = {{1, 1, {}}};
    EXPECT_TRUE(m.create(cell_blob(twin, "twin")).ok());
}

TEST(HvLifecycle, RefusesBlobsAndResourcesTheRootCannotGive) {
    Machine m;
    const System cells = cells_example();

    // A flipped byte: the verifier's reason and offset come back.
    Bytes broken = cell_blob(cells, "hello");
    broken[0x40] ^= 0xff;
    auto r = m.create(broken);
    EXPECT_EQ(r.verify.error, jcb::VerifyError::payload_crc_mismatch);
    EXPECT_FALSE(r.ok());
    Bytes bad_magic = cell_blob(cells, "hello");
    bad_magic[0] = 'X';
    EXPECT_EQ(m.create(bad_magic).verify.error, jcb::VerifyError::bad_magic);

    // The system blob is not a cell blob.
    EXPECT_EQ(m.create(m.system_bytes).error, Error::wrong_kind);

    auto refused = [&](System s, Error e, ResourceKind kind) {
        auto out = m.create(cell_blob(s, "hello"));
        EXPECT_EQ(out.finding.error, e) << hv::error_message(out.finding.error);
        EXPECT_EQ(out.finding.kind, kind);
    };
    System outside = cells; // RAM the root never had
    outside.cells.at(1).memory.at(0).phys = PhysAddr{0x40000000};
    refused(outside, Error::memory_not_owned, ResourceKind::memory);
    System straddling = cells; // half in the pool, half beyond it
    straddling.cells.at(1).memory.at(0).phys = PhysAddr{0x61f00000};
    refused(straddling, Error::memory_not_owned, ResourceKind::memory);
    System hv_memory = cells;
    hv_memory.cells.at(1).memory.at(0).phys = PhysAddr{0x7c000000};
    refused(hv_memory, Error::memory_not_owned, ResourceKind::memory);
    System device = cells; // a device the root does not have
    device.cells.at(1).memory.push_back({"uart",
                                         PhysAddr{0x09000000},
                                         GuestAddr{0x09000000},
                                         page,
                                         mem_read | mem_write | mem_io,
                                         {}});
    refused(device, Error::memory_not_owned, ResourceKind::memory);
    System comm = cells; // a comm region the cell cannot write
    comm.cells.at(1).memory.push_back({"comm",
                                       PhysAddr{0x60400000},
                                       GuestAddr{0x80000000},
                                       page,
                                       mem_read | mem_comm_region,
                                       {}});
    refused(comm, Error::bad_comm_region, ResourceKind::memory);
    System two_comm = comm; // two comm regions: the second is refused
    two_comm.cells.at(1).memory.back().flags = mem_read | mem_write | mem_comm_region;
    two_comm.cells.at(1).memory.push_back({"comm2",
                                           PhysAddr{0x60401000},
                                           GuestAddr{0x80001000},
                                           page,
                                           mem_read | mem_write | mem_comm_region,
                                           {}});
    refused(two_comm, Error::bad_comm_region, ResourceKind::memory);
    System watchdog_alone = cells; // a watchdog with nothing to beat in
    watchdog_alone.cells.at(1).watchdog = Watchdog{100, {}};
    refused(watchdog_alone, Error::watchdog_without_comm_region, ResourceKind::other);
    System too_many_cpus = cells;
    too_many_cpus.cells.at(1).cpus = {{2, 9, {}}};
    refused(too_many_cpus, Error::cpu_not_owned, ResourceKind::cpu);
    System irq = cells;
    irq.cells.at(1).irqs = {{41, 41, {}}};
    refused(irq, Error::irq_not_owned, ResourceKind::irq);

    // Nothing moved after all these refusals.
    EXPECT_EQ(m.ownership.root_cpus().bits(), 0b1111u);
    EXPECT_TRUE(m.ownership.root_memory(0x60000000, 32 * MiB).ok());
    EXPECT_TRUE(m.platform->zeroed.empty());
    EXPECT_TRUE(m.platform->stage2.empty());
}

// A cell blob carries no platform: create checks its regions against the GIC of the system
// descriptor's platform (QEMU virt: GICD 0x08000000, 64 KiB; GICR 0x080a0000 + 4 x 0x20000) and
// names the region, before any ownership question.
TEST(HvLifecycle, CreateRefusesRegionsOverTheGic) {
    Machine m;
    const System cells = cells_example();
    const auto& gic = m.ownership.gic();
    ASSERT_EQ(gic.count, 2u);
    EXPECT_EQ(gic.range[0].base, 0x08000000u);
    EXPECT_EQ(gic.range[0].size, 0x10000u);
    EXPECT_EQ(gic.range[1].base, 0x080a0000u);
    EXPECT_EQ(gic.range[1].size, 4u * 0x20000u);
    const struct {
        uint64_t phys, size;
        bool refused;
    } cases[] = {
        {0x08000000, 0x10000, true},  // the distributor
        {0x0800f000, page, true},     // its last page
        {0x08100000, 0x20000, true},  // CPU 3's redistributor frame (the cell's own CPU or not)
        {0x0811f000, page, true},     // the last page of the last frame
        {0x07fff000, 2 * page, true}, // straddling the distributor's start
        {0x08010000, page, false},    // between the distributor and the redistributors
        {0x08120000, page, false},    // after the last frame
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.phys);
        System s = cells;
        s.cells.at(1).memory.push_back({"gic",
                                        PhysAddr{c.phys},
                                        GuestAddr{0x30000000},
                                        c.size,
                                        mem_read | mem_write | mem_io,
                                        {}});
        const uint32_t index = uint32_t(s.cells.at(1).memory.size() - 1);
        const auto out = m.create(cell_blob(s, "hello"));
        EXPECT_FALSE(out.ok());
        EXPECT_EQ(out.finding.kind, ResourceKind::memory);
        EXPECT_EQ(out.finding.which, index);
        // Not over the GIC: the root does not own that device page, which is the next reason.
        EXPECT_EQ(out.finding.error, c.refused ? Error::gic_region : Error::memory_not_owned)
            << hv::error_message(out.finding.error);
    }
    EXPECT_TRUE(m.ownership.root_cpus().contains(2)); // nothing moved

    // The GIC turned out to have 8 redistributor frames (the platform lists 4 CPUs): the frames
    // after the fourth are refused too, and the root's own regions are checked again.
    ASSERT_TRUE(m.ownership.set_redistributor_frames(8).ok());
    EXPECT_EQ(m.ownership.gic().range[1].size, 8u * 0x20000u);
    System beyond = cells;
    beyond.cells.at(1).memory.push_back({"gicr5",
                                         PhysAddr{0x08140000},
                                         GuestAddr{0x30000000},
                                         0x20000,
                                         mem_read | mem_write | mem_io,
                                         {}});
    EXPECT_EQ(m.create(cell_blob(beyond, "hello")).finding.error, Error::gic_region);
    ASSERT_TRUE(m.ownership.set_redistributor_frames(2).ok()); // never narrows
    EXPECT_EQ(m.ownership.gic().range[1].size, 8u * 0x20000u);
}

// LPIs (and so an ITS) are not supported: an interrupt outside the SPIs is refused by name, in a
// cell blob and in the system descriptor (the boot refuses the root cell then).
TEST(HvLifecycle, InterruptsOutsideTheSpisAreRefused) {
    Machine m;
    System lpi = cells_example();
    lpi.cells.at(1).irqs.push_back({8192, 8192, {}});
    const auto out = m.create(cell_blob(lpi, "hello"));
    EXPECT_EQ(out.finding.error, Error::irq_not_spi);
    EXPECT_EQ(out.finding.kind, ResourceKind::irq);
    EXPECT_EQ(out.finding.which, 8192u);

    System sys = binary_test::load_example("hv/manager.yaml");
    sys.cells.at(0).irqs.push_back({8192, 8200, {}});
    const Bytes bytes = binary_test::compile_ok(sys).at(0).bytes;
    jcb::BlobView view;
    ASSERT_TRUE(jcb::BlobView::create(bytes.data(), bytes.size(), view).ok());
    hv::cells::Ownership own;
    EXPECT_EQ(own.set_root(view).error(), Error::irq_not_spi);
}

// The root cell of the system descriptor may not map the GIC either: the verifier refuses such a
// blob, so the hypervisor does not boot it.
TEST(HvLifecycle, ASystemDescriptorWhoseRootMapsTheGicIsRefused) {
    System s = binary_test::load_example("hv/manager.yaml");
    s.cells.at(0).memory.push_back({"gicr1",
                                    PhysAddr{0x080c0000},
                                    GuestAddr{0x080c0000},
                                    0x20000,
                                    mem_read | mem_write | mem_io,
                                    {}});
    auto blobs = compile(s);
    ASSERT_FALSE(blobs.has_value()); // confgen's own verification of what it compiled
    EXPECT_NE(blobs.error().find("interrupt controller"), std::string::npos) << blobs.error();
    // The same blob assembled without the check, as a corrupted or hand-made descriptor would be.
    Bytes sys = binary_test::compile_example("hv/manager.yaml").at(0).bytes;
    using jcb::SectionId;
    const uint32_t last = binary_test::section_count(sys, SectionId::memory) - 1;
    const uint32_t at = binary_test::elem_offset<jcb::MemoryElem>(sys, SectionId::memory, last,
                                                                  offsetof(jcb::MemoryElem, phys));
    binary_test::write_at(sys, at, jcb::Le64::of(0x080c0000));
    binary_test::write_at(sys,
                          binary_test::elem_offset<jcb::MemoryElem>(
                              sys, SectionId::memory, last, offsetof(jcb::MemoryElem, virt)),
                          jcb::Le64::of(0x080c0000));
    binary_test::reseal(sys);
    jcb::BlobView view;
    const jcb::VerifyResult r = jcb::BlobView::create(sys.data(), sys.size(), view);
    EXPECT_EQ(r.error, jcb::VerifyError::gic_mapped);
    EXPECT_EQ(r.offset, at);
    EXPECT_EQ(r.value, last);
    EXPECT_EQ(r.other, uint64_t(jcb::GicBlock::redistributors));
}

TEST(HvLifecycle, ChecksEveryAddressAndSize) {
    Machine m;
    const Bytes hello = cell_blob(cells_example(), "hello");
    m.platform->poke(staging, hello);
    auto& lc = *m.lifecycle;
    EXPECT_EQ(lc.create(staging, 10).error, Error::bad_size);
    EXPECT_EQ(lc.create(staging, 1 << 20).error, Error::bad_size);
    EXPECT_EQ(lc.create(0x7c000000, hello.size()).error, Error::memory_not_owned); // hv memory
    EXPECT_EQ(lc.create(0x09000000, hello.size()).error, Error::memory_not_owned); // a device
    EXPECT_EQ(lc.create(~uint64_t(0) - 16, hello.size()).error, Error::memory_not_owned);
    EXPECT_EQ(lc.create(0x50fffff0, hello.size()).error, Error::memory_not_owned); // runs off
    // A blob size beyond the blob: the verifier reports trailing bytes, nothing crashes.
    EXPECT_EQ(lc.create(staging, hello.size() + 8).verify.error, jcb::VerifyError::trailing_bytes);

    auto created = lc.create(staging, hello.size());
    ASSERT_TRUE(created.ok());
    const unsigned id = created.slot;
    EXPECT_EQ(lc.load(0, 0x48000000, image, 4).error(), Error::no_such_cell);
    EXPECT_EQ(lc.load(7, 0x48000000, image, 4).error(), Error::no_such_cell);
    EXPECT_EQ(lc.load(1000, 0x48000000, image, 4).error(), Error::no_such_cell);
    EXPECT_EQ(lc.load(id, 0x48000000, image, 0).error(), Error::bad_size);
    EXPECT_EQ(lc.load(id, 0x48000000, image, 1ull << 40).error(), Error::bad_size);
    EXPECT_EQ(lc.load(id, 0x48000000 + 2 * MiB - 2, image, 4).error(), Error::not_loadable);
    EXPECT_EQ(lc.load(id, ~uint64_t(0) - 1, image, 4).error(), Error::not_loadable);
    // The source must be the root's own: not the cell's memory, not the hypervisor's.
    EXPECT_EQ(lc.load(id, 0x48000000, 0x60000000, 4).error(), Error::memory_not_owned);
    EXPECT_EQ(lc.load(id, 0x48000000, 0x7c000000, 4).error(), Error::memory_not_owned);
    EXPECT_EQ(lc.start(0).error(), Error::no_such_cell);
    EXPECT_EQ(lc.shutdown(0).error(), Error::wrong_state);
    EXPECT_EQ(lc.destroy(0).error(), Error::wrong_state);
    EXPECT_EQ(lc.destroy(5).error(), Error::no_such_cell);
    EXPECT_EQ(lc.state(99), CellState::absent);
}

TEST(HvLifecycle, ACellWhoseCpuDoesNotStopStaysUntilItDoes) {
    Machine m;
    auto created = m.create(cell_blob(cells_example(), "hello"));
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(m.lifecycle->start(created.slot).ok());
    m.platform->stuck.add(2);
    EXPECT_EQ(m.lifecycle->destroy(created.slot).error(), Error::cpus_did_not_stop);
    EXPECT_EQ(m.lifecycle->state(created.slot), CellState::stopped);
    EXPECT_FALSE(m.ownership.root_cpus().contains(2)); // nothing returned while it may run
    EXPECT_EQ(m.lifecycle->start(created.slot).error(), Error::cpus_did_not_stop);
    m.platform->stuck = CpuSet();
    EXPECT_TRUE(m.lifecycle->destroy(created.slot).ok());
    EXPECT_TRUE(m.ownership.root_cpus().contains(2));
}

TEST(HvLifecycle, AFaultedCellIsFailedAndCanBeDestroyed) {
    Machine m;
    auto created = m.create(cell_blob(cells_example(), "rogue"));
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(m.lifecycle->start(created.slot).ok());
    EXPECT_TRUE(m.lifecycle->mark_stopping(created.slot, CellState::failed));
    EXPECT_FALSE(m.lifecycle->mark_stopping(created.slot, CellState::stopped)); // already
    EXPECT_EQ(m.lifecycle->state(created.slot), CellState::failed);
    EXPECT_TRUE(m.lifecycle->any_running()); // the root
    ASSERT_TRUE(m.lifecycle->shutdown(created.slot).ok());
    EXPECT_EQ(m.lifecycle->state(created.slot), CellState::failed);
    EXPECT_TRUE(m.lifecycle->destroy(created.slot).ok());
    EXPECT_TRUE(m.lifecycle->mark_stopping(0, CellState::failed));
    EXPECT_FALSE(m.lifecycle->any_running());
}

TEST(HvLifecycle, NoTablesMeansNoCellAndNothingMoved) {
    Machine m;
    m.platform->tables = 0;
    EXPECT_EQ(m.create(cell_blob(cells_example(), "hello")).error, Error::out_of_tables);
    m.platform->tables = 3; // stage 2 fits, the root splits might not
    EXPECT_EQ(m.create(cell_blob(cells_example(), "hello")).error, Error::out_of_tables);
    EXPECT_EQ(m.platform->tables, 3u);
    EXPECT_EQ(m.ownership.root_cpus().bits(), 0b1111u);
    EXPECT_EQ(m.platform->root_pages.count(0x60000000), 1u);
}

// Random arguments for every operation, as a hostile root cell would pass them: nothing crashes
// (ASan/UBSan watch), and once every cell is destroyed the root owns everything again.
TEST(HvLifecycle, RandomArgumentsKeepTheLedgerConsistent) {
    Machine m;
    const System cells = cells_example();
    const Bytes hello = cell_blob(cells, "hello"), rogue = cell_blob(cells, "rogue");
    m.platform->poke(staging, hello);
    m.platform->poke(staging + 0x10000, rogue);
    std::mt19937_64 rng(7);
    const uint64_t interesting[] = {
        0,          1,          0xfff, 0x1000,        staging,    0x48000000,   0x60000000,
        0x60200000, 0x7c000000, ~0ull, ~0ull - 0xfff, 1ull << 39, hello.size(), 2 * MiB};
    auto value = [&] {
        const uint64_t r = rng();
        switch (r % 4) {
        case 0:
            return interesting[(r >> 8) % std::size(interesting)];
        case 1:
            return interesting[(r >> 8) % std::size(interesting)] + ((r >> 32) % 0x2000) - 0x1000;
        case 2:
            return r >> (r % 64);
        default:
            return (r >> 16) % 8;
        }
    };
    for (int i = 0; i < 20000; ++i) {
        const uint64_t a = value(), b = value(), c = value();
        switch (rng() % 7) {
        case 0:
            (void)m.lifecycle->create(a, b);
            break;
        case 1:
            (void)m.lifecycle->create(staging + (rng() % 2) * 0x10000,
                                      rng() % 2 ? hello.size() : rogue.size());
            break;
        case 2:
            (void)m.lifecycle->load(unsigned(a % 9), b, c, value());
            break;
        case 3:
            (void)m.lifecycle->start(unsigned(a));
            break;
        case 4:
            (void)m.lifecycle->shutdown(unsigned(a));
            break;
        case 5:
            (void)m.lifecycle->destroy(unsigned(a));
            break;
        default:
            (void)m.lifecycle->state(unsigned(a));
        }
    }
    for (unsigned slot = 1; slot < hv::cells::cell_limit; ++slot) {
        if (m.lifecycle->state(slot) != CellState::absent) {
            ASSERT_TRUE(m.lifecycle->destroy(slot).ok());
        }
    }
    EXPECT_EQ(m.ownership.root_cpus().bits(), 0b1111u);
    EXPECT_TRUE(m.ownership.root_irqs().contains(34));
    EXPECT_TRUE(m.ownership.root_memory(0x60000000, 32 * MiB).ok());
    EXPECT_TRUE(m.platform->stage2.empty());
    EXPECT_EQ(m.platform->root_pages.size(), 64 * MiB / page);
}

// hello of cells.yaml with a 4 KiB comm region (phys 0x60400000, guest 0x80000000) and a
// watchdog of `watchdog_ms` (none when 0).
Bytes watched_hello(uint32_t watchdog_ms) {
    System s = cells_example();
    s.cells.at(1).memory.push_back({"comm",
                                    PhysAddr{0x60400000},
                                    GuestAddr{0x80000000},
                                    page,
                                    mem_read | mem_write | mem_comm_region,
                                    {}});
    if (watchdog_ms != 0)
        s.cells.at(1).watchdog = Watchdog{watchdog_ms, {}};
    return cell_blob(s, "hello");
}
constexpr uint64_t comm_phys = 0x60400000;

// Ticks every 10 ms of the fake clock until an event or `limit` ticks.
std::vector<hv::monitor::Event> tick_until_event(Machine& m, unsigned limit) {
    for (unsigned i = 0; i < limit; ++i) {
        m.monitor_platform->clock += 10;
        hv::monitor::Event events[4];
        bool in_time[4] = {};
        const unsigned n = m.lifecycle->tick(events, in_time, 4);
        for (unsigned k = 0; k < n; ++k)
            EXPECT_TRUE(in_time[k]);
        if (n != 0)
            return {events, events + n};
    }
    return {};
}

TEST(HvLifecycleMonitor, CreateInitialisesTheCommRegionAndTheWatchdogKills) {
    Machine m(true);
    auto created = m.create(watched_hello(100));
    ASSERT_TRUE(created.ok()) << hv::error_message(created.finding.error);
    const unsigned id = created.slot;
    auto area = [&] { return m.monitor_platform->read<comm::HypervisorArea>(comm_phys); };
    EXPECT_EQ(area().magic, comm::magic);
    EXPECT_EQ(area().cell_state, uint32_t(comm::CellState::created));
    EXPECT_EQ(area().watchdog_ms, 100u);
    EXPECT_TRUE(m.monitor->attached(id));
    // A created cell is not watched.
    EXPECT_TRUE(tick_until_event(m, 30).empty());

    ASSERT_TRUE(m.lifecycle->start(id).ok());
    EXPECT_EQ(area().cell_state, uint32_t(comm::CellState::running));
    // It beats for a while (the cell writes its heartbeat), then hangs.
    for (uint64_t beat = 1; beat <= 20; ++beat) {
        m.monitor_platform->write(comm_phys + comm::cell_area_offset, &beat, sizeof(beat));
        EXPECT_TRUE(tick_until_event(m, 1).empty());
    }
    const auto events = tick_until_event(m, 20);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, hv::monitor::EventKind::watchdog_expired);
    EXPECT_EQ(events[0].heartbeat, 20u);
    EXPECT_EQ(events[0].age_ticks, 100u);
    EXPECT_EQ(m.lifecycle->state(id), CellState::failed);
    EXPECT_EQ(m.lifecycle->reason(id), FailureReason::watchdog);
    EXPECT_FALSE(m.platform->online.contains(2)); // its CPU was stopped
    EXPECT_EQ(area().cell_state, uint32_t(comm::CellState::failed));
    EXPECT_EQ(area().failure_reason, uint32_t(comm::FailureReason::watchdog));

    // Restart: the watch begins again, the reason is gone while it runs.
    ASSERT_TRUE(m.lifecycle->start(id).ok());
    EXPECT_EQ(m.lifecycle->reason(id), FailureReason::none);
    EXPECT_EQ(area().cell_state, uint32_t(comm::CellState::running));
    ASSERT_TRUE(m.lifecycle->destroy(id).ok());
    EXPECT_FALSE(m.monitor->attached(id));
}

TEST(HvLifecycleMonitor, ShutdownRequestAcknowledgedOrUnanswered) {
    Machine m(true);
    const unsigned id = m.create(watched_hello(200)).slot;
    ASSERT_NE(id, 0u);
    ASSERT_TRUE(m.lifecycle->start(id).ok());
    hv::cells::ShutdownOutcome out = m.lifecycle->request_shutdown(id);
    ASSERT_TRUE(out.requested);
    EXPECT_EQ(out.request.seq, 1u);
    EXPECT_EQ(out.request.timeout_ms, 200u);
    EXPECT_EQ(m.lifecycle->state(id), CellState::running); // not yet
    EXPECT_TRUE(m.platform->online.contains(2));
    // The cell acknowledges (reply, then its sequence).
    const uint32_t ack = uint32_t(comm::Reply::acknowledge);
    const uint64_t seq = 1;
    m.monitor_platform->write(comm_phys + comm::cell_area_offset + 0x10, &ack, 4);
    m.monitor_platform->write(comm_phys + comm::cell_area_offset + 0x08, &seq, 8);
    auto events = tick_until_event(m, 5);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, hv::monitor::EventKind::acknowledged);
    EXPECT_EQ(m.lifecycle->state(id), CellState::stopped);
    EXPECT_EQ(m.lifecycle->reason(id), FailureReason::none);
    EXPECT_FALSE(m.platform->online.contains(2));
    EXPECT_EQ(m.monitor_platform->read<comm::HypervisorArea>(comm_phys).cell_state,
              uint32_t(comm::CellState::shut_down));

    // Started again, it ignores the next request: killed after 200 ms, reason no reply.
    ASSERT_TRUE(m.lifecycle->start(id).ok());
    out = m.lifecycle->request_shutdown(id);
    ASSERT_TRUE(out.requested);
    EXPECT_EQ(out.request.seq, 2u);
    for (uint64_t beat = 1; beat < 100; ++beat) {
        m.monitor_platform->write(comm_phys + comm::cell_area_offset, &beat, sizeof(beat));
        events = tick_until_event(m, 1);
        if (!events.empty())
            break;
    }
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].kind, hv::monitor::EventKind::no_reply);
    EXPECT_EQ(events[0].age_ticks, 200u);
    EXPECT_EQ(m.lifecycle->state(id), CellState::failed);
    EXPECT_EQ(m.lifecycle->reason(id), FailureReason::no_reply);
}

TEST(HvLifecycleMonitor, CellsWithoutCommRegionShutDownAtOnceAndFaultsArePublished) {
    Machine m(true);
    const unsigned hello = m.create(cell_blob(cells_example(), "hello")).slot;
    ASSERT_NE(hello, 0u);
    ASSERT_TRUE(m.lifecycle->start(hello).ok());
    const hv::cells::ShutdownOutcome out = m.lifecycle->request_shutdown(hello);
    EXPECT_FALSE(out.requested);
    EXPECT_TRUE(out.result.ok());
    EXPECT_EQ(m.lifecycle->state(hello), CellState::stopped);
    ASSERT_TRUE(m.lifecycle->destroy(hello).ok());

    // A watched cell that faults: the trap marks it failed; the next tick publishes it.
    const unsigned id = m.create(watched_hello(0)).slot;
    ASSERT_TRUE(m.lifecycle->start(id).ok());
    EXPECT_TRUE(m.lifecycle->mark_stopping(id, CellState::failed, FailureReason::fault));
    EXPECT_FALSE(m.lifecycle->mark_stopping(id, CellState::stopped)); // first stop wins
    EXPECT_EQ(m.lifecycle->reason(id), FailureReason::fault);
    EXPECT_TRUE(tick_until_event(m, 1).empty());
    const auto area = m.monitor_platform->read<comm::HypervisorArea>(comm_phys);
    EXPECT_EQ(area.cell_state, uint32_t(comm::CellState::failed));
    EXPECT_EQ(area.failure_reason, uint32_t(comm::FailureReason::fault));
    // Requests to a cell that is not running stop nothing more and post nothing.
    const hv::cells::ShutdownOutcome late = m.lifecycle->request_shutdown(id);
    EXPECT_FALSE(late.requested);
    EXPECT_EQ(m.lifecycle->state(id), CellState::failed);
    // The root cannot be asked.
    EXPECT_EQ(m.lifecycle->request_shutdown(0).result.error(), Error::wrong_state);
}

} // namespace

// ---- links (core/cells/links.*): examples/hv/links.yaml at boot, links-cells.yaml's pong --------

namespace {

using hv::cells::Links;

constexpr uint64_t link_phys = 0x5f000000;
constexpr uint32_t doorbell = 40;

struct LinkMachine {
    explicit LinkMachine(System system = binary_test::load_example("hv/links.yaml")) {
        system_bytes = binary_test::compile_ok(system).at(0).bytes;
        EXPECT_TRUE(jcb::BlobView::create(system_bytes.data(), system_bytes.size(), view).ok());
        EXPECT_TRUE(ownership.set_root(view).ok());
        found = links.set_system(view, ownership, hv::cells::hypervisor_memory(view));
        platform = std::make_unique<FakePlatform>(ownership);
        platform->online.add(0);
        lifecycle = std::make_unique<hv::cells::Lifecycle>(*platform, ownership, nullptr, &links);
        lifecycle->install_root("root", ownership.root_cpus());
    }
    hv::cells::CreateOutcome create(const Bytes& blob) {
        platform->poke(staging, blob);
        return lifecycle->create(staging, blob.size());
    }

    Bytes system_bytes;
    jcb::BlobView view;
    hv::cells::Ownership ownership;
    Links links;
    hv::cells::LinkFinding found;
    std::unique_ptr<FakePlatform> platform;
    std::unique_ptr<hv::cells::Lifecycle> lifecycle;
};

System cells_view() {
    return binary_test::load_example("hv/links-cells.yaml");
}

TEST(HvLinks, TheRootIsAPeerFromBootAndFindsTheLinkByName) {
    LinkMachine m;
    ASSERT_TRUE(m.found.ok()) << hv::error_message(m.found.error);
    ASSERT_EQ(m.links.count(), 1u);
    const auto& k = m.links.link(0);
    EXPECT_STREQ(k.name, "ping");
    EXPECT_EQ(k.phys, link_phys);
    EXPECT_EQ(k.size, 64 * 1024u);
    EXPECT_EQ(k.doorbell, doorbell);
    EXPECT_EQ(m.links.links_of("root"), 1u);
    EXPECT_EQ(m.links.links_of("pong"), 1u);
    EXPECT_EQ(m.links.links_of("other"), 0u);
    EXPECT_TRUE(m.links.doorbells_of("root").contains(doorbell));

    auto root = m.links.find(0, "ping", 4);
    ASSERT_TRUE(root.ok());
    EXPECT_EQ(root.value().id, 0u);
    EXPECT_EQ(root.value().virt, link_phys);
    EXPECT_EQ(root.value().peer_index, 0u);
    EXPECT_EQ(root.value().peer_count, 2u);
    EXPECT_EQ(m.links.find(0, "pin", 3).error(), Error::no_such_link);
    EXPECT_EQ(m.links.find(0, "pingx", 5).error(), Error::no_such_link);
    // pong does not exist yet: nobody to ring, and no cell in slot 1 may use the link.
    EXPECT_EQ(m.links.ring_targets(0, 0).value(), 0u);
    EXPECT_EQ(m.links.find(1, "ping", 4).error(), Error::no_such_link);
    EXPECT_EQ(m.links.ring_targets(1, 0).error(), Error::not_a_peer);
    EXPECT_EQ(m.links.ring_targets(0, 1).error(), Error::no_such_link);
}

TEST(HvLinks, CreateMapsTheLinkIntoThePeerAndDestroyZeroesIt) {
    LinkMachine m;
    const Bytes pong = cell_blob(cells_view(), "pong");
    auto created = m.create(pong);
    ASSERT_TRUE(created.ok()) << hv::error_message(created.error) << " "
                              << hv::error_message(created.finding.error);
    const unsigned id = created.slot;
    ASSERT_EQ(m.platform->cell_maps.size(), 1u);
    const auto& map = m.platform->cell_maps[0];
    EXPECT_EQ(map.slot, id);
    EXPECT_EQ(map.ipa, link_phys);
    EXPECT_EQ(map.phys, link_phys);
    EXPECT_EQ(map.size, 64 * 1024u);
    EXPECT_EQ(map.flags, jcb::mem_read | jcb::mem_write); // never executable
    EXPECT_EQ(m.platform->doorbells[id], std::vector<uint32_t>{doorbell});
    // The link memory is not the root's to give: it was not unmapped from the root nor zeroed.
    EXPECT_TRUE(m.platform->root_pages.count(0x48000000) == 1);
    for (const auto& z : m.platform->zeroed)
        EXPECT_FALSE(hv::cells::ranges_overlap(z.first, z.second, link_phys, 64 * 1024));

    EXPECT_EQ(m.links.find(id, "ping", 4).value().peer_index, 1u);
    EXPECT_EQ(m.links.ring_targets(0, 0).value(), 1u << id);
    EXPECT_EQ(m.links.ring_targets(id, 0).value(), 1u); // the root

    m.platform->zeroed.clear();
    ASSERT_TRUE(m.lifecycle->destroy(id).ok());
    EXPECT_TRUE(m.platform->doorbells[id].empty());
    bool link_zeroed = false;
    for (const auto& z : m.platform->zeroed)
        link_zeroed = link_zeroed || (z.first == link_phys && z.second == 64 * 1024u);
    EXPECT_TRUE(link_zeroed); // pong was the last non-root peer
    EXPECT_EQ(m.links.ring_targets(0, 0).value(), 0u);

    // A new pong is a peer again.
    created = m.create(pong);
    ASSERT_TRUE(created.ok());
    EXPECT_EQ(m.links.ring_targets(0, 0).value(), 1u << created.slot);
}

TEST(HvLinks, BootRefusesLinksThatAreNotTheLinksAlone) {
    {
        System s = binary_test::load_example("hv/links.yaml");
        s.links[0].phys = PhysAddr{0x60000000}; // the root's pool
        s.links[0].virt = GuestAddr{0x5f000000};
        LinkMachine m(s);
        EXPECT_EQ(m.found.error, Error::link_overlaps_memory);
        EXPECT_EQ(m.links.count(), 0u);
    }
    {
        System s = binary_test::load_example("hv/links.yaml");
        s.links[0].phys = PhysAddr{0x7c100000}; // hypervisor memory
        s.links[0].virt = GuestAddr{0x5f000000};
        EXPECT_EQ(LinkMachine(s).found.error, Error::link_overlaps_memory);
    }
    {
        System s = binary_test::load_example("hv/links.yaml");
        s.links[0].virt = GuestAddr{0x48000000}; // over the root's RAM in its guest space
        EXPECT_EQ(LinkMachine(s).found.error, Error::link_overlaps_region);
    }
    {
        System s = binary_test::load_example("hv/links.yaml");
        s.links[0].doorbell_irq = 33; // the root's interrupt
        EXPECT_EQ(LinkMachine(s).found.error, Error::doorbell_not_free);
        s.links[0].doorbell_irq = 27; // a PPI
        EXPECT_EQ(LinkMachine(s).found.error, Error::doorbell_not_free);
    }
    {
        System s = binary_test::load_example("hv/links.yaml");
        Link second = s.links[0];
        second.name = "pong";
        second.phys = PhysAddr{0x5f010000};
        second.virt = GuestAddr{0x5f010000};
        s.links.push_back(second); // same doorbell
        LinkMachine m(s);
        EXPECT_EQ(m.found.error, Error::doorbell_not_free);
        EXPECT_EQ(m.found.link, 1u);
    }
}

TEST(HvLinks, CreateRefusesACellWhoseRegionCoversTheLink) {
    LinkMachine m;
    System cells = cells_view();
    for (Cell& c : cells.cells) {
        if (c.name == "pong")
            c.memory[0].virt = GuestAddr{0x5f000000}; // pong's RAM where the link goes
    }
    const auto created = m.create(cell_blob(cells, "pong"));
    EXPECT_FALSE(created.ok());
    EXPECT_EQ(created.finding.error, Error::link_overlaps_region);
    EXPECT_EQ(created.finding.kind, ResourceKind::other);
    EXPECT_TRUE(m.platform->cell_maps.empty());
    EXPECT_TRUE(m.platform->stage2.empty());
    EXPECT_TRUE(m.ownership.root_cpus().contains(1)); // nothing moved
}

TEST(HvLinks, ALinkBetweenTwoCellsIsZeroedWhenNeitherIsLeft) {
    System s = binary_test::load_example("hv/links.yaml");
    s.links[0].peers[0].cell = "pong";
    s.links[0].peers[1].cell = "pang";
    LinkMachine m(s);
    ASSERT_TRUE(m.found.ok());
    EXPECT_EQ(m.links.links_of("root"), 0u);
    EXPECT_EQ(m.links.find(0, "ping", 4).error(), Error::no_such_link); // the root is no peer
    m.links.attach(1, "pong");
    m.links.attach(2, "pang");
    EXPECT_EQ(m.links.ring_targets(1, 0).value(), 1u << 2);
    EXPECT_EQ(m.links.detach(1), 0u); // pang still uses it
    EXPECT_EQ(m.links.ring_targets(2, 0).value(), 0u);
    EXPECT_EQ(m.links.detach(2), 1u); // the last one: zero link 0
    EXPECT_EQ(m.links.detach(3), 0u); // never a peer
}

} // namespace
// Measurements (docs/measurements.md): create logs the whole cell blob, load the bytes as they
// arrived in the cell; a failed create or load logs nothing.
TEST(HvLifecycleMeasure, CreateAndLoadAreMeasuredInOrder) {
    Machine m;
    hv::measure::Log log;
    hv::cells::Lifecycle lifecycle(*m.platform, m.ownership, nullptr, nullptr, &log);
    lifecycle.install_root("root", m.ownership.root_cpus());
    const Bytes hello = cell_blob(cells_example(), "hello");
    m.platform->poke(staging, hello);
    const Bytes corrupt = [&] {
        Bytes b = hello;
        b[0x40] ^= 0xff;
        return b;
    }();
    m.platform->poke(staging + 0x10000, corrupt);
    EXPECT_FALSE(lifecycle.create(staging + 0x10000, corrupt.size()).ok());
    EXPECT_EQ(log.made(), 0u);
    const auto created = lifecycle.create(staging, hello.size());
    ASSERT_TRUE(created.ok());
    const Bytes program = {0x1f, 0x20, 0x03, 0xd5, 0xaa, 0xbb};
    m.platform->poke(image, program);
    ASSERT_TRUE(lifecycle.load(created.slot, 0x48000000, image, 0x100).ok());
    EXPECT_FALSE(lifecycle.load(created.slot, 0x90000000, image, 0x100).ok()); // not loadable
    ASSERT_EQ(log.made(), 2u);
    jailconf::measure::Entry e[2];
    ASSERT_EQ(log.read(0, e, 2), 2u);
    uint8_t expected[32];
    jcb::sha256(hello.data(), hello.size(), expected);
    EXPECT_EQ(e[0].kind.get(), uint32_t(jailconf::measure::Kind::cell_descriptor));
    EXPECT_EQ(e[0].cell.get(), created.slot);
    EXPECT_EQ(e[0].address.get(), staging);
    EXPECT_EQ(e[0].size.get(), hello.size());
    EXPECT_EQ(std::memcmp(e[0].digest, expected, 32), 0);
    Bytes padded = program;
    padded.resize(0x100, 0); // the copy's zeros after the program are measured too
    jcb::sha256(padded.data(), padded.size(), expected);
    EXPECT_EQ(e[1].kind.get(), uint32_t(jailconf::measure::Kind::cell_image));
    EXPECT_EQ(e[1].address.get(), 0x48000000u);
    EXPECT_EQ(e[1].size.get(), 0x100u);
    EXPECT_EQ(std::memcmp(e[1].digest, expected, 32), 0);
}
