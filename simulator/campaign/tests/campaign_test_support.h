#pragma once
// A recorded run without QEMU, for the campaign engine's tests: the workload of a plan runs
// against the host build of the store on a HostSsd, and every write, flush and marker the
// guest would have made is written with the trace writer, as the plugin writes them:
//
//   - a write of the store is a run of stores into the SSD window (at most 8 bytes each, at the
//     window's guest-physical address: machine::SsdWindow's default base, the trace header's
//     ssd_base), a flush is the doorbell store to abi::kControlFlush;
//   - the workload runs as the kernel runs it (kernel/syscall/dispatch.cpp): a put or delete
//     outside a transaction commits on its own, begin/commit open and close one;
//   - markers are stored as user/runner/workload_runner.cpp stores them: op-submitted before
//     each op, op-failed when its call returned an error, op-durable after a sync that
//     returned; boot stages around the mount and the workload, as kernel/main.cpp passes them.
//
// Every event lies on its own boundary, kStep instructions after the one before, so a class
// of boundaries spans kStep boundaries and the walk's boundary count is checkable.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <ferros/abi/machine.h>
#include <ferros/abi/workload.h>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/plan.h>
#include <ferros/campaign/results_db.h>
#include <ferros/machine/machine.h>
#include <ferros/ring/ssd.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/trace/file_hash.h>
#include <ferros/trace/trace_reader.h>
#include <ferros/trace/trace_writer.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ferros::campaign::test {

// A path under the test binary's directory that carries the running test's name (CTest runs
// tests as separate processes, two at a time), removed if an earlier run left it.
inline std::string temp_path(const std::string& name)
{
    auto const* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string prefix = info ? std::string(info->test_suite_name()) + "." + info->name() + "-" : "";
    std::replace(prefix.begin(), prefix.end(), '/', '_'); // parameterized tests: Suite/Test/param
    auto path = std::string(FERROS_TEST_TMP) + "/" + prefix + name;
    std::filesystem::remove_all(path);
    return path;
}

// The plan's --kernel: make_plan only hashes it.
inline std::string dummy_kernel()
{
    auto path = temp_path("kernel.elf");
    std::ofstream(path, std::ios::binary) << "not a kernel: make_plan only hashes this file";
    return path;
}

// What the recorded run did.
struct RecordedRun {
    uint64_t stores { 0 };
    uint64_t flushes { 0 };
    uint64_t markers { 0 };
    uint64_t end_boundary { 0 };
    uint32_t failed_ops { 0 };
    uint32_t durable_ops { 0 };
};

class TraceRecorder {
public:
    static constexpr uint64_t kStep = 3; // instructions from one event to the next

    TraceRecorder(trace::TraceWriter& writer, uint64_t ssd_base)
        : m_writer(writer)
        , m_base(ssd_base)
    {
    }

    void store(uint64_t offset, ReadonlyBytes data)
    {
        size_t done = 0;
        while (done < data.size()) {
            // Aligned 8-byte stores, with shorter ones at unaligned edges.
            uint64_t const at = offset + done;
            size_t const piece = std::min<size_t>(8 - at % 8, data.size() - done);
            add(trace::EventKind::Store, m_base + at, piece, data.data() + done);
            done += piece;
            ++m_run.stores;
        }
    }
    void flush()
    {
        uint8_t const doorbell[8] = { 1 };
        add(trace::EventKind::Flush, abi::kControlFlush, 8, doorbell);
        ++m_run.flushes;
    }
    void marker(abi::MarkerKind kind, uint64_t payload)
    {
        uint64_t const word = abi::marker_word(kind, payload);
        uint8_t bytes[8];
        for (int i = 0; i < 8; ++i)
            bytes[i] = static_cast<uint8_t>(word >> (8 * i));
        add(trace::EventKind::Marker, abi::kMarkerPage, 8, bytes);
        ++m_run.markers;
        if (kind == abi::MarkerKind::OpFailed)
            ++m_run.failed_ops;
        if (kind == abi::MarkerKind::OpDurable)
            ++m_run.durable_ops;
    }
    void stage(abi::BootStage stage) { marker(abi::MarkerKind::Stage, static_cast<uint64_t>(stage)); }

    ErrorOr<RecordedRun> finish()
    {
        m_run.end_boundary = m_boundary + kStep;
        TRY(m_writer.finish(Boundary(m_run.end_boundary), 0));
        return m_run;
    }

private:
    void add(trace::EventKind kind, uint64_t address, size_t size, const uint8_t* value)
    {
        m_boundary += kStep;
        m_writer.add(kind, Boundary(m_boundary), address, static_cast<unsigned>(size), value);
    }

    trace::TraceWriter& m_writer;
    uint64_t m_base;
    uint64_t m_boundary { 0 };
    RecordedRun m_run;
};

// The SSD seam over a HostSsd that records what reaches the device.
class RecordingSsd final : public ring::Ssd {
public:
    RecordingSsd(storage::HostSsd& device, TraceRecorder& recorder)
        : m_device(device)
        , m_recorder(recorder)
    {
    }
    uint64_t size() const override { return m_device.size(); }
    ErrorOr<void> read(DeviceOffset offset, Bytes out) override { return m_device.read(offset, out); }
    ErrorOr<void> write(DeviceOffset offset, ReadonlyBytes data) override
    {
        TRY(m_device.write(offset, data));
        m_recorder.store(offset.value(), data);
        return {};
    }
    ErrorOr<void> flush() override
    {
        TRY(m_device.flush());
        m_recorder.flush();
        return {};
    }

private:
    storage::HostSsd& m_device;
    TraceRecorder& m_recorder;
};

namespace detail {

    // kernel/syscall/dispatch.cpp's act(): one op as the kernel runs it.
    inline ErrorOr<void> run_op(storage::Store& store, const abi::Op& op, bool& transaction_open, Bytes scratch)
    {
        auto change = [&](auto apply) -> ErrorOr<void> {
            if (transaction_open)
                return apply();
            TRY(store.begin());
            if (auto applied = apply(); applied.is_error()) {
                store.abort();
                return applied;
            }
            return store.commit();
        };
        switch (op.code) {
        case abi::OpCode::Put:
        case abi::OpCode::PutSeeded: {
            abi::materialize_value(op, scratch);
            ReadonlyBytes const value(scratch.data(), op.value_length);
            return change([&] { return store.put(op.key, value); });
        }
        case abi::OpCode::Delete:
            return change([&] { return store.remove(op.key); });
        case abi::OpCode::Begin:
            TRY(store.begin());
            transaction_open = true;
            return {};
        case abi::OpCode::Commit: {
            auto committed = store.commit();
            transaction_open = false;
            return committed;
        }
        case abi::OpCode::Sync:
            return store.sync();
        case abi::OpCode::Get: {
            TRY(store.get(op.key, scratch));
            return {};
        }
        }
        return Error(ErrorCode::InvalidArgument, "unknown op");
    }

} // namespace detail

// Runs `plan`'s workload from its initial image with its seeded bug, as the traced kernel
// would, and writes the trace to `path` (by default the plan's trace.ftr, where trace_phase
// finds and reuses it).
inline ErrorOr<RecordedRun> record_trace(const Plan& plan, const std::string& path)
{
    trace::TraceHeader header;
    header.kernel_hash = plan.kernel_hash;
    header.workload_hash = plan.workload_hash;
    header.has_workload = true;
    header.image_hash = trace::hash_bytes(ReadonlyBytes(plan.initial_image.data(), plan.initial_image.size()));
    header.policy = plan.policy.to_string();
    header.qemu_version = "none: recorded by the campaign engine tests";
    header.machine = "host store on a HostSsd";
    header.ssd_base = machine::SsdWindow {}.base;
    header.ssd_size = plan.initial_image.size();
    auto writer = TRY(trace::TraceWriter::create(path, header, 4096));
    TraceRecorder recorder(*writer, header.ssd_base);

    storage::HostSsd device(plan.initial_image, storage::HostSsd::Tracking::Off);
    RecordingSsd ssd(device, recorder);
    std::vector<uint64_t> memory(storage::Store::kMemorySize / 8 + 1);
    std::vector<uint8_t> scratch(abi::kMaxValueLength);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize),
        storage::StoreOptions { plan.bug });

    recorder.stage(abi::BootStage::KernelEntry);
    recorder.stage(abi::BootStage::SsdFound);
    recorder.stage(abi::BootStage::WorkloadFound);
    TRY(store.mount());
    recorder.stage(abi::BootStage::StoreMounted);
    recorder.stage(abi::BootStage::Ready);
    auto workload = plan.workload();
    bool transaction_open = false;
    for (auto cursor = workload.ops(); !cursor.at_end();) {
        uint32_t const index = cursor.index();
        abi::Op const op = cursor.next();
        recorder.marker(abi::MarkerKind::OpSubmitted, index);
        auto result = detail::run_op(store, op, transaction_open, Bytes(scratch.data(), scratch.size()));
        if (result.is_error())
            recorder.marker(abi::MarkerKind::OpFailed, index);
        else if (op.code == abi::OpCode::Sync)
            recorder.marker(abi::MarkerKind::OpDurable, index);
    }
    recorder.stage(abi::BootStage::WorkloadDone);
    recorder.stage(abi::BootStage::Poweroff);
    return recorder.finish();
}

inline ErrorOr<RecordedRun> record_trace(const Plan& plan) { return record_trace(plan, plan.path("trace.ftr")); }

// A campaign's options for the tests: a generated workload of a few dozen ops, no reboots
// (they need QEMU), the dummy kernel, the output directory `out`.
inline CampaignOptions small_campaign(const std::string& out, const std::string& kernel)
{
    CampaignOptions options;
    options.seed = 7;
    options.ops = 40;
    options.profile = "txn";
    options.policy = "cache:512:4";
    options.jobs = 1;
    options.reboot = "none";
    options.out = out;
    options.kernel = kernel;
    return options;
}

// A campaign as the command starts one, up to its walk: the plan, the results database with
// the campaign's identity, and the recorded trace, taken by the engine's own trace phase.
struct Campaign {
    Plan plan;
    std::optional<ResultsDb> db;
    std::string trace;
    RecordedRun run;
};

inline void prepare(const CampaignOptions& options, Campaign& campaign)
{
    auto plan = make_plan(options);
    ASSERT_FALSE(plan.is_error()) << plan.error().message();
    campaign.plan = plan.release_value();
    auto db = ResultsDb::open(campaign.plan.path("results.db"));
    ASSERT_FALSE(db.is_error());
    campaign.db.emplace(db.release_value());
    if (campaign.db->identity().value().empty()) {
        ASSERT_FALSE(campaign.db->set_identity(campaign.plan.identity()).is_error()) << campaign.db->last_error();
    }
    auto run = record_trace(campaign.plan);
    ASSERT_FALSE(run.is_error()) << describe_error(run.error());
    campaign.run = run.value();

    // trace_phase reuses a trace that matches the plan; one that did not would start QEMU, so
    // make sure first that this one matches.
    auto reader = trace::TraceReader::open(campaign.plan.path("trace.ftr"));
    ASSERT_FALSE(reader.is_error()) << describe_error(reader.error());
    trace::TraceExpectations expected;
    expected.kernel_hash = campaign.plan.kernel_hash;
    expected.workload_hash = campaign.plan.workload_hash;
    expected.image_hash
        = trace::hash_bytes(ReadonlyBytes(campaign.plan.initial_image.data(), campaign.plan.initial_image.size()));
    ASSERT_FALSE(reader.value().expect(expected).is_error());
    QuietReporter quiet;
    auto trace = trace_phase(campaign.plan, quiet);
    ASSERT_FALSE(trace.is_error()) << trace.error().message();
    EXPECT_EQ(trace.value(), campaign.plan.path("trace.ftr"));
    campaign.trace = trace.value();
}

inline void walk_to_end(Campaign& campaign, WalkProgress& progress)
{
    std::atomic<bool> stop { false };
    QuietReporter quiet;
    auto walked = walk_phase(campaign.plan, campaign.trace, *campaign.db, quiet, stop);
    ASSERT_FALSE(walked.is_error()) << walked.error().message();
    progress = walked.value();
}

// Rows as text, to compare whole result sets with one EXPECT_EQ.
inline std::string describe(const WalkProgress& p)
{
    return fmt::format("next {} class_index {} boundaries {} classes {} states {} distinct {} checked {} done {}",
        p.next_boundary, p.class_index, p.boundaries, p.classes, p.states, p.distinct, p.checked, p.done);
}

inline std::vector<std::string> describe(const std::vector<StateRow>& rows)
{
    std::vector<std::string> out;
    for (auto const& r : rows)
        out.push_back(fmt::format(
            "{:016x} b{} x{} d{} [{}]", r.hash, r.boundary, r.state, r.depth, check::join_ids(r.invariants)));
    return out;
}

inline std::vector<std::string> describe(const std::vector<ViolationRow>& rows)
{
    std::vector<std::string> out;
    for (auto const& v : rows)
        out.push_back(fmt::format("{} b{} x{} d{} {} {} {}", check::invariant_id(v.invariant), v.boundary, v.state,
            v.depth, checker_name(v.checker), v.token, v.message));
    return out;
}

// Everything a walk left in a results database.
struct WalkResults {
    std::string progress;
    std::vector<std::string> states;
    std::vector<std::string> violations;
};

inline WalkResults results_of(ResultsDb& db)
{
    WalkResults r;
    r.progress = describe(db.progress("main").value());
    r.states = describe(db.states(1).value());
    r.violations = describe(db.violations().value());
    return r;
}

} // namespace ferros::campaign::test
