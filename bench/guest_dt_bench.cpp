// Guest device tree speed: the root cell of each real board DTB in tests/fixtures/fdt (scanned
// and generated once, outside the timing), built with the host tree and written as DTB and DTS.
// Printed figures, not asserted.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "confgen/generate.hpp"
#include "confgen/guest_dt.hpp"
#include "confgen/read_file.hpp"
#include "confgen/scan.hpp"

namespace {

using namespace jailconf;

void guest_dt_root(benchmark::State& state, const std::string& path) {
    auto blob = read_file(path);
    auto inv = scan_dtb_file(path);
    if (!blob || !inv) {
        state.SkipWithError("cannot read or scan the blob");
        return;
    }
    auto sys = generate_root_system(*inv, {});
    if (!sys) {
        state.SkipWithError(sys.error().message.c_str());
        return;
    }
    size_t bytes = 0;
    for (auto _ : state) {
        auto host = guest_dt::HostTree::parse(*blob, path);
        if (!host) {
            state.SkipWithError(host.error().str().c_str());
            return;
        }
        auto tree = guest_dt::build_tree(sys->system, sys->system.cells.front(), *inv, &*host);
        if (!tree) {
            state.SkipWithError(tree.error().message.c_str());
            return;
        }
        auto dtb = guest_dt::to_dtb(*tree);
        std::string dts = guest_dt::to_dts(*tree);
        bytes = dtb ? dtb->size() : 0;
        benchmark::DoNotOptimize(dts.size());
    }
    state.counters["dtb_bytes"] = double(bytes);
}

int register_boards = [] {
    for (const auto& e : std::filesystem::directory_iterator(JAILCONF_BENCH_FIXTURES "/fdt"))
        if (e.path().extension() == ".dtb")
            benchmark::RegisterBenchmark(("guest_dt_root/" + e.path().stem().string()).c_str(),
                                         guest_dt_root, e.path().string())
                ->Unit(benchmark::kMicrosecond);
    return 0;
}();

} // namespace

BENCHMARK_MAIN();
