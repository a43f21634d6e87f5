#pragma once
// The kernel command line (docs/kernel.md lists the tokens). Tokens are separated by spaces;
// tokens outside the `ferros.` namespace belong to others (QEMU may append its own) and are
// ignored. A `ferros.` token that is unknown, malformed or repeated is an error, so that a typo
// in a test never silently runs a different experiment.

#include "lib/string_view.h"
#include "process/injection.h"
#include <ferros/base/error_or.h>
#include <ferros/storage/seeded_bug.h>
#include <stdint.h>

namespace ferros::kernel {

// ferros.until=: where the boot ends.
enum class Until : uint8_t {
    Ready, // exit with ExitValue::Ready as soon as `ready` is passed
    Poweroff, // run to `poweroff` and exit with ExitValue::Poweroff
    // Past `ready`, the store server runs the continuation after recovery (R14, storage/live.h)
    // and the kernel exits with ExitValue::Ready if it passed, LiveFailed if not. Needs an SSD.
    Live,
};

// ferros.fault=: a CPU exception to raise right after interrupts-up.
enum class InjectedFault : uint8_t {
    None,
    DivideError, // de: #DE, vector 0
    Breakpoint, // bp: #BP, vector 3
    InvalidOpcode, // ud: #UD, vector 6
    DoubleFault, // df: a #PF that cannot be delivered becomes #DF, vector 8
    GeneralProtection, // gp: #GP, vector 13
    PageFault, // pf: #PF, vector 14
};

// ferros.ssd=BASE,SIZE: the SSD window as requested; memory checks happen in ssd_window.cpp.
struct SsdRequest {
    uint64_t base { 0 };
    uint64_t size { 0 };
    StringView token; // for error messages
};

class CommandLine {
public:
    // Parses `text`. On error, `*bad_token` is the token that was refused.
    static ErrorOr<CommandLine> try_parse(StringView text, StringView* bad_token);

    Until until() const { return m_until; }
    InjectedFault fault() const { return m_fault; }
    bool has_ssd() const { return m_has_ssd; }
    const SsdRequest& ssd() const { return m_ssd; }
    // ferros.bug=NAME: a seeded bug of the store (storage/include/ferros/storage/seeded_bugs.def).
    storage::SeededBug bug() const { return m_bug; }
    // ferros.inject=NAME,N,KIND[,ARG]: a fault at the N-th user instruction of process NAME.
    bool has_injection() const { return m_has_injection; }
    const InjectionPlan& injection() const { return m_injection; }

private:
    CommandLine() = default;
    ErrorOr<void> apply(StringView key, StringView value, StringView token);

    Until m_until { Until::Ready };
    StringView m_until_token; // for the error when until=live has no SSD
    InjectedFault m_fault { InjectedFault::None };
    bool m_has_ssd { false };
    SsdRequest m_ssd;
    storage::SeededBug m_bug { storage::SeededBug::None };
    bool m_has_injection { false };
    InjectionPlan m_injection;
    // Bit per known key, to refuse repeated keys.
    uint32_t m_seen { 0 };
};

// Parses a decimal or 0x-prefixed hexadecimal number that fits in 64 bits.
ErrorOr<uint64_t> parse_number(StringView text);

} // namespace ferros::kernel
