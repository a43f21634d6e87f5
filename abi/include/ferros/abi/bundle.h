#pragma once
// The boot bundle: the initrd that carries the programs Ferros starts, their arguments, the
// boot endpoints that connect them and, optionally, the workload. docs/kernel.md specifies
// it byte by byte; the kernel decodes it with this code and tools/ferros-bundle writes it.
//
// Decoding validates the whole bundle (checksum, every entry and range) before anything is
// started: a bundle that parses can be used without further bounds checks.

#include <ferros/base/bytes.h>
#include <ferros/base/error_or.h>
#include <stddef.h>
#include <stdint.h>

namespace ferros::abi {

constexpr uint8_t kBundleMagic[4] = { 'F', 'R', 'B', 'N' };
constexpr uint16_t kBundleVersion = 1;
constexpr size_t kBundleHeaderSize = 32;
constexpr size_t kBundleEntrySize = 64;
constexpr size_t kMaxBundlePrograms = 8;
constexpr size_t kMaxBundleEndpoints = 8;
constexpr size_t kMaxProgramName = 15; // the name field is 16 bytes, NUL-padded
constexpr size_t kMaxProgramArgs = 4096; // one page, mapped at kUserArgs

// What the kernel gives a program at start (each grant is a handle in a fixed slot, see
// syscall.h), besides the boot endpoints of its send and receive masks.
enum Grant : uint32_t {
    GrantConsole = 1u << 0,
    GrantStore = 1u << 1,
    GrantMarkers = 1u << 2,
    GrantWorkload = 1u << 3, // the bundle's workload, mapped read-only at kUserWorkload
    GrantSpawn = 1u << 4,
    // The store server's device: the SSD window mapped at kUserDevice and the control page at
    // kUserDoorbell (read-write, never executable), the store endpoint's Receive handle in the
    // store slot and the recovery markers. The kernel gives it to one process at a time.
    GrantDevice = 1u << 5,
    // A supervisor: its markers handle (slot 3) may store the supervisor's markers
    // (ServerRestarted, ServerGaveUp).
    GrantSupervise = 1u << 6,
};
constexpr uint32_t kAllGrants
    = GrantConsole | GrantStore | GrantMarkers | GrantWorkload | GrantSpawn | GrantDevice | GrantSupervise;

struct BundleProgram {
    char name[kMaxProgramName + 1] {};
    ReadonlyBytes image; // an ELF64 executable (the kernel's loader checks it)
    ReadonlyBytes args;
    uint32_t grants { 0 };
    bool start_at_boot { false };
    uint16_t send_endpoints { 0 }; // bit i: a Send handle to boot endpoint i
    uint16_t receive_endpoints { 0 }; // bit i: a Receive handle to boot endpoint i
};

class Bundle {
public:
    static bool has_magic(ReadonlyBytes bytes);
    // Errors: Truncated, BadFormat, Unsupported (version), Corrupt (checksum), TooBig.
    // `checksum`: Trusted skips the CRC (the kernel's built-in bundle, part of the kernel image,
    // is parsed before `ready`, and the path to ready must not pay for a CRC over every image).
    enum class Checksum : uint8_t { Verify, Trusted };
    static ErrorOr<Bundle> parse(ReadonlyBytes bytes, Checksum checksum = Checksum::Verify);

    size_t program_count() const { return m_program_count; }
    const BundleProgram& program(size_t i) const { return m_programs[i]; }
    // The program named `name`, or nullptr.
    const BundleProgram* find(ReadonlyBytes name) const;
    size_t endpoint_count() const { return m_endpoint_count; }
    ReadonlyBytes workload() const { return m_workload; }
    bool has_workload() const { return !m_workload.empty(); }
    // Pairs a bundle without a workload with one from elsewhere (the kernel's built-in bundle
    // with a bare workload initrd).
    void set_workload(ReadonlyBytes workload) { m_workload = workload; }

private:
    BundleProgram m_programs[kMaxBundlePrograms];
    size_t m_program_count { 0 };
    size_t m_endpoint_count { 0 };
    ReadonlyBytes m_workload;
};

} // namespace ferros::abi
