#include "arch/arm64/measure/self_measure.hpp"

#include "arch/arm64/cpu/sysreg.hpp"
#include "core/console/console.hpp"
#include "core/measure/integrity.hpp"
#include "core/measure/log.hpp"
#include "core/measure/sha.hpp"

extern "C" {
extern char __text_start[], __rodata_end[], __data_load_end[];
void hv_sha256_ce_blocks(uint32_t state[8], const uint8_t* blocks, size_t count);
}

namespace hv::arm64::self_measure {
namespace {

namespace jm = jailconf::measure;
using console::print;

uint64_t addr(const void* p) {
    return uint64_t(reinterpret_cast<uintptr_t>(p));
}

// In .bss (zeroed by entry.S before the first C++ instruction), so they are usable before the
// global constructors run.
uint8_t g_image_digest[jm::digest_size];
uint8_t g_code_digest[jm::digest_size];
measure::IntegrityCheck g_check;
uint8_t g_last_reported[jm::digest_size];
uint64_t g_max_step_ticks;
bool g_sha256_instructions;

} // namespace

void hex_of(const uint8_t* digest, char out[2 * jm::digest_size + 1]) {
    const char* digits = "0123456789abcdef";
    for (unsigned i = 0; i < jm::digest_size; ++i) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[2 * jm::digest_size] = '\0';
}

// The Armv8 SHA-256 instructions when the CPU has them (ID_AA64ISAR0_EL1.SHA2 >= 1): some 25x
// fewer instructions than the portable code (bench/hv_bench.py). They use SIMD registers, so
// CPTR_EL2.TFP must not trap them at EL2 (its reset value is UNKNOWN; cells run with it clear).
void install_sha256_instructions() {
    if ((HV_READ_SYSREG(id_aa64isar0_el1) >> 12 & 0xf) == 0)
        return;
    g_sha256_instructions = true;
    HV_WRITE_SYSREG(cptr_el2, HV_READ_SYSREG(cptr_el2) & ~(uint64_t(1) << 10));
    isb();
    measure::set_sha256_blocks(hv_sha256_ce_blocks);
}

void measure_image_at_boot() {
    install_sha256_instructions();
    const auto* start = reinterpret_cast<const uint8_t*>(__text_start);
    measure::Sha256 sha;
    sha.update(start, size_t(addr(__rodata_end) - addr(__text_start)));
    measure::Sha256 code = sha; // text + read-only data is a prefix of the image
    code.finish(g_code_digest);
    sha.update(reinterpret_cast<const uint8_t*>(__rodata_end),
               size_t(addr(__data_load_end) - addr(__rodata_end)));
    sha.finish(g_image_digest);
}

void record_boot_measurements(const jailconf::jcb::BlobView& system) {
    measure::Log& log = measure::measurement_log();
    char hex[2 * jm::digest_size + 1];
    const uint64_t text = addr(__text_start);
    log.add(jm::Kind::hypervisor_image, 0, text, addr(__data_load_end) - text, g_image_digest);
    hex_of(g_image_digest, hex);
    print("hv: measured hypervisor image 0x%lx-0x%lx (hv.bin): sha256 %s\n", text,
          addr(__data_load_end), hex);
    log.add(jm::Kind::hypervisor_code, 0, text, addr(__rodata_end) - text, g_code_digest);
    hex_of(g_code_digest, hex);
    print("hv: measured hypervisor text+rodata 0x%lx-0x%lx: sha256 %s\n", text, addr(__rodata_end),
          hex);
    // The whole blob (header included, total_size bytes): what sha256sum prints for the .jcb.
    uint8_t digest[jm::digest_size];
    measure::digest_of(system.bytes(), system.size(), digest);
    log.add(jm::Kind::system_descriptor, 0, addr(system.bytes()), system.size(), digest);
    hex_of(digest, hex);
    print("hv: measured system descriptor (%u bytes): sha256 %s\n", system.size(), hex);

    // The work per tick (bench/hv_bench.py): 8 KiB with the SHA-256 instructions, about 15 000
    // instructions; 2 KiB in portable code, about 90 000 (a pass then takes 4x as many ticks).
    const size_t chunk = g_sha256_instructions ? 4 * measure::IntegrityCheck::default_chunk
                                               : measure::IntegrityCheck::default_chunk;
    g_check.start(reinterpret_cast<const uint8_t*>(__text_start), size_t(addr(__rodata_end) - text),
                  g_code_digest, chunk);
    for (unsigned i = 0; i < jm::digest_size; ++i)
        g_last_reported[i] = g_code_digest[i];
    print("hv: integrity check of 0x%lx-0x%lx: %zu bytes per tick, a pass every %zu ticks (SHA-256 "
          "%s)\n",
          text, addr(__rodata_end), chunk, (g_check.size() + chunk - 1) / chunk,
          g_sha256_instructions ? "instructions" : "in portable code");
}

void integrity_step() {
    const uint64_t before = HV_READ_SYSREG(cntpct_el0);
    const measure::IntegrityCheck::Step s = g_check.step();
    const uint64_t spent = HV_READ_SYSREG(cntpct_el0) - before;
    if (spent > g_max_step_ticks)
        g_max_step_ticks = spent;
    if (!s.pass_done || !s.changed)
        return;
    bool new_digest = false;
    for (unsigned i = 0; i < jm::digest_size; ++i) {
        if (s.digest[i] != g_last_reported[i])
            new_digest = true;
    }
    // A range that stays changed is reported once per distinct content, not every pass.
    if (!new_digest)
        return;
    for (unsigned i = 0; i < jm::digest_size; ++i)
        g_last_reported[i] = s.digest[i];
    const uint64_t text = addr(g_check.data());
    measure::measurement_log().add(jm::Kind::integrity_change, 0, text, g_check.size(), s.digest);
    char now[2 * jm::digest_size + 1], boot[2 * jm::digest_size + 1];
    hex_of(s.digest, now);
    hex_of(g_code_digest, boot);
    print("hv: INTEGRITY: hypervisor text+rodata 0x%lx-0x%lx changed (pass %lu): sha256 %s, at "
          "boot %s\n",
          text, text + g_check.size(), g_check.passes(), now, boot);
}

IntegrityStatus integrity_status() {
    IntegrityStatus st;
    st.passes = g_check.passes();
    st.changes = g_check.changes();
    st.state = st.changes != 0 ? jm::IntegrityState::changed : jm::IntegrityState::intact;
    st.max_step_ticks = g_max_step_ticks;
    return st;
}

} // namespace hv::arm64::self_measure
