// Writes valid workloads into the directory argv[1]: the fuzzer's seeds, made with the
// library's own builder so that they keep up with the format (docs/syscalls.md).
#include <cstdio>
#include <ferros/workload/builder.h>
#include <string>
#include <vector>

using namespace ferros;

namespace {

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes)
{
    FILE* file = fopen(path.c_str(), "wb");
    if (!file)
        return false;
    bool ok = fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
    return fclose(file) == 0 && ok;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    workload::Builder every_op;
    every_op.put("a", "1").put_seeded("seeded", 40, 7).get("a").begin().put("b", "two").del("a").commit().sync();
    workload::Builder empty;
    bool ok = write_file(dir + "/every_op", every_op.finish(1)) && write_file(dir + "/empty", empty.finish(0));
    // One small generated workload of each profile: transactions, deletes and seeded values
    // as the real generator mixes them.
    for (auto const& profile : workload::profiles())
        ok = ok && write_file(dir + "/gen_" + profile.name, workload::generate(3, 12, profile));
    if (!ok) {
        perror(dir.c_str());
        return 1;
    }
    return 0;
}
