// check_system(): runs every semantic check topic in a fixed order. The topics are independent; the
// order only makes the output stable.
#include "confgen/check.hpp"

#include "check/checks.hpp"

namespace jailconf {

void check_system(const System& system, Diagnostics& diags) {
    using namespace checks;
    check_cells(system, diags);
    check_cpus(system, diags);
    check_memory_shape(system, diags);
    check_physical_overlaps(system, diags);
    check_guest_overlaps(system, diags);
    check_gic_mappings(system, diags);
    check_irqs(system, diags);
    check_pci(system, diags);
    check_stream_ids(system, diags);
    check_links(system, diags);
    check_consoles(system, diags);
    check_arch_fields(system, diags);
    check_limits(system, diags);
}

} // namespace jailconf
