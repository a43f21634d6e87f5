#include "store_boot.h"
#include "arch/platform.h"
#include "boot_stage.h"
#include "console.h"
#include "marker.h"
#include <ferros/drivers/window_ssd.h>
#include <ferros/kernel/recovery.h>
#include <ferros/kernel/self_check.h>

namespace ferros::kernel {

namespace {

    using storage::Store;

    // The store's working memory, fixed whatever the device size. In .bss: the loader
    // zero-fills it, and the image still ends far below the marker page (the linker script
    // asserts it).
    alignas(8) uint8_t s_store_memory[Store::kMemorySize];
    // The driver and the store are made at boot, when the window is known; the kernel has no
    // static constructors, so they are placed into static storage.
    alignas(drivers::WindowSsd) uint8_t s_ssd_storage[sizeof(drivers::WindowSsd)];
    alignas(Store) uint8_t s_store_storage[sizeof(Store)];

    constexpr uint64_t kVerdictPassed = 0;
    constexpr uint64_t kInvariantMountable = 1; // R1
    constexpr uint64_t kInvariantIntact = 2; // R2

    const char* reason(const Error& error) { return error.context() != nullptr ? error.context() : error.message(); }

    // The verdict goes to the plugin before the lines that explain it, as stages do: the
    // marker is the event, the lines cost instructions after it.
    [[noreturn]] void fail(uint64_t invariant, const char* what, const Error& error)
    {
        store_marker(abi::MarkerKind::Verdict, invariant);
        kprintf("ferros: %s: %s\n", what, error_name(error.code()));
        kprintf("ferros: error: reason: %s\n", reason(error));
        arch::exit_machine(abi::ExitValue::SelfCheckFailed);
    }

} // namespace

Store& mount_store(PhysicalRange window, storage::StoreOptions options, Bytes scratch)
{
    auto* ssd = new (s_ssd_storage) drivers::WindowSsd(window.base(), window.size());
    auto* store = new (s_store_storage) Store(*ssd, Bytes(s_store_memory, sizeof(s_store_memory)), options);
    auto mounted = mount_or_format(*store, *ssd, options, scratch);
    if (mounted.is_error())
        fail(kInvariantMountable, "error: mount failed", mounted.error());
    if (mounted.value() == MountOutcome::FormattedBlank)
        kprintf("ferros: store blank, formatted size=%lu\n", ssd->size());
    if (mounted.value() == MountOutcome::FormattedInterrupted)
        kprintf("ferros: store format was interrupted, formatted again size=%lu\n", ssd->size());
    const auto& stats = store->mount_stats();
    kprintf("ferros: store mounted anchor_slots=%lu log_records=%lu log_bytes=%lu\n", stats.anchor_slots_read,
        stats.log_records, stats.log_bytes);
    pass_stage(abi::BootStage::StoreMounted);
    return *store;
}

void check_store(Store& store, Bytes scratch)
{
    auto checked = self_check(store, scratch);
    if (checked.is_error())
        fail(kInvariantIntact, "self-check failed", checked.error());
    store_marker(abi::MarkerKind::Verdict, kVerdictPassed);
    kprintf("ferros: self-check ok keys=%lu bytes=%lu\n", checked.value().keys, checked.value().bytes);
}

} // namespace ferros::kernel
