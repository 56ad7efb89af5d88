// Inmate start-up at EL1, MMU off. The hypervisor enters the first CPU at the image start
// (_start, x0 = 0); further CPUs come in at inmate_secondary_start through PSCI CPU_ON, with
// x0 = the context the caller passed. Each CPU takes the stack slot of its MPIDR Aff0.
    .equ    STACK_SIZE, 0x2000
    .equ    MAX_CPUS, 8

    .section .text.start, "ax"
    .global _start
_start:
    msr     daifset, #0xf
    mov     x19, x0
    bl      set_stack_and_vectors
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:  bl      inmate_runtime_init
    mov     x0, x19
    bl      inmate_main
    b       inmate_halt

    .global inmate_secondary_start
inmate_secondary_start:
    msr     daifset, #0xf
    mov     x19, x0
    bl      set_stack_and_vectors
    mov     x0, x19
    bl      inmate_secondary_main
    b       inmate_halt

// sp = top of the slot for this CPU's Aff0; VBAR_EL1 = inmate_vectors. Clobbers x0-x2.
set_stack_and_vectors:
    mrs     x0, mpidr_el1
    and     x0, x0, #(MAX_CPUS - 1)
    adrp    x1, inmate_stacks
    add     x1, x1, :lo12:inmate_stacks
    mov     x2, #STACK_SIZE
    madd    x1, x0, x2, x1
    add     sp, x1, x2
    adrp    x0, inmate_vectors
    add     x0, x0, :lo12:inmate_vectors
    msr     vbar_el1, x0
    isb
    ret

    .global inmate_halt
inmate_halt:
    wfi
    b       inmate_halt

// Any exception at EL1 is a bug in the inmate: report the vector slot and stop.
.macro slot n
    .balign 0x80
    mov     x0, #\n
    b       inmate_exception
.endm
    .balign 0x800
inmate_vectors:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    slot \n
    .endr

    .section .bss.stacks, "aw", %nobits
    .balign 16
inmate_stacks:
    .space  MAX_CPUS * STACK_SIZE
