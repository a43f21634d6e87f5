// Writes the crash fuzzer's seeds into a directory: the generator's workloads of 16 ops, four
// of each profile (simulator/fuzz/seeds.h). `ferros fuzz` writes the same set itself.
#include <cstdio>
#include <ferros/fuzz/seeds.h>
#include <string>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    for (auto const& seed : ferros::fuzz::profile_seeds()) {
        std::string const path = std::string(argv[1]) + "/" + seed.name;
        FILE* file = std::fopen(path.c_str(), "wb");
        if (file == nullptr || std::fwrite(seed.bytes.data(), 1, seed.bytes.size(), file) != seed.bytes.size()) {
            std::perror(path.c_str());
            return 1;
        }
        std::fclose(file);
    }
    return 0;
}
