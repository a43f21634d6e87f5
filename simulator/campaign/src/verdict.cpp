#include <ferros/campaign/verdict.h>
#include <fmt/format.h>

namespace ferros::campaign {

std::optional<check::Violation> reboot_verdict(const qemu::BootResult& result, uint64_t boot_budget)
{
    if (result.outcome != qemu::BootOutcome::Ready) {
        auto invariant = result.outcome == qemu::BootOutcome::SelfCheckFailed ? check::Invariant::R2
            : result.outcome == qemu::BootOutcome::LiveFailed                 ? check::Invariant::R14
                                                                              : check::Invariant::R1;
        return check::Violation { invariant,
            fmt::format("reboot ended {}: {}", qemu::boot_outcome_name(result.outcome),
                result.guest_error.value_or("no report")) };
    }
    auto ready = qemu::ready_instructions(result.timeline);
    if (ready && *ready > boot_budget)
        return check::Violation { check::Invariant::R9,
            fmt::format("ready after {} instructions, budget {}", *ready, boot_budget) };
    return std::nullopt;
}

} // namespace ferros::campaign
