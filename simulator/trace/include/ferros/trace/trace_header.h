#pragma once
// What a trace says about the run that produced it (its first and last frames).

#include <cstdint>
#include <string>

namespace ferros::trace {

struct TraceHeader {
    uint32_t format_version { 0 };
    uint64_t kernel_hash { 0 }; // XXH3-64 of the kernel ELF
    uint64_t workload_hash { 0 }; // XXH3-64 of the workload; 0 with has_workload false
    bool has_workload { false };
    uint64_t image_hash { 0 }; // XXH3-64 of the window's image at power-on
    std::string policy;
    std::string qemu_version;
    std::string machine;
    uint64_t ssd_base { 0 };
    uint64_t ssd_size { 0 };
    uint32_t chunk_events { 0 };
};

struct TraceFooter {
    uint64_t events { 0 };
    uint32_t chunks { 0 };
    uint64_t stores { 0 };
    uint64_t flushes { 0 };
    uint64_t markers { 0 };
    uint64_t end_boundary { 0 };
    uint8_t end_reason { 0 }; // 0 exit, 1 cut, 2 max-insns
};

} // namespace ferros::trace
