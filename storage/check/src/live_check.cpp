#include "live_check.h"
#include <algorithm>
#include <cstring>
#include <ferros/storage/live.h>
#include <ferros/storage/store.h>
#include <map>
#include <string>

namespace ferros::check {

namespace {

    using Ranges = std::vector<std::pair<uint64_t, uint64_t>>; // [start, end), sorted, disjoint

    std::string error_text(const Error& error)
    {
        std::string text = error_name(error.code());
        if (error.context())
            text += std::string(" (") + error.context() + ")";
        return text;
    }

    // Disjoint ranges kept merged: what the continuation wrote, what it read of the state. A
    // sorted vector: both stay a few dozen ranges (the ring is written and read in runs), and
    // the continuation asks on every read.
    class RangeSet {
    public:
        void add(uint64_t start, uint64_t end)
        {
            if (start >= end)
                return;
            // The first range that ends at or after `start`: it and those after it that begin
            // at or before `end` merge with the new one.
            auto first = std::lower_bound(m_ranges.begin(), m_ranges.end(), start,
                [](const std::pair<uint64_t, uint64_t>& range, uint64_t value) { return range.second < value; });
            auto last = first;
            while (last != m_ranges.end() && last->first <= end) {
                start = std::min(start, last->first);
                end = std::max(end, last->second);
                ++last;
            }
            if (first == last) {
                m_ranges.insert(first, { start, end });
                return;
            }
            *first = { start, end };
            m_ranges.erase(first + 1, last);
        }
        // Calls `gap(start, end)` for each part of [start, end) the set does not hold.
        template<typename F>
        void gaps(uint64_t start, uint64_t end, F gap) const
        {
            auto at = std::upper_bound(m_ranges.begin(), m_ranges.end(), start,
                [](uint64_t value, const std::pair<uint64_t, uint64_t>& range) { return value < range.second; });
            for (; at != m_ranges.end() && at->first < end && start < end; ++at) {
                if (at->first > start)
                    gap(start, at->first);
                start = std::max(start, at->second);
            }
            if (start < end)
                gap(start, end);
        }
        const Ranges& ranges() const { return m_ranges; }

    private:
        Ranges m_ranges;
    };

    // The state as a private image the continuation may write, keeping which of the state's
    // own bytes it read (a byte the continuation wrote first is its own, not the state's).
    class LiveSsd final : public ring::Ssd {
    public:
        explicit LiveSsd(ViewSsd& state)
            : m_image(state.size())
        {
            (void)state.read(DeviceOffset(0), Bytes(m_image.data(), m_image.size()));
        }
        uint64_t size() const override { return m_image.size(); }
        ErrorOr<void> read(DeviceOffset offset, Bytes out) override
        {
            if (offset.value() > m_image.size() || out.size() > m_image.size() - offset.value())
                return Error(ErrorCode::OutOfRange, "read outside the device");
            m_written.gaps(offset.value(), offset.value() + out.size(), [&](uint64_t start, uint64_t end) {
                if (m_mounting)
                    m_mount_reads.push_back({ offset.value(), { start, end } });
                else
                    m_read.add(start, end);
            });
            if (!out.empty())
                std::memcpy(out.data(), m_image.data() + offset.value(), out.size());
            return {};
        }
        // The first mount's reads are kept apart until it ends at `head` (a device offset): the
        // header and payload of the record there, which its replay read and refused, changed
        // nothing in the store but where its log ends, which the shared verdict's key holds
        // instead (a refused record is validated whole before it changes anything). Any later
        // read of those bytes counts as usual.
        void begin_mount() { m_mounting = true; }
        void end_mount(std::optional<uint64_t> head)
        {
            m_mounting = false;
            for (auto const& [start, range] : m_mount_reads)
                if (!head || (start != *head && start != *head + ring::kRecordHeaderSize))
                    m_read.add(range.first, range.second);
            m_mount_reads.clear();
        }
        ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override
        {
            if (offset.value() > m_image.size() || data.size() > m_image.size() - offset.value())
                return Error(ErrorCode::OutOfRange, "write outside the device");
            m_written.add(offset.value(), offset.value() + data.size());
            if (!data.empty())
                std::memcpy(m_image.data() + offset.value(), data.data(), data.size());
            return {};
        }
        ErrorOr<void> flush() override { return {}; }
        Ranges state_bytes_read() const { return m_read.ranges(); }

    private:
        std::vector<uint8_t> m_image;
        RangeSet m_written;
        RangeSet m_read;
        bool m_mounting { false };
        std::vector<std::pair<uint64_t, std::pair<uint64_t, uint64_t>>> m_mount_reads; // read start, part
    };

    std::vector<uint8_t>& live_memory()
    {
        static thread_local std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
        return memory;
    }

    std::vector<uint8_t>& live_scratch()
    {
        static thread_local std::vector<uint8_t> scratch(storage::kMaxValueLength);
        return scratch;
    }

    std::string key_text(ReadonlyBytes key)
    {
        return printable_key(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    }

    // What the store holds now against `expected`: nothing when they agree, else the first
    // difference. Errors of the store's iteration and reads are differences too.
    std::optional<std::string> compare(storage::Store& store, const KeyValueState& expected)
    {
        auto& value = live_scratch();
        storage::KeyBuffer key;
        size_t length = 0;
        auto more = store.next_key(ReadonlyBytes(), true, key, length);
        auto want = expected.begin();
        while (!more.is_error() && more.value()) {
            std::string const name(reinterpret_cast<const char*>(key.bytes), key.length);
            if (want == expected.end() || want->first != name) {
                if (want != expected.end() && want->first < name)
                    return "key '"
                        + key_text(
                            ReadonlyBytes(reinterpret_cast<const uint8_t*>(want->first.data()), want->first.size()))
                        + "' is missing";
                return "key '" + key_text(key.view()) + "' should not be there";
            }
            auto got = store.get(key.view(), Bytes(value.data(), value.size()));
            if (got.is_error())
                return "reading key '" + key_text(key.view()) + "' failed: " + error_text(got.error());
            // An empty value's vector may have no storage: memcmp must not see its null pointer.
            if (got.value() != want->second.size()
                || (!want->second.empty() && std::memcmp(value.data(), want->second.data(), want->second.size()) != 0))
                return "key '" + key_text(key.view()) + "' reads back " + std::to_string(got.value())
                    + " bytes, not the " + std::to_string(want->second.size()) + " written last";
            ++want;
            storage::KeyBuffer const previous = key;
            more = store.next_key(previous.view(), false, key, length);
        }
        if (more.is_error())
            return "iterating the keys failed: " + error_text(more.error());
        if (want != expected.end())
            return "key '"
                + key_text(ReadonlyBytes(reinterpret_cast<const uint8_t*>(want->first.data()), want->first.size()))
                + "' is missing";
        return std::nullopt;
    }

    // One continuation on a private copy of the state. Returns the violation's message, or
    // nothing when the store kept working.
    std::optional<std::string> run(
        LiveSsd& ssd, const KeyValueState& recovered, const storage::StoreOptions& options, uint64_t& head)
    {
        auto& memory = live_memory();
        auto& scratch = live_scratch();
        Bytes const store_memory(memory.data(), storage::Store::kMemorySize);
        KeyValueState expected = recovered;
        storage::LiveStats stats;
        {
            storage::Store store(ssd, store_memory, options);
            ssd.begin_mount();
            auto mounted = store.mount();
            if (mounted.is_error()) {
                ssd.end_mount(std::nullopt);
                return "the state does not mount a second time: " + error_text(mounted.error());
            }
            head = store.shape().head.value();
            ssd.end_mount(ring::Geometry::create(ssd.size()).value().offset_of(store.shape().head).value());
            uint64_t const ring = store.ring_length();
            uint64_t const start = store.shape().head.value();
            storage::LiveObserver observer;
            observer.context = &expected;
            observer.put = [](void* context, ReadonlyBytes key, ReadonlyBytes value) {
                (*static_cast<KeyValueState*>(
                    context))[std::string(reinterpret_cast<const char*>(key.data()), key.size())]
                    = std::vector<uint8_t>(value.begin(), value.end());
            };
            observer.remove = [](void* context, ReadonlyBytes key) {
                static_cast<KeyValueState*>(context)->erase(
                    std::string(reinterpret_cast<const char*>(key.data()), key.size()));
            };
            auto ran = storage::run_live(store, Bytes(scratch.data(), scratch.size()), observer);
            if (ran.is_error()) {
                // How far the head went: refused commits move it too (their cleaning passes),
                // so it may have gone around many times.
                uint64_t const advanced = store.shape().head.value() - start;
                return "the continuation failed after the head moved " + std::to_string(advanced) + " bytes ("
                    + std::to_string(advanced / ring) + " laps of the " + std::to_string(ring)
                    + "-byte ring): " + error_text(ran.error());
            }
            stats = ran.value();
            if (auto differs = compare(store, expected))
                return "after the continuation (" + std::to_string(stats.commits) + " commits, "
                    + std::to_string(stats.refused) + " refused): " + *differs;
        }
        storage::Store again(ssd, store_memory, options);
        if (auto mounted = again.mount(); mounted.is_error())
            return "after the continuation the store does not mount: " + error_text(mounted.error());
        if (auto walked = again.verify_records(); walked.is_error())
            return "after the continuation and a remount: " + error_text(walked.error());
        if (auto differs = compare(again, expected))
            return "after the continuation and a remount: " + *differs;
        return std::nullopt;
    }

    // Clean continuations on one durable image, per thread (see live_check.h).
    struct Shared {
        uint64_t head { 0 }; // where the mount's replay ended
        KeyValueState recovered;
        Ranges read; // the state's bytes the continuation read
        // That state's bytes where it differs from the durable image within `read`.
        std::vector<std::pair<uint64_t, std::vector<uint8_t>>> pieces;
    };
    struct Memo {
        uint64_t durable_hash { 0 };
        storage::SeededBug bug { storage::SeededBug::None };
        std::vector<Shared> entries;
    };
    thread_local Memo t_memo;
    // A class of a few pending units has a handful of distinct recoveries.
    constexpr size_t kMemoEntries = 16;

    // The parts of `changed` inside `read` (both sorted and disjoint).
    Ranges intersect(const Ranges& changed, const Ranges& read)
    {
        Ranges out;
        size_t j = 0;
        for (auto const& [start, end] : changed) {
            while (j < read.size() && read[j].second <= start)
                ++j;
            for (size_t k = j; k < read.size() && read[k].first < end; ++k)
                out.push_back({ std::max(start, read[k].first), std::min(end, read[k].second) });
        }
        return out;
    }

    // Whether `state` has the entry's state's bytes wherever that one's continuation read.
    bool same_reads(ViewSsd& state, const Shared& entry)
    {
        // Every byte this state changed inside the reads must be one the entry's state
        // changed too (elsewhere in the reads both hold the durable image's bytes)...
        auto const mine = intersect(state.changed(), entry.read);
        size_t p = 0;
        for (auto const& [start, end] : mine) {
            while (p < entry.pieces.size() && entry.pieces[p].first + entry.pieces[p].second.size() <= start)
                ++p;
            if (p == entry.pieces.size() || entry.pieces[p].first > start
                || entry.pieces[p].first + entry.pieces[p].second.size() < end)
                return false;
        }
        // ...and hold the same bytes there.
        std::vector<uint8_t> bytes;
        for (auto const& [offset, piece] : entry.pieces) {
            bytes.resize(piece.size());
            if (state.read(DeviceOffset(offset), Bytes(bytes.data(), bytes.size())).is_error() || bytes != piece)
                return false;
        }
        return true;
    }

} // namespace

void check_live(const StateView& state, ViewSsd& view, uint64_t head, const KeyValueState& recovered,
    const storage::StoreOptions& options, std::vector<Violation>& violations)
{
    if (state.durable_hash) {
        if (t_memo.durable_hash != *state.durable_hash || t_memo.bug != options.bug) {
            t_memo = Memo {};
            t_memo.durable_hash = *state.durable_hash;
            t_memo.bug = options.bug;
        }
        // The replay of this state ended where the checker's mount found the head.
        for (auto const& entry : t_memo.entries)
            if (entry.head == head && entry.recovered == recovered && same_reads(view, entry))
                return;
    }

    LiveSsd ssd(view);
    uint64_t live_head = 0;
    auto failed = run(ssd, recovered, options, live_head);
    if (failed) {
        violations.push_back({ Invariant::R14, *failed });
        return;
    }
    if (!state.durable_hash)
        return;
    Shared entry { live_head, recovered, ssd.state_bytes_read(), {} };
    for (auto const& [start, end] : intersect(view.changed(), entry.read)) {
        std::vector<uint8_t> bytes(end - start);
        (void)view.read(DeviceOffset(start), Bytes(bytes.data(), bytes.size()));
        entry.pieces.push_back({ start, std::move(bytes) });
    }
    if (t_memo.entries.size() >= kMemoEntries)
        t_memo.entries.erase(t_memo.entries.begin());
    t_memo.entries.push_back(std::move(entry));
}

std::string printable_key(std::string_view key)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : key) {
        if (c >= 0x20 && c < 0x7f && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

} // namespace ferros::check
