#include <ferros/campaign/walker.h>
#include <ferros/check/state_checker.h>
#include <fmt/format.h>
#include <unordered_set>

namespace ferros::campaign {

namespace {

    // A distinct state found in the walk, checked at once: the durable image it is a view of
    // is the reconstructor's, valid only until the walk advances.
    struct Checked {
        uint64_t hash { 0 };
        uint64_t boundary { 0 };
        uint64_t state { 0 };
        std::vector<check::Violation> violations;
    };

    std::vector<check::Invariant> invariants_of(const std::vector<check::Violation>& violations)
    {
        std::vector<check::Invariant> out;
        for (auto const& v : violations)
            out.push_back(v.invariant);
        return out;
    }

} // namespace

ErrorOr<WalkProgress> walk(reconstruct::Reconstructor& reconstructor, MarkerOracle* oracle, ResultsDb& db,
    const WalkConfig& config, const ProgressCallback& on_progress, const std::atomic<bool>& stop)
{
    WalkProgress progress = TRY(db.progress(config.progress_name));
    uint64_t const end = reconstructor.end_boundary().value();
    uint64_t const total = end + 1;
    if (progress.done)
        return progress;

    std::unordered_set<uint64_t> seen;
    for (auto hash : TRY(db.state_hashes(config.depth)))
        seen.insert(hash);

    std::shared_ptr<const check::History> history = config.fixed_history;
    size_t markers_taken = 0;
    bool history_changed = oracle != nullptr;
    auto take_markers = [&]() -> ErrorOr<void> {
        auto const& markers = reconstructor.markers();
        for (; markers_taken < markers.size(); ++markers_taken) {
            if (oracle) {
                TRY(oracle->take(markers[markers_taken].word));
                history_changed = true;
            }
        }
        if (oracle && history_changed) {
            history = std::make_shared<const check::History>(oracle->history());
            history_changed = false;
        }
        return {};
    };

    // States are views of the reconstructor's durable image, never copies: they are checked
    // (on the pool, all found since the last round) before the walk moves past a FLUSH that
    // changes that image, and before each batch of results goes to the database with the
    // progress that lets a resumed walk start after it.
    check::StateChecker checker(std::max(1u, config.jobs));
    std::vector<check::StateChecker::Job> checks;
    std::vector<std::unique_ptr<reconstruct::CrashStates>> spaces; // of the unchecked states
    std::vector<std::shared_ptr<const check::History>> histories; // of the unchecked states
    std::vector<Checked> jobs;
    size_t checked = 0; // jobs[0, checked) have their violations
    auto run_checks = [&] {
        if (!checks.empty()) {
            auto const durable = reconstructor.durable();
            checker.check(std::span<const uint8_t>(durable.data(), durable.size()),
                reconstructor.window().durable_hash(), config.check, checks);
            for (size_t k = 0; k < checks.size(); ++k)
                jobs[checked + k].violations = std::move(checks[k].violations);
        }
        checks.clear();
        spaces.clear();
        histories.clear();
        checked = jobs.size();
    };
    auto flush = [&](uint64_t next_boundary, bool done) -> ErrorOr<void> {
        run_checks();
        std::vector<StateRow> rows;
        std::vector<ViolationRow> violations;
        for (auto& job : jobs) {
            rows.push_back(StateRow { job.hash, job.boundary, job.state, config.depth, invariants_of(job.violations) });
            for (auto const& v : job.violations) {
                ReproToken token = config.token;
                if (config.depth == 2 && config.first_cut) {
                    token.boundary = config.first_cut->boundary;
                    token.state = config.first_cut->state;
                    token.nested = NestedCut { job.boundary, job.state };
                } else {
                    token.boundary = job.boundary;
                    token.state = job.state;
                }
                auto invariant = config.depth == 2 ? check::Invariant::R8 : v.invariant;
                auto message = config.depth == 2
                    ? fmt::format("cut during recovery: {} {}", check::invariant_id(v.invariant), v.message)
                    : v.message;
                violations.push_back(ViolationRow {
                    invariant, job.boundary, job.state, config.depth, Checker::Host, token.encode(), message });
            }
        }
        progress.checked += jobs.size();
        progress.next_boundary = next_boundary;
        progress.done = done;
        TRY(db.commit_batch(config.progress_name, rows, violations, progress));
        jobs.clear();
        checked = 0;
        return {};
    };

    uint64_t b = progress.next_boundary;
    TRY(reconstructor.advance_to(Boundary(b)));
    TRY(take_markers());
    uint64_t classes_since_report = 0;
    while (true) {
        auto next_event = reconstructor.next_event_boundary();
        uint64_t const class_end = next_event ? next_event->value() : end + 1; // exclusive
        bool const mine = progress.class_index % config.shard_count == config.shard_index;
        ++progress.class_index;
        if (mine) {
            ++progress.classes;
            progress.boundaries += class_end - b;
            auto states
                = std::make_unique<reconstruct::CrashStates>(TRY(reconstructor.states(config.policy, config.seed)));
            progress.states += states->count();
            size_t const before = checks.size();
            for (uint64_t i = 0; i < states->count(); ++i) {
                uint64_t const hash = states->space().hash(i);
                if (!seen.insert(hash).second)
                    continue;
                ++progress.distinct;
                jobs.push_back(Checked { hash, b, i, {} });
                checks.push_back(check::StateChecker::Job { &states->space(), i, history.get(), {} });
            }
            if (checks.size() > before) {
                spaces.push_back(std::move(states));
                histories.push_back(history);
            }
        }
        bool const last = !next_event;
        if (jobs.size() >= config.batch_states || last || stop.load()) {
            TRY(flush(class_end, last));
            if (on_progress)
                on_progress(progress, total);
            classes_since_report = 0;
            if (last)
                return progress;
            if (stop.load())
                return Error(ErrorCode::Interrupted, "campaign interrupted");
        } else if (++classes_since_report >= 4096 && on_progress) {
            on_progress(progress, total);
            classes_since_report = 0;
        }
        b = class_end;
        if (reconstructor.durable_may_change_at_next_event())
            run_checks();
        TRY(reconstructor.advance_to(Boundary(b)));
        TRY(take_markers());
    }
}

} // namespace ferros::campaign
