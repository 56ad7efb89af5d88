# The sources of hv/core, listed once for the hypervisor (hv/CMakeLists.txt) and for the host unit
# tests (the top-level CMakeLists.txt adds them to unit_tests).
set(HV_CORE_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/boot/descriptor_slot.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cells/cell_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cells/lifecycle.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cells/links.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cells/ownership.cpp
  ${CMAKE_CURRENT_LIST_DIR}/console/cell_console.cpp
  ${CMAKE_CURRENT_LIST_DIR}/console/console.cpp
  ${CMAKE_CURRENT_LIST_DIR}/console/ring.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faults/attribution.cpp
  ${CMAKE_CURRENT_LIST_DIR}/faults/fault_log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/format/format.cpp
  ${CMAKE_CURRENT_LIST_DIR}/gic/virtual_gic.cpp
  ${CMAKE_CURRENT_LIST_DIR}/measure/integrity.cpp
  ${CMAKE_CURRENT_LIST_DIR}/measure/log.cpp
  ${CMAKE_CURRENT_LIST_DIR}/measure/sha.cpp
  ${CMAKE_CURRENT_LIST_DIR}/monitor/monitor.cpp)
