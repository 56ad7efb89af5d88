// libFuzzer target for the descriptor verifier (schema/include/jailconf/verify.hpp), the outside
// input the hypervisor trusts least. Each input is tried twice: as given, which exercises the
// header and checksum checks, and re-sealed (checksums recomputed), which lets mutations reach the
// section table and element checks instead of dying at the CRC. Whatever verifies is walked
// through BlobView and, decompiled and compiled again.
// The seed corpus is the compiled examples (tests/fuzz/CMakeLists.txt).
#include <stddef.h>
#include <stdint.h>

#include <cstring>
#include <vector>

#include "jailconf/blob_view.hpp"
#include "jailconf/seal.hpp"

#include <span>
#include <string>

#include "confgen/binary.hpp"

namespace {

namespace jcb = jailconf::jcb;

[[noreturn]] void fail() {
    __builtin_trap();
}

// Reads every element and every name a consumer could reach.
void walk(const jcb::BlobView& v) {
    size_t sink = 0;
    const auto name = [&](jcb::Le32 ref) { sink += std::strlen(v.string(ref)); };
    name(v.platform().name);
    name(v.cell().name);
    sink += v.hypervisor().memory_size.get() + v.console().type + v.watchdog().timeout_ms.get();
    for (const jcb::PlatformCpuElem c : v.platform_cpus())
        sink += c.hw_id.get();
    for (const jcb::IommuElem m : v.iommus())
        sink += m.base.get();
    for (const jcb::RangeElem r : v.cpus())
        sink += r.last.get() - r.first.get();
    for (const jcb::MemoryElem m : v.memory())
        name(m.name);
    for (const jcb::RangeElem r : v.irqs())
        sink += r.last.get() - r.first.get();
    for (const jcb::PciDeviceElem d : v.pci_devices())
        for (const jcb::PciCapElem c : v.caps_of(d))
            sink += c.size.get();
    for (const jcb::StreamIdElem s : v.stream_ids())
        sink += s.id.get();
    for (const jcb::PioElem p : v.pio())
        sink += p.size.get();
    for (const jcb::LinkElem k : v.links()) {
        name(k.name);
        for (const jcb::LinkPeerElem p : v.peers_of(k))
            name(p.cell_name);
    }
    // Keep the reads from being optimised away.
    __asm__ volatile("" : : "r"(sink));
}

// A verified system blob decompiles, and what it decompiles to compiles to blobs that decompile
// and compile to the very same bytes (compile output is canonical).
void roundtrip(const uint8_t* data, size_t size) {
    const jailconf::DecodeInput input{"fuzz.jcb", std::span<const uint8_t>(data, size)};
    auto system = jailconf::decompile(std::span<const jailconf::DecodeInput>(&input, 1));
    if (!system)
        return; // a cell blob alone is not a system
    auto first = jailconf::compile(*system);
    if (!first)
        fail();
    std::vector<jailconf::DecodeInput> inputs;
    for (const jailconf::Blob& b : *first)
        inputs.push_back({b.cell_name, b.bytes});
    auto again = jailconf::decompile(inputs);
    if (!again)
        fail();
    auto second = jailconf::compile(*again);
    if (!second || second->size() != first->size())
        fail();
    for (size_t i = 0; i < first->size(); ++i)
        if ((*first)[i].bytes != (*second)[i].bytes)
            fail();
}

void check(const uint8_t* data, size_t size) {
    jcb::BlobView view;
    const jcb::VerifyResult r = jcb::BlobView::create(data, size, view);
    if (!r.ok()) {
        // A rejected blob leaves the view empty. (The offset may lie past the end: a section
        // placed out of bounds is reported at the start it claims.)
        if (view.valid() || r.error >= jcb::VerifyError::count_)
            fail();
        return;
    }
    walk(view);
    roundtrip(data, size);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    check(data, size);
    if (size >= sizeof(jcb::Header) && size <= jailconf::limits::max_blob_size) {
        std::vector<uint8_t> sealed(data, data + size);
        jcb::seal(sealed.data(), sealed.size());
        check(sealed.data(), sealed.size());
    }
    return 0;
}
