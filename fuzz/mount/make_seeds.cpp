// Writes store images into the directory argv[1]: a freshly formatted 64 KiB device and devices
// after workloads of growing length, made with the store itself (so they keep up with the
// format). Small log budgets make the longer ones checkpoint, build index nodes and turn the
// ring, so the fuzzer's seeds hold every record type. Trailing zeros are left out: the fuzzer
// pads the image back to 64 KiB.
#include <cstdio>
#include <ferros/check/workload.h>
#include <ferros/storage/host_ssd.h>
#include <ferros/storage/store.h>
#include <string>

using namespace ferros;

namespace {

constexpr uint64_t kDeviceSize = 64 * 1024;

bool write_image(const std::string& path, const storage::HostSsd& ssd)
{
    auto image = ssd.model().durable();
    size_t length = image.size();
    while (length > 0 && image[length - 1] == 0)
        --length;
    FILE* file = fopen(path.c_str(), "wb");
    if (!file)
        return false;
    bool ok = fwrite(image.data(), 1, length, file) == length;
    return fclose(file) == 0 && ok;
}

bool make(const std::string& path, size_t steps, uint64_t log_budget, size_t max_value)
{
    storage::HostSsd ssd(kDeviceSize);
    if (storage::Store::format(ssd).is_error())
        return false;
    check::RandomWorkloadOptions options;
    options.seed = steps;
    options.steps = steps;
    options.max_value = max_value;
    options.remount_percent = 10;
    storage::StoreOptions store_options;
    store_options.log_budget = log_budget;
    check::History history;
    if (steps > 0 && check::run_workload(check::random_workload(options), ssd, store_options, history).is_error())
        return false;
    // The workload may end between syncs: flush, so that the image holds what reads saw.
    if (ssd.flush().is_error())
        return false;
    return write_image(path, ssd);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    if (!make(dir + "/formatted.img", 0, 0, 0) || !make(dir + "/few_keys.img", 6, 0, 40)
        || !make(dir + "/checkpointed.img", 60, 4096, 60) || !make(dir + "/ring_turned.img", 400, 4096, 100)) {
        fprintf(stderr, "%s: cannot write the seed images\n", dir.c_str());
        return 1;
    }
    return 0;
}
