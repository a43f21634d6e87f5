#include <ferros/abi/workload.h>
#include <ferros/campaign/host_recovery.h>
#include <ferros/kernel/recovery.h>
#include <ferros/storage/host_ssd.h>

namespace ferros::campaign {

bool host_recovery_passes(const std::vector<uint8_t>& image, storage::SeededBug bug, RebootEnd end)
{
    storage::HostSsd ssd(image, storage::HostSsd::Tracking::Off);
    storage::StoreOptions options;
    options.bug = bug;
    // The store wants 8-byte-aligned memory.
    std::vector<uint64_t> memory((storage::Store::kMemorySize + 7) / 8);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize), options);
    std::vector<uint8_t> scratch(abi::kMaxValueLength);
    if (kernel::mount_or_format(store, ssd, options, Bytes(scratch.data(), scratch.size())).is_error())
        return false;
    auto checked = kernel::self_check(store, Bytes(scratch.data(), scratch.size()));
    if (checked.is_error())
        return false;
    if (end == RebootEnd::Ready)
        return true;
    return !kernel::check_live(store, checked.value(), Bytes(scratch.data(), scratch.size())).is_error();
}

} // namespace ferros::campaign
