// Whether the inmate runs under the Jailconf hypervisor, asked safely: on a machine without EL2
// an HVC is UNDEFINED (or, in QEMU without virtualization, QEMU's own PSCI), so EL2's presence is
// read from ID_AA64PFR0_EL1 first; with EL2 the SMCCC vendor hypervisor Call UID query is made
// with start.S ready to step over an UNDEFINED HVC (HCR_EL2.HCD set by whatever runs at EL2).
// The runtime refuses to start an inmate that requires the hypervisor (the default; an inmate
// that also runs on bare metal defines inmate_requires_hypervisor = false) when the answer is no:
// it prints why on QEMU virt's PL011 and powers off through PSCI.
#pragma once

#include <stdint.h>

extern "C" {
// Defined weak (true) by the runtime; an inmate that runs on bare metal too defines it false.
extern const bool inmate_requires_hypervisor;
}

namespace inmate {

enum class Presence {
    jailconf,         // the Jailconf UID answered (and `version` gave ABI major 1)
    at_el2,           // the inmate itself runs at EL2: nothing below it
    no_el2,           // ID_AA64PFR0_EL1.EL2 = 0: no hypervisor can exist
    hvc_undefined,    // EL2 exists but HVC is disabled there (the probe caught the UNDEFINED)
    other_hypervisor, // something at EL2 answered with another UID (or -1)
};

struct PresenceReport {
    Presence presence = Presence::no_el2;
    uint64_t detail = 0; // ID_AA64PFR0_EL1 (no_el2), w0 of the UID answer, or the ABI version
};

PresenceReport detect_hypervisor();
const char* presence_text(Presence p);

} // namespace inmate
