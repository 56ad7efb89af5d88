#include "scan/dt/phandle_list.hpp"

#include <fmt/format.h>

#include "scan/dt/cells.hpp"

namespace jailconf::scan::dt {

bool phandle_list(const Index& index, uint32_t n, std::string_view property,
                  std::string_view cells_name, std::vector<PhandleRef>& out, std::string& why) {
    out.clear();
    const Property* p = index.prop(n, property);
    if (!p)
        return true;
    Cells cells(p->value);
    while (!cells.done()) {
        if (out.size() == max_phandle_refs) {
            why = fmt::format("`{}` has more than {} entries", property, max_phandle_refs);
            return false;
        }
        uint32_t ph = 0;
        (void)cells.u32(ph);
        if (ph == 0)
            continue;
        auto target = index.by_phandle(ph);
        if (!target) {
            why = fmt::format("`{}` names missing phandle {:#x}", property, ph);
            return false;
        }
        uint32_t count = 0;
        if (!cells_name.empty()) {
            auto c = index.u32(*target, cells_name);
            if (!c) {
                why = fmt::format("`{}`: {} has no {}", property, index.path(*target), cells_name);
                return false;
            }
            count = *c;
        }
        PhandleRef ref{*target, {}};
        if (!cells.take(count, ref.args)) {
            why = fmt::format("`{}` is truncated ({} needs {} cells)", property,
                              index.path(*target), count);
            return false;
        }
        out.push_back(std::move(ref));
    }
    return true;
}

} // namespace jailconf::scan::dt
