#include <charconv>
#include <cstdio>
#include <ferros/campaign/phases.h>
#include <ferros/campaign/plan.h>
#include <ferros/campaign/results_db.h>
#include <ferros/qemu/files.h>
#include <ferros/qemu/paths.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <ferros/trace/file_hash.h>
#include <ferros/workload/builder.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <thread>

namespace ferros::campaign {

namespace {

    bool parse_u64(std::string_view text, uint64_t& out)
    {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return !text.empty() && ec == std::errc() && end == text.data() + text.size();
    }

    Result<std::vector<uint8_t>> formatted_image(uint64_t size)
    {
        storage::HostSsd ssd(size, storage::HostSsd::Tracking::Off);
        std::vector<uint8_t> image(size);
        if (storage::Store::format(ssd).is_error() || ssd.read(DeviceOffset(0), Bytes(image.data(), size)).is_error())
            return Failure(ErrorCode::InvalidArgument, fmt::format("cannot format a store of {} bytes", size));
        return image;
    }

    Failure usage(std::string message) { return Failure(ErrorCode::InvalidArgument, std::move(message)); }

    // MemAvailable of /proc/meminfo in bytes, or nothing where the kernel does not say.
    std::optional<uint64_t> available_memory()
    {
        std::ifstream in("/proc/meminfo");
        std::string line;
        while (std::getline(in, line)) {
            uint64_t kib = 0;
            if (line.rfind("MemAvailable:", 0) == 0 && std::sscanf(line.c_str(), "MemAvailable: %lu kB", &kib) == 1)
                return kib * 1024;
        }
        return std::nullopt;
    }

} // namespace

abi::Workload Plan::workload() const
{
    // make_plan parsed these bytes already, so this cannot fail.
    return abi::Workload::parse(ReadonlyBytes(workload_bytes.data(), workload_bytes.size())).release_value();
}

std::map<std::string, std::string> Plan::identity() const
{
    return {
        { "format", "ferros-campaign-1" },
        { "kernel_hash", fmt::format("{:016x}", kernel_hash) },
        { "workload_hash", fmt::format("{:016x}", workload_hash) },
        { "policy", policy.to_string() },
        { "seed", std::to_string(seed) },
        { "ssd_size", std::to_string(options.ssd_size) },
        { "bug", storage::seeded_bug_name(bug) },
        // --no-live leaves R14 out: its states' verdicts are not the same campaign's.
        { "live", options.no_live ? "off" : "on" },
        // A reboot that ends at ready says nothing of R14: the reboots' verdicts differ.
        { "reboot_until", reboot_end(*this) == RebootEnd::Live ? "live" : "ready" },
        { "shard", fmt::format("{}/{}", shard_index, shard_count) },
    };
}

ReproToken Plan::token() const
{
    ReproToken token;
    token.kernel_hash = kernel_hash;
    token.workload_hash = workload_hash;
    token.generated = generated;
    token.image_size = options.ssd_size;
    token.policy = policy.to_string();
    token.seed = seed;
    token.bug = storage::seeded_bug_name(bug);
    return token;
}

std::vector<std::string> Plan::kernel_args() const
{
    if (bug == storage::SeededBug::None)
        return {};
    return { std::string("ferros.bug=") + storage::seeded_bug_name(bug) };
}

uint64_t memory_estimate(uint64_t ssd_size, unsigned jobs)
{
    return 6 * ssd_size + (96ull << 20) + jobs * ((136ull << 20) + 3 * ssd_size);
}

Result<Plan> make_plan(const CampaignOptions& options)
{
    Plan plan;
    plan.options = options;
    if (options.seed && !options.workload_file.empty())
        return usage("give --seed or --workload, not both");
    plan.seed = options.seed.value_or(1);

    auto policy = crash::Policy::parse(options.policy);
    if (policy.is_error())
        return usage(fmt::format("unknown policy '{}': {}", options.policy, describe_error(policy.error())));
    plan.policy = policy.release_value();

    auto bug = storage::seeded_bug_from_name(options.bug.data(), options.bug.size());
    if (bug.is_error())
        return usage(fmt::format("unknown seeded bug '{}' (ferros campaign --list-bugs)", options.bug));
    plan.bug = bug.value();

    if (options.reboot_until != "live" && options.reboot_until != "ready")
        return usage(fmt::format("--reboot-until {}: expected live or ready", options.reboot_until));
    if (options.reboot == "none") {
        plan.reboot_mode = RebootMode::None;
    } else if (options.reboot == "all") {
        plan.reboot_mode = RebootMode::All;
    } else if (options.reboot.rfind("sample:", 0) == 0 && parse_u64(options.reboot.substr(7), plan.reboot_sample)
        && plan.reboot_sample > 0) {
        plan.reboot_mode = RebootMode::Sample;
    } else {
        return usage(fmt::format("--reboot {}: expected all, none or sample:K (K > 0)", options.reboot));
    }
    if (options.depth != 1 && options.depth != 2)
        return usage("--depth must be 1 or 2");
    if (!options.shard.empty()) {
        auto slash = options.shard.find('/');
        uint64_t index = 0, count = 0;
        if (slash == std::string::npos || !parse_u64(options.shard.substr(0, slash), index)
            || !parse_u64(options.shard.substr(slash + 1), count) || count == 0 || count > 65536 || index >= count)
            return usage(fmt::format("--shard {}: expected I/N with 0 <= I < N", options.shard));
        plan.shard_index = static_cast<uint32_t>(index);
        plan.shard_count = static_cast<uint32_t>(count);
    }
    if (options.ssd_size < 64 * 1024 || options.ssd_size % 4096 != 0 || options.ssd_size > (64ull << 20))
        return usage("--ssd-size must be a multiple of 4096 between 64 KiB and 64 MiB");
    plan.jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
    if (auto available = available_memory(); available && memory_estimate(options.ssd_size, plan.jobs) > *available)
        return Failure(ErrorCode::NoMemory,
            fmt::format("a campaign on a {} MiB store with {} jobs needs about {} MiB of memory, and {} MiB are "
                        "available: use fewer --jobs or a smaller --ssd-size",
                options.ssd_size >> 20, plan.jobs, memory_estimate(options.ssd_size, plan.jobs) >> 20,
                *available >> 20));

    plan.kernel = options.kernel.empty() ? qemu::paths().kernel : options.kernel;
    auto kernel_hash = trace::hash_file(plan.kernel);
    if (kernel_hash.is_error())
        return Failure(options.kernel.empty() ? ErrorCode::Unavailable : ErrorCode::NotFound,
            fmt::format("kernel '{}' cannot be read", plan.kernel));
    plan.kernel_hash = kernel_hash.value();

    if (!options.workload_file.empty()) {
        plan.workload_bytes = TRY(qemu::read_file(options.workload_file, "workload"));
        TRY(qemu::load_workload(options.workload_file, plan.workload_bytes));
    } else {
        auto const* profile = workload::find_profile(options.profile);
        if (!profile)
            return usage(fmt::format("unknown workload profile '{}'", options.profile));
        if (options.ops < 1 || options.ops > abi::kMaxWorkloadOps)
            return usage("--ops must be at least 1");
        plan.workload_bytes = workload::generate(plan.seed, options.ops, *profile);
        plan.generated = GeneratedWorkload { plan.seed, options.ops, profile->name };
    }
    plan.workload_hash = trace::hash_bytes(ReadonlyBytes(plan.workload_bytes.data(), plan.workload_bytes.size()));

    plan.out_dir = options.out;
    std::error_code ec;
    std::filesystem::create_directories(plan.out_dir, ec);
    if (ec || !std::filesystem::is_directory(plan.out_dir))
        return usage(fmt::format("cannot create the output directory '{}'", plan.out_dir));
    auto db_path = plan.path("results.db");
    if (std::filesystem::exists(db_path)) {
        auto db = ResultsDb::open(db_path);
        if (db.is_error())
            return usage(fmt::format("'{}' is not a campaign results database", db_path));
        auto existing = db.value().identity();
        if (existing.is_error())
            return usage(fmt::format("'{}' is not a campaign results database", db_path));
        if (!existing.value().empty()) {
            for (auto const& [key, value] : plan.identity()) {
                auto it = existing.value().find(key);
                if (it == existing.value().end() || it->second != value)
                    return Failure(ErrorCode::Mismatch,
                        fmt::format("the output directory '{}' holds a different campaign ({}: {} there, {} here); "
                                    "choose another --out or remove it",
                            plan.out_dir, key, it == existing.value().end() ? "missing" : it->second, value));
            }
        }
    } else if (!std::filesystem::is_empty(plan.out_dir) && !std::filesystem::exists(plan.path("faults.db"))) {
        // A fault-injection campaign's directory (`ferros faults`) holds faults.db, whose own
        // identity simulator/faults checks; anything else unknown is refused.
        return usage(fmt::format(
            "the output directory '{}' is not empty and holds no campaign; choose another --out", plan.out_dir));
    }
    TRY(qemu::write_file_atomically(plan.path("workload.bin"), plan.workload_bytes));
    plan.initial_image = TRY(formatted_image(options.ssd_size));
    TRY(qemu::write_file_atomically(plan.path("initial.img"), plan.initial_image));
    return plan;
}

} // namespace ferros::campaign
