// Scanning speed: a live scan of this machine and generate of its root cell, the same from its
// snapshot, and the scan of each real board DTB in tests/fixtures/fdt (the largest, RK3399, is
// 62 KB). Printed figures, not asserted.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "confgen/generate.hpp"
#include "confgen/read_file.hpp"
#include "confgen/scan.hpp"

namespace {

using namespace jailconf;

void live_scan(benchmark::State& state) {
    auto files = open_live_machine();
    for (auto _ : state) {
        auto inv = scan_machine(*files);
        if (!inv) {
            state.SkipWithError(inv.error().str().c_str());
            return;
        }
        benchmark::DoNotOptimize(inv->pci.size());
    }
}
BENCHMARK(live_scan)->Unit(benchmark::kMillisecond);

void live_scan_and_generate(benchmark::State& state) {
    auto files = open_live_machine();
    for (auto _ : state) {
        auto inv = scan_machine(*files);
        if (!inv) {
            state.SkipWithError(inv.error().str().c_str());
            return;
        }
        auto sys = generate_root_system(*inv, {});
        if (!sys) {
            state.SkipWithError(sys.error().message.c_str());
            return;
        }
        benchmark::DoNotOptimize(sys->system.cells.size());
    }
}
BENCHMARK(live_scan_and_generate)->Unit(benchmark::kMillisecond);

void scan_dtb(benchmark::State& state, const std::string& path) {
    auto bytes = read_file(path);
    if (!bytes) {
        state.SkipWithError(bytes.error().c_str());
        return;
    }
    for (auto _ : state) {
        auto inv = scan_dtb_file(path);
        benchmark::DoNotOptimize(inv.has_value());
    }
    state.counters["bytes"] = double(bytes->size());
}

int register_dtbs = [] {
    std::filesystem::path dir = JAILCONF_BENCH_FIXTURES "/fdt";
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".dtb")
            benchmark::RegisterBenchmark(("scan_dtb/" + e.path().filename().string()).c_str(),
                                         scan_dtb, e.path().string())
                ->Unit(benchmark::kMicrosecond);
    return 0;
}();

} // namespace

BENCHMARK_MAIN();
