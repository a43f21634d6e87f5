#include <algorithm>
#include <ferros/base/rng.h>
#include <ferros/campaign/oracle.h>
#include <ferros/check/checker.h>
#include <ferros/faults/get_answers.h>
#include <ferros/faults/injection_run.h>
#include <ferros/plugin/events_file.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/machine_setup.h>
#include <ferros/qemu/paths.h>
#include <ferros/trace/file_hash.h>
#include <fmt/format.h>
#include <fstream>
#include <regex>

namespace ferros::faults {

namespace {

    struct Marker {
        abi::MarkerKind kind;
        uint64_t payload;
    };

    // The markers, and the boundary at which the run ended (the events file's `end` line).
    Result<std::vector<Marker>> read_markers(const std::string& path, uint64_t& end)
    {
        std::ifstream in(path);
        if (!in)
            return Failure(ErrorCode::NotFound, fmt::format("cannot read the plugin's events file '{}'", path));
        std::vector<Marker> markers;
        std::string line;
        for (size_t number = 1; std::getline(in, line); ++number) {
            auto event = plugin::parse_event_line(line);
            if (event.is_error())
                return Failure(
                    ErrorCode::BadFormat, fmt::format("{}:{}: malformed event line '{}'", path, number, line));
            if (event.value().is_end)
                end = event.value().boundary.value();
            else if (!event.value().is_exit)
                markers.push_back(Marker { event.value().kind, event.value().payload });
        }
        return markers;
    }

    bool is_op_marker(abi::MarkerKind kind)
    {
        return kind == abi::MarkerKind::OpSubmitted || kind == abi::MarkerKind::OpDurable
            || kind == abi::MarkerKind::OpFailed;
    }

    // The kernel's line for a run in which the fault did not fire (kernel/main.cpp).
    std::optional<uint64_t> instructions_retired(const std::vector<std::string>& console)
    {
        static const std::regex line(
            R"(ferros: inject: did not fire: process [0-9]+ \([a-z0-9-]+\) retired ([0-9]+) user instructions)");
        for (auto const& text : console) {
            std::smatch m;
            if (std::regex_search(text, m, line))
                return std::stoull(m[1].str());
        }
        return std::nullopt;
    }

} // namespace

const char* fault_kind_name(FaultKind kind)
{
    switch (kind) {
    case FaultKind::Kill:
        return "kill";
    case FaultKind::Flip:
        return "flip";
    case FaultKind::Corrupt:
        return "corrupt";
    case FaultKind::Hang:
        return "hang";
    }
    return "?";
}

ErrorOr<FaultKind> parse_fault_kind(const std::string& text)
{
    for (FaultKind kind : kAllKinds) {
        if (text == fault_kind_name(kind))
            return kind;
    }
    return Error(ErrorCode::InvalidArgument, "a fault kind is kill, flip, corrupt or hang");
}

InjectionPoint injection_point(uint64_t seed, uint64_t at, FaultKind kind)
{
    uint64_t state = seed ^ (at * 4 + static_cast<uint64_t>(kind));
    Rng rng(splitmix64(state));
    InjectionPoint point { at, kind, 0 };
    if (kind == FaultKind::Flip)
        point.arg = rng.below(16 * 64);
    else if (kind == FaultKind::Corrupt)
        point.arg = rng.below(256 * 8);
    return point;
}

std::string inject_token(const InjectionPoint& point)
{
    std::string token = fmt::format("ferros.inject=store,{},{}", point.at, fault_kind_name(point.kind));
    if (point.kind == FaultKind::Flip || point.kind == FaultKind::Corrupt)
        token += fmt::format(",{}", point.arg);
    return token;
}

Result<InjectionVerdict> run_injection(const campaign::Plan& plan, std::optional<InjectionPoint> point,
    uint64_t baseline_view, std::vector<std::string>* console, std::optional<uint64_t> max_insns)
{
    auto scratch = TRY(qemu::ScratchDir::create());
    qemu::MachineOptions machine_options;
    machine_options.kernel = plan.kernel;
    machine_options.ssd = plan.path("initial.img");
    machine_options.workload = plan.path("workload.bin");
    machine_options.append = plan.kernel_args();
    machine_options.append.push_back(
        point ? inject_token(*point) : fmt::format("ferros.inject=store,{},kill", kNeverFires));
    machine_options.timeout = plan.options.timeout;
    auto m = TRY(qemu::make_machine(machine_options, scratch));
    m.kernel_args.push_back("ferros.until=poweroff");
    auto plugin = TRY(qemu::plugin_config());
    plugin.policy = plan.policy.to_string();
    plugin.image_out = scratch.file("after.img");
    plugin.events = scratch.file("events");
    plugin.max_insns = max_insns;
    m.plugin = plugin;
    qemu::BootOptions boot_options;
    boot_options.echo_console = false;
    boot_options.timeout_seconds = plan.options.timeout;
    auto result = qemu::boot(m, boot_options);
    if (console)
        *console = result.console;
    // QEMU that would not start, or a plugin that refused: no verdict about Ferros.
    if (result.outcome == qemu::BootOutcome::QemuFailed || result.outcome == qemu::BootOutcome::Interrupted)
        TRY(qemu::expect_clean(result, plan.options.timeout));

    InjectionVerdict verdict;
    verdict.outcome = qemu::boot_outcome_name(result.outcome);
    verdict.kernel_survived = result.outcome == qemu::BootOutcome::Poweroff;
    verdict.ended = result.outcome != qemu::BootOutcome::MaxInsns && result.outcome != qemu::BootOutcome::Timeout;
    auto markers = TRY(read_markers(*plugin.events, verdict.guest_instructions));
    auto const workload = plan.workload();
    uint64_t view = 0x6661756c74ULL; // "fault"
    // The op markers, and which OpFailed markers are of a request the server died on: an op
    // whose call failed after the server's ProcessFault and before the next op. Its outcome is
    // unknown (ServerRestarted): the dead server may have applied it or not.
    std::vector<uint64_t> op_words;
    std::vector<size_t> uncertain; // indices into op_words
    // The gets' answers: how many op words came before each (its OpSubmitted among them), the
    // get's op index and the GetAnswered payload.
    struct Answer {
        size_t after;
        uint64_t op;
        uint64_t payload;
    };
    std::vector<Answer> answers;
    uint64_t last_submitted = 0;
    bool died_since_submit = false;
    for (auto const& marker : markers) {
        switch (marker.kind) {
        case abi::MarkerKind::FaultInjected:
            verdict.fired = true;
            break;
        case abi::MarkerKind::ProcessFault:
            verdict.server_crashed = true;
            died_since_submit = true;
            break;
        case abi::MarkerKind::ServerRestarted: {
            verdict.restarts += 1;
            // A server that ended itself (fail-stop, a failed VERIFY) leaves no ProcessFault
            // marker. Its in-flight request failed before the restart, and the client, whose
            // next call waits for the new server, has submitted at most one op since: that
            // failure too is of a request the server died on.
            size_t last = op_words.size();
            if (last > 0 && abi::marker_kind(op_words[last - 1]) == abi::MarkerKind::OpSubmitted)
                --last;
            if (last > 0 && abi::marker_kind(op_words[last - 1]) == abi::MarkerKind::OpFailed
                && (uncertain.empty() || uncertain.back() != last - 1))
                uncertain.push_back(last - 1);
            break;
        }
        case abi::MarkerKind::ServerGaveUp:
            verdict.gave_up = true;
            break;
        case abi::MarkerKind::Fault:
            verdict.kernel_survived = false;
            break;
        case abi::MarkerKind::OpSubmitted:
            died_since_submit = false;
            last_submitted = marker.payload;
            break;
        case abi::MarkerKind::GetAnswered:
            answers.push_back(Answer { op_words.size(), last_submitted, marker.payload });
            break;
        case abi::MarkerKind::OpFailed:
            verdict.failed_ops += 1;
            if (died_since_submit)
                uncertain.push_back(op_words.size());
            break;
        default:
            break;
        }
        if (is_op_marker(marker.kind)) {
            uint64_t word = abi::marker_word(marker.kind, marker.payload) ^ view;
            view = splitmix64(word);
            op_words.push_back(abi::marker_word(marker.kind, marker.payload));
        }
    }
    std::vector<abi::Op> ops;
    for (auto cursor = workload.ops(); !cursor.at_end();)
        ops.push_back(cursor.next());
    // The history if the requests in `applied` (a bit per uncertain failure) took effect: their
    // OpFailed markers are left out, so the oracle keeps them as submitted. Each get's answer is
    // judged against the history as it stood when the get was made (right[j] set if right).
    auto history_for = [&](uint64_t applied, std::vector<bool>* right = nullptr) -> Result<check::History> {
        campaign::MarkerOracle oracle(workload);
        size_t next_uncertain = 0;
        size_t next_answer = 0;
        auto judge_answers_up_to = [&](size_t i) {
            for (; right && next_answer < answers.size() && answers[next_answer].after <= i; ++next_answer) {
                auto const& answer = answers[next_answer];
                if (answer.op >= ops.size())
                    continue;
                std::string const key(
                    reinterpret_cast<const char*>(ops[answer.op].key.data()), ops[answer.op].key.size());
                if (answer_is_right(oracle.history(), key, answer.payload))
                    (*right)[next_answer] = true;
            }
        };
        for (size_t i = 0; i < op_words.size(); ++i) {
            judge_answers_up_to(i);
            if (next_uncertain < uncertain.size() && uncertain[next_uncertain] == i) {
                bool const skip = (applied >> next_uncertain) & 1;
                ++next_uncertain;
                if (skip)
                    continue;
            }
            // Markers that do not fit the workload are a wrong report, not a crash of the tool.
            if (auto taken = oracle.take(op_words[i]); taken.is_error())
                return Failure(ErrorCode::BadFormat,
                    fmt::format("the run's markers do not fit the workload: {}", taken.error().message()));
        }
        judge_answers_up_to(op_words.size());
        return oracle.history();
    };
    // At most one uncertain request a server death: the supervisor's budget bounds them.
    if (uncertain.size() > 8)
        return Failure(
            ErrorCode::BadFormat, "more requests died with their server than the supervisor's budget allows");
    if (!point)
        verdict.store_instructions = instructions_retired(result.console).value_or(0);

    // An answer is right if it is right for some outcome of the uncertain requests.
    std::vector<bool> right(answers.size(), false);
    for (uint64_t applied = 0; applied < (1ull << uncertain.size()); ++applied)
        TRY(history_for(applied, &right));
    verdict.gets_answered = static_cast<uint32_t>(answers.size());
    for (size_t j = 0; j < answers.size(); ++j) {
        if (right[j])
            continue;
        verdict.wrong_answers += 1;
        if (verdict.message.empty())
            verdict.message = fmt::format("op {}: the get's answer is not the key's value", answers[j].op);
    }

    // A run that did not end at power-off has no final image to hold to the acknowledged ops.
    if (verdict.kernel_survived) {
        auto const image = TRY(qemu::read_file(*plugin.image_out, "the durable image at power-off"));
        view ^= trace::hash_bytes(ReadonlyBytes(image.data(), image.size()));
        check::CheckOptions options;
        options.store.bug = plan.bug;
        // R1-R6: the continuation (R14) is the power-cut campaign's and the fuzzer's concern.
        options.live = false;
        // The state is legal if it is what some outcome of the uncertain requests leaves; the
        // violations reported are those of the first outcome (all of them failed).
        std::vector<check::Violation> first;
        for (uint64_t applied = 0; applied < (1ull << uncertain.size()); ++applied) {
            auto const history = TRY(history_for(applied));
            auto violations = check::check_state(image, history, options);
            if (violations.empty()) {
                first.clear();
                break;
            }
            if (applied == 0)
                first = std::move(violations);
        }
        for (auto const& violation : first) {
            if (verdict.message.empty())
                verdict.message = violation.message;
            // Each invariant once: a run fails it or not.
            if (std::find(verdict.violations.begin(), verdict.violations.end(), violation.invariant)
                == verdict.violations.end())
                verdict.violations.push_back(violation.invariant);
        }
    } else if (result.guest_error) {
        verdict.message = *result.guest_error;
    }
    verdict.client_view = view;
    verdict.activated
        = verdict.fired && (verdict.server_crashed || verdict.restarts > 0 || verdict.client_view != baseline_view);
    return verdict;
}

} // namespace ferros::faults
