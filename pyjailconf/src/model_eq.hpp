// Structural equality of model elements for Python's __eq__: every field except the source
// location, so a decompiled or hand-built model equals the loaded one it describes.
#pragma once

#include <optional>
#include <vector>

#include "confgen/model.hpp"

namespace pyjailconf {

bool same(const jailconf::MemoryRegion&, const jailconf::MemoryRegion&);
bool same(const jailconf::IdRange&, const jailconf::IdRange&);
bool same(const jailconf::PciBar&, const jailconf::PciBar&);
bool same(const jailconf::PciCap&, const jailconf::PciCap&);
bool same(const jailconf::PciMsi&, const jailconf::PciMsi&);
bool same(const jailconf::PciMsix&, const jailconf::PciMsix&);
bool same(const jailconf::PciDevice&, const jailconf::PciDevice&);
bool same(const jailconf::StreamId&, const jailconf::StreamId&);
bool same(const jailconf::PioRange&, const jailconf::PioRange&);
bool same(const jailconf::Console&, const jailconf::Console&);
bool same(const jailconf::Watchdog&, const jailconf::Watchdog&);
bool same(const jailconf::Waiver&, const jailconf::Waiver&);
bool same(const jailconf::Cell&, const jailconf::Cell&);
bool same(const jailconf::IrqChip&, const jailconf::IrqChip&);
bool same(const jailconf::PciHost&, const jailconf::PciHost&);
bool same(const jailconf::Iommu&, const jailconf::Iommu&);
bool same(const jailconf::PlatformCpu&, const jailconf::PlatformCpu&);
bool same(const jailconf::Platform&, const jailconf::Platform&);
bool same(const jailconf::Hypervisor&, const jailconf::Hypervisor&);
bool same(const jailconf::LinkPeer&, const jailconf::LinkPeer&);
bool same(const jailconf::Link&, const jailconf::Link&);
bool same(const jailconf::System&, const jailconf::System&);

template <class T> bool same(const std::vector<T>& a, const std::vector<T>& b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!same(a[i], b[i]))
            return false;
    return true;
}

template <class T> bool same(const std::optional<T>& a, const std::optional<T>& b) {
    if (a.has_value() != b.has_value())
        return false;
    return !a || same(*a, *b);
}

} // namespace pyjailconf
