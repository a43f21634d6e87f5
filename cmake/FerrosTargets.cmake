# Flags and helpers shared by every module.
#
#   ferros_host_flags    interface target: warnings, sanitizers, fuzzing instrumentation
#   ferros_kernel_flags  interface target: the freestanding kernel environment (each flag says why)
#   ferros_user_flags    interface target: user programs (ring 3), freestanding like the kernel
#   ferros_dual_library(NAME SOURCES ... [INCLUDE dir] [HOST_LINK libs...] [KERNEL_LINK libs...])
#       builds NAME_host (static, hosted HAL) and, with the kernel enabled, NAME_kernel
#       (static, freestanding) and NAME_user (the same for user programs, linked to the
#       KERNEL_LINK libraries' _user builds) from one list of sources.

set(FERROS_WARNINGS -Wall -Wextra -Wno-missing-field-initializers)
if(FERROS_WERROR)
    list(APPEND FERROS_WARNINGS -Werror)
endif()

add_library(ferros_host_flags INTERFACE)
target_compile_options(ferros_host_flags INTERFACE ${FERROS_WARNINGS})
if(FERROS_SANITIZE)
    target_compile_options(ferros_host_flags INTERFACE
        -fsanitize=${FERROS_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(ferros_host_flags INTERFACE -fsanitize=${FERROS_SANITIZE})
endif()
if(FERROS_BUILD_FUZZERS)
    # Libraries get coverage instrumentation; only fuzz targets link libFuzzer's main.
    target_compile_options(ferros_host_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

add_library(ferros_kernel_flags INTERFACE)
target_compile_options(ferros_kernel_flags INTERFACE
    ${FERROS_WARNINGS}
    -ffreestanding                  # no hosted library; the compiler may not assume libc semantics beyond mem*
    -fno-exceptions                 # no unwinder in the kernel; errors are ErrorOr values
    -fno-rtti                       # no typeinfo; nothing needs dynamic_cast
    -fno-threadsafe-statics         # no __cxa_guard_* runtime; statics are set up on one CPU
    -fno-use-cxa-atexit             # static destructors never run: the kernel never exits normally
    -fno-stack-protector            # no __stack_chk_guard runtime
    -fno-pic -fno-pie               # linked at a fixed physical address, identity-mapped
    -mno-red-zone                   # interrupts push onto the stack below rsp without warning
    -mno-mmx -mno-sse -mno-sse2 -mno-avx  # the kernel saves no FPU/SIMD state on interrupts
    -fno-asynchronous-unwind-tables # no unwinder, so no .eh_frame to carry
    -fno-omit-frame-pointer         # the fault handler walks rbp for a backtrace
    -O2 -g)
target_link_options(ferros_kernel_flags INTERFACE
    -nostdlib                       # no crt0, no libc, no libgcc_s
    -static -no-pie                 # one ELF with fixed addresses for QEMU's PVH loader
    -Wl,--build-id=none             # keep the image (and its hash) a function of the code alone
    -Wl,-z,max-page-size=0x1000     # 4 KiB segment alignment, not 2 MiB padding
    -Wl,-z,noexecstack)

# User programs are linked at abi::kUserImageBase in the user half, above 2 GiB: they need the
# large code model, so the shared code is compiled a third time for them (user/CMakeLists.txt).
add_library(ferros_user_flags INTERFACE)
target_compile_options(ferros_user_flags INTERFACE
    ${FERROS_WARNINGS}
    -ffreestanding                  # no hosted library
    -fno-exceptions -fno-rtti       # errors are ErrorOr values; no unwinder, no typeinfo
    -fno-threadsafe-statics -fno-use-cxa-atexit -fno-stack-protector  # no runtime for them
    -fno-pic -fno-pie               # a static executable at a fixed address
    -mcmodel=large                  # that address is above 2 GiB (abi::kUserImageBase)
    -mgeneral-regs-only             # the kernel does not switch FPU/SIMD state between processes
    -fno-asynchronous-unwind-tables
    -fno-omit-frame-pointer
    -O2 -g)
target_link_options(ferros_user_flags INTERFACE
    -nostdlib -static -no-pie
    -Wl,--build-id=none             # the image (and the kernel that embeds it) is a function of the code
    -Wl,-z,max-page-size=0x1000
    -Wl,-z,noexecstack
    -Wl,--no-undefined
    -Wl,-T,${CMAKE_SOURCE_DIR}/user/runtime/user.ld)

function(ferros_dual_library name)
    cmake_parse_arguments(ARG "" "INCLUDE" "SOURCES;HOST_LINK;KERNEL_LINK" ${ARGN})
    if(NOT ARG_INCLUDE)
        set(ARG_INCLUDE "${CMAKE_CURRENT_SOURCE_DIR}/include")
    endif()
    add_library(${name}_host STATIC ${ARG_SOURCES})
    target_include_directories(${name}_host PUBLIC ${ARG_INCLUDE})
    target_link_libraries(${name}_host PUBLIC ferros_host_flags ${ARG_HOST_LINK})
    target_compile_options(${name}_host PRIVATE -fno-exceptions -fno-rtti)
    if(FERROS_BUILD_KERNEL)
        add_library(${name}_kernel STATIC ${ARG_SOURCES})
        target_include_directories(${name}_kernel PUBLIC ${ARG_INCLUDE})
        target_link_libraries(${name}_kernel PUBLIC ferros_kernel_flags ${ARG_KERNEL_LINK})
        string(REPLACE "_kernel" "_user" user_link "${ARG_KERNEL_LINK}")
        add_library(${name}_user STATIC ${ARG_SOURCES})
        target_include_directories(${name}_user PUBLIC ${ARG_INCLUDE})
        target_link_libraries(${name}_user PUBLIC ferros_user_flags ${user_link})
    endif()
endfunction()

# ferros_gtest(NAME SOURCES ... LINK ... LABELS ...): one GoogleTest binary, tests discovered
# by name so that each TEST is one CTest entry carrying LABELS.
find_package(GTest REQUIRED)
include(GoogleTest)
function(ferros_gtest name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LINK;LABELS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LINK} GTest::gtest GTest::gtest_main ferros_host_flags)
    gtest_discover_tests(${name}
        PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
        DISCOVERY_TIMEOUT 60)
endfunction()
include(FerrosSubdirectories)
