// Bad traces are refused with an error that says what is wrong, never read as if whole.
#include "trace_test_support.h"
#include <cstdio>
#include <ferros/trace/trace_format.h>
#include <ferros/trace/trace_reader.h>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>

using namespace ferros;
using namespace ferros::trace;
using namespace ferros::trace::test;

namespace {

std::vector<uint8_t> slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void spit(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// Opens the trace and reads all of it; the first error, or none.
ErrorOr<void> read_all(const std::string& path)
{
    auto reader = TRY(TraceReader::open(path));
    std::vector<TraceEvent> events;
    while (TRY(reader.next_chunk(events))) { }
    return {};
}

class TraceCorruption : public ::testing::Test {
protected:
    void SetUp() override
    {
        write_sample(m_good, 2000, 256);
        m_bytes = slurp(m_good);
    }
    std::string m_good = temp_path("good.trace");
    std::string m_bad = temp_path("bad.trace");
    std::vector<uint8_t> m_bytes;
};

} // namespace

TEST_F(TraceCorruption, GoodTraceReads) { EXPECT_FALSE(read_all(m_good).is_error()); }

TEST_F(TraceCorruption, MissingFile)
{
    auto result = read_all(temp_path("no-such.trace"));
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::NotFound);
}

TEST_F(TraceCorruption, NotATrace)
{
    spit(m_bad, std::vector<uint8_t>(100, 'x'));
    auto result = read_all(m_bad);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::BadFormat);
    EXPECT_STREQ(result.error().context(), "not a Ferros trace (bad magic)");
}

TEST_F(TraceCorruption, OtherVersion)
{
    m_bytes[8] = 2;
    spit(m_bad, m_bytes);
    auto result = read_all(m_bad);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Unsupported);
}

TEST_F(TraceCorruption, EveryTruncationIsRefused)
{
    // Every prefix of a trace, cut anywhere, is refused as truncated (or, cut inside the
    // magic, as not a trace): no prefix passes for a complete trace.
    for (size_t length = 0; length < m_bytes.size(); length += 1 + length / 16) {
        spit(m_bad, std::vector<uint8_t>(m_bytes.begin(), m_bytes.begin() + static_cast<long>(length)));
        auto result = read_all(m_bad);
        ASSERT_TRUE(result.is_error()) << length;
        EXPECT_TRUE(result.error().code() == ErrorCode::Truncated || result.error().code() == ErrorCode::BadFormat)
            << length << ": " << result.error().context();
    }
    spit(m_bad, std::vector<uint8_t>(m_bytes.begin(), m_bytes.end() - 1));
    auto result = read_all(m_bad);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Truncated);
    EXPECT_STREQ(result.error().context(), "the trace ends inside a frame");
}

TEST_F(TraceCorruption, EveryFlippedByteIsRefused)
{
    // A flipped bit anywhere after the magic is caught by a CRC, a size or a sequence check.
    for (size_t offset = sizeof(kFileMagic); offset < m_bytes.size(); offset += 1 + offset / 64) {
        auto bytes = m_bytes;
        bytes[offset] ^= 0x10;
        spit(m_bad, bytes);
        auto result = read_all(m_bad);
        ASSERT_TRUE(result.is_error()) << offset;
    }
}

TEST_F(TraceCorruption, FlippedChunkByteIsCorrupt)
{
    auto bytes = m_bytes;
    bytes[bytes.size() / 2] ^= 0x01;
    spit(m_bad, bytes);
    auto result = read_all(m_bad);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), ErrorCode::Corrupt);
}

TEST_F(TraceCorruption, TrailingBytes)
{
    auto bytes = m_bytes;
    bytes.push_back(0);
    spit(m_bad, bytes);
    auto result = read_all(m_bad);
    ASSERT_TRUE(result.is_error());
    EXPECT_STREQ(result.error().context(), "bytes follow the footer");
}
