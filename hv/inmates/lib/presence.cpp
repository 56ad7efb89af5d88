#include "inmates/lib/presence.hpp"

#include "inmates/lib/hypercalls.hpp"

extern "C" {
// Non-zero while a probing HVC is made: start.S then steps over an UNDEFINED instruction
// exception instead of reporting it, with x0 = -1.
volatile uint64_t inmate_probe_armed = 0;
}

namespace inmate {
namespace {

uint64_t id_aa64pfr0() {
    uint64_t v;
    __asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(v));
    return v;
}

uint64_t current_el() {
    uint64_t v;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(v));
    return v >> 2 & 3;
}

} // namespace

PresenceReport detect_hypervisor() {
    PresenceReport r;
    if (current_el() == 2) {
        r.presence = Presence::at_el2;
        return r;
    }
    const uint64_t pfr0 = id_aa64pfr0();
    if ((pfr0 >> 8 & 0xf) == 0) { // ID_AA64PFR0_EL1.EL2 is 0: this CPU has no EL2
        r.presence = Presence::no_el2;
        r.detail = pfr0;
        return r;
    }
    inmate_probe_armed = 1;
    const Reply uid = hypercall(hc::vendor_hyp_call_uid);
    inmate_probe_armed = 0;
    r.detail = uint64_t(uid.status);
    if (uid.status == -1 && uid.x1 == 0 && uid.x2 == 0 && uid.x3 == 0) {
        // -1 is both the probe's answer and SMCCC's "unknown function"; either way, not Jailconf.
        r.presence = Presence::hvc_undefined;
        return r;
    }
    if (uint32_t(uid.status) != hc::jailconf_uid[0] || uid.x1 != hc::jailconf_uid[1] ||
        uid.x2 != hc::jailconf_uid[2] || uid.x3 != hc::jailconf_uid[3]) {
        r.presence = Presence::other_hypervisor;
        return r;
    }
    const int64_t version = hv_version();
    r.detail = uint64_t(version);
    r.presence = version >= 0 && uint64_t(version) >> 16 == hc::abi_major
                     ? Presence::jailconf
                     : Presence::other_hypervisor;
    return r;
}

const char* presence_text(Presence p) {
    switch (p) {
    case Presence::jailconf:
        return "running under the Jailconf hypervisor";
    case Presence::at_el2:
        return "running at EL2 itself (no hypervisor below)";
    case Presence::no_el2:
        return "no EL2 on this machine (ID_AA64PFR0_EL1.EL2 = 0), so no hypervisor";
    case Presence::hvc_undefined:
        return "EL2 exists but HVC is undefined or unanswered there";
    case Presence::other_hypervisor:
        return "another hypervisor answered the Call UID query";
    }
    return "?";
}

} // namespace inmate
