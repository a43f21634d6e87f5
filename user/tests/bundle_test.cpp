// The boot bundle's decoder (abi/src/bundle.cpp) on hand-made bundles: what it accepts, and
// that every malformed field is refused before anything is used.

#include <cstring>
#include <ferros/abi/bundle.h>
#include <ferros/base/crc32c.h>
#include <gtest/gtest.h>
#include <vector>

using namespace ferros;
using namespace ferros::abi;

namespace {

// One program "init" (image "ELF!", args "a b"), two endpoints, an optional workload.
std::vector<uint8_t> make_bundle(bool with_workload = false)
{
    std::vector<uint8_t> b(kBundleHeaderSize + kBundleEntrySize, 0);
    std::memcpy(b.data(), kBundleMagic, 4);
    store_le16(b.data() + 4, kBundleVersion);
    store_le16(b.data() + 6, 1);
    store_le16(b.data() + 8, 2);
    uint8_t* e = b.data() + kBundleHeaderSize;
    std::memcpy(e, "init", 4);
    auto append = [&](const char* text) {
        uint32_t offset = static_cast<uint32_t>(b.size());
        b.insert(b.end(), text, text + std::strlen(text));
        return offset;
    };
    uint32_t image = append("ELF!");
    uint32_t args = append("a b");
    e = b.data() + kBundleHeaderSize;
    store_le32(e + 16, image);
    store_le32(e + 20, 4);
    store_le32(e + 24, args);
    store_le32(e + 28, 3);
    store_le32(e + 32, GrantConsole | GrantSpawn);
    e[36] = 1;
    store_le16(e + 40, 1);
    store_le16(e + 42, 2);
    if (with_workload) {
        uint32_t workload = append("FRWL....");
        store_le32(b.data() + 20, workload);
        store_le32(b.data() + 24, 8);
    }
    return b;
}

void seal(std::vector<uint8_t>& b)
{
    store_le32(b.data() + 12, static_cast<uint32_t>(b.size()));
    store_le32(b.data() + 16, crc32c(0, b.data() + kBundleHeaderSize, b.size() - kBundleHeaderSize));
}

ErrorOr<Bundle> parse(const std::vector<uint8_t>& b) { return Bundle::parse(ReadonlyBytes(b.data(), b.size())); }

ErrorCode refusal(std::vector<uint8_t> b)
{
    seal(b);
    auto result = parse(b);
    EXPECT_TRUE(result.is_error());
    return result.is_error() ? result.error().code() : ErrorCode::InvalidArgument;
}

} // namespace

TEST(Bundle, DecodesProgramsGrantsEndpointsAndWorkload)
{
    auto b = make_bundle(true);
    seal(b);
    auto bundle = parse(b);
    ASSERT_FALSE(bundle.is_error()) << bundle.error().message();
    ASSERT_EQ(bundle.value().program_count(), 1u);
    const BundleProgram& p = bundle.value().program(0);
    EXPECT_STREQ(p.name, "init");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(p.image.data()), p.image.size()), "ELF!");
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(p.args.data()), p.args.size()), "a b");
    EXPECT_EQ(p.grants, GrantConsole | GrantSpawn);
    EXPECT_TRUE(p.start_at_boot);
    EXPECT_EQ(p.send_endpoints, 1);
    EXPECT_EQ(p.receive_endpoints, 2);
    EXPECT_EQ(bundle.value().endpoint_count(), 2u);
    EXPECT_EQ(bundle.value().workload().size(), 8u);
    const uint8_t name[] = { 'i', 'n', 'i', 't' };
    EXPECT_EQ(bundle.value().find(ReadonlyBytes(name, 4)), &bundle.value().program(0));
    EXPECT_EQ(bundle.value().find(ReadonlyBytes(name, 3)), nullptr);
}

TEST(Bundle, RefusesEveryMalformedField)
{
    auto checksum = make_bundle();
    seal(checksum);
    checksum.back() ^= 1;
    EXPECT_EQ(parse(checksum).error().code(), ErrorCode::Corrupt);

    auto b = make_bundle();
    b[4] = 2;
    EXPECT_EQ(refusal(b), ErrorCode::Unsupported);
    b = make_bundle();
    store_le16(b.data() + 6, 0);
    EXPECT_EQ(refusal(b), ErrorCode::TooBig);
    b = make_bundle();
    store_le16(b.data() + 8, 9);
    EXPECT_EQ(refusal(b), ErrorCode::TooBig);
    b = make_bundle();
    b[kBundleHeaderSize] = 'I'; // names are [a-z0-9-]
    EXPECT_EQ(refusal(b), ErrorCode::BadFormat);
    b = make_bundle();
    store_le32(b.data() + kBundleHeaderSize + 20, 1000); // the image runs past the end
    EXPECT_EQ(refusal(b), ErrorCode::BadFormat);
    b = make_bundle();
    store_le32(b.data() + kBundleHeaderSize + 32, 1u << 7); // an unknown grant
    EXPECT_EQ(refusal(b), ErrorCode::BadFormat);
    b = make_bundle();
    store_le16(b.data() + kBundleHeaderSize + 40, 4); // endpoint 2 of 2
    EXPECT_EQ(refusal(b), ErrorCode::BadFormat);
    b = make_bundle();
    b[kBundleHeaderSize + 36] = 2;
    EXPECT_EQ(refusal(b), ErrorCode::BadFormat);
    b = make_bundle();
    b.resize(kBundleHeaderSize - 1);
    EXPECT_EQ(parse(b).error().code(), ErrorCode::Truncated);
}
