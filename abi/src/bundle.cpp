#include <ferros/abi/bundle.h>
#include <ferros/base/crc32c.h>

namespace ferros::abi {

namespace {

    // A range [offset, offset + length) of the file; empty ranges have offset 0.
    ErrorOr<ReadonlyBytes> slice(ReadonlyBytes bytes, uint32_t offset, uint32_t length, const char* what)
    {
        if (length == 0) {
            if (offset != 0)
                return Error(ErrorCode::BadFormat, what);
            return ReadonlyBytes();
        }
        uint64_t const end = static_cast<uint64_t>(offset) + length;
        if (offset < kBundleHeaderSize || end > bytes.size())
            return Error(ErrorCode::BadFormat, what);
        return bytes.slice(offset, length);
    }

    bool is_name_character(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

    ErrorOr<void> read_name(const uint8_t* field, char* name)
    {
        size_t length = 0;
        while (length <= kMaxProgramName && field[length] != 0) {
            if (!is_name_character(field[length]))
                return Error(ErrorCode::BadFormat, "a program name has a character outside [a-z0-9-]");
            name[length] = static_cast<char>(field[length]);
            ++length;
        }
        if (length == 0 || length > kMaxProgramName)
            return Error(ErrorCode::BadFormat, "a program name is empty or fills its whole field");
        for (size_t i = length; i <= kMaxProgramName; ++i) {
            if (field[i] != 0)
                return Error(ErrorCode::BadFormat, "a program name's padding is not zero");
        }
        name[length] = 0;
        return {};
    }

    bool all_zero(const uint8_t* p, size_t n)
    {
        for (size_t i = 0; i < n; ++i) {
            if (p[i] != 0)
                return false;
        }
        return true;
    }

    bool same_name(const char* name, ReadonlyBytes other)
    {
        size_t i = 0;
        for (; i < other.size(); ++i) {
            if (name[i] == 0 || name[i] != static_cast<char>(other[i]))
                return false;
        }
        return name[i] == 0;
    }

} // namespace

bool Bundle::has_magic(ReadonlyBytes bytes)
{
    if (bytes.size() < sizeof(kBundleMagic))
        return false;
    for (size_t i = 0; i < sizeof(kBundleMagic); ++i) {
        if (bytes[i] != kBundleMagic[i])
            return false;
    }
    return true;
}

ErrorOr<Bundle> Bundle::parse(ReadonlyBytes bytes, Checksum checksum)
{
    if (bytes.size() < kBundleHeaderSize)
        return Error(ErrorCode::Truncated, "shorter than the bundle header");
    if (!has_magic(bytes))
        return Error(ErrorCode::BadFormat, "no bundle magic FRBN");
    const uint8_t* header = bytes.data();
    if (load_le16(header + 4) != kBundleVersion)
        return Error(ErrorCode::Unsupported, "bundle version is not 1");
    uint16_t const program_count = load_le16(header + 6);
    uint16_t const endpoint_count = load_le16(header + 8);
    uint32_t const total_length = load_le32(header + 12);
    if (total_length != bytes.size())
        return Error(ErrorCode::BadFormat, "the bundle's length field is not the file's size");
    if (program_count == 0 || program_count > kMaxBundlePrograms)
        return Error(ErrorCode::TooBig, "a bundle holds 1 to 8 programs");
    if (endpoint_count > kMaxBundleEndpoints)
        return Error(ErrorCode::TooBig, "a bundle declares at most 8 endpoints");
    if (load_le16(header + 10) != 0 || load_le32(header + 28) != 0)
        return Error(ErrorCode::BadFormat, "reserved header fields are not zero");
    if (kBundleHeaderSize + program_count * kBundleEntrySize > bytes.size())
        return Error(ErrorCode::Truncated, "the program table runs past the end");
    if (checksum == Checksum::Verify
        && crc32c(0, bytes.data() + kBundleHeaderSize, bytes.size() - kBundleHeaderSize) != load_le32(header + 16))
        return Error(ErrorCode::Corrupt, "bundle checksum mismatch");

    Bundle bundle;
    bundle.m_program_count = program_count;
    bundle.m_endpoint_count = endpoint_count;
    bundle.m_workload
        = TRY(slice(bytes, load_le32(header + 20), load_le32(header + 24), "the workload lies outside the bundle"));
    uint32_t const endpoint_mask = (1u << endpoint_count) - 1;
    for (size_t i = 0; i < program_count; ++i) {
        const uint8_t* entry = bytes.data() + kBundleHeaderSize + i * kBundleEntrySize;
        BundleProgram& program = bundle.m_programs[i];
        TRY(read_name(entry, program.name));
        program.image = TRY(
            slice(bytes, load_le32(entry + 16), load_le32(entry + 20), "a program image lies outside the bundle"));
        if (program.image.empty())
            return Error(ErrorCode::BadFormat, "a program has no image");
        uint32_t const args_length = load_le32(entry + 28);
        if (args_length > kMaxProgramArgs)
            return Error(ErrorCode::TooBig, "program arguments over 4096 bytes");
        program.args
            = TRY(slice(bytes, load_le32(entry + 24), args_length, "program arguments lie outside the bundle"));
        program.grants = load_le32(entry + 32);
        if ((program.grants & ~kAllGrants) != 0)
            return Error(ErrorCode::BadFormat, "unknown grant bits");
        // Both name the store slot: a program is the store server or one of its clients.
        if ((program.grants & GrantStore) && (program.grants & GrantDevice))
            return Error(ErrorCode::BadFormat, "the grants store and device exclude each other");
        uint8_t const start = entry[36];
        if (start > 1)
            return Error(ErrorCode::BadFormat, "the start field is neither 0 nor 1");
        program.start_at_boot = start == 1;
        program.send_endpoints = load_le16(entry + 40);
        program.receive_endpoints = load_le16(entry + 42);
        if (((program.send_endpoints | program.receive_endpoints) & ~endpoint_mask) != 0)
            return Error(ErrorCode::BadFormat, "an endpoint mask names an endpoint the bundle does not declare");
        if (!all_zero(entry + 37, 3) || !all_zero(entry + 44, kBundleEntrySize - 44))
            return Error(ErrorCode::BadFormat, "reserved entry fields are not zero");
        for (size_t j = 0; j < i; ++j) {
            if (same_name(bundle.m_programs[j].name, ReadonlyBytes(entry, __builtin_strlen(program.name))))
                return Error(ErrorCode::BadFormat, "two programs share a name");
        }
    }
    return bundle;
}

const BundleProgram* Bundle::find(ReadonlyBytes name) const
{
    for (size_t i = 0; i < m_program_count; ++i) {
        if (same_name(m_programs[i].name, name))
            return &m_programs[i];
    }
    return nullptr;
}

} // namespace ferros::abi
