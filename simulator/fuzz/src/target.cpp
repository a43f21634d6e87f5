#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <ferros/fuzz/finding.h>
#include <ferros/fuzz/mutator.h>
#include <ferros/fuzz/seeds.h>
#include <ferros/fuzz/target.h>
#include <ferros/storage/seeded_bug.h>
#include <fstream>
#include <set>
#include <string>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferros::fuzz::target {

namespace {

    struct Target {
        std::unique_ptr<CrashExecutor> executor;
        MutatorOptions mutator;
        std::string known_path;
        std::set<std::string> known;
        struct timespec known_mtime { };
        uint64_t executions { 0 };
        volatile uint64_t* stats { nullptr };
        std::vector<Seed> seeds;
    };

    Target* g_target = nullptr;

    [[noreturn]] void refuse(const std::string& message)
    {
        std::fprintf(stderr, "ferros-fuzz: error: %s\n", message.c_str());
        std::exit(2);
    }

    const char* env(const char* name) { return std::getenv(name); }

    uint64_t env_number(const char* name, uint64_t fallback)
    {
        const char* text = env(name);
        if (text == nullptr || *text == '\0')
            return fallback;
        char* end = nullptr;
        unsigned long long const value = std::strtoull(text, &end, 0);
        if (end == nullptr || *end != '\0')
            refuse(std::string(name) + " is not a number: " + text);
        return value;
    }

    void reload_known(Target& target)
    {
        if (target.known_path.empty())
            return;
        struct stat info { };
        if (::stat(target.known_path.c_str(), &info) != 0)
            return;
        if (info.st_mtim.tv_sec == target.known_mtime.tv_sec && info.st_mtim.tv_nsec == target.known_mtime.tv_nsec)
            return;
        target.known_mtime = info.st_mtim;
        std::ifstream in(target.known_path);
        std::string line;
        while (std::getline(in, line))
            if (parse_signature(line))
                target.known.insert(line);
    }

    Target& the_target()
    {
        if (g_target == nullptr)
            initialize();
        return *g_target;
    }

} // namespace

int initialize()
{
    if (g_target != nullptr)
        return 0;
    auto* target = new Target;
    ExecutorOptions options;
    if (const char* policy = env("FERROS_FUZZ_POLICY"); policy && *policy) {
        auto parsed = crash::Policy::parse(policy);
        if (parsed.is_error())
            refuse(std::string("FERROS_FUZZ_POLICY: not a crash policy: ") + policy);
        options.policy = parsed.value();
    }
    if (const char* bug = env("FERROS_FUZZ_BUG"); bug && *bug) {
        auto found = storage::seeded_bug_from_name(bug, std::strlen(bug));
        if (found.is_error())
            refuse(std::string("FERROS_FUZZ_BUG: no seeded bug ") + bug);
        options.bug = found.value();
    }
    options.seed = env_number("FERROS_FUZZ_SEED", options.seed);
    options.max_cuts = env_number("FERROS_FUZZ_MAX_CUTS", options.max_cuts);
    options.live = env_number("FERROS_FUZZ_LIVE", 1) != 0;
    auto executor = CrashExecutor::create(options);
    if (executor.is_error())
        refuse(std::string("cannot format the emulated SSD: ") + error_name(executor.error().code()));
    target->executor = executor.release_value();
    target->mutator.thresholds = target->executor->thresholds();
    if (const char* known = env("FERROS_FUZZ_KNOWN"); known && *known)
        target->known_path = known;
    reload_known(*target);
    if (const char* stats = env("FERROS_FUZZ_STATS"); stats && *stats) {
        int const fd = ::open(stats, O_RDWR | O_CREAT, 0644);
        if (fd >= 0 && ::ftruncate(fd, sizeof(uint64_t)) == 0) {
            void* map = ::mmap(nullptr, sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (map != MAP_FAILED)
                target->stats = static_cast<volatile uint64_t*>(map);
        }
        if (fd >= 0)
            ::close(fd);
    }
    target->seeds = profile_seeds();
    g_target = target;
    return 0;
}

int test_one_input(const uint8_t* data, size_t size)
{
    auto& target = the_target();
    if (++target.executions % 256 == 0)
        reload_known(target);
    if (target.stats)
        *target.stats = *target.stats + 1;
    auto parsed = abi::Workload::parse(ReadonlyBytes(data, size));
    if (parsed.is_error())
        return -1; // not a workload: libFuzzer keeps no such input in the corpus
    auto const& workload = parsed.value();
    auto execution = target.executor->run(workload, [&](const CutViolation& violation) {
        return target.known.count(signature_of(workload, violation).key()) == 0;
    });
    if (execution.violations.empty())
        return 0;
    auto const& last = execution.violations.back();
    auto const key = signature_of(workload, last).key();
    if (target.known.count(key))
        return 0;
    std::fprintf(stderr, "==ferros-fuzz== FINDING %s %s\n", key.c_str(), describe(workload, last).c_str());
    std::fprintf(stderr, "SUMMARY: ferros-fuzz: %s\n", key.c_str());
    std::fflush(stderr);
    std::abort();
}

size_t mutate(uint8_t* data, size_t size, size_t max_size, unsigned int seed)
{
    auto& target = the_target();
    Rng rng(seed);
    auto decoded = decode(ReadonlyBytes(data, size));
    Program program;
    if (decoded.is_error()) {
        // Not a workload (libFuzzer's own empty input, or a file someone dropped into the
        // corpus): start from a seed instead.
        auto const& seed_input = target.seeds[rng.below(target.seeds.size())];
        program = decode(ReadonlyBytes(seed_input.bytes.data(), seed_input.bytes.size())).release_value();
    } else {
        program = decoded.release_value();
    }
    fuzz::mutate(program, rng, target.mutator);
    fit(program, max_size, rng);
    auto const bytes = encode(program);
    if (bytes.size() > max_size)
        return 0;
    std::memcpy(data, bytes.data(), bytes.size());
    return bytes.size();
}

size_t cross_over(const uint8_t* first, size_t first_size, const uint8_t* second, size_t second_size, uint8_t* out,
    size_t max_out_size, unsigned int seed)
{
    auto& target = the_target();
    Rng rng(seed);
    auto a = decode(ReadonlyBytes(first, first_size));
    auto b = decode(ReadonlyBytes(second, second_size));
    if (a.is_error() || b.is_error())
        return 0;
    Program child = fuzz::cross_over(a.value(), b.value(), rng, target.mutator);
    fit(child, max_out_size, rng);
    auto const bytes = encode(child);
    if (bytes.size() > max_out_size)
        return 0;
    std::memcpy(out, bytes.data(), bytes.size());
    return bytes.size();
}

} // namespace ferros::fuzz::target
