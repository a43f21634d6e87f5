#include <cstdio>
#include <ferros/campaign/merge.h>
#include <ferros/campaign/results_db.h>
#include <ferros/qemu/paths.h>
#include <ferros/trace/trace_reader.h>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

namespace ferros::campaign {

namespace {

    Failure database(ResultsDb& db, const std::string& path)
    {
        return Failure(ErrorCode::Io, fmt::format("results database '{}': {}", path, db.last_error()));
    }

    template<typename T>
    Result<T> read(ErrorOr<T> value, ResultsDb& db, const std::string& path)
    {
        if (value.is_error())
            return database(db, path);
        return value.release_value();
    }

} // namespace

Result<uint64_t> trace_boundaries(const std::string& trace_path)
{
    auto reader = trace::TraceReader::open(trace_path);
    if (reader.is_error())
        return Failure(reader.error()).in(fmt::format("trace '{}'", trace_path));
    return reader.value().footer().end_boundary + 1;
}

Result<MergeResult> merge_shards(const std::vector<std::string>& shards, const std::string& out)
{
    auto usage = [](std::string message) { return Failure(ErrorCode::InvalidArgument, std::move(message)); };
    std::map<std::string, std::string> identity;
    std::set<uint32_t> shards_seen;
    MergeResult result;
    WalkProgress total;
    total.done = true;
    std::vector<StateRow> states;
    std::map<uint64_t, StateRow> first_seen; // by content hash
    std::vector<ViolationRow> violations;
    // Each shard rebooted states of its own choosing (its sample, or all of its states): a
    // reboot is kept with the reboot checker's verdict on it, and with the states and
    // violations of its recovery's second cut (depth 2); a state two shards rebooted, once,
    // from the shard that met it first in the run. Keyed by content hash, so the order of the
    // shards on the command line does not matter.
    struct Reboot {
        RebootRow row;
        std::vector<ViolationRow> violations; // checker reboot, depth 1
    };
    std::map<uint64_t, Reboot> reboots;
    std::map<uint64_t, StateRow> nested_first_seen;
    std::map<std::tuple<std::string, int, std::string>, ViolationRow> nested_violations; // token, invariant, message
    std::vector<LossClassRow> classes;
    WalkProgress loss;
    loss.done = true;
    std::optional<RunSituations> situations; // the run's: every shard traced the same run
    for (auto const& dir : shards) {
        auto path = dir + "/results.db";
        if (!qemu::file_exists(path))
            return usage(fmt::format("'{}' holds no campaign results", dir));
        auto opened = ResultsDb::open_existing(path);
        if (opened.is_error())
            return usage(fmt::format("cannot open the results database '{}'", path));
        auto db = opened.release_value();
        auto id = TRY(read(db.identity(), db, path));
        uint32_t index = 0, count = 0;
        if (std::sscanf(id["shard"].c_str(), "%u/%u", &index, &count) != 2 || count == 0)
            return usage(fmt::format("'{}' is not a shard of a campaign", dir));
        id.erase("shard");
        if (identity.empty()) {
            identity = id;
            result.shard_count = count;
        } else if (id != identity || count != result.shard_count) {
            return Failure(ErrorCode::Mismatch, fmt::format("'{}' is a shard of a different campaign", dir));
        }
        if (!shards_seen.insert(index).second)
            return usage(fmt::format("shard {}/{} is given twice", index, count));
        auto p = TRY(read(db.progress("main"), db, path));
        if (!p.done)
            return usage(fmt::format("shard {}/{} in '{}' has not finished: rerun it first", index, count, dir));
        total.boundaries += p.boundaries;
        total.classes += p.classes;
        total.states += p.states;
        total.class_index = std::max(total.class_index, p.class_index);
        total.next_boundary = std::max(total.next_boundary, p.next_boundary);
        result.total_boundaries = std::max(result.total_boundaries, TRY(trace_boundaries(dir + "/trace.ftr")));
        // A state met in the classes of two shards was checked by both, each where it first
        // appeared among its own classes, against the oracle there. The unsharded walk checks it
        // once, where it first appears in the run: keep that check, and its violations only.
        for (auto const& row : TRY(read(db.states(1), db, path))) {
            auto [it, inserted] = first_seen.emplace(row.hash, row);
            if (!inserted && std::pair(row.boundary, row.state) < std::pair(it->second.boundary, it->second.state))
                it->second = row;
        }
        std::map<std::pair<uint64_t, uint64_t>, std::vector<ViolationRow>> reboot_verdicts;
        for (auto const& v : TRY(read(db.violations(), db, path))) {
            if (v.depth == 2)
                nested_violations.emplace(std::tuple(v.token, static_cast<int>(v.invariant), v.message), v);
            else if (v.checker == Checker::Reboot)
                reboot_verdicts[{ v.boundary, v.state }].push_back(v);
            else
                violations.push_back(v);
        }
        for (auto const& r : TRY(read(db.reboots(), db, path))) {
            Reboot reboot { r, reboot_verdicts[{ r.boundary, r.state }] };
            auto [it, inserted] = reboots.emplace(r.hash, reboot);
            if (!inserted && std::pair(r.boundary, r.state) < std::pair(it->second.row.boundary, it->second.row.state))
                it->second = std::move(reboot);
        }
        for (auto const& row : TRY(read(db.states(2), db, path))) {
            auto [it, inserted] = nested_first_seen.emplace(row.hash, row);
            if (!inserted && std::pair(row.boundary, row.state) < std::pair(it->second.boundary, it->second.state))
                it->second = row;
        }
        // Each shard recorded its own boundary classes; together they are the run's.
        auto l = TRY(read(db.progress("loss"), db, path));
        loss.done = loss.done && l.done;
        loss.classes += l.classes;
        loss.boundaries += l.boundaries;
        loss.states += l.states;
        loss.class_index = std::max(loss.class_index, l.class_index);
        loss.next_boundary = std::max(loss.next_boundary, l.next_boundary);
        for (auto& c : TRY(read(db.loss_classes(), db, path)))
            classes.push_back(std::move(c));
        if (auto s = TRY(read(db.situations(), db, path))) {
            if (situations && !(*situations == *s))
                return Failure(ErrorCode::Mismatch,
                    fmt::format("'{}' counts other situations than the shards before it: not the same run", dir));
            situations = s;
        }
    }
    if (shards_seen.size() != result.shard_count)
        return usage(
            fmt::format("{} of {} shards given; merge needs all of them", shards_seen.size(), result.shard_count));
    std::set<std::pair<uint64_t, uint64_t>> kept;
    for (auto const& [hash, row] : first_seen) {
        states.push_back(row);
        kept.insert({ row.boundary, row.state });
    }
    std::erase_if(violations, [&](const ViolationRow& v) { return kept.count({ v.boundary, v.state }) == 0; });
    total.distinct = states.size();
    total.checked = states.size();
    for (auto const& [hash, row] : nested_first_seen)
        states.push_back(row);
    for (auto const& [key, v] : nested_violations)
        violations.push_back(v);
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    auto out_path = out + "/results.db";
    auto opened = ResultsDb::open(out_path);
    if (opened.is_error())
        return usage(fmt::format("cannot open the results database '{}'", out_path));
    auto db = opened.release_value();
    if (!TRY(read(db.identity(), db, out_path)).empty())
        return usage(fmt::format("'{}' already holds results; merge into an empty directory", out));
    identity["shard"] = fmt::format("merged/{}", result.shard_count);
    if (db.set_identity(identity).is_error() || db.commit_batch("main", states, violations, total).is_error()
        || db.commit_batch("loss", {}, {}, loss, classes).is_error()
        || (situations && db.set_situations(*situations).is_error()))
        return database(db, out_path);
    for (auto const& [hash, reboot] : reboots) {
        if (db.add_reboot(reboot.row, reboot.violations).is_error())
            return database(db, out_path);
    }
    return result;
}

} // namespace ferros::campaign
