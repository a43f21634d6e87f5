#include <ferros/drivers/window_ssd.h>

namespace ferros::drivers {

namespace {

    // An 8-byte word that may alias the bytes it is copied from or to.
    using Word = uint64_t __attribute__((may_alias));

    // Copies with 8-byte loads and stores where both sides allow it. The plugin sees every
    // store into the window and the campaign walks every instruction, so a byte loop would
    // cost eight times the stores and about eight times the instructions.
    void copy(uint8_t* to, const uint8_t* from, size_t length)
    {
        size_t i = 0;
        if (((reinterpret_cast<uintptr_t>(to) ^ reinterpret_cast<uintptr_t>(from)) & 7) == 0) {
            for (; i < length && (reinterpret_cast<uintptr_t>(to + i) & 7) != 0; ++i)
                to[i] = from[i];
            for (; i + 8 <= length; i += 8)
                *reinterpret_cast<Word*>(to + i) = *reinterpret_cast<const Word*>(from + i);
        }
        for (; i < length; ++i)
            to[i] = from[i];
    }

} // namespace

ErrorOr<uint8_t*> WindowSsd::at(DeviceOffset offset, size_t length) const
{
    if (offset.value() > m_size || length > m_size - offset.value())
        return Error(ErrorCode::OutOfRange, "outside the SSD window");
    return reinterpret_cast<uint8_t*>(m_base + offset.value());
}

ErrorOr<void> WindowSsd::read(DeviceOffset offset, Bytes out)
{
    const uint8_t* source = TRY(at(offset, out.size()));
    copy(out.data(), source, out.size());
    return {};
}

ErrorOr<void> WindowSsd::write(DeviceOffset offset, ReadonlyBytes data)
{
    uint8_t* destination = TRY(at(offset, data.size()));
    copy(destination, data.data(), data.size());
    return {};
}

ErrorOr<void> WindowSsd::flush()
{
    // The doorbell covers the stores that precede it in program order, so the compiler must
    // not sink a window store below it. x86 keeps stores in order, and QEMU executes them in
    // order, so no fence instruction is needed (and none would be visible to the plugin).
    asm volatile("" ::: "memory");
    *reinterpret_cast<volatile uint64_t*>(m_doorbell) = 1;
    return {};
}

} // namespace ferros::drivers
