#include <cstdio>
#include <ferros/trace/file_hash.h>
#include <vector>
#include <xxhash.h>

namespace ferros::trace {

uint64_t hash_bytes(ReadonlyBytes bytes) { return XXH3_64bits(bytes.data(), bytes.size()); }

ErrorOr<uint64_t> hash_file(const std::string& path)
{
    FILE* file = fopen(path.c_str(), "rb");
    if (!file)
        return Error(ErrorCode::NotFound, "cannot open the file to hash");
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    std::vector<uint8_t> buffer(1 << 20);
    size_t got;
    while ((got = fread(buffer.data(), 1, buffer.size(), file)) > 0)
        XXH3_64bits_update(state, buffer.data(), got);
    bool failed = ferror(file) != 0;
    fclose(file);
    uint64_t hash = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    if (failed)
        return Error(ErrorCode::Io, "cannot read the file to hash");
    return hash;
}

} // namespace ferros::trace
