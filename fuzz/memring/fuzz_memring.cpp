// Fuzzes the memory ring (ring/, docs/memory-ring.md) two ways from one input.
// First, the input is a program: each byte pair is one operation (allocate, free, write, pin,
// unpin, a cleaner step, a new epoch) on a 64 KiB ring, and after every operation verify() must
// pass and every live allocation must hold exactly what was last written to it. Second, what
// remains of the input corrupts a capture of that ring (arena bytes, handle-table fields, state
// fields) the way a damaged checkpoint could: restore() must refuse it with an error value or
// accept it, and a ring it accepts must keep verifying through more operations.
#include <cstdlib>
#include <cstring>
#include <ferros/base/verify.h>
#include <ferros/ring/memory_ring.h>
#include <map>
#include <memory>
#include <vector>

using namespace ferros;
using namespace ferros::ring;

namespace {

constexpr uint64_t kCapacity = 64 * 1024;
constexpr uint32_t kSlots = 64;

struct FreeDeleter {
    void operator()(uint8_t* p) const { std::free(p); }
};
using Arena = std::unique_ptr<uint8_t, FreeDeleter>;

Arena make_arena() { return Arena(static_cast<uint8_t*>(std::aligned_alloc(kMemoryPageSize, kCapacity))); }

class Reader {
public:
    Reader(const uint8_t* data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }
    bool empty() const { return m_at >= m_size; }
    uint8_t byte() { return m_at < m_size ? m_data[m_at++] : 0; }
    uint16_t u16() { return static_cast<uint16_t>(byte() | (byte() << 8)); }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_at { 0 };
};

// One operation on the ring; `model` (when given) holds each live handle's expected bytes.
void operate(MemoryRing& ring, uint8_t op, uint8_t arg, std::vector<MemoryHandle>& handles,
    std::map<uint64_t, std::vector<uint8_t>>* model)
{
    MemoryHandle const some = handles.empty() ? MemoryHandle() : handles[arg % handles.size()];
    switch (op % 8) {
    case 0:
    case 1: { // allocate 17 bytes to a few KiB, now and then page-aligned
        uint64_t const size = 1 + (static_cast<uint64_t>(arg) << (op % 2 ? 4 : 1));
        auto alignment = (arg & 0x81) == 0x81 ? MemoryAlignment::Page : MemoryAlignment::Packed;
        auto handle = ring.allocate(size, AllocationOptions { arg, 0, alignment });
        if (!handle.is_error()) {
            handles.push_back(handle.value());
            if (model)
                (*model)[handle.value().value()] = std::vector<uint8_t>(size, 0);
        }
        break;
    }
    case 2: { // free (a pinned one refuses)
        if (!handles.empty() && !ring.free(some).is_error()) {
            handles.erase(handles.begin() + static_cast<long>(arg % handles.size()));
            if (model)
                model->erase(some.value());
        }
        break;
    }
    case 3: { // write
        auto bytes = ring.write(some);
        if (!bytes.is_error()) {
            std::memset(bytes.value().data(), arg, bytes.value().size());
            if (model)
                (*model)[some.value()].assign(bytes.value().size(), arg);
        }
        break;
    }
    case 4:
        (void)ring.pin(some);
        break;
    case 5:
        (void)ring.unpin(some);
        break;
    case 6:
        (void)ring.clean_step();
        break;
    case 7:
        if (arg < 32)
            ring.advance_epoch();
        else
            (void)ring.clean(arg * 64);
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Reader input(data, size);
    Arena arena = make_arena();
    std::vector<MemoryHandleSlot> table(kSlots);
    MemoryRing ring
        = MemoryRing::create(Bytes(arena.get(), kCapacity), Span<MemoryHandleSlot>(table.data(), table.size()))
              .release_value();

    // The program, up to a zero byte.
    std::vector<MemoryHandle> handles;
    std::map<uint64_t, std::vector<uint8_t>> model;
    while (!input.empty()) {
        uint8_t const op = input.byte();
        if (op == 0)
            break;
        operate(ring, op, input.byte(), handles, &model);
        VERIFY(!ring.verify().is_error());
        for (auto const& [handle, expected] : model) {
            auto bytes = ring.read(MemoryHandle(handle));
            VERIFY(!bytes.is_error() && bytes.value().size() == expected.size());
            VERIFY(std::memcmp(bytes.value().data(), expected.data(), expected.size()) == 0);
        }
    }

    // A damaged capture: each triple names a place and an XOR.
    Arena copy = make_arena();
    std::memcpy(copy.get(), ring.arena(), kCapacity);
    std::vector<MemoryHandleSlot> copy_table = table;
    MemoryRingState state = ring.state();
    for (int i = 0; i < 8 && !input.empty(); ++i) {
        uint8_t const where = input.byte();
        uint16_t const at = input.u16();
        uint8_t const bits = input.byte();
        switch (where % 4) {
        case 0:
        case 1:
            copy.get()[at % kCapacity] ^= bits;
            break;
        case 2: {
            auto& slot = copy_table[at % kSlots];
            switch (bits % 5) {
            case 0:
                slot.offset ^= static_cast<uint64_t>(at) << 4;
                break;
            case 1:
                slot.generation ^= bits;
                break;
            case 2:
                slot.next_free ^= bits;
                break;
            case 3:
                slot.pins ^= bits;
                break;
            case 4:
                slot.state = static_cast<MemoryHandleSlot::State>(bits % 3);
                break;
            }
            break;
        }
        case 3: {
            uint64_t const delta = static_cast<uint64_t>(at) << 4;
            switch (bits % 8) {
            case 0:
                state.tail ^= delta;
                break;
            case 1:
                state.head ^= delta;
                break;
            case 2:
                state.epoch ^= bits;
                break;
            case 3:
                state.epoch_start ^= delta;
                break;
            case 4:
                state.pending = !state.pending;
                break;
            case 5:
                state.pending_offset ^= delta;
                break;
            case 6:
                state.island_count ^= bits % 4;
                break;
            case 7:
                state.free_slot ^= bits;
                break;
            }
            break;
        }
        }
    }
    auto restored = MemoryRing::restore(
        Bytes(copy.get(), kCapacity), Span<MemoryHandleSlot>(copy_table.data(), copy_table.size()), state);
    if (restored.is_error())
        return 0;
    // Accepted: it must stay sound through whatever comes next.
    MemoryRing& again = restored.value();
    std::vector<MemoryHandle> live;
    again.for_each_live(
        [&](MemoryHandle handle, const MemoryAllocationInfo&, ReadonlyBytes) { live.push_back(handle); });
    for (int i = 0; i < 64; ++i) {
        operate(again, static_cast<uint8_t>(1 + i * 7), static_cast<uint8_t>(i * 37), live, nullptr);
        VERIFY(!again.verify().is_error());
    }
    return 0;
}
