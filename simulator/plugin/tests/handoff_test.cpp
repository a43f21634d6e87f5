#include <ferros/base/bytes.h>
#include <ferros/plugin/handoff.h>
#include <gtest/gtest.h>
#include <map>

using namespace ferros;
using namespace ferros::plugin;

namespace {

// Guest memory as qboot leaves it: a start info at 0xf59c0, a memory map and a command line.
struct FakeGuest {
    std::map<uint64_t, uint8_t> bytes;

    void put(uint64_t address, const std::vector<uint8_t>& data)
    {
        for (size_t i = 0; i < data.size(); ++i)
            bytes[address + i] = data[i];
    }
    ReadGuest reader() const
    {
        return [this](uint64_t address, size_t length, uint8_t* out) {
            for (size_t i = 0; i < length; ++i) {
                auto it = bytes.find(address + i);
                if (it == bytes.end())
                    return false;
                out[i] = it->second;
            }
            return true;
        };
    }
};

constexpr uint64_t kStartInfo = 0xf59c0, kMemmap = 0xefee0, kCmdline = 0xeff70;

std::vector<uint8_t> start_info(uint32_t magic, uint32_t modules, uint32_t entries, uint64_t cmdline)
{
    std::vector<uint8_t> info(56, 0);
    store_le32(info.data(), magic);
    store_le32(info.data() + 4, 1);
    store_le32(info.data() + 12, modules);
    store_le64(info.data() + 24, cmdline);
    store_le64(info.data() + 40, kMemmap);
    store_le32(info.data() + 48, entries);
    return info;
}

FakeGuest qboot_like()
{
    FakeGuest guest;
    guest.put(kStartInfo, start_info(0x336ec578, 0, 2, kCmdline));
    guest.put(kMemmap, std::vector<uint8_t>(48, 0x5a));
    std::string line = "ferros.ssd=0x4000000,0x10000";
    guest.put(kCmdline, std::vector<uint8_t>(line.begin(), line.end()));
    guest.put(kCmdline + line.size(), { 0 });
    return guest;
}

} // namespace

TEST(Handoff, CollectsTheStartInfoTheMemoryMapAndTheCommandLine)
{
    auto guest = qboot_like();
    auto handoff = collect_handoff(kStartInfo, guest.reader());
    ASSERT_FALSE(handoff.is_error()) << handoff.error().message();
    auto const& h = handoff.value();
    EXPECT_EQ(h.start_info, kStartInfo);
    ASSERT_EQ(h.regions.size(), 3u);
    EXPECT_EQ(h.regions[0].address, kStartInfo);
    EXPECT_EQ(h.regions[0].bytes.size(), 56u);
    EXPECT_EQ(h.regions[1].address, kMemmap);
    EXPECT_EQ(h.regions[1].bytes, std::vector<uint8_t>(48, 0x5a));
    EXPECT_EQ(h.regions[2].address, kCmdline);
    EXPECT_EQ(h.regions[2].bytes.size(), 29u); // the line and its NUL
    EXPECT_EQ(h.regions[2].bytes.back(), 0);
}

TEST(Handoff, RefusesWhatAWorkerCannotReplay)
{
    auto no_magic = qboot_like();
    no_magic.put(kStartInfo, start_info(0x12345678, 0, 2, kCmdline));
    EXPECT_EQ(collect_handoff(kStartInfo, no_magic.reader()).error().code(), ErrorCode::BadFormat);

    auto modules = qboot_like();
    modules.put(kStartInfo, start_info(0x336ec578, 1, 2, kCmdline));
    EXPECT_EQ(collect_handoff(kStartInfo, modules.reader()).error().code(), ErrorCode::Unsupported);

    auto huge_map = qboot_like();
    huge_map.put(kStartInfo, start_info(0x336ec578, 0, 1000, kCmdline));
    EXPECT_EQ(collect_handoff(kStartInfo, huge_map.reader()).error().code(), ErrorCode::BadFormat);

    auto unreadable_map = qboot_like();
    unreadable_map.put(kStartInfo, start_info(0x336ec578, 0, 3, kCmdline)); // 72 bytes, 48 there
    EXPECT_EQ(collect_handoff(kStartInfo, unreadable_map.reader()).error().code(), ErrorCode::BadFormat);

    auto endless_line = qboot_like();
    endless_line.put(kCmdline, std::vector<uint8_t>(5000, 'x'));
    EXPECT_EQ(collect_handoff(kStartInfo, endless_line.reader()).error().code(), ErrorCode::BadFormat);

    EXPECT_EQ(collect_handoff(0x1000, qboot_like().reader()).error().code(), ErrorCode::BadFormat);
}

TEST(Handoff, TextFormRoundTrips)
{
    auto guest = qboot_like();
    auto handoff = collect_handoff(kStartInfo, guest.reader()).release_value();
    handoff.entry_boundary = 24122;
    auto parsed = parse_handoff(format_handoff(handoff));
    ASSERT_FALSE(parsed.is_error()) << parsed.error().message();
    EXPECT_EQ(parsed.value().start_info, handoff.start_info);
    EXPECT_EQ(parsed.value().entry_boundary, handoff.entry_boundary);
    ASSERT_EQ(parsed.value().regions.size(), handoff.regions.size());
    for (size_t i = 0; i < handoff.regions.size(); ++i) {
        EXPECT_EQ(parsed.value().regions[i].address, handoff.regions[i].address);
        EXPECT_EQ(parsed.value().regions[i].bytes, handoff.regions[i].bytes);
    }
}

TEST(Handoff, ParseRefusesEveryMalformedFile)
{
    auto guest = qboot_like();
    auto good = format_handoff(collect_handoff(kStartInfo, guest.reader()).release_value());
    auto refused = [](std::string text) {
        auto parsed = parse_handoff(text);
        return parsed.is_error() && parsed.error().code() == ErrorCode::BadFormat;
    };
    EXPECT_TRUE(refused(""));
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info 0x10\nentry_boundary 5\n"));
    EXPECT_TRUE(refused(good.substr(0, good.size() - 1))); // no final newline
    std::string const head = "ferros-handoff 2\nstart_info 0xf59c0\nentry_boundary 24122\n";
    EXPECT_TRUE(refused(head)); // no region
    EXPECT_TRUE(refused(head + "region 0xf59c0 abc\n")); // odd length
    EXPECT_TRUE(refused(head + "region 0xf59c0 zz\n"));
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info nope\n"));
    EXPECT_TRUE(refused("ferros-handoff 2\nregion 0x10 00\n")); // region before start_info
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info 0x10\nregion 0x10 00\n")); // no entry_boundary
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info 0x10\nentry_boundary 5\nregion 0x10 00\n")); // not 56 bytes
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info 0x10\nentry_boundary 5\nregion 0xffffffffffffffff 0000\n"));
    EXPECT_TRUE(refused("ferros-handoff 2\nstart_info 0x10\nentry_boundary -1\n"));
    // Version 1 files (no entry_boundary) are refused whole.
    auto v1 = good;
    v1.replace(0, std::string("ferros-handoff 2").size(), "ferros-handoff 1");
    EXPECT_TRUE(refused(v1));
    EXPECT_TRUE(refused(good + "bogus line\n"));
    EXPECT_FALSE(refused(good));
}
