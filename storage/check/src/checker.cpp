#include "live_check.h"
#include "structure.h"
#include <ferros/check/checker.h>
#include <ferros/storage/store.h>
#include <map>
#include <optional>
#include <tuple>

namespace ferros::check {

namespace {

    std::string error_text(const Error& error)
    {
        std::string text = error_name(error.code());
        if (error.context())
            text += std::string(" (") + error.context() + ")";
        return text;
    }

    std::vector<uint8_t>& store_memory()
    {
        static thread_local std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
        return memory;
    }

    std::string show(const std::optional<std::vector<uint8_t>>& value)
    {
        if (!value)
            return "absent";
        return std::to_string(value->size()) + " bytes";
    }

    std::optional<std::vector<uint8_t>> value_in(const KeyValueState& state, const std::string& key)
    {
        auto found = state.find(key);
        if (found == state.end())
            return std::nullopt;
        return found->second;
    }

    // Whether `recovered` is the state after transactions [0, p) plus a strict, non-empty
    // part of transaction p: a torn transaction.
    bool partially_applied(const KeyValueState& before, const Transaction& transaction, const KeyValueState& recovered)
    {
        KeyValueState after = before;
        History::apply(transaction, after);
        std::map<std::string, bool> touched;
        for (auto const& op : transaction.ops)
            touched[op.key] = true;
        bool some_new = false, some_old = false;
        for (auto const& [key, unused] : touched) {
            auto const got = value_in(recovered, key);
            auto const old_value = value_in(before, key);
            auto const new_value = value_in(after, key);
            if (old_value == new_value)
                continue;
            if (got == new_value)
                some_new = true;
            else if (got == old_value)
                some_old = true;
            else
                return false;
        }
        if (!some_new || !some_old)
            return false;
        // Outside the transaction's keys, nothing may differ from `before`.
        for (auto const& [key, value] : recovered)
            if (!touched.count(key) && value_in(before, key) != value)
                return false;
        for (auto const& [key, value] : before)
            if (!touched.count(key) && !recovered.count(key))
                return false;
        return true;
    }

    // The states after the acknowledged transactions and after each later submitted one,
    // made once per history (and thread) rather than copied for every state checked.
    const std::vector<KeyValueState>& prefix_states(const History& history)
    {
        static thread_local uint64_t version = 0;
        static thread_local std::vector<KeyValueState> states;
        if (version != history.version() || states.empty()) {
            states.assign(1, history.acknowledged_state());
            for (size_t p = history.acknowledged(); p < history.submitted(); ++p) {
                states.push_back(states.back());
                History::apply(history.transactions()[p], states.back());
            }
            version = history.version();
        }
        return states;
    }

    void check_against_history(
        const KeyValueState& recovered, const History& history, std::vector<Violation>& violations)
    {
        size_t const acknowledged = history.acknowledged();
        size_t const submitted = history.submitted();
        auto const& transactions = history.transactions();
        // R5: the state after some prefix no shorter than the acknowledged one.
        for (auto const& state : prefix_states(history))
            if (state == recovered)
                return;

        // Diagnose. R3/R6: keys whose acknowledged value nothing later may change.
        std::map<std::string, size_t> last_writer;
        for (size_t i = 0; i < submitted; ++i)
            for (auto const& op : transactions[i].ops)
                last_writer[op.key] = i;
        size_t const fresh_from = history.sync_points().empty() ? 0 : history.sync_points().back();
        bool lost = false;
        for (auto const& [key, writer] : last_writer) {
            if (writer >= acknowledged)
                continue;
            auto const expected = value_in(history.acknowledged_state(), key);
            auto const got = value_in(recovered, key);
            if (expected == got)
                continue;
            lost = true;
            bool const fresh = writer >= fresh_from;
            violations.push_back({ fresh ? Invariant::R3 : Invariant::R6,
                "key '" + printable_key(key) + "': " + show(got) + ", but transaction " + std::to_string(writer)
                    + " left it " + show(expected) + (fresh ? " and was acknowledged durable" : " durably long ago") });
        }
        for (auto const& [key, value] : recovered) {
            if (!last_writer.count(key)) {
                violations.push_back({ Invariant::R6, "key '" + printable_key(key) + "' was never written" });
                lost = true;
            }
        }

        // R4: a transaction visible in part.
        KeyValueState before;
        for (size_t p = 0; p < submitted; ++p) {
            if (partially_applied(before, transactions[p], recovered)) {
                violations.push_back({ Invariant::R4, "transaction " + std::to_string(p) + " is visible in part" });
                return;
            }
            History::apply(transactions[p], before);
        }
        if (!lost) {
            violations.push_back({ Invariant::R5,
                "the recovered state is the state after no prefix of the " + std::to_string(submitted)
                    + " submitted transactions at or beyond the " + std::to_string(acknowledged) + " acknowledged" });
        } else {
            for (size_t p = 0; p < acknowledged; ++p) {
                if (history.state_after(p) == recovered) {
                    violations.push_back({ Invariant::R5,
                        "recovered the state after " + std::to_string(p) + " transactions, but "
                            + std::to_string(acknowledged) + " were acknowledged durable" });
                    return;
                }
            }
        }
    }

    // A mount of a durable image, replayed once for every state over it (per thread): the
    // store resumes a state's replay where this one ended, when the state chose the same
    // anchor and changed no byte of the log this replay read (docs/campaign.md).
    struct Replayed {
        uint64_t durable_hash { 0 };
        storage::SeededBug bug { storage::SeededBug::None };
        bool mounted { false };
        storage::ReplayPoint point;
        std::vector<uint8_t> overlay;
        // What reading each of the overlay's puts gave on the durable image, by reference:
        // the same read of a state whose record bytes are unchanged gives the same value.
        struct Read {
            uint64_t offset; // the record's bytes on the device
            uint64_t length;
            std::vector<uint8_t> value;
        };
        std::map<std::tuple<uint64_t, uint32_t, uint32_t>, Read> reads;
    };

    Replayed const* replay_of(
        std::span<const uint8_t> durable, uint64_t durable_hash, const storage::StoreOptions& options)
    {
        static thread_local Replayed memo;
        if (memo.durable_hash != durable_hash || memo.bug != options.bug || memo.overlay.empty()) {
            memo = Replayed { durable_hash, options.bug, false, {}, {}, {} };
            ViewSsd clean(StateView { durable, durable_hash, {} });
            auto& memory = store_memory();
            storage::Store store(clean, Bytes(memory.data(), storage::Store::kMemorySize), options);
            memo.mounted = !store.mount().is_error();
            if (memo.mounted) {
                memo.point = store.replay_point();
                memo.overlay.resize(store.overlay().saved_size());
                store.overlay().save(memo.overlay.data());
                auto const geometry = ring::Geometry::create(durable.size()).value();
                static thread_local std::vector<uint8_t> value(storage::kMaxValueLength);
                auto const& overlay = store.overlay();
                for (size_t i = 0; i < overlay.count(); ++i) {
                    auto const& entry = overlay.at(i);
                    if (entry.kind != storage::OverlayKind::Put)
                        continue;
                    auto got = store.get(overlay.key_of(entry), Bytes(value.data(), value.size()));
                    uint64_t const offset = geometry.offset_of(entry.ref.record).value();
                    if (got.is_error() || offset + ring::kRecordHeaderSize > durable.size())
                        continue;
                    auto header = ring::decode_header(durable.data() + offset);
                    if (header.is_error())
                        continue;
                    memo.reads[{ entry.ref.record.value(), entry.ref.offset, entry.ref.length }]
                        = Replayed::Read { offset, header.value().length,
                              std::vector<uint8_t>(value.begin(), value.begin() + got.value()) };
                }
            } else {
                memo.overlay.assign(1, 0); // remembered: this image does not mount
            }
        }
        return memo.mounted ? &memo : nullptr;
    }

    // Whether the state changed a byte of the log the durable image's replay accepted: ring
    // positions [log start, head). (From the head on, a resumed replay reads the state's own
    // bytes.)
    bool log_touched(const ViewSsd& ssd, const storage::ReplayPoint& point)
    {
        auto const geometry = ring::Geometry::create(ssd.size()).value();
        uint64_t const length = geometry.ring_length();
        uint64_t const start = point.anchor.log_start.value();
        uint64_t const bytes = point.head.value() - start;
        if (bytes > length)
            return true;
        uint64_t const offset = start % length;
        uint64_t const first = std::min(bytes, length - offset);
        return ssd.touched(ring::kRingStart + offset, first)
            || (bytes > first && ssd.touched(ring::kRingStart, bytes - first));
    }

    // What the store's iteration and reads give (the loop in check_state below), when the
    // index is known to be a proper B+tree whose values all read back (its contents): the
    // index's keys, with the overlay's changes on top, in key order. Only the overlay's puts
    // are read through the store (or taken from the durable image's read of the same record,
    // when this state left its bytes alone): every other value is the index's, verified.
    void read_back(storage::Store& store, const ViewSsd& ssd, const Replayed* replayed, const TreeContents& tree,
        KeyValueState& recovered, std::vector<Violation>& violations)
    {
        static thread_local std::vector<uint8_t> value(storage::kMaxValueLength);
        auto const& overlay = store.overlay();
        size_t t = 0;
        for (size_t i = 0; i < overlay.count(); ++i) {
            auto const& entry = overlay.at(i);
            auto const key = overlay.key_of(entry);
            std::string const name(reinterpret_cast<const char*>(key.data()), key.size());
            for (; t < tree.size() && tree[t].first < name; ++t)
                recovered.emplace_hint(recovered.end(), tree[t]);
            bool const in_tree = t < tree.size() && tree[t].first == name;
            switch (entry.kind) {
            case storage::OverlayKind::Put: {
                // The durable image's read of this reference, when this state left the record's
                // bytes alone; the store's own read otherwise.
                if (replayed) {
                    auto const read
                        = replayed->reads.find({ entry.ref.record.value(), entry.ref.offset, entry.ref.length });
                    if (read != replayed->reads.end() && !ssd.touched(read->second.offset, read->second.length)) {
                        recovered.emplace_hint(recovered.end(), name, read->second.value);
                        break;
                    }
                }
                auto got = store.get(key, Bytes(value.data(), value.size()));
                if (got.is_error())
                    violations.push_back({ Invariant::R2,
                        "reading key '" + printable_key(name) + "' failed: " + error_text(got.error()) });
                else
                    recovered.emplace_hint(
                        recovered.end(), name, std::vector<uint8_t>(value.begin(), value.begin() + got.value()));
                break;
            }
            case storage::OverlayKind::Delete:
                break;
            case storage::OverlayKind::Touch:
                if (in_tree)
                    recovered.emplace_hint(recovered.end(), tree[t]);
                break;
            }
            t += in_tree;
        }
        for (; t < tree.size(); ++t)
            recovered.emplace_hint(recovered.end(), tree[t]);
    }

    // R2 covers the store's accounting too, as the guest's self-check does (kernel/self_check.cpp):
    // the live charge it recovered from anchor and log is what its keys hold, and within the
    // capacity that keeps cleaning able to progress (a store that admitted more would refuse
    // nothing until cleaning found no room).
    void check_charge(const storage::Store& store, const KeyValueState& recovered, std::vector<Violation>& violations)
    {
        uint64_t charge = 0;
        for (auto const& [key, value] : recovered)
            charge += storage::live_charge(key.size(), value.size());
        if (charge != store.live_charge())
            violations.push_back({ Invariant::R2,
                "the store's live charge " + std::to_string(store.live_charge()) + " is not the "
                    + std::to_string(charge) + " bytes its keys hold" });
        else if (charge > store.capacity())
            violations.push_back({ Invariant::R2,
                "the live charge " + std::to_string(charge) + " exceeds the store's capacity "
                    + std::to_string(store.capacity()) });
    }

} // namespace

std::vector<Violation> check_state(std::span<const uint8_t> image, const History& history, const CheckOptions& options)
{
    return check_state(StateView { image, std::nullopt, {} }, history, options);
}

std::vector<Violation> check_state(const StateView& state, const History& history, const CheckOptions& options)
{
    std::vector<Violation> violations;
    ViewSsd ssd(state);
    // The state as it is, for the continuation: the mount below writes an anchor into `ssd`.
    std::optional<ViewSsd> unwritten;
    if (options.live)
        unwritten.emplace(ssd);
    auto& memory = store_memory();
    Replayed const* replayed = nullptr;
    if (!options.full_check && state.durable_hash)
        replayed = replay_of(state.durable, *state.durable_hash, options.store);
    storage::Store store(ssd, Bytes(memory.data(), storage::Store::kMemorySize), options.store);
    auto mounted = replayed && !log_touched(ssd, replayed->point)
        ? store.mount_resuming(replayed->point, ReadonlyBytes(replayed->overlay.data(), replayed->overlay.size()))
        : store.mount();
    if (mounted.is_error()) {
        violations.push_back({ Invariant::R1, "mount failed: " + error_text(mounted.error()) });
        return violations;
    }
    if (store.mount_stats().log_bytes > store.mount_replay_bound()) {
        violations.push_back({ Invariant::R1,
            "mount replayed " + std::to_string(store.mount_stats().log_bytes) + " bytes of log, more than the bound "
                + std::to_string(store.mount_replay_bound()) });
    }
    std::shared_ptr<const TreeContents> contents;
    if (options.check_structure && !options.full_check)
        check_structure(ssd, state.durable_hash, store.shape(), store.root(), violations, &contents);
    else if (options.check_structure)
        check_structure(ssd, std::nullopt, store.shape(), store.root(), violations);

    KeyValueState recovered;
    if (contents) {
        read_back(store, ssd, replayed, *contents, recovered, violations);
        if (violations.empty())
            check_charge(store, recovered, violations);
        check_against_history(recovered, history, violations);
        if (options.live && violations.empty())
            check_live(state, *unwritten, store.shape().head.value(), recovered, options.store, violations);
        return violations;
    }
    storage::KeyBuffer key;
    size_t length = 0;
    static thread_local std::vector<uint8_t> value(storage::kMaxValueLength);
    auto more = store.next_key(ReadonlyBytes(), true, key, length);
    while (!more.is_error() && more.value()) {
        std::string const name(reinterpret_cast<const char*>(key.bytes), key.length);
        auto got = store.get(key.view(), Bytes(value.data(), value.size()));
        if (got.is_error()) {
            violations.push_back(
                { Invariant::R2, "reading key '" + printable_key(name) + "' failed: " + error_text(got.error()) });
        } else {
            recovered[name] = std::vector<uint8_t>(value.begin(), value.begin() + got.value());
        }
        storage::KeyBuffer const previous = key;
        more = store.next_key(previous.view(), false, key, length);
    }
    if (more.is_error()) {
        violations.push_back({ Invariant::R2, "iterating the keys failed: " + error_text(more.error()) });
        return violations;
    }
    if (violations.empty())
        check_charge(store, recovered, violations);
    check_against_history(recovered, history, violations);
    if (options.live && violations.empty())
        check_live(state, *unwritten, store.shape().head.value(), recovered, options.store, violations);
    return violations;
}

} // namespace ferros::check
