#include <algorithm>
#include <ferros/base/rng.h>
#include <ferros/campaign/host_recovery.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/verdict.h>
#include <ferros/campaign/walker.h>
#include <ferros/qemu/boot.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/reboot_worker.h>
#include <filesystem>
#include <fmt/format.h>
#include <optional>
#include <set>
#include <thread>

namespace ferros::campaign {

namespace {

    // The states --reboot asks for, in boundary order: every one, or K drawn with the campaign's
    // PRNG plus every state the host checker flagged (so that both checkers see the failures).
    std::vector<StateRow> select_states(const Plan& plan, const std::vector<StateRow>& all)
    {
        if (plan.reboot_mode == RebootMode::None)
            return {};
        if (plan.reboot_mode == RebootMode::All || plan.reboot_sample >= all.size())
            return all;
        std::set<size_t> chosen;
        Rng rng(plan.seed ^ 0x5245424f4f54ULL); // "REBOOT": a stream of its own
        while (chosen.size() < plan.reboot_sample)
            chosen.insert(rng.below(all.size()));
        size_t flagged = 0;
        for (size_t i = 0; i < all.size() && flagged < plan.reboot_sample; ++i) {
            if (!all[i].invariants.empty() && chosen.insert(i).second)
                ++flagged;
        }
        std::vector<StateRow> out;
        for (auto i : chosen)
            out.push_back(all[i]);
        return out;
    }

    Failure database(ResultsDb& db)
    {
        return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
    }

    // One reboot's row and its verdict (reboot_verdict), in the database.
    Result<void> record_reboot(
        const Plan& plan, ResultsDb& db, const StateRow& row, const qemu::BootResult& result, bool host_passed)
    {
        RebootRow reboot { row.hash, row.boundary, row.state, qemu::boot_outcome_name(result.outcome),
            qemu::ready_instructions(result.timeline).value_or(0), host_passed,
            result.outcome == qemu::BootOutcome::Ready };
        auto token = plan.token();
        token.boundary = row.boundary;
        token.state = row.state;
        std::vector<ViolationRow> violations;
        if (auto verdict = reboot_verdict(result, plan.options.boot_budget))
            violations.push_back(ViolationRow {
                verdict->invariant, row.boundary, row.state, 1, Checker::Reboot, token.encode(), verdict->message });
        if (db.add_reboot(reboot, violations).is_error())
            return database(db);
        return {};
    }

    // The crash states of the traced run, in boundary order: the reconstructor only goes
    // forward, and the oracle takes the markers on the way.
    class StateImages {
    public:
        StateImages(const Plan& plan, reconstruct::Reconstructor reconstructor)
            : m_plan(plan)
            , m_workload(plan.workload())
            , m_oracle(m_workload)
            , m_reconstructor(std::move(reconstructor))
        {
        }
        Result<std::vector<uint8_t>> image(const StateRow& row)
        {
            if (m_reconstructor.advance_to(Boundary(row.boundary)).is_error())
                return Failure(ErrorCode::Corrupt, "the trace changed under the campaign");
            for (; m_markers_taken < m_reconstructor.markers().size(); ++m_markers_taken)
                TRY(m_oracle.take(m_reconstructor.markers()[m_markers_taken].word));
            auto crash_states = m_reconstructor.states(m_plan.policy, m_plan.seed);
            if (crash_states.is_error() || row.state >= crash_states.value().count())
                return Failure(ErrorCode::Corrupt, "a recorded state no longer exists in the trace");
            return TRY(crash_states.value().image(row.state));
        }
        const MarkerOracle& oracle() const { return m_oracle; }

    private:
        const Plan& m_plan;
        abi::Workload m_workload;
        MarkerOracle m_oracle;
        reconstruct::Reconstructor m_reconstructor;
        size_t m_markers_taken { 0 };
    };

    // Depth 1: one reboot worker per job, each a long-lived QEMU (simulator/qemu); states go
    // out in batches and their rows come back in boundary order, whatever the threads did.
    Result<void> reboot_in_workers(const Plan& plan, const std::vector<StateRow>& pending, StateImages& images,
        ResultsDb& db, Progress& bar, size_t done_before, size_t total, const std::atomic<bool>& stop)
    {
        auto scratch = TRY(qemu::ScratchDir::create());
        qemu::WorkerOptions options;
        options.machine = TRY(reboot_machine(plan, plan.path("initial.img"), scratch, reboot_end(plan)));
        options.timeout_seconds = plan.options.timeout;
        options.stop = &stop;
        std::vector<std::unique_ptr<qemu::RebootWorker>> workers;
        for (size_t i = 0; i < std::min<size_t>(plan.jobs, pending.size()); ++i)
            workers.push_back(TRY(qemu::RebootWorker::start(options)));
        size_t const batch = 32 * workers.size();
        for (size_t begin = 0; begin < pending.size(); begin += batch) {
            if (stop.load())
                return Failure(ErrorCode::Interrupted, "interrupted; rerun the same command to resume");
            size_t const end = std::min(pending.size(), begin + batch);
            std::vector<std::vector<uint8_t>> state_images;
            for (size_t i = begin; i < end; ++i)
                state_images.push_back(TRY(images.image(pending[i])));
            std::vector<std::optional<Result<qemu::BootResult>>> results(end - begin);
            std::vector<char> host_passed(end - begin, 0);
            std::atomic<size_t> next { 0 };
            std::vector<std::thread> threads;
            for (auto& worker : workers) {
                threads.emplace_back([&, w = worker.get()] {
                    for (size_t i; (i = next++) < results.size();) {
                        results[i] = w->check(state_images[i]);
                        host_passed[i] = host_recovery_passes(state_images[i], plan.bug, reboot_end(plan));
                    }
                });
            }
            for (auto& t : threads)
                t.join();
            for (size_t i = 0; i < results.size(); ++i) {
                auto& result = *results[i];
                if (result.is_error())
                    return result.release_error();
                TRY(record_reboot(plan, db, pending[begin + i], result.value(), host_passed[i] != 0));
            }
            bar.update(done_before + end, total, fmt::format("{} of {} states", done_before + end, total));
        }
        return {};
    }

} // namespace

Result<void> reboot_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop)
{
    auto states = db.states(1);
    if (states.is_error())
        return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
    auto done_reboots = db.reboots();
    if (done_reboots.is_error())
        return Failure(ErrorCode::Io, fmt::format("results database: {}", db.last_error()));
    auto selected = select_states(plan, states.value());
    std::set<uint64_t> done;
    for (auto const& r : done_reboots.value())
        done.insert(r.hash);
    if (selected.empty())
        return {};

    StateImages images(plan, TRY(open_reconstructor(trace_path, plan.initial_image)));
    auto const interrupted = Failure(ErrorCode::Interrupted, "interrupted; rerun the same command to resume");
    auto bar = reporter.progress(plan.options.depth == 2 ? "reboot+recut" : "reboot");

    if (plan.options.depth < 2) {
        std::vector<StateRow> pending;
        for (auto const& row : selected) {
            if (!done.count(row.hash))
                pending.push_back(row);
        }
        TRY(reboot_in_workers(
            plan, pending, images, db, *bar, selected.size() - pending.size(), selected.size(), stop));
        bar->finish(fmt::format("{} states rebooted", selected.size()));
        return {};
    }

    // Depth 2 traces each recovery: one reboot worker whose plugin writes a trace per check,
    // byte for byte a fresh QEMU's (the test compares them), walked like the main run. The
    // traced boot ends at ready: the walk of the recovery checks R14 on its own states.
    auto scratch = TRY(qemu::ScratchDir::create());
    qemu::WorkerOptions options;
    options.machine = TRY(reboot_machine(plan, plan.path("initial.img"), scratch, RebootEnd::Ready));
    options.timeout_seconds = plan.options.timeout;
    options.stop = &stop;
    options.trace = true;
    std::unique_ptr<qemu::RebootWorker> worker;
    size_t index = 0;
    for (auto const& row : selected) {
        bar->update(index, selected.size(), fmt::format("{} of {} states", index, selected.size()));
        ++index;
        if (stop.load())
            return interrupted;
        auto nested_name = fmt::format("nested:{:016x}", row.hash);
        bool const reboot_done = done.count(row.hash) != 0;
        auto p = db.progress(nested_name);
        if (p.is_error())
            return database(db);
        bool const nested_done = p.value().done;
        if (reboot_done && nested_done)
            continue;
        auto image = TRY(images.image(row));
        if (!worker)
            worker = TRY(qemu::RebootWorker::start(options));
        auto nested_trace = plan.path(fmt::format("recovery-{:016x}.ftr", row.hash));
        auto checked = worker->check(image, nested_trace);
        if (checked.is_error()) {
            if (checked.error().code() == ErrorCode::Interrupted)
                return interrupted;
            return checked.release_error();
        }
        auto const& result = checked.value();
        if (!reboot_done)
            TRY(record_reboot(plan, db, row, result, host_recovery_passes(image, plan.bug, RebootEnd::Ready)));
        // A recovery that gave no verdict (a hang, a dead QEMU) left no complete trace: its
        // reboot row has its verdict, and there is no recovery to cut again.
        if (!result.process.exited)
            continue;

        if (!nested_done) {
            auto nested = TRY(open_reconstructor(nested_trace, image));
            WalkConfig config;
            config.policy = plan.policy;
            config.seed = plan.seed;
            config.jobs = plan.jobs;
            config.check.store.bug = plan.bug;
            config.check.full_check = plan.options.full_check;
            config.check.live = !plan.options.no_live;
            config.token = plan.token();
            config.depth = 2;
            config.fixed_history = std::make_shared<const check::History>(images.oracle().history());
            config.first_cut = NestedCut { row.boundary, row.state };
            config.progress_name = nested_name;
            auto walked = walk(nested, nullptr, db, config, {}, stop);
            if (walked.is_error()) {
                if (walked.error().code() == ErrorCode::Interrupted)
                    return interrupted;
                return Failure(walked.error()).in("walking a recovery");
            }
            std::error_code ignored;
            std::filesystem::remove(nested_trace, ignored);
        }
    }
    bar->finish(fmt::format("{} states rebooted", selected.size()));
    return {};
}

} // namespace ferros::campaign
