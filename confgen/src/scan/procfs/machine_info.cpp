#include "scan/procfs/machine_info.hpp"

#include <string>

#include "scan/procfs/text_numbers.hpp"

namespace jailconf::scan::procfs {
namespace {

// One line of text (trimmed), or "" when absent.
std::string read_value(const MachineFiles& files, std::string_view path,
                       std::vector<inventory::Warning>& warnings) {
    auto text = files.read(path, 1 << 16);
    if (!text) {
        if (text.error().kind != ScanError::Kind::not_found)
            warnings.push_back({"unreadable-file", text.error().str()});
        return {};
    }
    return std::string(trim(*text));
}

} // namespace

inventory::MachineInfo scan_machine_info(const MachineFiles& files, const Cpuinfo& cpuinfo,
                                         std::vector<inventory::Warning>& warnings) {
    inventory::MachineInfo info;
    info.arch = cpuinfo.arch;
    info.kernel_release = read_value(files, "/proc/sys/kernel/osrelease", warnings);
    info.kernel_cmdline = read_value(files, "/proc/cmdline", warnings);
    std::string vendor = read_value(files, "/sys/class/dmi/id/sys_vendor", warnings);
    std::string product = read_value(files, "/sys/class/dmi/id/product_name", warnings);
    info.model = vendor;
    if (!vendor.empty() && !product.empty())
        info.model += ' ';
    info.model += product;
    info.hypervisor = read_value(files, "/sys/hypervisor/type", warnings);
    // The x86 "hypervisor" CPUID bit says a hypervisor is there, not which one.
    if (info.hypervisor.empty() && cpuinfo.hypervisor_flag)
        info.hypervisor = "unknown";
    return info;
}

} // namespace jailconf::scan::procfs
