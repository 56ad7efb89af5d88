// HTML ids of the page's elements, shared by the element list, the address map and the emitter
// so that a bar, a table row and a finding's link name the same element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace jailconf::render::ids {

inline std::string system() {
    return "system";
}
inline std::string platform() {
    return "platform";
}
inline std::string platform_cpu(size_t i) {
    return fmt::format("pcpu-{}", i);
}
inline std::string irqchip() {
    return "irqchip";
}
inline std::string pci_host() {
    return "pci-host";
}
inline std::string iommu(size_t i) {
    return fmt::format("iommu-{}", i);
}
inline std::string hypervisor() {
    return "hv";
}
inline std::string hypervisor_memory() {
    return "hv-memory";
}
inline std::string hypervisor_console() {
    return "hv-console";
}
inline std::string cell(size_t ci) {
    return fmt::format("c{}", ci);
}
inline std::string cell_part(size_t ci, std::string_view part, size_t k) {
    return fmt::format("c{}-{}-{}", ci, part, k);
}
inline std::string pci_bar(size_t ci, size_t dev, size_t bar) {
    return fmt::format("c{}-pci-{}-bar-{}", ci, dev, bar);
}
inline std::string link(size_t li) {
    return fmt::format("link-{}", li);
}
inline std::string link_peer(size_t li, size_t k) {
    return fmt::format("link-{}-peer-{}", li, k);
}
// A copy of an element drawn on the address map (the GIC's blocks share one element).
inline std::string bar(std::string_view element_id, size_t copy = 0) {
    return copy == 0 ? fmt::format("{}-bar", element_id)
                     : fmt::format("{}-bar-{}", element_id, copy);
}

} // namespace jailconf::render::ids

namespace jailconf::render {

inline std::string range_text(uint32_t first, uint32_t last) {
    return first == last ? fmt::format("{}", first) : fmt::format("{}-{}", first, last);
}

} // namespace jailconf::render
