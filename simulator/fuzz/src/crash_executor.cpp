#include "store_calls.h"
#include "workload_runner.h"
#include <algorithm>
#include <cstring>
#include <ferros/base/rng.h>
#include <ferros/base/verify.h>
#include <ferros/campaign/oracle.h>
#include <ferros/check/checker.h>
#include <ferros/crash/content_hash.h>
#include <ferros/crash/state_space.h>
#include <ferros/fuzz/crash_executor.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/workload/builder.h>
#include <unordered_set>

namespace ferros::fuzz {

namespace {

    // The runner's memory is this process's: the workload's bytes and the scratch buffer are
    // host pointers the runner passes as the guest passes its own. Every non-null range is
    // the caller's (a null one only when empty), as in the kernel's system-call tests.
    class HostMemory final : public kernel::UserMemory {
    public:
        bool allows(kernel::UserRange range, kernel::UserAccess) const override
        {
            if (range.length == 0)
                return true;
            return range.address != 0 && range.address + range.length > range.address;
        }
        bool copy_in(void* destination, uint64_t source, size_t count) override
        {
            if (count > 0) // memcpy must not be handed a null pointer, even for nothing
                std::memcpy(destination, reinterpret_cast<const void*>(source), count);
            return true;
        }
        bool copy_out(uint64_t destination, const void* source, size_t count) override
        {
            if (count > 0)
                std::memcpy(reinterpret_cast<void*>(destination), source, count);
            return true;
        }
    };

    // What the runner's two entry points (plain function pointers, as in the guest) reach.
    struct RunContext {
        HostMemory memory;
        HostStoreCalls* calls { nullptr };
        campaign::MarkerOracle* oracle { nullptr };
        uint32_t current_op { 0 };
    };
    thread_local RunContext* t_run = nullptr;

    int64_t host_syscall(abi::Syscall call, const abi::SyscallArgs& args)
    {
        return t_run->calls->call(call, args, t_run->memory);
    }

    void host_marker(abi::MarkerKind kind, uint64_t payload)
    {
        if (kind == abi::MarkerKind::OpSubmitted)
            t_run->current_op = static_cast<uint32_t>(payload);
        // The markers come from the runner in the order the oracle expects; a refusal would be
        // a bug of this file. (The counting run has no oracle.)
        if (t_run->oracle)
            VERIFY(!t_run->oracle->take(abi::marker_word(kind, payload)).is_error());
    }

    constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

    // The store's device during a run: the emulated SSD behind it, and the place where cuts are
    // taken, before each write and flush and inside each write (whose bytes the HostSsd's own
    // observer does not see). It keeps a copy of the pending writes, to which the first words
    // of a write in progress are appended for a cut inside it.
    class CuttingSsd final : public ring::Ssd {
    public:
        struct Write {
            DeviceOffset offset;
            ReadonlyBytes data;
        };
        // Called before every write (with it) and flush (with nullptr) while armed.
        using Cut = std::function<void(const Write*)>;

        explicit CuttingSsd(storage::HostSsd& device)
            : m_device(device)
        {
        }
        void arm(Cut cut) { m_cut = std::move(cut); }
        std::vector<crash::PendingWrite>& pending() { return m_pending; }

        uint64_t size() const override { return m_device.size(); }
        ErrorOr<void> read(DeviceOffset offset, Bytes out) override { return m_device.read(offset, out); }
        ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override
        {
            if (m_cut) {
                Write const write { offset, data };
                m_cut(&write);
            }
            TRY(m_device.write(offset, data));
            if (!data.empty()) // the device model keeps no empty write either
                m_pending.push_back(
                    crash::PendingWrite { offset, std::vector<uint8_t>(data.begin(), data.end()), Boundary(0) });
            VERIFY(m_pending.size() == m_device.model().pending().size());
            return {};
        }
        ErrorOr<void> flush() override
        {
            if (m_cut)
                m_cut(nullptr);
            TRY(m_device.flush());
            m_pending.clear();
            return {};
        }

    private:
        storage::HostSsd& m_device;
        Cut m_cut;
        std::vector<crash::PendingWrite> m_pending;
    };

    // Clean verdicts that outlive one execution, by a hash of everything the verdict depends
    // on. Inputs the fuzzer makes are mutations of inputs it ran: up to the first edit they
    // reach the same states under the same histories, whose verdicts are already known. A
    // fixed table, each key in the slot its hash names and displacing the one there, so the
    // memory is bounded and what it holds depends only on the inputs run, in their order.
    // Only clean verdicts are kept: a violation is found again every time.
    class KnownClean {
    public:
        struct Key {
            uint64_t state { 0 }; // crash::image_hash of the state
            uint64_t history { 0 }; // History::content_hash, or 0 when the verdict does not read one
            bool operator==(const Key&) const = default;
        };
        void resize(size_t slots_log2)
        {
            m_shift = 64 - slots_log2;
            m_slots.assign(slots_log2 == 0 ? 0 : size_t { 1 } << slots_log2, Key {});
        }
        bool contains(Key key) const { return !m_slots.empty() && key != Key {} && m_slots[slot(key)] == key; }
        void insert(Key key)
        {
            if (!m_slots.empty())
                m_slots[slot(key)] = key;
        }

    private:
        size_t slot(Key key) const { return static_cast<size_t>(((key.state ^ key.history) * kGolden) >> m_shift); }
        std::vector<Key> m_slots;
        unsigned m_shift { 64 };
    };

} // namespace

struct CrashExecutor::State {
    std::vector<uint8_t> base; // the formatted SSD every run starts from
    uint64_t mounted_hash { 0 }; // image_hash of the durable image right after the mount
    std::vector<uint64_t> store_memory; // Store::kMemorySize, 8-byte aligned
    std::vector<uint8_t> value_buffer; // the system calls' buffer for values
    std::vector<uint8_t> scratch; // the runner's buffer for seeded values and gets
    std::unordered_set<uint64_t> seen; // (state hash, history version) pairs checked in this run
    crash::UnitDeltaCache unit_cache;
    std::vector<crash::StateSpace::Change> changes;
    std::vector<bool> planned; // cut points to check when sampling
    // Across executions: (state, history) pairs whose R1-R6 and R14 verdict was clean, and
    // states whose R14 verdict was (it reads the state and nothing of the history).
    KnownClean known;
    KnownClean known_live;

    Bytes memory() { return Bytes(reinterpret_cast<uint8_t*>(store_memory.data()), storage::Store::kMemorySize); }
};

CrashExecutor::CrashExecutor(const ExecutorOptions& options)
    : m_options(options)
    , m_state(std::make_unique<State>())
{
}

CrashExecutor::~CrashExecutor() = default;

ErrorOr<std::unique_ptr<CrashExecutor>> CrashExecutor::create(const ExecutorOptions& options)
{
    std::unique_ptr<CrashExecutor> executor(new CrashExecutor(options));
    auto& state = *executor->m_state;
    state.store_memory.assign(storage::Store::kMemorySize / 8 + 1, 0);
    state.value_buffer.assign(abi::kMaxValueLength, 0);
    state.scratch.assign(abi::kMaxValueLength, 0);
    state.known.resize(options.known_slots_log2);
    state.known_live.resize(options.known_slots_log2 == 0 ? 0 : options.known_slots_log2 - 1);

    // The campaign's SSD: a blank device formatted by the host build of the store, without
    // the seeded bug (simulator/campaign/src/plan.cpp): the bug is the booted system's.
    storage::HostSsd formatted(options.device_size, storage::HostSsd::Tracking::Off);
    TRY(storage::Store::format(formatted));
    state.base.assign(formatted.model().durable().begin(), formatted.model().durable().end());

    // The mount every run starts with is the same, and leaves nothing pending (it ends with a
    // flush): its durable image's hash is known once for all runs.
    {
        storage::HostSsd ssd(state.base);
        storage::Store store(ssd, state.memory(), storage::StoreOptions { options.bug });
        TRY(store.mount());
        VERIFY(ssd.model().pending().empty());
        state.mounted_hash = crash::image_hash(ssd.model().durable());
        auto& t = executor->m_thresholds;
        t.ring_length = options.device_size - ring::kRingStart;
        t.max_record = store.max_record();
        t.log_budget = store.log_budget();
        t.capacity = store.capacity();
    }
    // The longest value one put of a 7-byte key ("key-000") commits: measured, so that it
    // follows the record format.
    uint32_t low = 0, high = static_cast<uint32_t>(executor->m_thresholds.max_record);
    while (low < high) {
        uint32_t const middle = low + (high - low + 1) / 2;
        storage::HostSsd ssd(state.base, storage::HostSsd::Tracking::Off);
        storage::Store store(ssd, state.memory(), storage::StoreOptions { options.bug });
        TRY(store.mount());
        std::vector<uint8_t> value(middle, 0x5a);
        bool fits = !store.begin().is_error()
            && !store
                    .put(ReadonlyBytes(reinterpret_cast<const uint8_t*>("key-000"), 7),
                        ReadonlyBytes(value.data(), value.size()))
                    .is_error()
            && !store.commit().is_error();
        if (fits)
            low = middle;
        else
            high = middle - 1;
    }
    executor->m_thresholds.max_value = low;
    return executor;
}

Execution CrashExecutor::run(const abi::Workload& workload, const Stop& stop)
{
    auto& state = *m_state;
    storage::StoreOptions const store_options { m_options.bug };
    Execution execution;

    // A long input checks a seeded sample of its cut points: count them first with an uncut
    // run, then choose. A short one checks every cut point without counting: the run it would
    // take costs a third of a short input's execution.
    uint64_t total_cuts = 0;
    bool sampling = false;
    if (m_options.max_cuts > 0 && workload.op_count() > m_options.all_cuts_ops) {
        storage::HostSsd ssd(state.base, storage::HostSsd::Tracking::Off);
        storage::Store store(ssd, state.memory(), store_options);
        if (!store.mount().is_error()) {
            uint64_t const mounted = ssd.operations();
            HostStoreCalls calls(store, Bytes(state.value_buffer.data(), state.value_buffer.size()));
            RunContext context;
            context.calls = &calls;
            t_run = &context;
            user::run_workload(workload, host_syscall, host_marker, Bytes(state.scratch.data(), state.scratch.size()));
            t_run = nullptr;
            total_cuts = ssd.operations() - mounted + 1;
        }
        if (total_cuts > m_options.max_cuts) {
            // Knuth's selection sampling: exactly max_cuts of total_cuts, each equally likely.
            sampling = true;
            state.planned.assign(total_cuts, false);
            Rng rng(m_options.seed * kGolden ^ total_cuts);
            uint64_t chosen = 0;
            for (uint64_t cut = 0; cut < total_cuts; ++cut) {
                if (rng.below(total_cuts - cut) < m_options.max_cuts - chosen) {
                    state.planned[cut] = true;
                    ++chosen;
                }
            }
        }
    }
    execution.sampled = sampling;

    storage::HostSsd ssd(state.base);
    CuttingSsd device(ssd);
    storage::Store store(device, state.memory(), store_options);
    if (auto mounted = store.mount(); mounted.is_error()) {
        execution.failed_uncut = true;
        execution.violations.push_back({ check::Invariant::R1,
            std::string("the formatted SSD does not mount: ") + error_name(mounted.error().code()), 0, 0, 0, 0 });
        return execution;
    }

    campaign::MarkerOracle oracle(workload);
    HostStoreCalls calls(store, Bytes(state.value_buffer.data(), state.value_buffer.size()));
    RunContext context;
    context.calls = &calls;
    context.oracle = &oracle;
    state.seen.clear();
    state.unit_cache.clear();

    check::CheckOptions check_options;
    check_options.store = store_options;
    check_options.full_check = m_options.full_check;
    check_options.live = m_options.live;

    // The durable image's hash, kept through each flush: the state "everything survived" of
    // the cut just before a flush is the durable image after it.
    uint64_t durable_hash = state.mounted_hash;
    uint64_t hash_flushes = ssd.flushes();
    uint64_t everything_hash = 0; // at the last cut checked: the hash of everything surviving
    uint64_t everything_flushes = 0, everything_writes = 0;
    bool stopped = false;
    // Cut points are numbered as the explorer numbers them, by device operation since the
    // mount began (whose own cut points the executor skips: they are the same for every input).
    uint64_t const first = ssd.operations();
    uint64_t operation = first;

    // Checks the states of one cut: `pending` is what the device holds pending there (the
    // model's list, or that list and the first words of a write in progress).
    auto check_space = [&](uint64_t cut, uint32_t inside, std::span<const crash::PendingWrite> pending) {
        auto const& model = ssd.model();
        if (ssd.flushes() != hash_flushes) {
            // Exactly one flush since the cut that saw everything pending: its last state is
            // now the durable image. Otherwise hash the image (a sampled run may skip cuts).
            bool const known = ssd.flushes() == everything_flushes + 1 && everything_writes == ssd.writes()
                && everything_flushes >= hash_flushes;
            durable_hash = known ? everything_hash : crash::image_hash(model.durable());
            hash_flushes = ssd.flushes();
            state.unit_cache.clear();
        }
        (inside ? execution.inside_cuts : execution.cuts)++;
        auto space = crash::StateSpace::create(m_options.policy, model.durable(), durable_hash, pending,
            m_options.seed * kGolden + cut + (inside ? kGolden >> 7 : 0), &state.unit_cache);
        if (space.is_error()) {
            execution.violations.push_back(
                { check::Invariant::R1, "no state space at this cut", cut, 0, context.current_op, inside });
            stopped = true;
            return;
        }
        auto const& states = space.value();
        uint64_t const history_hash = oracle.history().content_hash();
        if (inside == 0) {
            everything_hash = states.hash(states.count() - 1);
            everything_flushes = ssd.flushes();
            everything_writes = ssd.writes();
        }
        for (uint64_t index = 0; index < states.count() && !stopped; ++index) {
            execution.states++;
            // A state's verdict depends on it and on the history: checked once per pair.
            if (!state.seen.insert(states.hash(index) ^ (oracle.history().version() * kGolden)).second)
                continue;
            execution.distinct_states++;
            KnownClean::Key const key { states.hash(index), history_hash };
            if (state.known.contains(key)) {
                execution.known_states++;
                continue;
            }
            // R14's verdict, known clean, is not asked for again: the state passes R1-R6 under
            // this history or not, and passing them is all R14 waits for.
            KnownClean::Key const live_key { key.state, 0 };
            check_options.live = m_options.live && !state.known_live.contains(live_key);
            execution.known_live += m_options.live && !check_options.live;
            state.changes.clear();
            states.changes(index, state.changes);
            check::StateView view { model.durable(), durable_hash, state.changes };
            auto violations = check::check_state(view, oracle.history(), check_options);
            if (violations.empty()) {
                state.known.insert(key);
                if (check_options.live)
                    state.known_live.insert(live_key);
            }
            for (auto& violation : violations) {
                CutViolation found { violation.invariant, std::move(violation.message), cut, index, context.current_op,
                    inside };
                bool const ends = !stop || stop(found);
                execution.violations.push_back(std::move(found));
                if (ends) {
                    stopped = true;
                    break;
                }
            }
        }
    };

    device.arm([&](const CuttingSsd::Write* write) {
        uint64_t const cut = operation++;
        if (stopped || (sampling && !state.planned[cut - first]))
            return;
        check_space(cut, 0, ssd.model().pending());
        // Inside the write: its first words are in the device's cache and the rest are not,
        // as at an instruction boundary while the guest's driver copies it into the window.
        // Only a write within one cache unit: there the unit half new is a state no cut
        // between writes leaves; in a longer write, the units it fills whole or not at all
        // are states the cut before it already has (an anchor, a small record and an index
        // node lie in one unit of 512 bytes; every other unit of a long record is all or
        // nothing either way).
        uint64_t const words = write ? (write->data.size() + 7) / 8 : 0;
        if (!m_options.cuts_inside_writes || words < 2 || stopped)
            return;
        uint64_t const unit
            = m_options.policy.kind == crash::Policy::Kind::Cache || m_options.policy.kind == crash::Policy::Kind::Torn
            ? m_options.policy.unit
            : 512;
        uint64_t const start = write->offset.value();
        if (start / unit != (start + write->data.size() - 1) / unit)
            return;
        Rng rng(m_options.seed * kGolden ^ (cut * 0x2545F4914F6CDD1DULL));
        auto const inside = static_cast<uint32_t>(1 + rng.below(words - 1));
        auto& pending = device.pending();
        pending.push_back(crash::PendingWrite { write->offset,
            std::vector<uint8_t>(
                write->data.begin(), write->data.begin() + std::min<size_t>(inside * 8, write->data.size())),
            Boundary(0) });
        check_space(cut, inside, pending);
        pending.pop_back();
    });
    t_run = &context;
    auto const summary
        = user::run_workload(workload, host_syscall, host_marker, Bytes(state.scratch.data(), state.scratch.size()));
    t_run = nullptr;
    device.arm({});
    // The cut after the last operation: everything the workload left pending.
    context.current_op = workload.op_count();
    if (!stopped && !(sampling && !state.planned[operation - first]))
        check_space(operation, 0, ssd.model().pending());

    execution.ops = summary.ops;
    execution.errors = summary.errors;
    execution.first_cut = first;
    execution.operations = operation - first;
    return execution;
}

} // namespace ferros::fuzz
