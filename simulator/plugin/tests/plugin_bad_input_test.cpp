// Bad plugin arguments and bad machines: QEMU does not run the guest, the plugin says why on
// stderr in one greppable line, and the exit status is abi::kPluginExitBadArgs (label qemu).
#include "qemu_harness.h"
#include <ferros/abi/machine.h>
#include <gtest/gtest.h>

using namespace ferros;
using namespace ferros::plugin::test;

namespace {

// The test guest's argv with the plugin's spec replaced by `spec` (after the .so's path).
std::vector<std::string> argv_with_plugin(const std::string& image, const std::string& spec)
{
    machine::PluginConfig config;
    auto argv = machine::qemu_argv(guest_machine(image, config));
    for (size_t i = 0; i + 1 < argv.size(); ++i)
        if (argv[i] == "-plugin")
            argv[i + 1] = std::string(FERROS_PLUGIN_PATH) + spec;
    return argv;
}

void expect_refusal(const std::string& spec, const std::string& message)
{
    auto image = make_guest_image("bad.img", 1, 1);
    auto result = run_argv(argv_with_plugin(image, spec));
    EXPECT_EQ(result.status, ferros::abi::kPluginExitBadArgs) << spec << "\n" << result.stderr_text;
    EXPECT_NE(result.stderr_text.find("ferros-plugin: error: " + message + "\n"), std::string::npos)
        << spec << "\n"
        << result.stderr_text;
}

} // namespace

TEST(PluginBadInput, UnknownKey) { expect_refusal(",colour=red", "bad argument colour=red: unknown key"); }

// QEMU itself turns a bare KEY into KEY=on before the plugin sees it.
TEST(PluginBadInput, BareKey) { expect_refusal(",cut_at", "bad argument cut_at=on: not a number (decimal or 0x-hex)"); }

TEST(PluginBadInput, BadNumber)
{
    expect_refusal(",cut_at=12x", "bad argument cut_at=12x: not a number (decimal or 0x-hex)");
}

TEST(PluginBadInput, BadPolicy)
{
    expect_refusal(",ssd_base=0x4000000,ssd_size=0x10000,policy=cache:7",
        "bad argument policy=cache:7: UNIT must be 8, 64, 512 or 4096");
}

TEST(PluginBadInput, ImageOfTheWrongSize)
{
    auto image = make_guest_image("small.img", 1, 1);
    expect_refusal(",ssd_base=0x4000000,ssd_size=0x20000,image_in=" + image,
        "bad argument image_in=" + image + ": it is 65536 bytes, but ssd_size is 131072");
}

TEST(PluginBadInput, WindowOutsideRam)
{
    // 128 MiB of RAM: a window at 1 GiB is nowhere. QEMU's loader ignores that silently; the
    // plugin reads the window before the first instruction and refuses.
    expect_refusal(",ssd_base=0x40000000,ssd_size=0x10000",
        "bad argument ssd_base=0x40000000: the window [0x40000000, +0x10000) is not in guest RAM");
}

TEST(PluginBadInput, ImageNotWhereTheLoaderPutIt)
{
    auto other = make_guest_image("other.img", 2, 1);
    expect_refusal(",ssd_base=0x4000000,ssd_size=0x10000,image_in=" + other,
        "bad argument image_in=" + other
            + ": guest memory at ssd_base=0x4000000 does not hold it at power-on (QEMU's loader must be given the same "
              "file and address)");
}

TEST(PluginBadInput, StateBeyondThePolicysStates)
{
    auto image = make_guest_image("state.img", 1, 1);
    expect_refusal(",ssd_base=0x4000000,ssd_size=0x10000,image_in=" + image
            + ",policy=strict,state=5,image_out=" + temp_path("state.out") + ",cut_at=0",
        "bad argument state=5: the policy allows 1 states (0..0) at boundary 0");
}
