#pragma once
// A formatted, mounted store on a 1 MiB host RAM device (no crash tracking), for the tests
// of the system-call entry and the self-check.

#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <gtest/gtest.h>
#include <memory>
#include <vector>

namespace ferros::kernel::test_support {

class StoreFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        ASSERT_FALSE(storage::Store::format(m_ssd).is_error());
        ASSERT_FALSE(m_store.mount().is_error());
    }

    // 2 MiB: the store caps a record at a sixteenth of the ring, and tests put 64 KiB values.
    storage::HostSsd m_ssd { 2 << 20, storage::HostSsd::Tracking::Off };
    std::vector<uint64_t> m_memory = std::vector<uint64_t>(storage::Store::kMemorySize / 8 + 1);
    storage::Store m_store { m_ssd, Bytes(reinterpret_cast<uint8_t*>(m_memory.data()), storage::Store::kMemorySize) };
};

} // namespace ferros::kernel::test_support
