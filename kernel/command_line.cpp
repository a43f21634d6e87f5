#include "command_line.h"

namespace ferros::kernel {

namespace {

    constexpr StringView kPrefix = "ferros.";

    enum SeenBit : uint32_t {
        SeenUntil = 1u << 0,
        SeenFault = 1u << 1,
        SeenSsd = 1u << 2,
        SeenBug = 1u << 3,
        SeenInject = 1u << 4,
    };

    struct FaultName {
        StringView name;
        InjectedFault fault;
    };
    constexpr FaultName kFaultNames[] = {
        { "de", InjectedFault::DivideError },
        { "bp", InjectedFault::Breakpoint },
        { "ud", InjectedFault::InvalidOpcode },
        { "df", InjectedFault::DoubleFault },
        { "gp", InjectedFault::GeneralProtection },
        { "pf", InjectedFault::PageFault },
    };

    int digit_value(char c, uint64_t radix)
    {
        int value = -1;
        if (c >= '0' && c <= '9')
            value = c - '0';
        else if (c >= 'a' && c <= 'f')
            value = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            value = c - 'A' + 10;
        return value >= 0 && static_cast<uint64_t>(value) < radix ? value : -1;
    }

} // namespace

ErrorOr<uint64_t> parse_number(StringView text)
{
    uint64_t radix = 10;
    if (text.starts_with("0x") || text.starts_with("0X")) {
        radix = 16;
        text = text.substring(2);
    }
    if (text.is_empty())
        return Error(ErrorCode::BadFormat, "empty number");
    uint64_t value = 0;
    for (size_t i = 0; i < text.length(); ++i) {
        int digit = digit_value(text[i], radix);
        if (digit < 0)
            return Error(ErrorCode::BadFormat, "not a digit");
        if (value > (UINT64_MAX - static_cast<uint64_t>(digit)) / radix)
            return Error(ErrorCode::OutOfRange, "number does not fit in 64 bits");
        value = value * radix + static_cast<uint64_t>(digit);
    }
    return value;
}

ErrorOr<CommandLine> CommandLine::try_parse(StringView text, StringView* bad_token)
{
    CommandLine command_line;
    size_t i = 0;
    while (i < text.length()) {
        if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < text.length() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n')
            ++i;
        StringView token = text.substring(start, i - start);
        if (!token.starts_with(kPrefix))
            continue;
        StringView rest = token.substring(kPrefix.length());
        size_t equals = rest.find('=');
        auto result = equals == rest.length()
            ? ErrorOr<void>(Error(ErrorCode::BadFormat, "token has no value"))
            : command_line.apply(rest.substring(0, equals), rest.substring(equals + 1), token);
        if (result.is_error()) {
            *bad_token = token;
            return result.release_error();
        }
    }
    // The continuation runs in the store server, which only a machine with an SSD has.
    if (command_line.m_until == Until::Live && !command_line.m_has_ssd) {
        *bad_token = command_line.m_until_token;
        return Error(ErrorCode::BadFormat, "ferros.until=live needs ferros.ssd");
    }
    return command_line;
}

ErrorOr<void> CommandLine::apply(StringView key, StringView value, StringView token)
{
    auto claim = [this](uint32_t bit) -> ErrorOr<void> {
        if (m_seen & bit)
            return Error(ErrorCode::BadFormat, "repeated token");
        m_seen |= bit;
        return {};
    };

    if (key == "until") {
        TRY(claim(SeenUntil));
        if (value == "ready")
            m_until = Until::Ready;
        else if (value == "poweroff")
            m_until = Until::Poweroff;
        else if (value == "live")
            m_until = Until::Live;
        else
            return Error(ErrorCode::BadFormat, "ferros.until must be ready, poweroff or live");
        m_until_token = token;
        return {};
    }
    if (key == "fault") {
        TRY(claim(SeenFault));
        for (const auto& entry : kFaultNames) {
            if (value == entry.name) {
                m_fault = entry.fault;
                return {};
            }
        }
        return Error(ErrorCode::BadFormat, "unknown fault name");
    }
    if (key == "ssd") {
        TRY(claim(SeenSsd));
        size_t comma = value.find(',');
        if (comma == value.length())
            return Error(ErrorCode::BadFormat, "ferros.ssd needs BASE,SIZE");
        m_ssd.base = TRY(parse_number(value.substring(0, comma)));
        m_ssd.size = TRY(parse_number(value.substring(comma + 1)));
        m_ssd.token = token;
        m_has_ssd = true;
        return {};
    }
    if (key == "bug") {
        TRY(claim(SeenBug));
        auto bug = storage::seeded_bug_from_name(value.characters(), value.length());
        if (bug.is_error())
            return Error(ErrorCode::BadFormat, "unknown seeded bug name");
        m_bug = bug.release_value();
        return {};
    }
    if (key == "inject") {
        TRY(claim(SeenInject));
        m_injection = TRY(parse_injection(value));
        m_has_injection = true;
        return {};
    }
    return Error(ErrorCode::NotFound, "unknown ferros token");
}

} // namespace ferros::kernel
