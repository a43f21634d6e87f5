// Fuzzes mounting the ring store (storage/, docs/storage-format.md) on an arbitrary image, as
// a reboot after any corruption would: the input, zero-padded or cut to a 64 KiB device. The
// checker must judge any image without crashing; the store must mount it or refuse it with an
// error value, and a store it mounts must list its keys in strictly increasing order and read
// every value back (or report the value's record corrupt) without crashing.
#include <algorithm>
#include <cstring>
#include <ferros/base/verify.h>
#include <ferros/check/checker.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <memory>
#include <vector>

using namespace ferros;

namespace {

// The smallest device the ring layout admits: every structure is present, and a run is fast.
constexpr size_t kDeviceSize = 64 * 1024;

bool less(ReadonlyBytes a, ReadonlyBytes b)
{
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::vector<uint8_t> image(data, data + std::min(size, kDeviceSize));
    image.resize(kDeviceSize, 0);

    // An empty history: the image owes nothing, so R3-R6 findings are expected; what is
    // checked is that judging a hostile image never crashes the checker.
    (void)check::check_state(image, check::History {});

    // Tracking off: mount's own writes (its new anchor) need no crash states here.
    storage::HostSsd ssd(std::move(image), storage::HostSsd::Tracking::Off);
    // Fresh caller memory each run, so that no run depends on what an earlier one left there.
    auto memory = std::make_unique<uint64_t[]>(storage::Store::kMemorySize / sizeof(uint64_t));
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.get()), storage::Store::kMemorySize));
    if (store.mount().is_error())
        return 0;

    static uint8_t value[storage::kMaxValueLength];
    storage::KeyBuffer keys[2];
    size_t current = 0;
    bool inclusive = true;
    ReadonlyBytes previous;
    while (true) {
        storage::KeyBuffer& found = keys[current];
        size_t value_length = 0;
        auto more = store.next_key(previous, inclusive, found, value_length);
        if (more.is_error() || !more.value())
            break;
        // Strictly increasing keys: the walk ends, and never returns a key twice.
        VERIFY(found.length >= storage::kMinKeyLength && found.length <= storage::kMaxKeyLength);
        VERIFY(inclusive || less(previous, found.view()));
        auto got = store.get(found.view(), Bytes(value, sizeof(value)));
        if (!got.is_error())
            VERIFY(got.value() == value_length);
        previous = found.view();
        inclusive = false;
        current ^= 1;
    }
    return 0;
}
