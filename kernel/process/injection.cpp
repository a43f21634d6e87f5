#include "process/injection.h"
#include "command_line.h"
#include "process/process.h"

namespace ferros::kernel {

namespace {

    // The next comma-separated field of `rest`, which loses it.
    StringView next_field(StringView& rest)
    {
        size_t const comma = rest.find(',');
        StringView const field = rest.substring(0, comma);
        rest = comma == rest.length() ? StringView() : rest.substring(comma + 1);
        return field;
    }

    bool is_name_character(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

} // namespace

ErrorOr<InjectionPlan> parse_injection(StringView value)
{
    InjectionPlan plan;
    // A trailing comma would otherwise read as an absent ARG.
    if (value.length() > 0 && value[value.length() - 1] == ',')
        return Error(ErrorCode::BadFormat, "ferros.inject=NAME,N,KIND[,ARG]: an empty field");
    StringView rest = value;
    StringView const name = next_field(rest);
    if (name.length() == 0 || name.length() > 15)
        return Error(ErrorCode::BadFormat, "ferros.inject=NAME,N,KIND[,ARG]: a program name has 1-15 characters");
    for (size_t i = 0; i < name.length(); ++i) {
        if (!is_name_character(name[i]))
            return Error(ErrorCode::BadFormat, "a program name has a character outside [a-z0-9-]");
        plan.name[i] = name[i];
    }
    plan.at = TRY(parse_number(next_field(rest)));
    if (plan.at == 0)
        return Error(ErrorCode::OutOfRange, "N counts instructions from 1");
    StringView const kind = next_field(rest);
    uint64_t limit = 0;
    if (kind == "kill") {
        plan.kind = InjectionKind::Kill;
    } else if (kind == "flip") {
        plan.kind = InjectionKind::Flip;
        limit = 16 * 64;
    } else if (kind == "corrupt") {
        plan.kind = InjectionKind::Corrupt;
        limit = 4096 * 8;
    } else if (kind == "hang") {
        plan.kind = InjectionKind::Hang;
    } else {
        return Error(ErrorCode::BadFormat, "the kind is kill, flip, corrupt or hang");
    }
    if (rest.length() > 0) {
        if (limit == 0)
            return Error(ErrorCode::BadFormat, "kill and hang take no ARG");
        plan.arg = TRY(parse_number(next_field(rest)));
        if (plan.arg >= limit)
            return Error(ErrorCode::OutOfRange, "ARG beyond the kind's range (flip < 1024, corrupt < 32768)");
        if (rest.length() > 0)
            return Error(ErrorCode::BadFormat, "ferros.inject=NAME,N,KIND[,ARG]: too many fields");
    }
    return plan;
}

} // namespace ferros::kernel

namespace ferros::kernel {

namespace {

    InjectionPlan s_plan;
    bool s_planned = false;
    uint32_t s_target = 0; // the pid being single-stepped, 0 before it starts and after the fault
    uint32_t s_picked = 0; // the target's pid, kept after the fault
    bool s_fired = false;
    uint64_t s_steps = 0;

    bool same_name(const char* a, const char* b)
    {
        for (size_t i = 0; i < 16; ++i) {
            if (a[i] != b[i])
                return false;
            if (a[i] == 0)
                return true;
        }
        return true;
    }

} // namespace

void set_injection(const InjectionPlan& plan)
{
    s_plan = plan;
    s_planned = true;
}

bool injection_target(const Process& process)
{
    if (!s_planned || s_fired || s_target != 0 || !same_name(process.name, s_plan.name))
        return false;
    s_target = process.pid;
    s_picked = process.pid;
    s_steps = 0;
    return true;
}

bool injection_stepping(uint32_t pid) { return s_target != 0 && pid == s_target; }

InjectionStatus injection_status() { return InjectionStatus { s_planned, s_fired, s_picked, s_steps, s_plan.name }; }

StepDecision injection_step(uint32_t pid)
{
    StepDecision decision;
    if (!injection_stepping(pid))
        return decision;
    if (++s_steps < s_plan.at)
        return decision;
    decision.stop_stepping = true;
    decision.arg = s_plan.arg;
    s_target = 0;
    s_fired = true;
    switch (s_plan.kind) {
    case InjectionKind::Kill:
        decision.action = StepAction::Kill;
        break;
    case InjectionKind::Flip:
        decision.action = StepAction::FlipRegister;
        break;
    case InjectionKind::Corrupt:
        decision.action = StepAction::CorruptStackByte;
        break;
    case InjectionKind::Hang:
        decision.action = StepAction::Hang;
        break;
    }
    return decision;
}

} // namespace ferros::kernel
