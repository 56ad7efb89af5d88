# Cross toolchain for the hypervisor: freestanding AArch64 code built with Debian's
# g++-aarch64-linux-gnu (only its compiler and binutils are used, never its libc).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_ASM_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_OBJCOPY aarch64-linux-gnu-objcopy)
set(CMAKE_NM aarch64-linux-gnu-nm)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# Flags checked to boot at EL2 under QEMU (DESIGN.md section 8).
set(JAILCONF_EL2_FLAGS "-ffreestanding -fno-exceptions -fno-rtti -nostdlib -mgeneral-regs-only -mstrict-align -fno-threadsafe-statics -mno-outline-atomics")
set(CMAKE_CXX_FLAGS_INIT "${JAILCONF_EL2_FLAGS}")
set(CMAKE_C_FLAGS_INIT "${JAILCONF_EL2_FLAGS}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
