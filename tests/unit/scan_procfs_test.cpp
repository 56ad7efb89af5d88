// scan_procfs on the x86 VM snapshot and on variations of it; CPU list and cpuinfo parsing.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "scan/procfs/cpus.hpp"
#include "scan/scanners.hpp"
#include "scan_pci_lspci.hpp"
#include "scan_pci_memory_files.hpp"

namespace jailconf::test {
namespace {

using scan::procfs::parse_cpu_list;

const std::string fixtures = JAILCONF_FIXTURES;
const std::string root = fixtures + "/machines/x86-vm";

MemoryFiles snapshot() {
    MemoryFiles files;
    namespace fs = std::filesystem;
    for (const char* dir : {"/proc", "/sys/devices/system/cpu"})
        for (const auto& entry : fs::recursive_directory_iterator(root + dir))
            if (entry.is_regular_file())
                files.files[entry.path().string().substr(root.size())] =
                    read_text_file(entry.path().string());
    return files;
}

bool has_warning(const inventory::Inventory& inv, const std::string& code) {
    return std::any_of(inv.warnings.begin(), inv.warnings.end(),
                       [&](const auto& w) { return w.code == code; });
}

TEST(ScanProcfs, X86VmSnapshot) {
    auto files = open_machine_directory(root);
    ASSERT_TRUE(files);
    auto inv = scan::scan_procfs(**files);
    ASSERT_TRUE(inv) << inv.error().str();
    EXPECT_TRUE(inv->warnings.empty());

    // RAM: exactly the top-level "System RAM" lines, each origin pointing at its line.
    std::string iomem = read_text_file(root + "/proc/iomem");
    ASSERT_EQ(inv->memory.size(), 3u);
    std::regex ram(R"(^([0-9a-f]+)-([0-9a-f]+) : System RAM$)");
    for (const auto& m : inv->memory) {
        ASSERT_TRUE(m.origin.offset);
        EXPECT_EQ(m.origin.file, "/proc/iomem");
        std::string line =
            iomem.substr(*m.origin.offset, iomem.find('\n', *m.origin.offset) - *m.origin.offset);
        std::smatch s;
        ASSERT_TRUE(std::regex_match(line, s, ram)) << line;
        EXPECT_EQ(m.region.base, std::stoull(s[1], nullptr, 16));
        EXPECT_EQ(m.region.base + m.region.size - 1, std::stoull(s[2], nullptr, 16));
    }
    EXPECT_EQ(inv->memory[2].region.base, 0x100000000u);
    EXPECT_EQ(inv->memory[2].region.size, 0x540000000u);
    // Firmware ranges: the three top-level "Reserved" ones, not the ECAM nested inside.
    ASSERT_EQ(inv->reserved.size(), 3u);
    for (const auto& r : inv->reserved) {
        EXPECT_EQ(r.name, "Reserved");
        EXPECT_EQ(r.kind, "iomem");
    }
    EXPECT_EQ(inv->iomem.size(), 27u);
    EXPECT_EQ(inv->ioports.size(), 15u);

    ASSERT_EQ(inv->cpus.size(), 2u);
    for (uint32_t i = 0; i < 2; ++i) {
        EXPECT_EQ(inv->cpus[i].id, i);
        EXPECT_EQ(inv->cpus[i].hw_id, i); // cpuinfo apicid
        EXPECT_EQ(inv->cpus[i].online, true);
        EXPECT_EQ(inv->cpus[i].origin.file, "/proc/cpuinfo");
    }
    EXPECT_EQ(inv->machine.arch, "x86_64");
    EXPECT_EQ(inv->machine.kernel_release, "6.18.44-fc-v669");
    EXPECT_TRUE(inv->machine.kernel_cmdline.starts_with("mitigations=auto"));
    EXPECT_FALSE(inv->machine.kernel_cmdline.ends_with("\n"));
    EXPECT_EQ(inv->machine.hypervisor, "unknown"); // cpuinfo flag only, no /sys/hypervisor
    EXPECT_EQ(inv->machine.model, "");             // Firecracker has no DMI
}

TEST(ScanProcfs, HiddenIomem) {
    MemoryFiles files = snapshot();
    std::string& iomem = files.files["/proc/iomem"];
    iomem = std::regex_replace(iomem, std::regex("[0-9a-f]+-[0-9a-f]+ :"), "00000000-00000000 :");
    auto inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    EXPECT_TRUE(has_warning(*inv, "iomem-hidden"));
    EXPECT_TRUE(inv->memory.empty());
    EXPECT_TRUE(inv->reserved.empty());
    EXPECT_EQ(inv->iomem.size(), 27u);
}

TEST(ScanProcfs, MalformedIomemIsAnError) {
    MemoryFiles files = snapshot();
    files.files["/proc/iomem"] += "garbage\n";
    auto inv = scan::scan_procfs(files);
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().file, "/proc/iomem");
    EXPECT_EQ(inv.error().offset, read_text_file(root + "/proc/iomem").size());
}

TEST(ScanProcfs, UnreadableIomemIsAWarning) {
    MemoryFiles files = snapshot();
    files.errors["/proc/iomem"] = ScanError::Kind::unreadable;
    auto inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    EXPECT_TRUE(has_warning(*inv, "unreadable-file"));
    EXPECT_TRUE(inv->memory.empty());
}

TEST(ScanProcfs, OversizedIomemIsAnError) {
    MemoryFiles files = snapshot();
    files.files["/proc/iomem"] = std::string(2 << 20, ' ');
    auto inv = scan::scan_procfs(files);
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().kind, ScanError::Kind::too_large);
}

TEST(ScanProcfs, OnlineState) {
    MemoryFiles files = snapshot();
    // cpu0 has no `online` file (the boot CPU); without the global list it is still online.
    files.files.erase("/sys/devices/system/cpu/online");
    files.files["/sys/devices/system/cpu/cpu1/online"] = "0\n";
    auto inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    ASSERT_EQ(inv->cpus.size(), 2u);
    EXPECT_EQ(inv->cpus[0].online, true);
    EXPECT_EQ(inv->cpus[1].online, false);
}

TEST(ScanProcfs, CpusFromPossibleThenCpuinfo) {
    MemoryFiles files = snapshot();
    files.files.erase("/sys/devices/system/cpu/present");
    files.files["/sys/devices/system/cpu/possible"] = "0-3\n";
    auto inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->cpus.size(), 4u);
    EXPECT_EQ(inv->cpus[3].origin.file, "/sys/devices/system/cpu/possible");
    EXPECT_EQ(inv->cpus[3].hw_id, 0u); // not in cpuinfo (offline)
    files.files.erase("/sys/devices/system/cpu/possible");
    inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->cpus.size(), 2u);
    EXPECT_TRUE(has_warning(*inv, "cpu-list-missing"));
}

TEST(ScanProcfs, MalformedCpuListIsAnError) {
    MemoryFiles files = snapshot();
    files.files["/sys/devices/system/cpu/present"] = "0-1,x\n";
    auto inv = scan::scan_procfs(files);
    ASSERT_FALSE(inv);
    EXPECT_EQ(inv.error().file, "/sys/devices/system/cpu/present");
    EXPECT_EQ(inv.error().offset, 4u);
}

TEST(ScanProcfs, MachineIdentification) {
    MemoryFiles files = snapshot();
    files.files["/sys/class/dmi/id/sys_vendor"] = "QEMU\n";
    files.files["/sys/class/dmi/id/product_name"] = "Standard PC (Q35 + ICH9, 2009)\n";
    files.files["/sys/hypervisor/type"] = "xen\n";
    auto inv = scan::scan_procfs(files);
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->machine.model, "QEMU Standard PC (Q35 + ICH9, 2009)");
    EXPECT_EQ(inv->machine.hypervisor, "xen");
}

TEST(ScanProcfsCpuList, Valid) {
    EXPECT_EQ(*parse_cpu_list("0-3,5\n", "f"), (std::vector<uint32_t>{0, 1, 2, 3, 5}));
    EXPECT_EQ(*parse_cpu_list("0\n", "f"), (std::vector<uint32_t>{0}));
    EXPECT_EQ(*parse_cpu_list("\n", "f"), (std::vector<uint32_t>{}));
    EXPECT_EQ(*parse_cpu_list("5,0-1,1", "f"), (std::vector<uint32_t>{0, 1, 5}));
}

TEST(ScanProcfsCpuList, Invalid) {
    struct Case {
        const char* text;
        uint64_t offset;
    } cases[] = {{"3-1\n", 0},
                 {"0-\n", 2},
                 {"0,,1\n", 2},
                 {"0,\n", 2},
                 {"a\n", 0},
                 {"65536\n", 0},
                 {"0-65535,0-65535,0-1\n", 8},
                 {"0 1\n", 1}};
    for (const auto& c : cases) {
        auto ids = parse_cpu_list(c.text, "f");
        ASSERT_FALSE(ids) << c.text;
        EXPECT_EQ(ids.error().offset, c.offset) << c.text;
    }
}

TEST(ScanProcfsCpuinfo, RealX86) {
    auto info = scan::procfs::parse_cpuinfo(read_text_file(root + "/proc/cpuinfo"));
    ASSERT_EQ(info.processors.size(), 2u);
    EXPECT_EQ(info.processors[1].processor, 1u);
    EXPECT_EQ(info.processors[1].apic_id, 1u);
    EXPECT_TRUE(info.hypervisor_flag);
    EXPECT_EQ(info.arch, "x86_64");
}

} // namespace
} // namespace jailconf::test
