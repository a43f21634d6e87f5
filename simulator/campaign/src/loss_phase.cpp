#include <algorithm>
#include <ferros/abi/machine.h>
#include <ferros/campaign/oracle.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/situations.h>
#include <fmt/format.h>
#include <unordered_map>

namespace ferros::campaign {

namespace {

    // Classes per database transaction: the pass is cheap, so a batch is only a bound on what
    // an interruption repeats.
    constexpr size_t kBatchClasses = 4096;

    // What a cut can lose, from the oracle as of the class: the transactions submitted after
    // the last acknowledgement, their operations and their keys' and values' bytes.
    void fill_loss(const check::History& history, LossClassRow& row)
    {
        auto const& transactions = history.transactions();
        for (size_t t = history.acknowledged(); t < transactions.size(); ++t) {
            ++row.transactions;
            for (auto const& op : transactions[t].ops) {
                ++row.operations;
                row.bytes += op.key.size() + op.value.size();
            }
        }
    }

} // namespace

Result<void> loss_phase(
    const Plan& plan, const std::string& trace_path, ResultsDb& db, Reporter& reporter, const std::atomic<bool>& stop)
{
    auto database = [&](const char* what) {
        return Failure(ErrorCode::Io, fmt::format("results database: {}: {}", what, db.last_error()));
    };
    auto progress = db.progress("loss");
    if (progress.is_error())
        return database("reading progress");
    if (progress.value().done)
        return {};

    // The walk checked every distinct state of this shard's classes once, where it first
    // appeared; a class's verdict is the union of its states' (also of states seen before).
    std::unordered_map<uint64_t, std::vector<check::Invariant>> violated;
    auto states = db.states(1);
    if (states.is_error())
        return database("reading states");
    for (auto& row : states.value()) {
        if (!row.invariants.empty())
            violated.emplace(row.hash, std::move(row.invariants));
    }

    auto workload = plan.workload();
    // The run's situations and the protocol phase of every boundary: one pass over the trace
    // before this one (docs/campaign.md, "Situations"). The totals are the run's, the same in
    // every shard; they are written again on a resumed pass.
    auto scan = TRY(scan_situations(trace_path, plan.initial_image, workload));
    if (db.set_situations(scan.situations()).is_error())
        return database("writing situations");
    auto const& phases = scan.phases();
    size_t phase_index = 0;
    auto phase_at = [&](uint64_t boundary) {
        while (phase_index + 1 < phases.size() && phases[phase_index + 1].boundary <= boundary)
            ++phase_index;
        return phases[phase_index].phase;
    };

    auto reconstructor = TRY(open_reconstructor(trace_path, plan.initial_image));
    MarkerOracle oracle(workload);
    std::optional<uint64_t> durable_point;
    size_t markers_taken = 0;
    auto take_markers = [&]() -> Result<void> {
        auto const& markers = reconstructor.markers();
        for (; markers_taken < markers.size(); ++markers_taken) {
            auto const& marker = markers[markers_taken];
            if (oracle.take(marker.word).is_error())
                return Failure(ErrorCode::Mismatch, "the trace's markers do not fit the campaign's workload");
            auto const kind = abi::marker_kind(marker.word);
            bool const ready = kind == abi::MarkerKind::Stage
                && abi::marker_payload(marker.word) == static_cast<uint64_t>(abi::BootStage::Ready);
            if (kind == abi::MarkerKind::OpDurable || (ready && !durable_point))
                durable_point = marker.boundary.value();
        }
        return {};
    };

    auto bar = reporter.progress("loss window");
    uint64_t const end = reconstructor.end_boundary().value();
    WalkProgress p;
    std::vector<LossClassRow> batch;
    uint64_t b = 0;
    TRY(reconstructor.advance_to(Boundary(b)));
    TRY(take_markers());
    while (true) {
        auto next_event = reconstructor.next_event_boundary();
        uint64_t const class_end = next_event ? next_event->value() : end + 1; // exclusive
        bool const mine = p.class_index % plan.shard_count == plan.shard_index;
        ++p.class_index;
        if (mine) {
            LossClassRow row;
            row.first_boundary = b;
            row.boundaries = class_end - b;
            row.instructions_since_durable = durable_point ? b - *durable_point : 0;
            // Events are where phases change, and a class holds none inside: one phase each.
            row.phase = cut_phase_name(phase_at(b));
            fill_loss(oracle.history(), row);
            auto crash_states = reconstructor.states(plan.policy, plan.seed);
            if (crash_states.is_error())
                return Failure(crash_states.error()).in(fmt::format("crash states at boundary {}", b));
            row.states = crash_states.value().count();
            std::vector<check::Invariant> invariants;
            for (uint64_t i = 0; i < row.states; ++i) {
                auto it = violated.find(crash_states.value().space().hash(i));
                if (it != violated.end())
                    invariants.insert(invariants.end(), it->second.begin(), it->second.end());
            }
            // One entry per invariant, in the table's order (join_ids stores them that way).
            for (auto invariant : check::kInvariants) {
                if (std::find(invariants.begin(), invariants.end(), invariant) != invariants.end())
                    row.invariants.push_back(invariant);
            }
            ++p.classes;
            p.boundaries += row.boundaries;
            p.states += row.states;
            batch.push_back(std::move(row));
        }
        bool const last = !next_event;
        if (batch.size() >= kBatchClasses || last) {
            p.next_boundary = class_end;
            p.done = last;
            // Rows are keyed by their first boundary: an interrupted pass that starts again
            // replaces what it wrote before.
            if (db.commit_batch("loss", {}, {}, p, batch).is_error())
                return database("writing boundary classes");
            batch.clear();
            bar->update(class_end, end + 1, fmt::format("{} classes", p.classes));
            if (last)
                break;
        }
        if (stop.load())
            return Failure(ErrorCode::Interrupted, "interrupted; rerun the same command to resume");
        b = class_end;
        TRY(reconstructor.advance_to(Boundary(b)));
        TRY(take_markers());
    }
    bar->finish(fmt::format("{} boundary classes", p.classes));
    return {};
}

} // namespace ferros::campaign
