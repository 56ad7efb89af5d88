// check_system() on the large synthetic system of large_system.hpp: `valid` yields no diagnostic;
// `overlapping` (~200,000 findings) times the reporting path.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include "confgen/check.hpp"
#include "large_system.hpp"

namespace {

using namespace jailconf;
using namespace jailconf::bench;

void run(benchmark::State& state, bool overlapping) {
    const System system = make_system(overlapping);
    size_t findings = 0;
    for (auto _ : state) {
        Diagnostics diags;
        check_system(system, diags);
        findings = diags.all().size();
        benchmark::DoNotOptimize(findings);
    }
    state.counters["cells"] = cells;
    state.counters["regions"] = cells * regions_per_cell;
    state.counters["diagnostics"] = double(findings);
    state.SetItemsProcessed(int64_t(state.iterations()) * cells * regions_per_cell);
}

void BM_CheckValid(benchmark::State& state) {
    run(state, false);
}
void BM_CheckOverlapping(benchmark::State& state) {
    run(state, true);
}

BENCHMARK(BM_CheckValid)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_CheckOverlapping)->Unit(benchmark::kMillisecond);

} // namespace

BENCHMARK_MAIN();
