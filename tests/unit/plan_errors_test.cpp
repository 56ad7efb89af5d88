// Impossible and malformed requests: every failure names the resource that ran out and why, at
// the request's line, and no plan comes out.
#include "plan_support.hpp"

namespace jailconf {
namespace {

using namespace testing;

const inventory::Inventory& virt() {
    static const inventory::Inventory inv = scan_fixture_dtb("qemu-virt-gicv3.dtb");
    return inv;
}

void expect_error(const std::string& request, const std::string& rule, const std::string& text,
                  uint32_t line) {
    auto p = plan_text(virt(), request);
    EXPECT_FALSE(p.result) << request;
    const Diagnostic* d = p.first_error();
    ASSERT_TRUE(d) << request;
    EXPECT_EQ(d->rule, rule) << d->message;
    EXPECT_NE(d->message.find(text), std::string::npos) << d->message;
    EXPECT_EQ(d->loc.file, "req.yaml");
    EXPECT_EQ(d->loc.line, line) << d->message;
    EXPECT_FALSE(d->fix.empty());
}

TEST(PlanErrors, TooManyCpusSaysHowManyAreFreeAndWhoTookThem) {
    expect_error(R"(format: jailconf/1
cells:
  - {name: worker, cpus: 1, memory: {size: 16M}}
  - name: rt
    cpus: 4
    memory: {size: 16M}
)",
                 "JC-PLAN-CPU",
                 "cell rt asks 4 CPUs; 2 are free after root keeps CPU 0 (platform has 4, "
                 "worker took 1)",
                 5);
}

TEST(PlanErrors, CpuListsAreChecked) {
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: [7], memory: {size: 4M}}\n",
                 "JC-PLAN-CPU", "CPU 7, which the machine does not have", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: [0-3], memory: {size: 4M}}\n",
                 "JC-PLAN-CPU", "the root cell needs one", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: [2], memory: {size: 4M}}\n"
                 "  - {name: b, cpus: [2], memory: {size: 4M}}\n",
                 "JC-PLAN-CPU", "CPU 2, already given to cell a", 4);
}

TEST(PlanErrors, CpuZeroOnlyWhenListed) {
    auto p = plan_text(virt(), "format: jailconf/1\ncells:\n  - {name: a, cpus: 3, memory: "
                               "{size: 4M}}\n");
    ASSERT_TRUE(p.result) << p.error();
    EXPECT_TRUE(has_id(p.result->system.cells[0].cpus, 0));
    auto q = plan_text(virt(), "format: jailconf/1\ncells:\n  - {name: a, cpus: 4, memory: "
                               "{size: 4M}}\n");
    EXPECT_FALSE(q.result);
    auto r = plan_text(virt(), "format: jailconf/1\ncells:\n  - {name: a, cpus: [0], memory: "
                               "{size: 4M}}\n");
    ASSERT_TRUE(r.result) << r.error();
    EXPECT_TRUE(has_id(r.result->system.find_cell("a")->cpus, 0));
    EXPECT_FALSE(has_id(r.result->system.cells[0].cpus, 0));
}

TEST(PlanErrors, MemoryThatDoesNotFitNamesTheLargestFreeBlock) {
    expect_error(R"(format: jailconf/1
cells:
  - name: big
    cpus: 1
    memory: {size: 2G}
)",
                 "JC-PLAN-MEMORY",
                 "cell big asks 2048 MiB of RAM aligned to 2 MiB; the largest "
                 "free block is",
                 5);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M, phys: "
                 "0x7c000000}}\n",
                 "JC-PLAN-MEMORY", "overlaps the hypervisor's memory", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M, align: "
                 "3K}}\n",
                 "JC-PLAN-MEMORY", "not a power of two", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: [{size: 4M, phys: "
                 "0x50000000}]}\n  - {name: b, cpus: 1, memory: {size: 4M, phys: 0x50000000}}\n",
                 "JC-PLAN-MEMORY", "already given to another cell", 4);
}

TEST(PlanErrors, DeviceSelectorsThatMatchNothingOrATakenDevice) {
    expect_error("format: jailconf/1\ncells:\n  - name: a\n    cpus: 1\n    memory: {size: 4M}\n"
                 "    devices: [{compatible: \"arm,pl032\"}]\n",
                 "JC-PLAN-DEVICE", "compatible arm,pl032 matches no device", 6);
    auto p = plan_text(virt(), "format: jailconf/1\ncells:\n  - name: a\n    cpus: 1\n    "
                               "memory: {size: 4M}\n    devices: [{path: /pl031@9010001}]\n");
    ASSERT_TRUE(p.first_error());
    EXPECT_NE(p.first_error()->fix.find("/pl031@9010000"), std::string::npos);
    expect_error(R"(format: jailconf/1
cells:
  - {name: a, cpus: 1, memory: {size: 4M}, devices: [{compatible: "arm,pl031"}]}
  - {name: b, cpus: 1, memory: {size: 4M}, devices: [{path: /pl031@9010000}]}
)",
                 "JC-PLAN-DEVICE", "/pl031@9010000 is already given to cell a", 4);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M}, "
                 "devices: [{compatible: \"arm,pl011\"}]}\n",
                 "JC-PLAN-DEVICE", "is the hypervisor's console", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M}, "
                 "devices: [{pci: \"00:1f.0\"}]}\n",
                 "JC-PLAN-DEVICE", "matches no PCI function", 3);
}

TEST(PlanErrors, ConsoleSelectorMustBeAUart) {
    expect_error("format: jailconf/1\ncells:\n  - name: a\n    cpus: 1\n    memory: {size: 4M}\n"
                 "    console: {compatible: \"arm,pl031\"}\n",
                 "JC-PLAN-CONSOLE", "not a UART", 6);
}

TEST(PlanErrors, LinksAreChecked) {
    const std::string cells = "format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: "
                              "{size: 4M}}\nlinks:\n";
    expect_error(cells + "  - {name: l, peers: [root, b]}\n", "JC-PLAN-LINK",
                 "peer 'b' is not a cell", 5);
    expect_error(cells + "  - {name: l, peers: [a, a]}\n", "JC-PLAN-LINK", "named twice", 5);
    expect_error(cells + "  - {name: l, peers: [root, a], doorbell_irq: 33}\n", "JC-PLAN-LINK",
                 "a device of the machine uses it", 5);
    expect_error(cells + "  - {name: l, peers: [root, a], doorbell_irq: 20}\n", "JC-PLAN-LINK",
                 "not an SPI", 5);
    expect_error(cells + "  - {name: l, peers: [root, a]}\n  - {name: l, peers: [root, a]}\n",
                 "JC-PLAN-LINK", "used twice", 6);
    expect_error(cells + "  - {name: l, peers: [root, a], size: 5K}\n", "JC-PLAN-LINK",
                 "not a multiple of 4 KiB", 5);
}

TEST(PlanErrors, CellNames) {
    expect_error("format: jailconf/1\ncells:\n  - {name: root, cpus: 1, memory: {size: 4M}}\n",
                 "JC-PLAN-CELL", "root cell's", 3);
    expect_error("format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M}}\n"
                 "  - {name: a, cpus: 1, memory: {size: 4M}}\n",
                 "JC-PLAN-CELL", "used twice", 4);
}

TEST(PlanErrors, SchemaErrorsPointAtTheLine) {
    Diagnostics diags;
    auto r = plan::load_request_from_string("format: jailconf/1\ncells:\n  - name: a\n    cpus: "
                                            "1\n    memroy: {size: 4M}\n",
                                            "req.yaml", diags);
    EXPECT_FALSE(r);
    bool unknown = false;
    for (const auto& d : diags.all())
        if (d.rule == "JC-SCHEMA-UNKNOWN-KEY") {
            unknown = true;
            EXPECT_EQ(d.loc.line, 5u);
            EXPECT_EQ(d.loc.column, 5u);
            EXPECT_NE(d.message.find("did you mean 'memory'"), std::string::npos) << d.message;
        }
    EXPECT_TRUE(unknown);

    Diagnostics d2;
    EXPECT_FALSE(plan::load_request_from_string("format: jailconf/2\n", "req.yaml", d2));
    ASSERT_FALSE(d2.empty());
    EXPECT_EQ(d2.all().front().rule, "JC-FORMAT");

    Diagnostics d3;
    EXPECT_FALSE(plan::load_request_from_string(
        "format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: {size: 4M}, devices: "
        "[{path: /x, compatible: y}]}\n",
        "req.yaml", d3));
    ASSERT_FALSE(d3.empty());
    EXPECT_NE(d3.all().front().message.find("more than one"), std::string::npos);

    Diagnostics d4;
    EXPECT_FALSE(plan::load_request_from_string(
        "format: jailconf/1\ncells:\n  - {name: a, cpus: zero, memory: {size: 4M}}\n", "req.yaml",
        d4));
    ASSERT_FALSE(d4.empty());
    EXPECT_EQ(d4.all().front().loc.line, 3u);
}

TEST(PlanErrors, MachineWithoutRamIsReportedAtTheRequest) {
    auto inv = scan_fixture_dtb("bcm2711-rpi-4-b.dtb"); // the firmware fills in the memory
    bool sized = false;
    for (const auto& m : inv.memory)
        sized |= m.region.size != 0;
    ASSERT_FALSE(sized) << "the fixture was expected to have no RAM sizes";
    auto p = plan_text(inv, "format: jailconf/1\ncells:\n  - {name: a, cpus: 1, memory: "
                            "{size: 4M}}\n");
    EXPECT_FALSE(p.result);
    ASSERT_TRUE(p.first_error());
    EXPECT_EQ(p.first_error()->rule, "JC-PLAN-ROOT");
}

} // namespace
} // namespace jailconf
