// Fuzzes the kernel's command-line parser (kernel/command_line.cpp, built for the host): the
// firmware's string is outside input, parsed in place. Every refusal must name a `ferros.`
// token of the input, and every view the parser keeps must point into the input.
#include "command_line.h"
#include <ferros/base/verify.h>

using namespace ferros;
using namespace ferros::kernel;

namespace {

bool inside(StringView view, const char* text, size_t length)
{
    return view.characters() >= text && view.length() <= length
        && static_cast<size_t>(view.characters() - text) <= length - view.length();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    // libFuzzer's buffer is exactly `size` bytes with no NUL after it, as the firmware's string
    // may be: a read past the end is an ASan report.
    auto const* text = reinterpret_cast<const char*>(data);
    StringView bad_token;
    auto parsed = CommandLine::try_parse(StringView(text, size), &bad_token);
    if (parsed.is_error()) {
        VERIFY(inside(bad_token, text, size));
        VERIFY(bad_token.starts_with("ferros."));
        return 0;
    }
    auto const& line = parsed.value();
    if (line.has_ssd()) {
        VERIFY(inside(line.ssd().token, text, size));
        VERIFY(line.ssd().token.starts_with("ferros.ssd="));
    }
    return 0;
}
