// SHA-256 block function with the Armv8 cryptographic extension (FEAT_SHA256: SHA256H,
// SHA256H2, SHA256SU0, SHA256SU1), for core/measure/sha.hpp; self_measure.cpp installs it when
// ID_AA64ISAR0_EL1.SHA2 says the CPU has the instructions. The hypervisor runs on the cells'
// SIMD registers without saving them on entry, so the ten it uses are saved and restored here
// (whole, as far as cells can see: CPTR_EL2.TZ keeps SVE, whose Z registers a NEON write would
// truncate, away from cells).
//
//   void hv_sha256_ce_blocks(uint32_t state[8], const uint8_t* blocks, size_t count)
//
// state: a..h as FIPS 180-4's H0..H7 (ld1 puts a in lane 0, the order SHA256H works on);
// blocks: big-endian words, hence rev32.
    .arch_extension sha2

// Four rounds on message words \w (W[t..t+3]); with \s, also W[t+16..t+19] into \w from
// \w, \n1, \n2, \n3 (W[t+4..], W[t+8..], W[t+12..]).
.macro quad w, n1, n2, n3, s
    ld1     {v16.4s}, [x4], #16
    add     v16.4s, v16.4s, \w\().4s
    mov     v17.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q17, v16.4s
    .if \s
    sha256su0 \w\().4s, \n1\().4s
    sha256su1 \w\().4s, \n2\().4s, \n3\().4s
    .endif
.endm

    .section .text.sha256_ce, "ax"
    .global hv_sha256_ce_blocks
hv_sha256_ce_blocks:
    cbz     x2, 2f
    stp     q0, q1, [sp, #-160]!
    stp     q2, q3, [sp, #32]
    stp     q4, q5, [sp, #64]
    stp     q6, q7, [sp, #96]
    stp     q16, q17, [sp, #128]
    ld1     {v0.4s, v1.4s}, [x0]
    adrp    x3, sha256_ce_k
    add     x3, x3, :lo12:sha256_ce_k
1:  ld1     {v4.16b, v5.16b, v6.16b, v7.16b}, [x1], #64
    rev32   v4.16b, v4.16b
    rev32   v5.16b, v5.16b
    rev32   v6.16b, v6.16b
    rev32   v7.16b, v7.16b
    mov     v2.16b, v0.16b
    mov     v3.16b, v1.16b
    mov     x4, x3
    .rept 3
    quad    v4, v5, v6, v7, 1
    quad    v5, v6, v7, v4, 1
    quad    v6, v7, v4, v5, 1
    quad    v7, v4, v5, v6, 1
    .endr
    quad    v4, v5, v6, v7, 0
    quad    v5, v6, v7, v4, 0
    quad    v6, v7, v4, v5, 0
    quad    v7, v4, v5, v6, 0
    add     v0.4s, v0.4s, v2.4s
    add     v1.4s, v1.4s, v3.4s
    subs    x2, x2, #1
    b.ne    1b
    st1     {v0.4s, v1.4s}, [x0]
    ldp     q16, q17, [sp, #128]
    ldp     q6, q7, [sp, #96]
    ldp     q4, q5, [sp, #64]
    ldp     q2, q3, [sp, #32]
    ldp     q0, q1, [sp], #160
2:  ret

    .section .rodata.sha256_ce, "a"
    .balign 16
// FIPS 180-4 4.2.2.
sha256_ce_k:
    .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
