# System tests (label `system`): boot hv.elf in QEMU with descriptors confgen compiled from
# examples/hv/ and check the console (run_qemu.py). Included from the top-level CMakeLists.txt
# when the hypervisor is built; HV_BINARY_DIR is the hypervisor's build directory.
find_program(JAILCONF_QEMU_AARCH64 qemu-system-aarch64)
if(NOT JAILCONF_QEMU_AARCH64)
  message(STATUS "qemu-system-aarch64 not found: system tests skipped")
  return()
endif()

set(run ${JAILCONF_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/run_qemu.py --hv ${HV_BINARY_DIR}/hv.elf)
set(demos ${HV_BINARY_DIR}/examples-hv)
set(images ${HV_BINARY_DIR}/inmates)

# hello: CPU 0 starts CPU 1 of its cell, a CPU outside it is refused, both print, SYSTEM_OFF.
add_test(NAME system_hello COMMAND ${run}
  --descriptor ${demos}/hello.jcb --image ${images}/hello.bin --expect-exit 0
  --expect "hv: system descriptor ok: .* root cell 'hello'"
  --expect "hv: starting cell hello on cpu 0 at 0x48000000"
  --expect "hello: cpu 0x0 up, PSCI 1.0"
  --expect "hello: CPU_ON of cpu 0x2 \\(not in this cell\\) -> -2"
  --expect "hello: cpu 0x1 up, context 0x4a43"
  --expect "hello: cpu 0x0 saw cpu 0x1 finish"
  --expect "hv: cell hello: SYSTEM_OFF, powering off"
  --reject "stray|PANIC")

# rogue: its read of hypervisor memory is trapped, attributed, and the cell is stopped.
add_test(NAME system_rogue COMMAND ${run}
  --descriptor ${demos}/rogue.jcb --image ${images}/rogue.bin --expect-exit 3
  --expect "rogue: reading hypervisor memory at 0x7c000000"
  --expect "cell rogue cpu 0: stray read at 0x7c000000 \\(pc 0x48[0-9a-f]+\\)"
  --expect "hv: cell rogue stopped"
  --reject "ISOLATION BROKEN|PANIC")

# A descriptor with one byte flipped in its payload (the first section table entry's id) is
# refused with the verifier's reason and offset; QEMU exits with status 1.
add_test(NAME system_corrupt_descriptor COMMAND ${run}
  --descriptor ${demos}/hello.jcb --corrupt-offset 0x40 --image ${images}/hello.bin
  --expect-exit 1
  --expect "hv: system descriptor at 0x7f000000 \\([0-9]+ bytes\\) is invalid: error [0-9]+ \\(payload checksum mismatch\\) at offset 0x10, in the header or section table, value 0x[0-9a-f]+, other 0x[0-9a-f]+"
  --expect "hv: refusing to start: system descriptor"
  --reject "starting cell")

# A flipped header byte (the magic) is refused before anything else is read.
add_test(NAME system_bad_magic COMMAND ${run}
  --descriptor ${demos}/hello.jcb --corrupt-offset 0 --image ${images}/hello.bin
  --expect-exit 1
  --expect "is invalid: error [0-9]+ \\(bad magic \\(not a jailconf descriptor\\)\\) at offset 0x0, in the header or section table"
  --reject "starting cell")

# No descriptor at all: the slot is empty.
add_test(NAME system_missing_descriptor COMMAND ${run} --image ${images}/hello.bin
  --expect-exit 1
  --expect "hv: no system descriptor at 0x7f000000"
  --expect "hv: refusing to start: system descriptor: no descriptor at the load address"
  --reject "starting cell")

set_tests_properties(system_hello system_rogue system_corrupt_descriptor system_bad_magic
                     system_missing_descriptor PROPERTIES LABELS system TIMEOUT 30)
