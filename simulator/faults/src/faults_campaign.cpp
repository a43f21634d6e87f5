#include <charconv>
#include <ferros/abi/syscall.h>
#include <ferros/base/crc32c.h>
#include <ferros/faults/faults_campaign.h>
#include <fmt/format.h>

namespace ferros::faults {

namespace {

    constexpr std::string_view kPrefix = "ferrosf1";

    // An injection run's instruction limit: 4 times the fault-free run, plus the spin budget of
    // the kernel's watchdog for this device, so that a server that spins is ended by the
    // watchdog and restarted within the limit. Deterministic, unlike a wall-clock limit.
    uint64_t instruction_limit(uint64_t baseline_instructions, uint64_t ssd_size)
    {
        return 4 * baseline_instructions + abi::spin_budget_ticks(ssd_size) * abi::kTickInstructions;
    }

    bool parse_number(std::string_view text, uint64_t& out, int base)
    {
        if (text.empty())
            return false;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
        return ec == std::errc() && end == text.data() + text.size();
    }

    // The campaign's identity, plus what makes a fault campaign: its points.
    std::map<std::string, std::string> identity(const campaign::Plan& plan, const FaultsOptions& options)
    {
        auto id = plan.identity();
        id["format"] = "ferros-faults-1";
        id["every"] = std::to_string(options.every);
        std::string kinds;
        for (auto kind : options.kinds)
            kinds += std::string(kinds.empty() ? "" : ",") + fault_kind_name(kind);
        id["kinds"] = kinds;
        return id;
    }

    void count(FaultsSummary& summary, const InjectionRow& row)
    {
        auto const& v = row.verdict;
        summary.runs += 1;
        summary.fired += v.fired;
        summary.activated += v.activated;
        summary.kernel_crashes += v.ended && !v.kernel_survived;
        summary.unended += !v.ended;
        summary.restarted += v.restarts > 0;
        summary.gave_up += v.gave_up;
        summary.violations += !v.violations.empty();
        summary.failed_ops += v.failed_ops;
        summary.wrong_answers += v.wrong_answers > 0;
        summary.gets_answered += v.gets_answered;
        if (!v.passed())
            summary.failures.push_back(row);
    }

    std::string verdict_word(const InjectionVerdict& v)
    {
        if (!v.ended)
            return "DID NOT END (" + v.outcome + ")";
        if (!v.kernel_survived)
            return "KERNEL " + v.outcome;
        if (v.gave_up)
            return "GAVE UP";
        if (!v.violations.empty())
            return "VIOLATION";
        if (v.wrong_answers > 0)
            return "WRONG ANSWER";
        return v.restarts > 0 ? "restarted, ok" : (v.activated ? "activated, ok" : "ok");
    }

} // namespace

std::string fault_token(const campaign::Plan& plan, const InjectionPoint& point)
{
    auto base = plan.token();
    base.boundary = point.at;
    auto body = fmt::format("{}.{}.a{}.{}", kPrefix, fault_kind_name(point.kind), point.arg, base.encode());
    return fmt::format("{}.f{:08x}", body, crc32c(0, body.data(), body.size()));
}

ErrorOr<DecodedFaultToken> decode_fault_token(const std::string& raw)
{
    std::string_view text = raw;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.remove_suffix(1);
    if (text.substr(0, kPrefix.size() + 1) != std::string(kPrefix) + ".")
        return Error(ErrorCode::BadFormat, "not a fault repro token (it starts with ferrosf1.)");
    auto const last = text.rfind('.');
    uint64_t crc = 0;
    if (last == std::string_view::npos || text.size() - last != 10 || text[last + 1] != 'f'
        || !parse_number(text.substr(last + 2), crc, 16))
        return Error(ErrorCode::BadFormat, "the fault token's checksum field is malformed");
    auto const body = text.substr(0, last);
    if (crc32c(0, body.data(), body.size()) != crc)
        return Error(ErrorCode::Corrupt, "the fault token's checksum does not match (was it copied whole?)");
    auto rest = body.substr(kPrefix.size() + 1);
    auto const kind_end = rest.find('.');
    auto const arg_end = kind_end == std::string_view::npos ? kind_end : rest.find('.', kind_end + 1);
    if (arg_end == std::string_view::npos)
        return Error(ErrorCode::BadFormat, "the fault token has too few fields");
    DecodedFaultToken decoded;
    decoded.point.kind = TRY(parse_fault_kind(std::string(rest.substr(0, kind_end))));
    auto const arg = rest.substr(kind_end + 1, arg_end - kind_end - 1);
    if (arg.size() < 2 || arg[0] != 'a' || !parse_number(arg.substr(1), decoded.point.arg, 10))
        return Error(ErrorCode::BadFormat, "the fault token's ARG field is malformed");
    decoded.base = TRY(campaign::ReproToken::decode(std::string(rest.substr(arg_end + 1))));
    decoded.point.at = decoded.base.boundary;
    if (decoded.point.at == 0)
        return Error(ErrorCode::BadFormat, "the fault token's N is 0");
    return decoded;
}

Result<FaultsSummary> run_faults(const campaign::Plan& plan, const FaultsOptions& options, campaign::Reporter& reporter,
    const std::atomic<bool>& stop)
{
    if (options.every == 0 || options.kinds.empty())
        return Failure(ErrorCode::InvalidArgument, "--every is at least 1, and at least one fault kind is needed");
    auto db_path = plan.path("faults.db");
    auto db = FaultsDb::open(db_path);
    if (db.is_error())
        return Failure(ErrorCode::Io, fmt::format("{}: {}", db_path, db.error().message()));
    auto const wanted = identity(plan, options);
    auto const existing = TRY(db.value().identity());
    if (!existing.empty() && existing != wanted)
        return Failure(ErrorCode::Mismatch,
            fmt::format("{} holds another fault campaign (other arguments, kernel or workload); use another --out",
                plan.out_dir));
    if (existing.empty())
        TRY(db.value().set_identity(wanted));

    FaultsSummary summary;
    auto baseline = TRY(db.value().baseline());
    if (!baseline) {
        reporter.note("the fault-free run: how many instructions the store server retires");
        auto const clean = TRY(run_injection(plan, std::nullopt, 0));
        if (!clean.kernel_survived || clean.gave_up || clean.store_instructions == 0 || clean.guest_instructions == 0)
            return Failure(ErrorCode::NotReached,
                fmt::format("the fault-free run did not reach power-off with the store server serving ({}{}{})",
                    clean.outcome, clean.message.empty() ? "" : ": ", clean.message));
        baseline = Baseline { clean.store_instructions, clean.client_view, clean.violations, clean.guest_instructions };
        TRY(db.value().set_baseline(*baseline));
    }
    summary.store_instructions = baseline->store_instructions;
    if (!baseline->violations.empty())
        reporter.note("the fault-free run already fails R1-R6: the store is broken without any fault");

    std::map<std::pair<uint64_t, FaultKind>, bool> done;
    for (auto& row : TRY(db.value().rows()))
        done[{ row.point.at, row.point.kind }] = true;
    // This shard's points: the i-th, (i + n)-th, ... of N = K, 2K, ... <= T.
    std::vector<InjectionPoint> pending;
    uint64_t index = 0;
    for (uint64_t at = options.every; at <= summary.store_instructions; at += options.every, ++index) {
        if (index % plan.shard_count != plan.shard_index)
            continue;
        for (auto kind : options.kinds) {
            summary.points += 1;
            if (!done.count({ at, kind }))
                pending.push_back(injection_point(plan.seed, at, kind));
        }
    }
    reporter.note(fmt::format("{} injection runs in this shard ({} points of {} instructions, every {}), {} to go",
        summary.points, summary.points / options.kinds.size(), summary.store_instructions, options.every,
        pending.size()));
    uint64_t finished = summary.points - pending.size();
    for (auto const& point : pending) {
        if (stop.load())
            return Failure(ErrorCode::Interrupted, "interrupted: every finished run is saved; rerun to resume");
        InjectionRow row;
        row.point = point;
        row.verdict = TRY(run_injection(plan, point, baseline->client_view, nullptr,
            instruction_limit(baseline->guest_instructions, plan.options.ssd_size)));
        row.token = fault_token(plan, point);
        TRY(db.value().add(row));
        finished += 1;
        reporter.note(fmt::format("faults: {}/{} {}: {}{}", finished, summary.points, inject_token(point),
            verdict_word(row.verdict), row.verdict.passed() ? "" : " " + row.token));
    }
    // The summary is of everything recorded for this shard, resumed runs included.
    auto const rows = TRY(db.value().rows());
    uint64_t const points = summary.points;
    summary = FaultsSummary { summary.store_instructions, baseline->violations, points };
    for (auto const& row : rows)
        count(summary, row);
    return summary;
}

std::string summary_text(const FaultsSummary& s)
{
    std::string text = fmt::format("ferros faults: store server {} user instructions; {} of {} injection runs\n",
        s.store_instructions, s.runs, s.points);
    text += fmt::format(
        "  fired {}, activated {}, restarted {}, gave up {}\n", s.fired, s.activated, s.restarted, s.gave_up);
    text += fmt::format("  runs that did not end (instruction limit: something spins) {}\n", s.unended);
    text += fmt::format("  kernel crashes {}, runs with R1-R6 violations {}, client calls failed (retryable) {}\n",
        s.kernel_crashes, s.violations, s.failed_ops);
    text += fmt::format("  runs with a wrong answer {} (of {} gets answered)\n", s.wrong_answers, s.gets_answered);
    if (!s.baseline_violations.empty())
        text += fmt::format("FAIL the fault-free run: violations={}\n", check::join_ids(s.baseline_violations));
    for (auto const& row : s.failures) {
        auto const invariants = check::join_ids(row.verdict.violations);
        text += fmt::format(
            "FAIL {} {} outcome={} restarts={} gave_up={} violations={} wrong_answers={} {}\n  repro: {}\n",
            inject_token(row.point), fault_kind_name(row.point.kind), row.verdict.outcome, row.verdict.restarts,
            row.verdict.gave_up, invariants.empty() ? "-" : invariants, row.verdict.wrong_answers, row.verdict.message,
            row.token);
    }
    return text;
}

std::string summary_json(const FaultsSummary& s)
{
    std::string tokens;
    for (auto const& row : s.failures)
        tokens += fmt::format("{}\"{}\"", tokens.empty() ? "" : ",", row.token);
    return fmt::format(
        "{{\"store_instructions\":{},\"points\":{},\"runs\":{},\"complete\":{},\"fired\":{},"
        "\"activated\":{},\"restarted\":{},\"gave_up\":{},\"kernel_crashes\":{},\"unended\":{},\"violations\":{},"
        "\"failed_ops\":{},\"wrong_answers\":{},\"gets_answered\":{},\"failures\":{},\"baseline_violations\":\"{}\","
        "\"tokens\":[{}]}}",
        s.store_instructions, s.points, s.runs, s.complete() ? "true" : "false", s.fired, s.activated, s.restarted,
        s.gave_up, s.kernel_crashes, s.unended, s.violations, s.failed_ops, s.wrong_answers, s.gets_answered,
        s.failures.size(), check::join_ids(s.baseline_violations), tokens);
}

} // namespace ferros::faults
