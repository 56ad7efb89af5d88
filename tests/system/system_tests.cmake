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
  --expect "\\[hello\\] hello: cpu 0x0 up, PSCI 1.0, cell 0"
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

# The root cell `root` (examples/hv/manager.yaml) runs the manager inmate, which makes cells out
# of the blobs of examples/hv/cells.yaml and the images QEMU loads into its staging memory.
set(staging
  --load ${demos}/cells.hello.jcb@0x50000000 --load ${demos}/cells.rogue.jcb@0x50010000
  --load ${images}/hello.bin@0x50100000 --load ${images}/rogue.bin@0x50200000)
set(manager ${run} --descriptor ${demos}/manager.jcb --image ${images}/manager.bin ${staging})

# Root + two cells start and print through the console hypercall, each line under its name.
add_test(NAME system_cells_start_and_print COMMAND ${manager} --expect-exit 0
  --expect "\\[root\\] manager: hypercall ABI 1.2, cell 0"
  --expect "hv: cell hello created \\(id 1, cpus 0x4\\)"
  --expect "hv: starting cell hello on cpu 2 at 0x48000000"
  --expect "\\[hello\\] hello: cpu 0x2 up, PSCI 1.0, cell 1"
  --expect "hv: cell root: SYSTEM_OFF, powering off"
  --contains "\\[hello\\] hello: CPU_ON of cpu 0x0 \\(not in this cell\\) -> -2"
  --contains "hv: starting cell rogue on cpu 3 at 0x48000000"
  --contains "\\[rogue\\] rogue: cpu 0x3 up"
  --reject "PANIC|FAILED|ISOLATION BROKEN")

# The rogue cell's stray read is attributed to it and stops it; the root cell and hello go on
# and print afterwards; hello's shutdown parks its busy CPU (park SGI).
add_test(NAME system_rogue_cell_stopped_others_run COMMAND ${manager} --expect-exit 0
  --expect "cell rogue cpu 3: stray read at 0x7c000000 \\(pc 0x48[0-9a-f]+\\)"
  --expect "hv: cell rogue stopped"
  --expect "\\[root\\] manager: rogue is failed"
  --expect "\\[hello\\] hello: tick [0-9]+"
  --expect "\\[root\\] manager: hello is running after rogue's fault"
  --expect "hv: cell hello shut down"
  --expect "\\[root\\] manager: shutdown hello -> 0, stopped"
  --reject "PANIC|FAILED|ISOLATION BROKEN|cell hello cpu|cell root cpu")

# Destroy then create again: the hypervisor zeroed hello's memory on the way back to the root
# (the manager reads it) and again on the way to the new cell (hello checks it, after the first
# run filled it with a pattern).
add_test(NAME system_destroy_create_zeroes_memory COMMAND ${manager} --expect-exit 0
  --expect "\\[hello\\] hello: 1792 KiB of fresh memory read zero"
  --expect "\\[hello\\] hello: filled it with 0xa5a55a5aa5a55a5a"
  --expect "hv: cell hello destroyed, its memory zeroed and returned to the root cell"
  --expect "\\[root\\] manager: hello's 2 MiB are back in the root and read zero"
  --expect "hv: cell hello created \\(id 1"
  --expect "\\[hello\\] hello: 1792 KiB of fresh memory read zero"
  --expect "\\[root\\] manager: done"
  --reject "PANIC|FAILED|NOT ZERO|DO NOT READ ZERO")

# A cell blob with a flipped byte passed to cell_create is refused with the verifier's reason.
add_test(NAME system_create_refuses_corrupt_descriptor COMMAND ${manager} --expect-exit 0
  --expect "hv: cell_create refused the descriptor at 0x48f00000 \\(216 bytes\\): error 11 \\(payload checksum mismatch\\) at offset 0x10"
  --expect "\\[root\\] manager: corrupted descriptor -> -7, verifier error 11 at offset 0x10"
  --reject "PANIC|FAILED")

# A root cell firing thousands of pseudo-random hypercalls (bounded run) cannot crash or hang the
# hypervisor: every answer is a known status, and a real cell can still be made at the end.
add_test(NAME system_hypercall_fuzz COMMAND ${run} --descriptor ${demos}/manager.jcb
  --image ${images}/hcfuzz.bin ${staging} --expect-exit 0 --timeout 60
  --expect "\\[root\\] hcfuzz: 4000 random hypercalls"
  --expect "\\[root\\] hcfuzz: 4000 calls: [0-9]+ accepted, [0-9]+ refused, 0 unexpected"
  --expect "\\[root\\] hcfuzz: hypervisor alive"
  --reject "PANIC|unexpected exception")

# Interrupts (examples/hv/timer-cells.yaml, the irqhost root inmate and the timer cell): the
# timer cell takes periodic virtual-timer interrupts while the root takes its own; its enable of
# the root's SPI 33 is refused and reported and reads back disabled; its own SPI 34 arrives
# (hardware-linked); SGI 5 reaches its second CPU, and the one aimed at the root's CPU 0 is
# dropped and never arrives there.
add_test(NAME system_timer_interrupts COMMAND ${run} --descriptor ${demos}/manager.jcb
  --image ${images}/irqhost.bin
  --load ${demos}/timer-cells.timer.jcb@0x50000000 --load ${images}/timer.bin@0x50100000
  --expect-exit 0
  --expect "\\[root\\] irqhost: cpu 0x0 up, cell 0"
  --expect "hv: cell timer created \\(id 1, cpus 0xc\\)"
  --expect "\\[timer\\] timer: counter 62500000 Hz"
  --expect "hv: cell timer cpu 2: GIC enable of INTID 33 refused \\(not the cell's\\)"
  --expect "\\[timer\\] timer: enable SPI 33 \\(the root's\\) -> reads back disabled, route 0x0"
  --expect "\\[timer\\] timer: own SPI 34 delivered \\(enabled 1, route 0x2\\)"
  --expect "hv: cell timer cpu 2: SGI 5 to cpus 0x1 outside the cell dropped"
  --expect "\\[timer\\] timer: 200 timer interrupts"
  --expect "hv: cell timer: SYSTEM_OFF, stopping the cell"
  --expect "\\[root\\] irqhost: [1-9][0-9]+ own timer interrupts while the timer cell ran, 0 SGIs from other cells"
  --expect "hv: cell timer destroyed"
  --contains "\\[timer\\] timer: cpu 0x3 got SGI 5 from its cell"
  --reject "PANIC|FAILED|NOT DELIVERED|DID NOT GET|ENABLED|stray|forbidden")

set_tests_properties(system_timer_interrupts PROPERTIES LABELS system TIMEOUT 30)

# Watchdog and message timeouts (docs/comm-region.md): the monitor root inmate runs three
# `watched` cells of examples/hv/monitor-cells.yaml. One QEMU run per test; each checks one part.
set(monitor ${run} --descriptor ${demos}/manager.jcb --image ${images}/monitor.bin
  --load ${demos}/monitor-cells.hang.jcb@0x50000000 --load ${demos}/monitor-cells.deaf.jcb@0x50010000
  --load ${demos}/monitor-cells.polite.jcb@0x50020000 --load ${images}/watched.bin@0x50100000
  --expect-exit 0 --reject "PANIC|FAILED|stray|forbidden")
# 62.5 MHz: QEMU virt's counter (system_timer_interrupts checks it).
set(counter_hz 62500000)

# A cell that stops beating is killed within its timeout (200 ms) plus one tick (10 ms), counted
# by the hypervisor from the tick that last saw the heartbeat change, plus the kill tick's own
# lateness (interrupt latency, which under QEMU includes host scheduling; printed). From the
# cell's own last beat (its counter, printed) never before the timeout; at most two ticks late,
# plus latencies (one more tick allowed for the unprinted latency of the observing tick). The
# root cell is notified (SGI 15) and reads state failed, reason watchdog.
add_test(NAME system_watchdog_kills_hung_cell COMMAND ${monitor}
  --expect "hv: tick every 10 ms on cpu 0 \\(EL2 physical timer, PPI 26\\)"
  --expect "\\[hang\\] watched: cell 1, comm region at 0x80000000, tick 10 ms, watchdog 200 ms, mode 1"
  --expect "\\[hang\\] watched: hang: beat 20 at counter [0-9]+, now hanging"
  --expect "hv: watchdog: cell hang killed: heartbeat 20 unchanged for [0-9]+ us \\(timeout 200 ms, tick 10 ms, tick late [0-9]+ us\\), counter [0-9]+"
  --expect "hv: cell hang is failed \\(reason watchdog\\)"
  --expect "\\[root\\] monitor: hang is failed, reason watchdog \\(2\\), [1-9][0-9]* notifications so far"
  --expect "\\[root\\] monitor: done"
  --value age_us "cell hang killed: heartbeat 20 unchanged for ([0-9]+) us"
  --value late_us "cell hang killed: .*, tick late ([0-9]+) us"
  --value killed_at "cell hang killed: .*, counter ([0-9]+)"
  --value beat_at "hang: beat 20 at counter ([0-9]+)"
  --bound "200000 <= age_us < 200000 + 10000 + late_us"
  --bound "(killed_at - beat_at) * 1000000 // ${counter_hz} >= 200000"
  --bound "(killed_at - beat_at) * 1000000 // ${counter_hz} < 200000 + 3 * 10000 + late_us")

# The root's shutdown request to a cell that never reads its messages: killed after its timeout
# (its watchdog's, 300 ms) and before the next tick (plus that tick's printed lateness), state
# failed, reason no reply.
add_test(NAME system_unanswered_shutdown_kills_cell COMMAND ${monitor}
  --expect "hv: cell deaf: shutdown requested \\(seq 1\\), 300 ms to answer"
  --expect "\\[root\\] monitor: shutdown deaf -> 1 \\(seq 1, 300 ms to answer\\)"
  --expect "hv: cell deaf killed: shutdown request \\(seq 1\\) unanswered for [0-9]+ us \\(timeout 300 ms, tick 10 ms, tick late [0-9]+ us\\)"
  --expect "hv: cell deaf is failed \\(reason no reply\\)"
  --expect "\\[root\\] monitor: deaf left running [0-9]+ us after the request"
  --expect "\\[root\\] monitor: deaf is failed, reason no reply \\(3\\), [2-9][0-9]* notifications"
  --expect "\\[root\\] monitor: done"
  --contains "\\[deaf\\] watched: deaf: beating, never reading messages"
  --value hv_us "cell deaf killed: shutdown request \\(seq 1\\) unanswered for ([0-9]+) us"
  --value root_us "monitor: deaf left running ([0-9]+) us after the request"
  --value late_us "cell deaf killed: .*, tick late ([0-9]+) us"
  --bound "300000 <= hv_us < 300000 + 10000 + late_us"
  --bound "root_us >= 300000")

# A cell that answers: the first request denied (it keeps running, the root sees it running),
# the second acknowledged: shut down cleanly (stopped, no failure reason), then destroyed.
add_test(NAME system_acknowledged_shutdown_stops_cleanly COMMAND ${monitor}
  --expect "\\[root\\] monitor: shutdown polite -> 1 \\(seq [0-9]+\\)"
  --expect "hv: cell polite denied the shutdown request \\(seq 1\\) after [0-9]+ us, it keeps running"
  --expect "\\[root\\] monitor: polite is running, reason none \\(0\\)"
  --expect "\\[root\\] monitor: shutdown polite again -> 1 \\(seq 2\\)"
  --expect "hv: cell polite acknowledged the shutdown request \\(seq 2\\) after [0-9]+ us, shut down"
  --expect "hv: cell polite is stopped \\(reason none\\)"
  --expect "\\[root\\] monitor: polite is stopped, reason none \\(0\\)"
  --expect "hv: cell polite destroyed"
  --expect "\\[root\\] monitor: done, powering off"
  --contains "\\[polite\\] watched: polite: shutdown request seq 1 \\(1000 ms to answer\\): denying"
  --contains "\\[polite\\] watched: polite: shutdown request seq 2 \\(1000 ms to answer\\): acknowledging"
  --reject "cell polite killed")

# The hypervisor's console ring, read by the root with console_read (ABI 1.1): it holds the
# hypervisor's own report of the watchdog kill (which the root never printed), read in 1 KiB
# pieces from position 0 (nothing lost yet) to the end; a read into memory the root does not own
# is refused (invalid_address, -4).
add_test(NAME system_console_ring_read_by_root COMMAND ${monitor}
  --expect "\\[root\\] monitor: console ring: read to position [0-9]+ in [3-9][0-9]* calls \\(oldest 0\\)"
  --expect "\\[root\\] monitor: console ring: the watchdog report about hang is there"
  --expect "\\[root\\] monitor: console_read into hypervisor memory -> -4"
  --expect "\\[root\\] monitor: done, powering off"
  --value position "monitor: console ring: read to position ([0-9]+)"
  --bound "position > 2048")

set_tests_properties(system_watchdog_kills_hung_cell system_unanswered_shutdown_kills_cell
                     system_acknowledged_shutdown_stops_cleanly system_console_ring_read_by_root
                     PROPERTIES LABELS system TIMEOUT 40)

# The hypervisor benchmark (bench/hv_bench.py): prints a table, is not a test.
add_custom_target(hv_bench COMMAND ${JAILCONF_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/../../bench/hv_bench.py
  --build ${HV_BINARY_DIR} USES_TERMINAL VERBATIM)

# Fault reporting (ABI 1.2): rogue's stray read is named after what the descriptors put there,
# counted for rogue (one data abort) and none for hello, and the root reads both records with
# fault_read.
add_test(NAME system_fault_counters_read_by_root COMMAND ${manager} --expect-exit 0
  --expect "cell rogue cpu 3: stray read at 0x7c000000 \\(pc 0x48[0-9a-f]+\\)"
  --expect "cell rogue cpu 3:   the address is in hypervisor memory"
  --expect "\\[root\\] manager: rogue is failed"
  --expect "\\[root\\] manager: rogue faults: 1 \\(data 1, instruction 0, register 0, serror 0, other 0\\)"
  --expect "\\[root\\] manager: rogue last fault: kind 1, cpu 3, address 0x7c000000, in 'hypervisor memory'"
  --expect "\\[root\\] manager: hello faults: 0 \\(data 0, instruction 0, register 0, serror 0, other 0\\)"
  --reject "PANIC|FAILED|ISOLATION BROKEN|fault_read")
set_tests_properties(system_fault_counters_read_by_root PROPERTIES LABELS system TIMEOUT 30)

set_tests_properties(system_hello system_rogue system_corrupt_descriptor system_bad_magic
                     system_missing_descriptor system_cells_start_and_print
                     system_rogue_cell_stopped_others_run system_destroy_create_zeroes_memory
                     system_create_refuses_corrupt_descriptor PROPERTIES LABELS system TIMEOUT 30)
set_tests_properties(system_hypercall_fuzz PROPERTIES LABELS system TIMEOUT 90)

# The whole chain on what the planner generates (tests/system/planned_e2e.py): QEMU virt's device
# tree (the fixture) -> confgen scan -> generate --request examples/request.yaml -> lint (no
# errors) -> compile -> scripts/boot-planned.py derives the boot view and the staging table from
# the generated files -> the `planned` root creates rt (rtbeat: timer interrupts beat its
# heartbeat, then it stops beating) and worker (hello) from the generated cell blobs. The
# watchdog kills rt no earlier than its generated timeout (100 ms) with the heartbeat rt last wrote,
# worker goes on, everything is destroyed and the machine powers off. The link ping is not run
# (issue 8), and the root says so.
add_test(NAME system_planned_e2e COMMAND ${JAILCONF_TEST_PYTHON}
  ${CMAKE_CURRENT_LIST_DIR}/planned_e2e.py --confgen $<TARGET_FILE:confgen>
  --hv-build ${HV_BINARY_DIR}
  --dtb ${CMAKE_CURRENT_LIST_DIR}/../fixtures/fdt/qemu-virt-gicv3.dtb
  --request ${CMAKE_CURRENT_LIST_DIR}/../../examples/request.yaml
  --work ${CMAKE_CURRENT_BINARY_DIR}/planned_e2e --
  --expect-exit 0
  --expect "hv: system descriptor ok: .* root cell 'root', 4 cpus"
  --expect "hv: starting cell root on cpu 0 at 0x48000000"
  --expect "\\[root\\] planned: staging table at 0x50000000: 2 cells, 1 links"
  --expect "hv: cell rt created \\(id 1, cpus 0x8\\) from the descriptor at 0x50010000"
  --expect "hv: cell worker created \\(id 2, cpus 0x4\\) from the descriptor at 0x50020000"
  --expect "hv: starting cell rt on cpu 3 at 0x48000000"
  --expect "hv: starting cell worker on cpu 2 at 0x48000000"
  --expect "\\[root\\] planned: link ping at 0x77fe0000, 64 KiB, peer 0 of 2, doorbell INTID 32"
  --expect "\\[root\\] planned: link ping: 20 round trips of 64 bytes, contents checked both ways, 0 errors, [1-9][0-9]* doorbells"
  --expect "\\[rt\\] rtbeat: simulating a hang: timer stopped, heartbeat stays at [0-9]+"
  --expect "hv: watchdog: cell rt killed: heartbeat [0-9]+ unchanged for [0-9]+ us \\(timeout 100 ms"
  --expect "\\[root\\] planned: rt is failed, reason watchdog \\(watchdog 100 ms\\), [1-9][0-9]* notifications"
  --expect "\\[root\\] planned: worker is running after the watchdog kill"
  --expect "hv: cell rt destroyed"
  --expect "hv: cell worker destroyed"
  --expect "\\[root\\] planned: 2 cells destroyed, powering off"
  --expect "hv: cell root: SYSTEM_OFF, powering off"
  --contains "\\[rt\\] rtbeat: cpu 0x3 up, cell 1, comm region at 0x80000000, tick 10 ms, watchdog 100 ms"
  --contains "hv: link ping: 64 KiB at 0x77fe0000 \\(guest 0x77fe0000\\), doorbell INTID 32, peers root, rt"
  --contains "\\[rt\\] rtbeat: link ping at 0x77fe0000, 64 KiB, peer 1 of 2, doorbell INTID 32"
  --contains "\\[rt\\] rtbeat: link ping: answered 20 pings, contents checked, 0 errors, [1-9][0-9]* doorbells"
  --contains "\\[rt\\] rtbeat: 100 timer interrupts, heartbeat 1[0-9][0-9]"
  --contains "\\[rt\\] rtbeat: 300 timer interrupts, heartbeat 3[0-9][0-9]"
  --contains "\\[worker\\] hello: cpu 0x2 up, PSCI 1.0, cell 2"
  --contains "\\[worker\\] hello: 1792 KiB of fresh memory read zero"
  --contains "\\[worker\\] hello: CPU_ON of cpu 0x0 \\(not in this cell\\) -> -2"
  --contains "\\[worker\\] hello: tick [0-9]+"
  --value age "cell rt killed: heartbeat [0-9]+ unchanged for ([0-9]+) us"
  --value killed_at "cell rt killed: heartbeat ([0-9]+) unchanged"
  --value last_beat "rtbeat: simulating a hang: timer stopped, heartbeat stays at ([0-9]+)"
  --bound "age >= 100000" --bound "killed_at == last_beat" --bound "last_beat >= 300"
  --reject "PANIC|FAILED|stray|forbidden|NOT ZERO|cell worker killed")
set_tests_properties(system_planned_e2e PROPERTIES LABELS system TIMEOUT 60)

# Links (docs/links.md): the root (the pingpong inmate, examples/hv/links.yaml) owns link `ping`
# from boot and creates the cell pong from links-cells.yaml's blob; messages go both ways through
# the link's queues, each announced by the doorbell and checked byte by byte; a stream measures
# the queue; pong's count arrives through a sampling port; once pong is destroyed, the link
# memory (no other cell uses it) reads zero. A non-peer name and a link id without the caller
# are refused.
add_test(NAME system_link_ping_pong COMMAND ${run} --descriptor ${demos}/links.jcb
  --image ${images}/pingpong.bin
  --load ${demos}/links-cells.pong.jcb@0x50000000 --load ${images}/pingpong.bin@0x50100000
  --expect-exit 0
  --expect "hv: link ping: 64 KiB at 0x5f000000 \\(guest 0x5f000000\\), doorbell INTID 40, peers root, pong"
  --expect "\\[root\\] pingpong: hypercall ABI 1.2, cell 0"
  --expect "\\[root\\] ping: link ping at 0x5f000000, 64 KiB, peer 0 of 2, doorbell INTID 40"
  --expect "\\[root\\] ping: link_ring of link 7 \\(none\\) -> -3"
  --expect "hv: cell pong created \\(id 1, cpus 0x2\\)"
  --expect "\\[root\\] ping: 110 round trips of 64 bytes, contents checked both ways, 0 errors, [1-9][0-9]* doorbells"
  --expect "\\[root\\] ping: streamed 2000 messages of 64 bytes, 0 errors"
  --expect "\\[root\\] ping: sampling port: ok, pong's count 2000, age [0-9]+ ticks, valid"
  --expect "hv: cell pong destroyed"
  --expect "\\[root\\] ping: pong destroyed: link memory reads zero"
  --expect "\\[root\\] ping: done"
  --contains "\\[pong\\] pingpong: hypercall ABI 1.2, cell 1"
  --contains "\\[pong\\] pong: link_find of link nope -> -3"
  --contains "\\[pong\\] pong: link ping at 0x5f000000, 64 KiB, peer 1 of 2, doorbell INTID 40"
  --contains "\\[pong\\] pong: answered 110 pings, contents checked, 0 errors, [1-9][0-9]* doorbells"
  --contains "\\[pong\\] pong: drained 2000 messages, contents checked, 0 errors"
  --reject "PANIC|FAILED|NOT ZERO|refused|wrong|no answer")
set_tests_properties(system_link_ping_pong PROPERTIES LABELS system TIMEOUT 60)

# Measurements (docs/measurements.md). The attest root inmate prints the measurement log; the
# checker recomputes every digest with hashlib over the files QEMU loaded: hv.bin (the image, and
# its text+rodata prefix), the system and cell .jcb files, the hello image padded to the size
# loaded.
set(attest_files --file 1:0x7c000000:${HV_BINARY_DIR}/hv.bin --file 2:0x7c000000:${HV_BINARY_DIR}/hv.bin
  --file 3:0x7f000000:${demos}/manager.jcb --file 4:0x50000000:${demos}/cells.hello.jcb
  --file 5:0x48000000:${images}/hello.bin)
set(attest_run ${CMAKE_CURRENT_LIST_DIR}/run_qemu.py --hv ${HV_BINARY_DIR}/hv.elf
  --descriptor ${demos}/manager.jcb --image ${images}/attest.bin
  --load ${demos}/cells.hello.jcb@0x50000000 --load ${images}/hello.bin@0x50100000 --expect-exit 0)
set(check_measurements ${JAILCONF_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/check_measurements.py)
add_test(NAME system_measurement_log_matches_files COMMAND ${check_measurements} ${attest_files}
  -- ${attest_run}
  --expect "hv: measured hypervisor image 0x7c000000-0x7c0[0-9a-f]+ \\(hv.bin\\): sha256 [0-9a-f]{64}"
  --expect "hv: measured system descriptor \\([0-9]+ bytes\\): sha256 [0-9a-f]{64}"
  --expect "\\[root\\] attest: running under the Jailconf hypervisor \\(ABI 0x10002\\)"
  --expect "\\[root\\] attest: log holds 5 of 5 measurements \\(capacity 128, 64 bytes each\\)"
  --expect "\\[root\\] attest: read into hypervisor memory -> -4, into 32 bytes -> -3"
  --expect "\\[root\\] attest: integrity: intact after [0-9]+ passes \\(0 found a change\\)"
  --expect "\\[root\\] attest: done"
  --reject "INTEGRITY|FAILED|PANIC")

# The periodic integrity check finds a change of hypervisor text: once the root waits for passes,
# the test writes 4 bytes over hv_primary_main (boot-only code) through QEMU's gdbstub in
# physical-memory mode (no cell can: stage 2 maps no hypervisor memory). The hypervisor reports
# it on the console and in the log (kind 6), whose digest the checker recomputes over hv.bin with
# the same bytes changed.
add_test(NAME system_integrity_check_detects_change COMMAND ${check_measurements} ${attest_files}
  --file 6:0x7c000000:${HV_BINARY_DIR}/hv.bin --patch hv_primary_main:00000000
  --elf ${HV_BINARY_DIR}/hv.elf
  -- ${attest_run} --timeout 60
  --poke-after "attest: integrity: intact, [0-9]+ passes so far" --poke hv_primary_main:00000000
  --expect "[-]-- poke: wrote 00000000 at 0x7c[0-9a-f]+ through the gdbstub"
  --expect "hv: INTEGRITY: hypervisor text\\+rodata 0x7c000000-0x7c0[0-9a-f]+ changed \\(pass [0-9]+\\): sha256 [0-9a-f]{64}, at boot [0-9a-f]{64}"
  --expect "\\[root\\] attest: integrity: CHANGED after [0-9]+ passes \\([1-9][0-9]* found a change\\)"
  --expect "\\[root\\] m 5 6 0 0x7c000000 [0-9]+ [0-9a-f]{64}"
  --expect "\\[root\\] attest: done"
  --reject "FAILED|PANIC")

# A root cell's store into hypervisor memory (its text) is refused: hypercalls with a buffer there
# answer invalid_address, the store is a stage-2 fault attributed to the root, which is stopped;
# nothing else runs, so the hypervisor ends the run (exit status 3).
add_test(NAME system_root_write_to_hypervisor_refused COMMAND ${run}
  --descriptor ${demos}/manager.jcb --image ${images}/hvwrite.bin --expect-exit 3
  --expect "\\[root\\] hvwrite: console_read into 0x7c000000 -> -4, measurement_read -> -4"
  --expect "\\[root\\] hvwrite: writing 0xd4200000 to hypervisor text at 0x7c000000"
  --expect "cell root cpu 0: stray write at 0x7c000000 \\(pc 0x48[0-9a-f]+\\)"
  --expect "cell root cpu 0:   EC 0x24 data abort from a lower EL: translation fault level [0-9], write"
  --expect "hv: cell root stopped"
  --expect "hv: no cell left running, stopping the machine"
  --reject "ISOLATION BROKEN|PANIC")

# The tick survives the root turning off CPU 0: it moves to the root's CPU 2, the watchdog still
# kills the hung cell on time, and the notification reaches CPU 2.
add_test(NAME system_watchdog_runs_with_cpu0_off COMMAND ${run}
  --descriptor ${demos}/manager.jcb --image ${images}/cpu0off.bin
  --load ${demos}/monitor-cells.hang.jcb@0x50000000 --load ${images}/watched.bin@0x50100000
  --expect-exit 0 --timeout 40
  --expect "\\[root\\] cpu0off: cpu 0 turns itself off"
  --expect "hv: tick moves from cpu 0 to cpu 2 \\(cpu 0 goes off\\)"
  --expect "\\[hang\\] watched: hang: beat 20 at counter [0-9]+, now hanging"
  --expect "hv: watchdog: cell hang killed: heartbeat 20 unchanged for [0-9]+ us"
  --expect "\\[root\\] cpu0off: hang is failed, reason 2, [1-9][0-9]* notifications on cpu 2"
  --expect "\\[root\\] cpu0off: done"
  --contains "hv: cell root cpu 0: CPU_OFF"
  --value age_us "cell hang killed: heartbeat 20 unchanged for ([0-9]+) us"
  --value late_us "cell hang killed: .*, tick late ([0-9]+) us"
  --bound "200000 <= age_us < 200000 + 10000 + late_us"
  --reject "FAILED|PANIC|NOT KILLED")

# An inmate that requires the hypervisor (the default) refuses to run on bare metal (QEMU without
# virtualization: no EL2), says why on the UART and powers off; the bench inmate, which opts out,
# still runs there (bench/hv_bench.py).
add_test(NAME system_inmate_refuses_bare_metal
  COMMAND ${JAILCONF_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/run_qemu.py --bare-metal
  --hv ${HV_BINARY_DIR}/hello.elf --expect-exit 0
  --expect "inmate: refusing to run: this inmate requires the Jailconf hypervisor, but no EL2 on this machine \\(ID_AA64PFR0_EL1.EL2 = 0\\)"
  --reject "hello: cpu")
set_tests_properties(system_measurement_log_matches_files system_integrity_check_detects_change
                     system_root_write_to_hypervisor_refused system_watchdog_runs_with_cpu0_off
                     system_inmate_refuses_bare_metal PROPERTIES LABELS system TIMEOUT 90)
