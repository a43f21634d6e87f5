// The store server: the SSD driver and the ring store as one user process (docs/kernel.md, "The
// store server"). The kernel maps the SSD window and its doorbell into it alone and hands it the
// store endpoint's Receive handle. Its start-up is the recovery: mount (or format a blank
// device), self-check, then serve the store calls clients make, one at a time, until the power
// goes. It replies to a sync only after the FLUSH the sync depends on has returned.

#include "store_service.h"
#include <ferros/drivers/window_ssd.h>
#include <ferros/kernel/recovery.h>
#include <ferros/kernel/self_check.h>
#include <ferros/user/console.h>
#include <ferros/user/start.h>
#include <ferros/user/syscall.h>

namespace {

using namespace ferros;
using storage::Store;

// The store's working memory, fixed whatever the device size, and the buffer values pass
// through: zero pages of the kernel's pool, mapped when the image is loaded.
alignas(8) uint8_t s_store_memory[Store::kMemorySize];
alignas(8) uint8_t s_value_buffer[abi::kMaxValueLength];
// The driver and the store are made once the window is known; the program has no static
// constructors, so they are placed into static storage.
alignas(drivers::WindowSsd) uint8_t s_ssd_storage[sizeof(drivers::WindowSsd)];
alignas(Store) uint8_t s_store_storage[sizeof(Store)];

constexpr uint64_t kVerdictPassed = 0;
constexpr uint64_t kVerdictLive = abi::kLastVerdictInvariant; // R14

const char* reason(const Error& error) { return error.context() != nullptr ? error.context() : error.message(); }

// The verdict goes to the plugin before the lines that explain it, as stages do.
uint8_t fail(uint8_t invariant, const char* what, const Error& error)
{
    (void)user::mark(abi::MarkerKind::Verdict, invariant);
    user::print("ferros: %s: %s\n", what, error_name(error.code()));
    user::print("ferros: error: reason: %s\n", reason(error));
    return invariant;
}

// The memory the caller being served lent, through the store endpoint.
class ServedLent final : public user::LentMemory {
public:
    explicit ServedLent(const abi::ReceiveInfo& info)
        : m_info(info)
    {
    }
    uint64_t length() const override { return m_info.lent_length; }
    ErrorOr<void> read(Bytes out) override
    {
        TRY(user::read_lent(abi::kStoreHandle, 0, out.data(), out.size()));
        return {};
    }
    ErrorOr<void> write(ReadonlyBytes data) override
    {
        TRY(user::write_lent(abi::kStoreHandle, 0, data.data(), data.size()));
        return {};
    }

private:
    const abi::ReceiveInfo& m_info;
};

// StoreLive (only the kernel's live checker has the right): R14 in the guest. The self-check is
// taken again here, not reused from start-up, so that what the continuation is held to is the
// store as this request finds it.
int64_t run_continuation(Store& store)
{
    auto checked = kernel::self_check(store, Bytes(s_value_buffer));
    if (checked.is_error()) {
        fail(kVerdictLive, "error: live: the self-check before the continuation failed", checked.error());
        return -static_cast<int64_t>(checked.error().code());
    }
    // A lap of the ring runs in user mode on the mapped window; on a large device it is longer
    // than the spin watchdog's budget (abi::spin_budget_ticks), which sizes recovery, not a lap
    // plus its checks. A Yield at each commit it attempts is the heartbeat that says it is
    // progress; the continuation's own bound on attempts still ends a store that takes nothing.
    storage::LiveObserver heartbeat;
    heartbeat.attempted = [](void*) { user::yield(); };
    auto live = kernel::check_live(store, checked.value(), Bytes(s_value_buffer), heartbeat);
    if (live.is_error()) {
        fail(kVerdictLive, "error: live: the continuation after recovery failed", live.error());
        return -static_cast<int64_t>(live.error().code());
    }
    const auto& done = live.value();
    user::print("ferros: live ok commits=%lu refused=%lu removed=%lu ring_bytes=%lu relocated=%lu\n", done.commits,
        done.refused, done.removed, done.ring_bytes, done.relocated_bytes);
    return 0;
}

[[noreturn]] void serve(Store& store)
{
    user::StoreService service(store, Bytes(s_value_buffer));
    uint8_t message[abi::kMaxMessageLength];
    for (;;) {
        abi::ReceiveInfo info;
        auto received = user::receive(abi::kStoreHandle, message, sizeof(message), &info);
        // A caller the kernel refused (a message too long) never reached us: wait for the next.
        if (received.is_error())
            continue;
        ServedLent lent(info);
        int64_t const result = info.label == static_cast<uint64_t>(abi::Syscall::StoreLive)
            ? run_continuation(store)
            : service.handle(info.label, info.sender, ReadonlyBytes(message, received.value()), lent);
        // Fail-stop: a store that stopped (Store::failed) answers nothing more. The caller gets
        // ServerRestarted, not an answer built on state that went bad, and the restart mounts
        // again: what the dead server wrote and did not acknowledge is a torn tail to it.
        if (store.failed()) {
            user::print("ferros: store server: the store stopped (%s); ending for a restart\n",
                result < 0 ? error_name(static_cast<ErrorCode>(-result)) : "after success");
            user::exit(abi::kStoreExitFailStop);
        }
        // A caller that died meanwhile needs no answer.
        (void)user::reply(abi::kStoreHandle, &result, sizeof(result));
    }
}

} // namespace

extern "C" uint8_t ferros_main(const uint8_t* args, uint64_t args_length, const uint8_t* device, uint64_t device_size)
{
    // The arguments are the kernel's: the seeded bug its command line named, or nothing.
    storage::StoreOptions options;
    if (args_length > 0) {
        auto bug = storage::seeded_bug_from_name(reinterpret_cast<const char*>(args), args_length);
        if (bug.is_error()) {
            user::print("ferros: error: store server: unknown seeded bug\n");
            return 255;
        }
        options.bug = bug.value();
    }
    auto* ssd
        = new (s_ssd_storage) drivers::WindowSsd(reinterpret_cast<uintptr_t>(device), device_size, abi::kUserDoorbell);
    auto* store = new (s_store_storage) Store(*ssd, Bytes(s_store_memory), options);

    auto mounted = kernel::mount_or_format(*store, *ssd, options, Bytes(s_value_buffer));
    // A mount that stopped on a check of its own writes (an injected fault, not the device) is
    // a crash: the supervisor restarts it. Any other failure is the device's, for good.
    if (mounted.is_error() && store->fail_stopped()) {
        user::print("ferros: store server: the store stopped during mount (%s); ending for a restart\n",
            reason(mounted.error()));
        return abi::kStoreExitFailStop;
    }
    if (mounted.is_error())
        return fail(abi::kStoreExitMountFailed, "error: mount failed", mounted.error());
    if (mounted.value() == kernel::MountOutcome::FormattedBlank)
        user::print("ferros: store blank, formatted size=%lu\n", ssd->size());
    if (mounted.value() == kernel::MountOutcome::FormattedInterrupted)
        user::print("ferros: store format was interrupted, formatted again size=%lu\n", ssd->size());
    const auto& stats = store->mount_stats();
    user::print("ferros: store mounted anchor_slots=%lu log_records=%lu log_bytes=%lu\n", stats.anchor_slots_read,
        stats.log_records, stats.log_bytes);
    (void)user::mark(abi::MarkerKind::Stage, static_cast<uint64_t>(abi::BootStage::StoreMounted));

    auto checked = kernel::self_check(*store, Bytes(s_value_buffer));
    if (checked.is_error())
        return fail(abi::kStoreExitSelfCheckFailed, "self-check failed", checked.error());
    (void)user::mark(abi::MarkerKind::Verdict, kVerdictPassed);
    user::print("ferros: self-check ok keys=%lu bytes=%lu\n", checked.value().keys, checked.value().bytes);
    serve(*store);
}
