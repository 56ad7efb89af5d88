#include "scan_pci_lspci.hpp"

#include <fstream>
#include <regex>
#include <sstream>

namespace jailconf::test {
namespace {

uint64_t hex(const std::string& s) {
    return std::stoull(s, nullptr, 16);
}

uint64_t size_value(const std::string& number, const std::string& unit) {
    uint64_t v = std::stoull(number);
    if (unit == "K")
        return v << 10;
    if (unit == "M")
        return v << 20;
    if (unit == "G")
        return v << 30;
    return v;
}

// ACSCap/ACSCtl flags in register bit order (PCIe Base 6.0, 7.7.8.2-3).
uint16_t acs_bits(const std::string& text) {
    static const char* names[] = {"SrcValid",    "TransBlk",   "ReqRedir",   "CmpltRedir",
                                  "UpstreamFwd", "EgressCtrl", "DirectTrans"};
    uint16_t bits = 0;
    for (unsigned i = 0; i < 7; ++i)
        if (text.find(std::string(names[i]) + "+") != std::string::npos)
            bits |= uint16_t(1u << i);
    return bits;
}

} // namespace

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<LspciFunction> parse_lspci_vvv(const std::string& text) {
    static const std::regex header(
        R"(^((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) .*?\[([0-9a-f]{4})\]: .*\[([0-9a-f]{4}):([0-9a-f]{4})\](?: \(rev ([0-9a-f]{2})\))?(?: \(prog-if ([0-9a-f]{2}).*)?$)");
    static const std::regex subsystem(R"(^\tSubsystem: .*\[([0-9a-f]{4}):([0-9a-f]{4})\]$)");
    static const std::regex interrupt(R"(^\tInterrupt: pin ([A-D]))");
    static const std::regex bus(
        R"(^\tBus: primary=[0-9a-f]{2}, secondary=([0-9a-f]{2}), subordinate=([0-9a-f]{2}))");
    static const std::regex region(
        R"(^\tRegion ([0-5]): (Memory|I/O ports) at ([0-9a-f]+)(?: \((32|64)-bit, (non-prefetchable|prefetchable)\))?(?: \[disabled\])?(?: \[size=([0-9]+)([KMG]?)\])?)");
    static const std::regex capability(R"(^\tCapabilities: \[([0-9a-f]+)( v[0-9]+)?\] (.*)$)");
    static const std::regex msi(
        R"(MSI: Enable[+-] Count=[0-9]+/([0-9]+) Maskable([+-]) 64bit([+-]))");
    static const std::regex msix(R"(MSI-X: Enable[+-] Count=([0-9]+))");
    static const std::regex table(R"(^\t\tVector table: BAR=([0-9]) offset=([0-9a-f]+))");
    static const std::regex pba(R"(^\t\tPBA: BAR=([0-9]) offset=([0-9a-f]+))");
    static const std::regex express(
        R"(^Express \(v[0-9]\) (.*?)(?: \(Slot[+-]\))?, (?:MSI|IntMsgNum) )");

    std::vector<LspciFunction> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (std::regex_match(line, m, header)) {
            LspciFunction fn;
            fn.bdf = m[1].str().size() == 7 ? "0000:" + m[1].str() : m[1].str();
            fn.class_id = uint16_t(hex(m[2]));
            fn.vendor = uint16_t(hex(m[3]));
            fn.device = uint16_t(hex(m[4]));
            if (m[5].matched)
                fn.revision = uint8_t(hex(m[5]));
            if (m[6].matched)
                fn.prog_if = uint8_t(hex(m[6]));
            out.push_back(fn);
            continue;
        }
        if (out.empty())
            continue;
        LspciFunction& fn = out.back();
        if (std::regex_search(line, m, subsystem))
            fn.subsystem = std::pair{uint16_t(hex(m[1])), uint16_t(hex(m[2]))};
        else if (std::regex_search(line, m, interrupt))
            fn.pin = uint8_t(m[1].str()[0] - 'A' + 1);
        else if (std::regex_search(line, m, bus))
            fn.secondary_subordinate = std::pair{uint8_t(hex(m[1])), uint8_t(hex(m[2]))};
        else if (std::regex_search(line, m, region)) {
            LspciRegion r;
            r.index = unsigned(std::stoul(m[1]));
            r.io = m[2] == "I/O ports";
            r.address = hex(m[3]);
            r.is64 = m[4] == "64";
            r.prefetchable = m[5] == "prefetchable";
            if (m[6].matched)
                r.size = size_value(m[6], m[7]);
            fn.regions.push_back(r);
        } else if (std::regex_search(line, m, capability)) {
            std::string body = m[3];
            if (body.starts_with("<chain broken>") || body.starts_with("<chain looped>")) {
                fn.chain_broken = true;
                continue;
            }
            fn.capabilities.push_back(LspciCapability{uint16_t(hex(m[1])), m[2].matched, body});
            std::smatch c;
            if (std::regex_search(body, c, msi)) {
                fn.msi_vectors = unsigned(std::stoul(c[1]));
                fn.msi_maskable = c[2] == "+";
                fn.msi_64 = c[3] == "+";
            } else if (std::regex_search(body, c, msix)) {
                fn.msix_count = unsigned(std::stoul(c[1]));
            } else if (std::regex_search(body, c, express)) {
                fn.express_type = c[1];
            }
        } else if (std::regex_search(line, m, table))
            fn.msix_table = std::pair{unsigned(std::stoul(m[1])), uint32_t(hex(m[2]))};
        else if (std::regex_search(line, m, pba))
            fn.msix_pba = std::pair{unsigned(std::stoul(m[1])), uint32_t(hex(m[2]))};
        else if (line.starts_with("\t\tACSCap:"))
            fn.acs_cap = acs_bits(line);
        else if (line.starts_with("\t\tACSCtl:"))
            fn.acs_ctl = acs_bits(line);
        else if (line.starts_with("\tKernel driver in use: "))
            fn.driver = line.substr(std::string("\tKernel driver in use: ").size());
    }
    return out;
}

std::map<std::string, LspciNames> parse_lspci_mm(const std::string& text) {
    // 00:01.0 "class [ffff]" "Vendor [1af4]" "Device name [1045]" -r01 ...
    static const std::regex line_re(
        R"(^((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) "[^"]*" "([^"]*) \[[0-9a-f]{4}\]" "([^"]*) \[[0-9a-f]{4}\]")");
    std::map<std::string, LspciNames> out;
    std::istringstream in(text);
    std::string line;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!std::regex_search(line, m, line_re))
            continue;
        std::string bdf = m[1].str().size() == 7 ? "0000:" + m[1].str() : m[1].str();
        LspciNames names{m[2], m[3]};
        // lspci's placeholders for ids pci.ids does not know.
        if (names.vendor == "Vendor")
            names.vendor.clear();
        if (names.device == "Device")
            names.device.clear();
        out[bdf] = names;
    }
    return out;
}

std::vector<uint16_t> lspci_capability_ids(const LspciCapability& cap) {
    struct Wording {
        const char* prefix;
        bool extended;
        std::vector<uint16_t> ids;
    };
    static const std::vector<Wording> table = {
        {"Power Management", false, {0x01}},
        {"AGP", false, {0x02}},
        {"Vital Product Data", false, {0x03}},
        {"Slot ID", false, {0x04}},
        {"MSI:", false, {0x05}},
        {"PCI-X", false, {0x07}},
        {"HyperTransport", false, {0x08}},
        {"Vendor Specific Information", false, {0x09}},
        {"Debug port", false, {0x0a}},
        {"Subsystem:", false, {0x0d}},
        {"Express", false, {0x10}},
        {"MSI-X:", false, {0x11}},
        {"SATA HBA", false, {0x12}},
        {"PCI Advanced Features", false, {0x13}},
        {"Advanced Error Reporting", true, {0x01}},
        {"Virtual Channel", true, {0x02, 0x09}},
        {"Device Serial Number", true, {0x03}},
        {"Power Budgeting", true, {0x04}},
        {"Root Complex Link", true, {0x05}},
        {"Vendor Specific Information", true, {0x0b}},
        {"Access Control Services", true, {0x0d}},
        {"Alternative Routing-ID Interpretation", true, {0x0e}},
        {"Address Translation Service", true, {0x0f}},
        {"Single Root I/O Virtualization", true, {0x10}},
        {"Latency Tolerance Reporting", true, {0x18}},
        {"L1 PM Substates", true, {0x1e}},
    };
    for (const auto& w : table)
        if (w.extended == cap.extended && cap.text.starts_with(w.prefix))
            return w.ids;
    return {};
}

} // namespace jailconf::test
