#include <algorithm>
#include <ferros/machine/machine.h>
#include <fstream>
#include <gtest/gtest.h>
#include <string>

using namespace ferros::machine;

namespace {

std::string make_file(const std::string& name, size_t size)
{
    std::string path = std::string(FERROS_TEST_TMP) + "/" + name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << std::string(size, '\0');
    return path;
}

Machine sample()
{
    Machine m;
    m.kernel = make_file("kernel.elf", 16);
    m.ssd_image = make_file("ssd.img", 1 << 20);
    m.ssd.size = 1 << 20;
    m.kernel_args = { "ferros.until=ready" };
    return m;
}

bool has_pair(const std::vector<std::string>& argv, const std::string& flag, const std::string& value)
{
    for (size_t i = 0; i + 1 < argv.size(); ++i) {
        if (argv[i] == flag && argv[i + 1] == value)
            return true;
    }
    return false;
}

} // namespace

TEST(Machine, ArgvFollowsTheContract)
{
    auto m = sample();
    auto argv = qemu_argv(m);
    EXPECT_EQ(argv[0], "qemu-system-x86_64");
    EXPECT_TRUE(has_pair(argv, "-M", "microvm,acpi=off")) << "qboot, not SeaBIOS";
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-no-reboot"), 1);
    EXPECT_TRUE(has_pair(argv, "-icount", "shift=0,sleep=off,align=off"));
    EXPECT_TRUE(has_pair(argv, "-rtc", "clock=vm"));
    EXPECT_TRUE(has_pair(argv, "-append", "ferros.ssd=0x4000000,0x100000 ferros.until=ready"));
    EXPECT_TRUE(has_pair(argv, "-device", "loader,file=" + *m.ssd_image + ",addr=0x4000000,force-raw=on"));
    EXPECT_TRUE(has_pair(argv, "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-plugin"), 0);
    EXPECT_EQ(argv, qemu_argv(m)) << "argv must be a pure function of the machine";
}

TEST(Machine, AWorkerSharesItsRamAndIsDrivenOverQmp)
{
    auto m = sample();
    m.ssd_image.reset(); // a worker's window is filled by the host, state after state
    m.worker = WorkerMode { "/tmp/w/ram", "/tmp/w/qmp.sock", "/tmp/w/firmware.rom" };
    PluginConfig plugin;
    plugin.path = "/p/libferros_plugin.so";
    plugin.events = "/tmp/w/events";
    m.plugin = plugin;
    auto argv = qemu_argv(m);
    EXPECT_TRUE(has_pair(argv, "-M", "microvm,acpi=off,memory-backend=ram"));
    EXPECT_TRUE(has_pair(argv, "-object", "memory-backend-file,id=ram,size=128M,mem-path=/tmp/w/ram,share=on"));
    EXPECT_TRUE(has_pair(argv, "-qmp", "unix:/tmp/w/qmp.sock,server=on,wait=off"));
    // No -kernel, no qboot, no -append: the worker's firmware jumps to the kernel the host
    // placed, with the command line captured from a boot through qboot.
    EXPECT_TRUE(has_pair(argv, "-bios", "/tmp/w/firmware.rom"));
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-kernel"), 0);
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-append"), 0);
    EXPECT_EQ(kernel_command_line(m), "ferros.ssd=0x4000000,0x100000 ferros.until=ready")
        << "the capture run's kernel still finds its window";
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-S"), 1) << "paused until the first state is in place";
    // Resets must reset, exits must not end QEMU, and the window is not loaded from a file.
    EXPECT_EQ(std::count(argv.begin(), argv.end(), "-no-reboot"), 0);
    for (auto const& a : argv) {
        EXPECT_EQ(a.find("isa-debug-exit"), std::string::npos);
        EXPECT_EQ(a.find("loader,"), std::string::npos);
    }
    auto spec = std::find(argv.begin(), argv.end(), "-plugin");
    ASSERT_NE(spec, argv.end());
    EXPECT_NE((spec + 1)->find(",worker=on"), std::string::npos);
}

TEST(Machine, PluginArgumentsCarryTheWindowAndOptions)
{
    auto m = sample();
    PluginConfig plugin;
    plugin.path = "/p/libferros_plugin.so";
    plugin.cut_at = 1234;
    plugin.policy = "cache:64:8";
    m.plugin = plugin;
    auto argv = qemu_argv(m);
    auto it = std::find(argv.begin(), argv.end(), "-plugin");
    ASSERT_NE(it, argv.end());
    std::string spec = *(it + 1);
    EXPECT_EQ(spec.rfind("/p/libferros_plugin.so,", 0), 0u);
    EXPECT_NE(spec.find(",ssd_base=0x4000000,ssd_size=0x100000,image_in="), std::string::npos);
    EXPECT_NE(spec.find(",cut_at=1234"), std::string::npos);
    EXPECT_NE(spec.find(",policy=cache:64:8"), std::string::npos);
    ASSERT_NE(spec.find(",machine="), std::string::npos);
    // The machine text must not break QEMU's comma-separated option.
    EXPECT_EQ(describe(m).find(','), std::string::npos);
}

TEST(Machine, ValidateRejectsBadMachines)
{
    auto good = sample();
    EXPECT_FALSE(validate(good).has_value());

    auto m = sample();
    m.kernel = "/nonexistent/kernel.elf";
    ASSERT_TRUE(validate(m).has_value());
    EXPECT_NE(validate(m)->find("kernel '/nonexistent/kernel.elf' does not exist"), std::string::npos);

    m = sample();
    m.ssd.size = (1 << 20) + 100;
    EXPECT_NE(validate(m)->find("not 4 KiB-aligned"), std::string::npos);

    m = sample();
    m.ssd.size = 128ull << 20;
    EXPECT_NE(validate(m)->find("lies outside RAM"), std::string::npos);

    m = sample();
    m.ssd.base = 0x1000;
    EXPECT_NE(validate(m)->find("lies below"), std::string::npos);

    m = sample();
    m.workload = make_file("a,b.bin", 8);
    EXPECT_NE(validate(m)->find("contains a comma"), std::string::npos);
}

TEST(Machine, MaxSsdSizeLeavesTheWindowInRam)
{
    EXPECT_EQ(max_ssd_size(128ull << 20), 64ull << 20);
    EXPECT_EQ(max_ssd_size(32ull << 20), 0u);
}
