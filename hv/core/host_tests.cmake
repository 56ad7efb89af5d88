# Adds hv/core (arch-neutral) and the pure-encoding parts of hv/arch/arm64 to the host unit tests
# (tests/unit/hv_*.cpp). Included by the top-level CMakeLists.txt whether or not the hypervisor
# itself is cross-built: these tests need only the host compiler.
include(${CMAKE_CURRENT_LIST_DIR}/sources.cmake)
target_sources(unit_tests PRIVATE ${HV_CORE_SOURCES}
  ${CMAKE_CURRENT_LIST_DIR}/descriptor/descriptor.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../arch/arm64/exceptions/esr.cpp
  ${CMAKE_CURRENT_LIST_DIR}/../arch/arm64/psci/emulation.cpp)
target_include_directories(unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/.. ${CMAKE_CURRENT_LIST_DIR})
