#include <ferros/kernel/interrupted_format.h>
#include <ferros/kernel/recovery.h>

namespace ferros::kernel {

using storage::Store;

ErrorOr<MountOutcome> mount_or_format(Store& store, ring::Ssd& ssd, storage::StoreOptions options, Bytes scratch)
{
    auto mounted = store.mount();
    if (!mounted.is_error())
        return MountOutcome::Mounted;
    MountOutcome outcome;
    ErrorCode const code = mounted.error().code();
    if (code == ErrorCode::Corrupt) {
        if (!TRY(is_interrupted_format(ssd, scratch)))
            return mounted.error();
        outcome = MountOutcome::FormattedInterrupted;
    } else if (code == ErrorCode::NoAnchor) {
        outcome = MountOutcome::FormattedBlank;
    } else {
        return mounted.error();
    }
    TRY(Store::format(ssd, options));
    TRY(store.mount());
    return outcome;
}

namespace {

    ErrorOr<void> check_after_live(
        Store& store, const SelfCheckSummary& before, const storage::LiveStats& stats, Bytes scratch)
    {
        auto const after = TRY(self_check(store, scratch));
        if (after.keys != before.keys - stats.removed + stats.added)
            return Error(ErrorCode::Corrupt, "the keys after the continuation are not those it left");
        TRY(storage::verify_live_keys(store, stats, scratch));
        return {};
    }

} // namespace

ErrorOr<LiveSummary> check_live(
    Store& store, const SelfCheckSummary& before, Bytes scratch, const storage::LiveObserver& observer)
{
    uint64_t const relocated = store.write_stats().relocation_bytes;
    auto const stats = TRY(storage::run_live(store, scratch, observer));
    TRY(check_after_live(store, before, stats, scratch));
    LiveSummary summary { stats.commits, stats.refused, stats.removed, stats.end_head - stats.start_head,
        store.write_stats().relocation_bytes - relocated };
    // A remount must find exactly what the continuation left (its last commits were synced).
    TRY(store.mount());
    TRY(check_after_live(store, before, stats, scratch));
    return summary;
}

} // namespace ferros::kernel
