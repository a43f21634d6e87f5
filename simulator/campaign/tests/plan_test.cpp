// make_plan: the options it refuses, the output directory it prepares, and the directories of
// other campaigns it will not touch.

#include "campaign_test_support.h"
#include <ferros/campaign/plan.h>
#include <ferros/campaign/results_db.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/trace/file_hash.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <iterator>

using namespace ferros;
using namespace ferros::campaign;
using ferros::campaign::test::dummy_kernel;
using ferros::campaign::test::small_campaign;
using ferros::campaign::test::temp_path;

namespace {

std::vector<uint8_t> read_all(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// What the command does right after make_plan: the directory now holds a campaign.
void claim(const Plan& plan)
{
    auto db = ResultsDb::open(plan.path("results.db"));
    ASSERT_FALSE(db.is_error());
    ASSERT_FALSE(db.value().set_identity(plan.identity()).is_error()) << db.value().last_error();
}

} // namespace

TEST(CampaignPlan, PreparesTheOutputDirectory)
{
    auto kernel = dummy_kernel();
    auto out = temp_path("out");
    auto plan = make_plan(small_campaign(out, kernel));
    ASSERT_FALSE(plan.is_error()) << plan.error().message();
    auto const& p = plan.value();

    EXPECT_EQ(p.seed, 7u);
    ASSERT_TRUE(p.generated.has_value());
    EXPECT_EQ(*p.generated, (GeneratedWorkload { 7, 40, "txn" }));
    EXPECT_EQ(p.policy.to_string(), "cache:512:4");
    EXPECT_EQ(p.reboot_mode, RebootMode::None);
    EXPECT_EQ(p.shard_index, 0u);
    EXPECT_EQ(p.shard_count, 1u);
    EXPECT_EQ(p.jobs, 1u);
    EXPECT_EQ(p.bug, storage::SeededBug::None);
    EXPECT_EQ(p.kernel, kernel);
    EXPECT_EQ(p.kernel_hash, trace::hash_file(kernel).value());
    EXPECT_EQ(p.workload().op_count(), 40u);
    EXPECT_EQ(p.workload_hash, trace::hash_bytes(ReadonlyBytes(p.workload_bytes.data(), p.workload_bytes.size())));

    // The directory holds the inputs of the traced run, byte for byte.
    EXPECT_EQ(read_all(p.path("workload.bin")), p.workload_bytes);
    EXPECT_EQ(read_all(p.path("initial.img")), p.initial_image);
    EXPECT_EQ(p.initial_image.size(), 64u * 1024);

    // The initial image is an empty store: it mounts, and holds nothing.
    storage::HostSsd ssd(p.initial_image);
    std::vector<uint64_t> memory(storage::Store::kMemorySize / 8 + 1);
    storage::Store store(ssd, Bytes(reinterpret_cast<uint8_t*>(memory.data()), storage::Store::kMemorySize));
    ASSERT_FALSE(store.mount().is_error());
    storage::KeyBuffer key;
    size_t length = 0;
    auto first = store.next_key(ReadonlyBytes(), true, key, length);
    ASSERT_FALSE(first.is_error());
    EXPECT_FALSE(first.value());

    // Identity and tokens name the same campaign.
    auto id = p.identity();
    EXPECT_EQ(id.at("policy"), "cache:512:4");
    EXPECT_EQ(id.at("seed"), "7");
    EXPECT_EQ(id.at("shard"), "0/1");
    EXPECT_EQ(id.at("bug"), "none");
    EXPECT_EQ(id.at("ssd_size"), "65536");
    auto token = p.token();
    EXPECT_EQ(token.kernel_hash, p.kernel_hash);
    EXPECT_EQ(token.workload_hash, p.workload_hash);
    EXPECT_EQ(token.image_size, 65536u);
    EXPECT_TRUE(p.kernel_args().empty());
}

TEST(CampaignPlan, TheSameSeedGivesTheSameInputs)
{
    auto kernel = dummy_kernel();
    auto a = make_plan(small_campaign(temp_path("a"), kernel));
    auto b = make_plan(small_campaign(temp_path("b"), kernel));
    ASSERT_FALSE(a.is_error());
    ASSERT_FALSE(b.is_error());
    EXPECT_EQ(a.value().workload_bytes, b.value().workload_bytes);
    EXPECT_EQ(a.value().initial_image, b.value().initial_image);
    EXPECT_EQ(a.value().identity(), b.value().identity());

    auto options = small_campaign(temp_path("c"), kernel);
    options.seed = 8;
    auto c = make_plan(options);
    ASSERT_FALSE(c.is_error());
    EXPECT_NE(c.value().workload_hash, a.value().workload_hash);
    EXPECT_NE(c.value().identity(), a.value().identity());
}

TEST(CampaignPlan, RefusesBadOptions)
{
    auto kernel = dummy_kernel();
    struct Case {
        const char* what;
        std::function<void(CampaignOptions&)> change;
    };
    std::vector<Case> const cases {
        { "unknown policy kind", [](auto& o) { o.policy = "lazy:512"; } },
        { "unknown unit", [](auto& o) { o.policy = "cache:100:4"; } },
        { "K out of range", [](auto& o) { o.policy = "cache:512:99"; } },
        { "--reboot sample:0", [](auto& o) { o.reboot = "sample:0"; } },
        { "--reboot sample:x", [](auto& o) { o.reboot = "sample:x"; } },
        { "--reboot some", [](auto& o) { o.reboot = "some"; } },
        { "--reboot empty", [](auto& o) { o.reboot = ""; } },
        { "--shard I = N", [](auto& o) { o.shard = "2/2"; } },
        { "--shard N = 0", [](auto& o) { o.shard = "0/0"; } },
        { "--shard without N", [](auto& o) { o.shard = "1"; } },
        { "--shard not numbers", [](auto& o) { o.shard = "a/b"; } },
        { "--shard negative", [](auto& o) { o.shard = "-1/2"; } },
        { "--ssd-size too small", [](auto& o) { o.ssd_size = 32 * 1024; } },
        { "--ssd-size not of 4096", [](auto& o) { o.ssd_size = 64 * 1024 + 512; } },
        { "--ssd-size too large", [](auto& o) { o.ssd_size = 128ull << 20; } },
        { "--seed and --workload", [](auto& o) { o.workload_file = "workload.bin"; } },
        { "--depth 3", [](auto& o) { o.depth = 3; } },
        { "--reboot-until poweroff", [](auto& o) { o.reboot_until = "poweroff"; } },
        { "unknown bug", [](auto& o) { o.bug = "no-such-bug"; } },
        { "unknown profile", [](auto& o) { o.profile = "no-such-profile"; } },
        { "--ops 0", [](auto& o) { o.ops = 0; } },
    };
    for (auto const& c : cases) {
        auto out = temp_path("out");
        auto options = small_campaign(out, kernel);
        c.change(options);
        auto plan = make_plan(options);
        ASSERT_TRUE(plan.is_error()) << c.what;
        EXPECT_EQ(plan.error().code(), ErrorCode::InvalidArgument) << c.what << ": " << plan.error().message();
        EXPECT_FALSE(plan.error().message().empty()) << c.what;
        // Refused before anything was written.
        EXPECT_FALSE(std::filesystem::exists(out + "/workload.bin")) << c.what;
    }

    // Good values of the same options are taken.
    auto options = small_campaign(temp_path("good"), kernel);
    options.policy = "torn:64:6";
    options.reboot = "sample:3";
    options.shard = "1/3";
    options.ssd_size = 128 * 1024;
    auto plan = make_plan(options);
    ASSERT_FALSE(plan.is_error()) << plan.error().message();
    EXPECT_EQ(plan.value().policy.to_string(), "torn:64:6");
    EXPECT_EQ(plan.value().reboot_mode, RebootMode::Sample);
    EXPECT_EQ(plan.value().reboot_sample, 3u);
    EXPECT_EQ(plan.value().shard_index, 1u);
    EXPECT_EQ(plan.value().shard_count, 3u);
    EXPECT_EQ(plan.value().initial_image.size(), 128u * 1024);
    EXPECT_EQ(plan.value().identity().at("shard"), "1/3");
}

TEST(CampaignPlan, MissingInputsAreNamed)
{
    auto options = small_campaign(temp_path("out"), temp_path("no-kernel.elf"));
    auto plan = make_plan(options);
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::NotFound) << plan.error().message();

    options.kernel = dummy_kernel();
    options.seed.reset();
    options.workload_file = temp_path("no-workload.bin");
    plan = make_plan(options);
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::NotFound) << plan.error().message();

    // A file that is not a workload is refused, not run.
    auto garbage = temp_path("garbage.bin");
    std::ofstream(garbage, std::ios::binary) << "this is not a workload file";
    options.workload_file = garbage;
    plan = make_plan(options);
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::BadFormat) << plan.error().message();
}

TEST(CampaignPlan, TakesAWorkloadFile)
{
    auto kernel = dummy_kernel();
    auto generated = make_plan(small_campaign(temp_path("generated"), kernel));
    ASSERT_FALSE(generated.is_error());
    auto file = temp_path("workload.bin");
    {
        std::ofstream out(file, std::ios::binary);
        out.write(reinterpret_cast<const char*>(generated.value().workload_bytes.data()),
            static_cast<std::streamsize>(generated.value().workload_bytes.size()));
    }
    auto options = small_campaign(temp_path("out"), kernel);
    options.seed.reset();
    options.workload_file = file;
    auto plan = make_plan(options);
    ASSERT_FALSE(plan.is_error()) << plan.error().message();
    EXPECT_FALSE(plan.value().generated.has_value());
    EXPECT_EQ(plan.value().workload_bytes, generated.value().workload_bytes);
    EXPECT_EQ(plan.value().workload_hash, generated.value().workload_hash);
    EXPECT_EQ(plan.value().seed, 1u) << "the default seed of sampled state spaces";
    EXPECT_FALSE(plan.value().token().generated.has_value()) << "a file workload's token says f";
}

TEST(CampaignPlan, ResumesItsOwnDirectoryAndRefusesAnotherCampaigns)
{
    auto kernel = dummy_kernel();
    auto out = temp_path("out");
    auto first = make_plan(small_campaign(out, kernel));
    ASSERT_FALSE(first.is_error());
    ASSERT_NO_FATAL_FAILURE(claim(first.value()));

    // The same campaign again: resumed. --jobs is not part of a campaign's identity.
    auto same = small_campaign(out, kernel);
    same.jobs = 2;
    auto again = make_plan(same);
    ASSERT_FALSE(again.is_error()) << again.error().message();
    EXPECT_EQ(again.value().identity(), first.value().identity());

    struct Case {
        const char* field;
        std::function<void(CampaignOptions&)> change;
    };
    std::vector<Case> const cases {
        { "policy", [](auto& o) { o.policy = "cache:64:4"; } },
        { "seed", [](auto& o) { o.seed = 8; } },
        { "workload_hash", [](auto& o) { o.ops = 41; } },
        { "bug", [](auto& o) { o.bug = "non-atomic-anchor"; } },
        { "shard", [](auto& o) { o.shard = "1/2"; } },
        { "ssd_size", [](auto& o) { o.ssd_size = 128 * 1024; } },
        { "live", [](auto& o) { o.no_live = true; } },
        { "reboot_until", [](auto& o) { o.reboot_until = "ready"; } },
    };
    for (auto const& c : cases) {
        auto options = small_campaign(out, kernel);
        c.change(options);
        auto plan = make_plan(options);
        ASSERT_TRUE(plan.is_error()) << c.field;
        EXPECT_EQ(plan.error().code(), ErrorCode::Mismatch) << c.field << ": " << plan.error().message();
        EXPECT_NE(plan.error().message().find(c.field), std::string::npos)
            << "the message names the field that differs: " << plan.error().message();
    }
    auto other_kernel = temp_path("other-kernel.elf");
    std::ofstream(other_kernel, std::ios::binary) << "another build";
    auto plan = make_plan(small_campaign(out, other_kernel));
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::Mismatch);
    EXPECT_NE(plan.error().message().find("kernel_hash"), std::string::npos) << plan.error().message();

    // The refused plans left the campaign's inputs as they were.
    EXPECT_EQ(read_all(out + "/workload.bin"), first.value().workload_bytes);
}

TEST(CampaignPlan, RefusesADirectoryThatHoldsNoCampaign)
{
    auto kernel = dummy_kernel();
    auto out = temp_path("out");
    std::filesystem::create_directories(out);
    std::ofstream(out + "/notes.txt") << "somebody's notes";
    auto plan = make_plan(small_campaign(out, kernel));
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::InvalidArgument) << plan.error().message();
    EXPECT_FALSE(std::filesystem::exists(out + "/workload.bin"));
    EXPECT_FALSE(std::filesystem::exists(out + "/initial.img"));
    EXPECT_TRUE(std::filesystem::exists(out + "/notes.txt"));

    // A results.db that is not a database is not taken for a campaign either.
    auto foreign = temp_path("foreign");
    std::filesystem::create_directories(foreign);
    std::ofstream(foreign + "/results.db") << "not an SQLite database, just some text that is long enough";
    plan = make_plan(small_campaign(foreign, kernel));
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::InvalidArgument) << plan.error().message();
    EXPECT_FALSE(std::filesystem::exists(foreign + "/workload.bin"));

    // A path that cannot be a directory.
    auto file = temp_path("a-file");
    std::ofstream(file) << "x";
    plan = make_plan(small_campaign(file, kernel));
    ASSERT_TRUE(plan.is_error());
    EXPECT_EQ(plan.error().code(), ErrorCode::InvalidArgument) << plan.error().message();
}
