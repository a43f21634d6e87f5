// The plugin finds the guest's write to isa-debug-exit from the instruction's bytes.
#include <ferros/plugin/port_out.h>
#include <gtest/gtest.h>

using namespace ferros::plugin;

TEST(PortOut, Decodes)
{
    const uint8_t out_imm[] = { 0xe6, 0xf4 }; // out %al, $0xf4
    auto a = decode_port_out(out_imm, sizeof(out_imm));
    ASSERT_TRUE(a.has_value());
    EXPECT_FALSE(a->port_in_dx);
    EXPECT_EQ(a->port, 0xf4);
    const uint8_t out_dx[] = { 0x66, 0xef }; // out %ax, %dx
    auto b = decode_port_out(out_dx, sizeof(out_dx));
    ASSERT_TRUE(b.has_value());
    EXPECT_TRUE(b->port_in_dx);
    const uint8_t inc_then[] = { 0x40, 0xe6 }; // not one instruction: refused by length
    EXPECT_FALSE(decode_port_out(inc_then, sizeof(inc_then)).has_value());
    const uint8_t in_imm[] = { 0xe4, 0xf4 }; // in $0xf4, %al
    EXPECT_FALSE(decode_port_out(in_imm, sizeof(in_imm)).has_value());
    const uint8_t mov[] = { 0x89, 0xc8 };
    EXPECT_FALSE(decode_port_out(mov, sizeof(mov)).has_value());
    EXPECT_FALSE(decode_port_out(nullptr, 0).has_value());
}
