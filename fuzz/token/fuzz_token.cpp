// Fuzzes the repro token decoder (simulator/campaign): decode must refuse every malformed token
// with an error value, and a token it accepts must survive encode and decode unchanged, since a
// token pasted into a bug report has to name exactly the run that failed.
#include <ferros/base/crc32c.h>
#include <ferros/base/verify.h>
#include <ferros/campaign/token.h>
#include <string>

using ferros::campaign::ReproToken;

namespace {

void decode_and_round_trip(const std::string& text)
{
    auto decoded = ReproToken::decode(text);
    if (decoded.is_error())
        return;
    auto const& token = decoded.value();
    auto again = ReproToken::decode(token.encode());
    VERIFY(!again.is_error());
    VERIFY(again.value() == token);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    decode_and_round_trip(text);

    // A mutation almost never keeps the trailing CRC32C right, so the input is decoded again
    // as the body of a token with its checksum field appended: that reaches the field parsers.
    char crc[16];
    snprintf(crc, sizeof(crc), ".c%08x", ferros::crc32c(0, text.data(), text.size()));
    decode_and_round_trip(text + crc);
    return 0;
}
