#include <ferros/base/rng.h>
#include <ferros/check/workload.h>
#include <ferros/storage/store.h>
#include <memory>

namespace ferros::check {

Workload random_workload(const RandomWorkloadOptions& options)
{
    Rng rng(options.seed);
    Workload workload;
    for (size_t cold = 0; cold < options.cold_keys; ++cold) {
        Step commit;
        Operation op;
        op.key = "c" + std::to_string(cold);
        op.value.resize(options.cold_value);
        for (size_t b = 0; b < op.value.size(); ++b)
            op.value[b] = static_cast<uint8_t>(cold * 7 + b);
        commit.transaction.ops.push_back(std::move(op));
        workload.push_back(std::move(commit));
    }
    if (options.cold_keys)
        workload.push_back(Step { Step::Kind::Sync, {} });
    for (size_t step = 0; step < options.steps; ++step) {
        Step commit;
        size_t const ops = 1 + rng.below(options.max_ops);
        for (size_t i = 0; i < ops; ++i) {
            Operation op;
            op.key = "k" + std::to_string(rng.below(options.key_space));
            if (rng.chance(options.delete_percent, 100)) {
                op.kind = Operation::Kind::Delete;
            } else {
                op.value.resize(rng.below(options.max_value + 1));
                // Values name their step so that a misplaced value cannot pass for another.
                for (size_t b = 0; b < op.value.size(); ++b)
                    op.value[b] = static_cast<uint8_t>(step * 31 + b + rng.below(4));
            }
            commit.transaction.ops.push_back(std::move(op));
        }
        workload.push_back(std::move(commit));
        if (rng.chance(options.sync_percent, 100))
            workload.push_back(Step { Step::Kind::Sync, {} });
        if (rng.chance(options.remount_percent, 100))
            workload.push_back(Step { Step::Kind::Remount, {} });
    }
    workload.push_back(Step { Step::Kind::Sync, {} });
    return workload;
}

namespace {

    std::vector<uint8_t>& workload_memory()
    {
        static thread_local std::vector<uint8_t> memory(storage::Store::kMemorySize + 8);
        return memory;
    }

    ReadonlyBytes bytes(const std::string& text)
    {
        return ReadonlyBytes(reinterpret_cast<const uint8_t*>(text.data()), text.size());
    }

    bool refused(const Error& error) { return error.code() == ErrorCode::NoSpace || error.code() == ErrorCode::TooBig; }

} // namespace

ErrorOr<void> run_workload(
    const Workload& workload, ring::Ssd& ssd, const storage::StoreOptions& options, History& history)
{
    auto& memory = workload_memory();
    auto store = std::make_unique<storage::Store>(ssd, Bytes(memory.data(), storage::Store::kMemorySize), options);
    TRY(store->mount());
    for (auto const& step : workload) {
        switch (step.kind) {
        case Step::Kind::Commit: {
            TRY(store->begin());
            for (auto const& op : step.transaction.ops) {
                if (op.kind == Operation::Kind::Put)
                    TRY(store->put(bytes(op.key), ReadonlyBytes(op.value.data(), op.value.size())));
                else
                    TRY(store->remove(bytes(op.key)));
            }
            history.submit(step.transaction);
            auto committed = store->commit();
            if (committed.is_error()) {
                if (!refused(committed.error()))
                    return committed.release_error();
                history.withdraw_last();
            }
            break;
        }
        case Step::Kind::Sync:
            TRY(store->sync());
            history.acknowledge();
            break;
        case Step::Kind::Remount:
            store = std::make_unique<storage::Store>(ssd, Bytes(memory.data(), storage::Store::kMemorySize), options);
            TRY(store->mount());
            break;
        }
    }
    return {};
}

} // namespace ferros::check
