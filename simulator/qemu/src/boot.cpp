#include <chrono>
#include <ferros/abi/machine.h>
#include <ferros/qemu/boot.h>
#include <fmt/format.h>

namespace ferros::qemu {

const char* boot_outcome_name(BootOutcome outcome)
{
    switch (outcome) {
    case BootOutcome::Ready:
        return "ready";
    case BootOutcome::Poweroff:
        return "poweroff";
    case BootOutcome::Fault:
        return "fault";
    case BootOutcome::SelfCheckFailed:
        return "self-check-failed";
    case BootOutcome::BadCommandLine:
        return "bad-command-line";
    case BootOutcome::LiveFailed:
        return "live-failed";
    case BootOutcome::Cut:
        return "cut";
    case BootOutcome::MaxInsns:
        return "max-insns";
    case BootOutcome::Interrupted:
        return "interrupted";
    case BootOutcome::Timeout:
        return "timeout";
    case BootOutcome::QemuFailed:
        return "qemu-failed";
    }
    return "unknown";
}

BootOutcome outcome_of_exit_value(uint8_t value)
{
    using abi::ExitValue;
    switch (static_cast<ExitValue>(value)) {
    case ExitValue::Ready:
        return BootOutcome::Ready;
    case ExitValue::Poweroff:
        return BootOutcome::Poweroff;
    case ExitValue::Fault:
        return BootOutcome::Fault;
    case ExitValue::SelfCheckFailed:
        return BootOutcome::SelfCheckFailed;
    case ExitValue::BadCommandLine:
        return BootOutcome::BadCommandLine;
    case ExitValue::LiveFailed:
        return BootOutcome::LiveFailed;
    }
    return BootOutcome::QemuFailed;
}

namespace {

    BootOutcome classify(const ProcessResult& process)
    {
        using abi::ExitValue;
        using abi::qemu_exit_status;
        if (process.timed_out)
            return BootOutcome::Timeout;
        if (!process.exited)
            return process.interrupted ? BootOutcome::Interrupted : BootOutcome::QemuFailed;
        int const status = process.exit_status;
        // isa-debug-exit: the guest's value V arrives as (V << 1) | 1.
        if (status & 1) {
            auto outcome = outcome_of_exit_value(static_cast<uint8_t>(status >> 1));
            if (outcome != BootOutcome::QemuFailed && status == qemu_exit_status(static_cast<ExitValue>(status >> 1)))
                return outcome;
        }
        if (status == abi::kPluginExitCut)
            return BootOutcome::Cut;
        if (status == abi::kPluginExitMaxInsns)
            return BootOutcome::MaxInsns;
        // QEMU ends with status 0 when a signal asked it to shut down.
        if (process.interrupted)
            return BootOutcome::Interrupted;
        return BootOutcome::QemuFailed;
    }

} // namespace

BootResult boot(const machine::Machine& machine, const BootOptions& options)
{
    BootResult result;
    result.argv = machine::qemu_argv(machine);
    ProcessOptions process_options;
    process_options.timeout_seconds = options.timeout_seconds;
    auto const start = std::chrono::steady_clock::now();
    auto elapsed_ms
        = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(); };
    process_options.on_line = [&](const std::string& line) {
        if (options.echo_console)
            std::printf("%s\n", line.c_str()), std::fflush(stdout);
        result.console.push_back(line);
        if (result.timeline.take_console_line(line))
            result.timeline.set_last_wall_ms(elapsed_ms());
        if (!result.guest_error && (line.rfind("ferros: panic:", 0) == 0 || line.rfind("ferros: error:", 0) == 0))
            result.guest_error = line;
    };
    result.process = run_process(result.argv, process_options);
    result.wall_ms = elapsed_ms();
    result.outcome = result.process.started ? classify(result.process) : BootOutcome::QemuFailed;
    return result;
}

} // namespace ferros::qemu

namespace ferros::qemu {

Result<void> expect_clean(const BootResult& result, double timeout_seconds, CutExpected cut_expected)
{
    if (!result.process.started)
        return Failure(ErrorCode::Unavailable, fmt::format("cannot start QEMU: {}", result.process.error));
    switch (result.outcome) {
    case BootOutcome::Ready:
    case BootOutcome::Poweroff:
        return {};
    case BootOutcome::Cut:
        if (cut_expected == CutExpected::Yes)
            return {};
        return Failure(ErrorCode::NotReached, "the plugin cut power");
    case BootOutcome::MaxInsns:
        return Failure(ErrorCode::NotReached, "the instruction limit ended the run");
    case BootOutcome::Fault:
        return Failure(
            ErrorCode::GuestFault, fmt::format("the guest faulted: {}", result.guest_error.value_or("(no report)")));
    case BootOutcome::SelfCheckFailed:
        return Failure(ErrorCode::SelfCheckFailed,
            fmt::format("the guest's invariant self-check failed: {}", result.guest_error.value_or("(no report)")));
    case BootOutcome::LiveFailed:
        return Failure(ErrorCode::SelfCheckFailed,
            fmt::format("the store failed its continuation after recovery (R14): {}",
                result.guest_error.value_or("(no report)")));
    case BootOutcome::BadCommandLine:
        return Failure(ErrorCode::InvalidArgument,
            fmt::format("the kernel refused its input: {}", result.guest_error.value_or("")));
    case BootOutcome::Interrupted:
        return Failure(ErrorCode::Interrupted, "interrupted: power was cut where the run stood");
    case BootOutcome::Timeout:
        return Failure(
            ErrorCode::NotReached, fmt::format("QEMU did not finish within {} s of wall time", timeout_seconds));
    case BootOutcome::QemuFailed:
        break;
    }
    auto text = result.process.stderr_text;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return Failure(ErrorCode::Unavailable,
        fmt::format(
            "QEMU ended unexpectedly (status {}): {}", result.process.exit_status, text.empty() ? "no message" : text));
}

} // namespace ferros::qemu
