// confgen lint's knowledge-base pass on the large synthetic system of large_system.hpp (1,000
// cells, 100,000 regions) with every built-in rule: once from the configuration alone, once with
// an inventory of 1,000 devices (one in each cell's device region, its clock in the root cell's)
// so that the inventory rules have facts to join. The issue's target is under 1 s.
#include <benchmark/benchmark.h>

#include "confgen/lint.hpp"
#include "large_system.hpp"

namespace {

using namespace jailconf;
using namespace jailconf::bench;

inventory::Inventory make_inventory(const System& s) {
    inventory::Inventory inv;
    inv.machine.arch = "arm64";
    for (const auto& cell : s.cells) {
        const MemoryRegion& io = cell.memory.front(); // r0 has the io flag
        inventory::Device d;
        d.path = "/soc/dev@" + fmt::format("{:x}", io.phys.value);
        d.compatible = {"vendor,bench-device"};
        d.regs = {{io.phys.value, 0x1000}};
        if (!cell.irqs.empty())
            d.irqs = {{cell.irqs.front().first, inventory::Trigger::level_high}};
        d.stream_ids = {cell.stream_ids.front().id};
        d.iommu = "/smmu";
        d.clocks = {"/soc/dev@" + fmt::format("{:x}", s.cells.front().memory.front().phys.value)};
        inv.devices.push_back(std::move(d));
    }
    return inv;
}

void run(benchmark::State& state, bool with_inventory) {
    const System system = make_system(false);
    const inventory::Inventory inv = make_inventory(system);
    KnowledgeBase kb;
    Diagnostics load;
    if (!kb.load_builtin(load)) {
        state.SkipWithError("the built-in knowledge base does not load");
        return;
    }
    LintOptions options;
    options.inventory = with_inventory ? &inv : nullptr;
    LintStats stats;
    size_t findings = 0;
    for (auto _ : state) {
        Diagnostics diags;
        stats = lint_system(system, kb, options, diags);
        findings = diags.all().size();
        benchmark::DoNotOptimize(findings);
    }
    state.counters["cells"] = cells;
    state.counters["regions"] = cells * regions_per_cell;
    state.counters["rules_run"] = double(stats.rules_run);
    state.counters["findings"] = double(findings);
}

void BM_LintConfigOnly(benchmark::State& state) {
    run(state, false);
}
void BM_LintWithInventory(benchmark::State& state) {
    run(state, true);
}

BENCHMARK(BM_LintConfigOnly)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LintWithInventory)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
