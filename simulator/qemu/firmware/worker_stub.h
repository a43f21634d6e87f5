#pragma once
// The reboot worker's firmware stub (worker_stub.S): where it sits in the 64 KiB firmware
// image, and the two words the host patches into it. Included by the stub and by the host
// (reboot_worker.cpp), so both agree on the layout.

// The image is 64 KiB (QEMU takes firmware in multiples of 64 KiB); it appears at 4 GiB - 64 KiB
// and, as the ISA BIOS, at 0xf0000-0xfffff. The stub is its last 256 bytes.
#define WORKER_FIRMWARE_SIZE 0x10000
#define WORKER_FIRMWARE_TOP_BASE 0xffff0000
#define WORKER_FIRMWARE_ISA_BASE 0xf0000
#define WORKER_STUB_OFFSET 0xff00
#define WORKER_STUB_SIZE 0x100
// The PVH start info's address (EBX at the kernel's entry) and the entry point itself.
#define WORKER_STUB_START_INFO 0xffe0
#define WORKER_STUB_ENTRY 0xffe4
// The x86 reset vector: the first instruction after a reset, CS base 0xffff0000, IP 0xfff0.
#define WORKER_STUB_RESET 0xfff0
