// Entry points at EL2 with the MMU and caches off. QEMU starts CPU 0 at hv_entry (the ELF entry);
// the other CPUs start at hv_secondary_entry through PSCI CPU_ON, with x0 = their CPU index.
#include "arch/arm64/boot/layout.h"

    .section .text.entry, "ax"
    .global hv_entry
hv_entry:
    mrs     x20, cntpct_el0     // the first instruction's time (boot benchmark, bench/)
    msr     daifset, #0xf
    mrs     x1, CurrentEL
    cmp     x1, #(2 << 2)
    b.ne    not_at_el2

    // CPU 0's stack: the top of the first slot.
    adrp    x1, hv_stacks
    add     x1, x1, :lo12:hv_stacks
    mov     x2, #HV_STACK_SIZE
    add     sp, x1, x2

    // Clear .bss (16-byte aligned by the linker script); stp keeps accesses aligned, which
    // matters while data accesses are Device memory (MMU off).
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:
    adrp    x1, hv_entry_counter
    str     x20, [x1, :lo12:hv_entry_counter]
    adrp    x1, hv_vectors
    add     x1, x1, :lo12:hv_vectors
    msr     vbar_el2, x1
    isb
    bl      hv_primary_main
    b       hv_halt

    .global hv_secondary_entry
hv_secondary_entry:
    msr     daifset, #0xf
    // Stack slot x0 (the index the primary passed as PSCI context); an index out of range
    // cannot come from our own CPU_ON, so halt rather than run on someone else's stack.
    cmp     x0, #HV_CPU_LIMIT
    b.hs    hv_halt
    adrp    x1, hv_stacks
    add     x1, x1, :lo12:hv_stacks
    mov     x2, #HV_STACK_SIZE
    madd    x1, x0, x2, x1
    add     sp, x1, x2
    adrp    x1, hv_vectors
    add     x1, x1, :lo12:hv_vectors
    msr     vbar_el2, x1
    // Turn the MMU on with the registers the primary published (cleaned to memory), before
    // any C++ code reads data that may still sit in the primary's caches.
    adrp    x1, hv_el2_mmu_registers
    add     x1, x1, :lo12:hv_el2_mmu_registers
    ldp     x2, x3, [x1]        // mair, tcr
    ldp     x4, x5, [x1, #16]   // ttbr, sctlr
    msr     mair_el2, x2
    msr     tcr_el2, x3
    msr     ttbr0_el2, x4
    isb
    tlbi    alle2
    dsb     nsh
    isb
    msr     sctlr_el2, x5
    isb
    bl      hv_secondary_main
    b       hv_halt

not_at_el2:
    // Nothing to report with: the console is not set up and the vectors belong to another EL.
hv_halt:
    wfe
    b       hv_halt

    .section .bss.stacks, "aw", %nobits
    .balign 16
    .global hv_stacks
hv_stacks:
    .space  HV_CPU_LIMIT * HV_STACK_SIZE

    .section .bss.entry_counter, "aw", %nobits
    .balign 8
    .global hv_entry_counter
hv_entry_counter:
    .space  8
