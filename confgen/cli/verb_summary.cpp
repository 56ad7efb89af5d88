// `confgen summary`: a table of the cells of a system, from YAML or from compiled .jcb blobs.
#include <cstdio>
#include <numeric>

#include <fmt/format.h>

#include "confgen/read_file.hpp"
#include "exit_codes.hpp"
#include "jailconf/format.hpp"
#include "jailconf/sha256.hpp"
#include "load_checked.hpp"
#include "read_blobs.hpp"
#include "verbs.hpp"

namespace confgen {
namespace {

using namespace jailconf;

std::string human_size(uint64_t bytes) {
    static constexpr const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    size_t unit = 0;
    while (bytes >= 1024 && bytes % 1024 == 0 && unit + 1 < std::size(units)) {
        bytes /= 1024;
        ++unit;
    }
    return fmt::format("{} {}", bytes, units[unit]);
}

std::string ids_text(const std::vector<IdRange>& ranges) {
    std::string out;
    for (const auto& r : ranges)
        out +=
            (out.empty() ? "" : ",") + (r.first == r.last ? fmt::format("{}", r.first)
                                                          : fmt::format("{}-{}", r.first, r.last));
    return out.empty() ? "-" : out;
}

void print_summary(const System& s) {
    std::printf("%s",
                fmt::format("{} ({}), {} CPUs, hypervisor memory {} at {:#x}\n", s.platform.name,
                            to_string(s.arch), s.platform.cpus.size(),
                            human_size(s.hypervisor.memory_size), s.hypervisor.memory_phys.value)
                    .c_str());
    std::printf("%s", fmt::format("{:<12} {:<5} {:<10} {:>10} {:>8} {:<18} {:>4} {:<10}\n", "cell",
                                  "root", "cpus", "ram", "regions", "irqs", "pci", "watchdog")
                          .c_str());
    for (const auto& c : s.cells) {
        uint64_t ram = std::accumulate(
            c.memory.begin(), c.memory.end(), uint64_t(0), [](uint64_t sum, const MemoryRegion& r) {
                return (r.flags & (mem_io | mem_comm_region)) ? sum : sum + r.size;
            });
        std::string watchdog =
            c.watchdog ? fmt::format("{} ms", c.watchdog->timeout_ms) : std::string("-");
        std::printf("%s",
                    fmt::format("{:<12} {:<5} {:<10} {:>10} {:>8} {:<18} {:>4} {:<10}\n", c.name,
                                c.root ? "yes" : "", ids_text(c.cpus), human_size(ram),
                                c.memory.size(), ids_text(c.irqs), c.pci_devices.size(), watchdog)
                        .c_str());
    }
    for (const auto& l : s.links) {
        std::string peers;
        for (const auto& p : l.peers)
            peers += (peers.empty() ? "" : " <-> ") + p.cell;
        std::printf("%s",
                    fmt::format("link {:<12} {} , {} at {:#x}{}\n", l.name, peers,
                                human_size(l.size), l.phys.value,
                                l.doorbell_irq ? fmt::format(", doorbell irq {}", *l.doorbell_irq)
                                               : std::string())
                        .c_str());
    }
}

std::string hex(const uint8_t* digest) {
    std::string out;
    for (size_t i = 0; i < jcb::Sha256::digest_size; ++i)
        out += fmt::format("{:02x}", digest[i]);
    return out;
}

// What the hypervisor's measurement log records for each blob (docs/measurements.md): the SHA-256
// of the whole file, so it can be compared with measurement_read or sha256sum; and the payload
// SHA-256 the header records (checked when the blob was read).
void print_measurements(const std::vector<std::string>& files) {
    for (const auto& path : files) {
        auto data = read_file(path);
        if (!data || data->size() < sizeof(jcb::Header))
            continue; // read and verified by decompile_files a moment ago
        const auto* bytes = reinterpret_cast<const uint8_t*>(data->data());
        uint8_t digest[jcb::Sha256::digest_size];
        jcb::sha256(bytes, data->size(), digest);
        std::printf("%s", fmt::format("measurement {}: sha256 {} ({} bytes), payload sha256 {}\n",
                                      path, hex(digest), data->size(),
                                      hex(bytes + offsetof(jcb::Header, payload_sha256)))
                              .c_str());
    }
}

} // namespace

Action add_summary(CLI::App& app) {
    auto files = std::make_shared<std::vector<std::string>>();
    CLI::App* sub = app.add_subcommand(
        "summary", "Print a table of the cells of a system, from its YAML or its .jcb blobs");
    sub->add_option("files", *files, "A YAML system file, or a system blob and cell blobs")
        ->required();
    return [files] {
        if (!is_blob_file(files->front())) {
            if (files->size() != 1) {
                std::fputs("confgen: error: give one YAML file, or .jcb blobs\n", stderr);
                return int(exit_usage);
            }
            CheckOutcome outcome = load_and_check(*files, ReportFormat::text);
            if (!outcome.inputs[0].system)
                return outcome.exit_code == exit_ok ? int(exit_input_errors) : outcome.exit_code;
            print_summary(*outcome.inputs[0].system);
            return int(exit_ok);
        }
        auto system = decompile_files(*files);
        if (!system) {
            std::fprintf(stderr, "%s\n", system.error().message.c_str());
            return system.error().exit_code;
        }
        print_summary(*system);
        print_measurements(*files);
        return int(exit_ok);
    };
}

} // namespace confgen
