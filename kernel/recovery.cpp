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

} // namespace ferros::kernel
