#include "descriptor/descriptor.hpp"

namespace hv::descriptor {

namespace jcb = jailconf::jcb;

VerifyResult open(const uint8_t* data, size_t size, BlobView& out) {
    return BlobView::create(data, size, out);
}

Summary summarize(const BlobView& view) {
    Summary s;
    for (const jcb::RangeElem r : view.cpus())
        s.cpus += r.last.get() - r.first.get() + 1;
    for (const jcb::MemoryElem m : view.memory()) {
        ++s.memory_regions;
        s.memory_bytes += m.size.get();
    }
    for (const jcb::RangeElem r : view.irqs())
        s.irqs += r.last.get() - r.first.get() + 1;
    for (const jcb::PciDeviceElem d : view.pci_devices()) {
        ++s.pci_devices;
        s.pci_caps += view.caps_of(d).size();
    }
    for (const jcb::LinkElem k : view.links())
        s.link_peers += view.peers_of(k).size();
    return s;
}

} // namespace hv::descriptor
