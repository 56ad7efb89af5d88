// Python objects for model elements are views into the C++ model (so `cell.memory[0].size = x`
// changes the system). A change that moves or frees element storage (a list that grows past its
// capacity, an erase, a replaced list) would leave such views dangling, and touching one would
// crash the interpreter. These guards run before every such change and raise RuntimeError
// instead, while a Python view into the affected storage is still alive.
#pragma once

#include <cstdint>
#include <vector>

#include <pybind11/pybind11.h>

#include "confgen/model.hpp"

namespace pyjailconf {

namespace py = pybind11;

struct StorageSpan {
    uintptr_t begin;
    uintptr_t end;
};
using StorageSpans = std::vector<StorageSpan>;

// The heap storage an element owns (its lists, recursively). Elements without lists own none.
template <class T> void add_owned_storage(const T&, StorageSpans&) {}
template <class T> void add_owned_storage(const std::vector<T>& v, StorageSpans& out);
inline void add_owned_storage(const jailconf::PciDevice& d, StorageSpans& out) {
    add_owned_storage(d.bars, out);
    add_owned_storage(d.caps, out);
}
inline void add_owned_storage(const jailconf::Cell& c, StorageSpans& out) {
    add_owned_storage(c.cpus, out);
    add_owned_storage(c.memory, out);
    add_owned_storage(c.irqs, out);
    add_owned_storage(c.pci_devices, out);
    add_owned_storage(c.stream_ids, out);
    add_owned_storage(c.pio, out);
    add_owned_storage(c.waivers, out);
}
inline void add_owned_storage(const jailconf::Link& l, StorageSpans& out) {
    add_owned_storage(l.peers, out);
}
inline void add_owned_storage(const jailconf::Platform& p, StorageSpans& out) {
    add_owned_storage(p.cpus, out);
    add_owned_storage(p.iommus, out);
}
template <class T> void add_owned_storage(const std::vector<T>& v, StorageSpans& out) {
    auto begin = reinterpret_cast<uintptr_t>(v.data());
    out.push_back({begin, begin + v.capacity() * sizeof(T)});
    for (const T& item : v)
        add_owned_storage(item, out);
}

// Raises RuntimeError if a live Python view (a non-owning wrapper) points into `spans`.
inline void ensure_unreferenced(const StorageSpans& spans) {
    for (const auto& entry : py::detail::get_internals().registered_instances) {
        if (entry.second->owned)
            continue;
        auto address = reinterpret_cast<uintptr_t>(entry.first);
        for (const StorageSpan& s : spans)
            if (address >= s.begin && address < s.end)
                throw std::runtime_error(
                    "this change would move or free model elements that a Python variable "
                    "still refers to; drop that variable first, or keep a .copy() of the "
                    "element instead");
    }
}

template <class T> void ensure_unreferenced(const T& owner) {
    StorageSpans spans;
    add_owned_storage(owner, spans);
    ensure_unreferenced(spans);
}

} // namespace pyjailconf
