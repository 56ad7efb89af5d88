// Loading a partition request: the YAML machinery of the system format (text checks, yaml-cpp,
// JSON-pointer -> line map, valijson against schema/request.schema.json), then the typed Request.
#include <algorithm>
#include <cstdio>
#include <fmt/format.h>

#include "confgen/plan.hpp"
#include "confgen/read_file.hpp"
#include "yaml/document.hpp"
#include "yaml/numbers.hpp"
#include "yaml/schema_validation.hpp"

namespace jailconf::plan {
namespace {

using json = nlohmann::json;
using yaml::pointer_append;

class RequestBuilder {
  public:
    RequestBuilder(const yaml::Document& doc, Diagnostics& diags) : doc_(doc), diags_(diags) {}

    Request build() {
        Request r;
        r.file = doc_.map.file();
        const json& root = doc_.root;
        if (root.contains("hypervisor") && root["hypervisor"].contains("memory")) {
            const json& m = root["hypervisor"]["memory"];
            r.hv_loc = at("/hypervisor/memory");
            if (m.contains("size"))
                r.hv_memory_size = size(m["size"], "/hypervisor/memory/size");
            if (m.contains("phys") && m["phys"].is_number())
                r.hv_memory_phys = m["phys"].get<uint64_t>();
        }
        if (root.contains("cells"))
            for (size_t i = 0; i < root["cells"].size(); ++i)
                r.cells.push_back(cell(root["cells"][i], pointer_append("/cells", i)));
        if (root.contains("links"))
            for (size_t i = 0; i < root["links"].size(); ++i)
                r.links.push_back(link(root["links"][i], pointer_append("/links", i)));
        return r;
    }

  private:
    SourceLocation at(const std::string& ptr) const { return doc_.map.value(ptr); }

    uint64_t size(const json& v, const std::string& ptr) {
        if (v.is_number_unsigned())
            return v.get<uint64_t>();
        if (v.is_number_integer())
            return uint64_t(std::max<int64_t>(0, v.get<int64_t>()));
        auto parsed = yaml::parse_size_suffix(v.get<std::string>());
        if (!parsed) {
            diags_.report("JC-NUMBER", at(ptr), parsed.error(),
                          "write a size like 4K, 256M or 0x10000000");
            return 0;
        }
        return *parsed;
    }

    CpuRequest cpus(const json& v, const std::string& ptr) {
        CpuRequest c;
        c.loc = at(ptr);
        if (v.is_string()) // auto
            return c;
        if (v.is_number()) {
            c.count = v.get<uint32_t>();
            return c;
        }
        c.kind = CpuRequest::Kind::list;
        for (size_t i = 0; i < v.size(); ++i) {
            const json& item = v[i];
            if (item.is_number()) {
                c.ids.push_back(uint32_t(std::min<uint64_t>(item.get<uint64_t>(), UINT32_MAX)));
                continue;
            }
            auto range = yaml::parse_id_range(item.get<std::string>());
            if (!range || range->last - range->first > 4096) {
                diags_.report("JC-SCHEMA-VALUE", at(pointer_append(ptr, i)),
                              range ? "a CPU range of more than 4096 ids" : range.error(),
                              "write ranges as first-last with first <= last");
                continue;
            }
            for (uint64_t id = range->first; id <= range->last; ++id)
                c.ids.push_back(uint32_t(id));
        }
        std::sort(c.ids.begin(), c.ids.end());
        c.ids.erase(std::unique(c.ids.begin(), c.ids.end()), c.ids.end());
        c.count = uint32_t(c.ids.size());
        return c;
    }

    MemoryRequest memory_item(const json& v, const std::string& ptr) {
        MemoryRequest m;
        m.loc = at(ptr);
        if (v.contains("name"))
            m.name = v["name"].get<std::string>();
        m.size = size(v["size"], pointer_append(ptr, "size"));
        if (v.contains("align"))
            m.align = size(v["align"], pointer_append(ptr, "align"));
        if (v.contains("phys") && v["phys"].is_number())
            m.phys = v["phys"].get<uint64_t>();
        if (v.contains("virt") && v["virt"].is_number())
            m.virt = v["virt"].get<uint64_t>();
        return m;
    }

    std::optional<DeviceSelector> selector(const json& v, const std::string& ptr) {
        DeviceSelector s;
        s.loc = at(ptr);
        int kinds = 0;
        if (v.contains("path")) {
            s.kind = DeviceSelector::Kind::path;
            s.text = v["path"].get<std::string>();
            ++kinds;
        }
        if (v.contains("compatible")) {
            s.kind = DeviceSelector::Kind::compatible;
            s.text = v["compatible"].get<std::string>();
            ++kinds;
        }
        if (v.contains("pci")) {
            s.kind = DeviceSelector::Kind::pci;
            s.text = v["pci"].get<std::string>();
            unsigned seg = 0, bus = 0, dev = 0, fn = 0;
            char tail = 0;
            bool ok = std::sscanf(s.text.c_str(), "%4x:%2x:%2x.%1x%c", &seg, &bus, &dev, &fn,
                                  &tail) == 4 ||
                      (seg = 0,
                       std::sscanf(s.text.c_str(), "%2x:%2x.%1x%c", &bus, &dev, &fn, &tail) == 3);
            if (!ok || dev > 31 || fn > 7) {
                diags_.report("JC-SCHEMA-VALUE", at(pointer_append(ptr, "pci")),
                              fmt::format("'{}' is not a PCI address", s.text),
                              "write bus:device.function, e.g. 00:02.0 (device up to 1f)");
                return std::nullopt;
            }
            s.bdf = Bdf{uint16_t(seg), uint8_t(bus), uint8_t(dev), uint8_t(fn)};
            ++kinds;
        }
        if (v.contains("pci_class")) {
            s.kind = DeviceSelector::Kind::pci_class;
            uint32_t c = v["pci_class"].get<uint32_t>();
            s.text = fmt::format("{:#x}", c);
            // 0x0200 is base class and subclass; 0x020000 adds the programming interface.
            if (c <= 0xffff) {
                s.class_code = c << 8;
                s.class_mask = 0xffff00;
            } else {
                s.class_code = c;
                s.class_mask = 0xffffff;
            }
            ++kinds;
        }
        if (v.contains("count"))
            s.count = v["count"].get<uint32_t>();
        if (kinds != 1) {
            diags_.report("JC-SCHEMA-VALUE", s.loc,
                          kinds == 0 ? "a device selector names no device"
                                     : "a device selector has more than one of path, "
                                       "compatible, pci and pci_class",
                          "write one selector per list item, e.g. {compatible: arm,pl031}");
            return std::nullopt;
        }
        if (s.count &&
            (s.kind == DeviceSelector::Kind::path || s.kind == DeviceSelector::Kind::pci)) {
            diags_.report("JC-SCHEMA-VALUE", at(pointer_append(ptr, "count")),
                          "`count` applies to compatible and pci_class selectors only",
                          "remove `count`: a path or a BDF names one device");
            return std::nullopt;
        }
        return s;
    }

    CellRequest cell(const json& v, const std::string& ptr) {
        CellRequest c;
        c.loc = at(ptr);
        c.name = v["name"].get<std::string>();
        c.cpus = cpus(v["cpus"], pointer_append(ptr, "cpus"));
        const std::string mem_ptr = pointer_append(ptr, "memory");
        const json& mem = v["memory"];
        if (mem.is_object()) {
            c.memory.push_back(memory_item(mem, mem_ptr));
        } else {
            for (size_t i = 0; i < mem.size(); ++i)
                c.memory.push_back(memory_item(mem[i], pointer_append(mem_ptr, i)));
        }
        if (v.contains("devices")) {
            const std::string dev_ptr = pointer_append(ptr, "devices");
            for (size_t i = 0; i < v["devices"].size(); ++i)
                if (auto s = selector(v["devices"][i], pointer_append(dev_ptr, i)))
                    c.devices.push_back(std::move(*s));
        }
        if (v.contains("console")) {
            const std::string con_ptr = pointer_append(ptr, "console");
            c.console_loc = at(con_ptr);
            if (v["console"].is_string()) {
                c.console_auto = true;
            } else {
                c.console = selector(v["console"], con_ptr);
                if (c.console && c.console->kind != DeviceSelector::Kind::path &&
                    c.console->kind != DeviceSelector::Kind::compatible)
                    diags_.report("JC-SCHEMA-VALUE", c.console_loc,
                                  "a console is selected by `path` or `compatible`",
                                  "write e.g. console: {path: /serial@9000000} or console: auto");
            }
        }
        if (v.contains("watchdog")) {
            const std::string wd_ptr = pointer_append(ptr, "watchdog");
            c.watchdog = Watchdog{v["watchdog"]["timeout_ms"].get<uint32_t>(), at(wd_ptr)};
        }
        return c;
    }

    LinkRequest link(const json& v, const std::string& ptr) {
        LinkRequest l;
        l.loc = at(ptr);
        l.name = v["name"].get<std::string>();
        const std::string peers_ptr = pointer_append(ptr, "peers");
        for (size_t i = 0; i < v["peers"].size(); ++i)
            l.peers.push_back({v["peers"][i].get<std::string>(), at(pointer_append(peers_ptr, i))});
        if (v.contains("size")) {
            l.size_loc = at(pointer_append(ptr, "size"));
            if (!(v["size"].is_string() && v["size"].get<std::string>() == "auto"))
                l.size = size(v["size"], pointer_append(ptr, "size"));
        }
        if (v.contains("doorbell_irq")) {
            l.doorbell = true;
            l.doorbell_loc = at(pointer_append(ptr, "doorbell_irq"));
            if (v["doorbell_irq"].is_number())
                l.doorbell_irq =
                    uint32_t(std::min<uint64_t>(v["doorbell_irq"].get<uint64_t>(), UINT32_MAX));
        }
        return l;
    }

    const yaml::Document& doc_;
    Diagnostics& diags_;
};

bool check_format(const yaml::Document& doc, Diagnostics& diags) {
    if (!doc.root.is_object()) {
        diags.report("JC-FORMAT", doc.map.value(""), "the request is not a YAML mapping",
                     "start the file with `format: jailconf/1` followed by `cells:`");
        return false;
    }
    if (!doc.root.contains("format")) {
        diags.report("JC-FORMAT", doc.map.value(""), "the request has no `format:` key",
                     "add `format: jailconf/1` as the first line");
        return false;
    }
    const json& f = doc.root["format"];
    if (!f.is_string() || f.get<std::string>() != "jailconf/1") {
        diags.report("JC-FORMAT", doc.map.value("/format"),
                     fmt::format("unsupported format {}; this confgen reads jailconf/1", f.dump()),
                     "write `format: jailconf/1`");
        return false;
    }
    return true;
}

} // namespace

std::string DeviceSelector::describe() const {
    switch (kind) {
    case Kind::path:
        return fmt::format("path {}", text);
    case Kind::compatible:
        return fmt::format("compatible {}", text);
    case Kind::pci:
        return fmt::format("pci {}", text);
    case Kind::pci_class:
        return fmt::format("pci_class {}", text);
    }
    return text;
}

Expected<Request, LoadFailure>
load_request_from_string(std::string_view text, const std::string& name, Diagnostics& diags) {
    size_t errors_before = diags.error_count();
    auto doc = yaml::parse_document(text, name, diags);
    if (!doc || !check_format(*doc, diags) ||
        !yaml::validate_document(*doc, yaml::DocumentRole::request, diags))
        return Unexpected(LoadFailure::invalid);
    Request r = RequestBuilder(*doc, diags).build();
    if (diags.error_count() != errors_before)
        return Unexpected(LoadFailure::invalid);
    return r;
}

Expected<Request, LoadFailure> load_request(const std::filesystem::path& path, Diagnostics& diags) {
    auto text = read_file(path);
    if (!text) {
        diags.report("JC-IO", SourceLocation{path.string(), 0, 0}, text.error(),
                     "check the path and the file's permissions");
        return Unexpected(LoadFailure::io);
    }
    return load_request_from_string(*text, path.string(), diags);
}

} // namespace jailconf::plan
