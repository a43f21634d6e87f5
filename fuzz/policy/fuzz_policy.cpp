// Fuzzes the crash model (crash/, docs/crash-model.md): Policy::parse on the
// input's first line, and for a policy that parses, the StateSpace of a small random durable
// image with pending writes decoded from the rest of the input. Every state must hash as its
// image does, restore(i) must undo apply(i), and the documented states must be what they say:
// the first is the durable image, the last is what reads saw, prefix state i is i writes.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/base/rng.h>
#include <ferros/base/verify.h>
#include <ferros/crash/content_hash.h>
#include <ferros/crash/policy.h>
#include <ferros/crash/state_space.h>
#include <span>
#include <string_view>
#include <vector>

using namespace ferros;
using namespace ferros::crash;

namespace {

// Reads the input's bytes as numbers; past its end every read is zero, so any input decodes.
class Reader {
public:
    Reader(const uint8_t* data, size_t size)
        : m_data(data)
        , m_size(size)
    {
    }
    bool at_end() const { return m_offset >= m_size; }
    uint64_t number(size_t width)
    {
        uint8_t bytes[8] {};
        size_t const take = std::min(width, m_size - std::min(m_offset, m_size));
        std::memcpy(bytes, m_data + m_offset, take);
        m_offset += width;
        return load_le(bytes, width);
    }

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_offset { 0 };
};

// Images of up to 9 KiB: several units of every UNIT, including 4096, and a last unit that the
// image's end cuts short. Bounded writes keep each run fast.
constexpr size_t kMaxImage = 9 * 1024;
constexpr size_t kMaxWrites = 48;
// States checked per space: all of a small space, the first and last of a large one.
constexpr uint64_t kStatesChecked = 64;

void check_state(const StateSpace& space, uint64_t index, std::span<const uint8_t> durable,
    std::span<const uint8_t> expected, std::vector<uint8_t>& image)
{
    image.assign(durable.begin(), durable.end());
    space.apply(index, image);
    VERIFY(space.hash(index) == image_hash(image));
    if (!expected.empty())
        VERIFY(std::equal(image.begin(), image.end(), expected.begin(), expected.end()));
    space.restore(index, image);
    VERIFY(std::equal(image.begin(), image.end(), durable.begin(), durable.end()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    auto const* newline = static_cast<const uint8_t*>(memchr(data, '\n', size));
    size_t const text_length = newline ? static_cast<size_t>(newline - data) : size;
    auto parsed = Policy::parse(std::string_view(reinterpret_cast<const char*>(data), text_length));
    if (parsed.is_error())
        return 0;
    Policy const policy = parsed.value();
    // The text form is part of repro tokens: it must give back the same policy.
    auto again = Policy::parse(policy.to_string());
    VERIFY(!again.is_error() && again.value() == policy);
    if (!newline)
        return 0;

    Reader in(newline + 1, size - text_length - 1);
    size_t const image_size = in.number(2) % (kMaxImage + 1);
    Rng fill(in.number(8));
    uint64_t const seed = in.number(8);
    std::vector<uint8_t> durable(image_size);
    for (auto& byte : durable)
        byte = static_cast<uint8_t>(fill.next());

    // Writes may reach a little past the image, so the range check is fuzzed too.
    std::vector<PendingWrite> pending;
    bool outside = false;
    while (!in.at_end() && pending.size() < kMaxWrites) {
        PendingWrite write;
        write.offset = DeviceOffset(in.number(2) % (image_size + 2));
        // Empty writes included: they once made StateSpace::apply hand memcpy a null source
        // (crashes/empty_write_memcpy_null, now fixed and a regression seed in corpus/).
        write.bytes.resize(in.number(1));
        for (auto& byte : write.bytes)
            byte = static_cast<uint8_t>(in.number(1));
        outside = outside || write.offset.value() + write.bytes.size() > image_size;
        pending.push_back(std::move(write));
    }

    auto created = StateSpace::create(policy, durable, pending, seed);
    VERIFY(created.is_error() == outside);
    if (created.is_error())
        return 0;
    auto const& space = created.value();
    VERIFY(space.count() >= 1);
    VERIFY(space.durable_hash() == image_hash(durable));

    // What reads saw before the cut: every pending write, in program order.
    std::vector<uint8_t> visible = durable;
    for (auto const& write : pending)
        std::copy(write.bytes.begin(), write.bytes.end(), visible.begin() + write.offset.value());

    std::vector<uint8_t> image;
    std::vector<uint8_t> prefix = durable;
    uint64_t const count = space.count();
    for (uint64_t index = 0; index < count; ++index) {
        if (index == kStatesChecked / 2 && count > kStatesChecked)
            index = count - kStatesChecked / 2;
        std::span<const uint8_t> expected;
        if (index == count - 1)
            expected = visible;
        else if (index == 0)
            expected = durable;
        if (policy.kind == Policy::Kind::Prefix) {
            // State i holds the first i writes (a prefix space has at most kMaxWrites + 1 states).
            VERIFY(count == pending.size() + 1);
            prefix = durable;
            for (uint64_t w = 0; w < index; ++w)
                std::copy(pending[w].bytes.begin(), pending[w].bytes.end(), prefix.begin() + pending[w].offset.value());
            expected = prefix;
        }
        check_state(space, index, durable, expected, image);
    }
    if (policy.kind == Policy::Kind::Strict)
        VERIFY(count == 1);
    return 0;
}
