// A typed, read-only view of a verified descriptor. The only way to get a non-empty BlobView is
// BlobView::create(), which runs the verifier; consumers (the hypervisor, decompile) then read
// elements and names through it and never handle raw offsets.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "jailconf/format.hpp"
#include "jailconf/layout.hpp"
#include "jailconf/verify.hpp"

namespace jailconf::jcb {

class BlobView {
  public:
    // An empty view: every section absent, every span empty.
    constexpr BlobView() = default;

    // Verifies `data` and, when it is valid, makes `out` view it. The view borrows the bytes,
    // which must stay unchanged while it is in use.
    [[nodiscard]] static VerifyResult create(const uint8_t* data, size_t size, BlobView& out) {
        Layout layout;
        VerifyResult r = verify_layout(data, size, layout);
        out = r.ok() ? BlobView(layout) : BlobView();
        return r;
    }

    constexpr bool valid() const { return layout_.data != nullptr; }
    constexpr BlobKind kind() const { return layout_.kind; }
    constexpr BlobArch arch() const { return layout_.arch; }
    constexpr uint32_t size() const { return layout_.size; }
    constexpr const uint8_t* bytes() const { return layout_.data; }
    // The recorded measurement (SHA-256 of the payload), Sha256::digest_size bytes.
    constexpr const uint8_t* payload_sha256() const {
        return layout_.data ? layout_.data + offsetof(Header, payload_sha256) : nullptr;
    }

    // A NUL-terminated name; "" for reference 0. Only for references read from this blob.
    constexpr const char* string(Le32 ref) const {
        if (!layout_.data)
            return "";
        return reinterpret_cast<const char*>(
            layout_.data + layout_.section(SectionId::strings).offset + ref.get());
    }

    // Single elements; a zeroed element when the section is absent (platform and hypervisor
    // exist exactly in system blobs, cell in every blob).
    constexpr PlatformElem platform() const { return one<PlatformElem>(SectionId::platform); }
    constexpr HypervisorElem hypervisor() const {
        return one<HypervisorElem>(SectionId::hypervisor);
    }
    constexpr CellElem cell() const { return one<CellElem>(SectionId::cell); }
    constexpr bool has_console() const { return has(SectionId::console); }
    constexpr ConsoleElem console() const { return one<ConsoleElem>(SectionId::console); }
    constexpr bool has_watchdog() const { return has(SectionId::watchdog); }
    constexpr WatchdogElem watchdog() const { return one<WatchdogElem>(SectionId::watchdog); }

    constexpr ElemSpan<PlatformCpuElem> platform_cpus() const {
        return elems<PlatformCpuElem>(layout_, SectionId::platform_cpus);
    }
    constexpr ElemSpan<IommuElem> iommus() const {
        return elems<IommuElem>(layout_, SectionId::iommus);
    }
    constexpr ElemSpan<RangeElem> cpus() const {
        return elems<RangeElem>(layout_, SectionId::cpus);
    }
    constexpr ElemSpan<MemoryElem> memory() const {
        return elems<MemoryElem>(layout_, SectionId::memory);
    }
    constexpr ElemSpan<RangeElem> irqs() const {
        return elems<RangeElem>(layout_, SectionId::irqs);
    }
    constexpr ElemSpan<PciDeviceElem> pci_devices() const {
        return elems<PciDeviceElem>(layout_, SectionId::pci_devices);
    }
    constexpr ElemSpan<StreamIdElem> stream_ids() const {
        return elems<StreamIdElem>(layout_, SectionId::stream_ids);
    }
    constexpr ElemSpan<PioElem> pio() const { return elems<PioElem>(layout_, SectionId::pio); }
    constexpr ElemSpan<LinkElem> links() const {
        return elems<LinkElem>(layout_, SectionId::links);
    }

    // The capabilities of one device and the peers of one link, from this blob.
    constexpr ElemSpan<PciCapElem> caps_of(const PciDeviceElem& d) const {
        return elems<PciCapElem>(layout_, SectionId::pci_caps)
            .slice(d.caps_first.get(), d.caps_count.get());
    }
    constexpr ElemSpan<LinkPeerElem> peers_of(const LinkElem& k) const {
        return elems<LinkPeerElem>(layout_, SectionId::link_peers)
            .slice(k.peers_first.get(), k.peers_count.get());
    }

  private:
    explicit constexpr BlobView(const Layout& layout) : layout_(layout) {}

    constexpr bool has(SectionId id) const { return layout_.section(id).offset != 0; }
    template <class T> constexpr T one(SectionId id) const {
        ElemSpan<T> s = elems<T>(layout_, id);
        return s.empty() ? T{} : s[0];
    }

    Layout layout_;
};

} // namespace jailconf::jcb
