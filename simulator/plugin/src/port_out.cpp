#include <ferros/plugin/port_out.h>

namespace ferros::plugin {

static bool is_prefix(uint8_t byte)
{
    switch (byte) {
    case 0x66: // operand size
    case 0x67: // address size
    case 0xf0: // lock
    case 0xf2:
    case 0xf3: // rep
    case 0x26:
    case 0x2e:
    case 0x36:
    case 0x3e:
    case 0x64:
    case 0x65: // segments
        return true;
    default:
        // REX (64-bit mode). In 32-bit mode 0x40..0x4f are one-byte inc/dec instructions,
        // which the length check below then rejects.
        return byte >= 0x40 && byte <= 0x4f;
    }
}

std::optional<PortOut> decode_port_out(const uint8_t* bytes, size_t size)
{
    size_t i = 0;
    while (i < size && is_prefix(bytes[i]))
        ++i;
    if (i >= size)
        return std::nullopt;
    uint8_t opcode = bytes[i];
    size_t rest = size - i - 1;
    if ((opcode == 0xe6 || opcode == 0xe7) && rest == 1)
        return PortOut { false, bytes[i + 1] };
    if ((opcode == 0xee || opcode == 0xef) && rest == 0)
        return PortOut { true, 0 };
    return std::nullopt;
}

} // namespace ferros::plugin
