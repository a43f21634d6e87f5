// Fuzzes the boot-bundle decoder (docs/kernel.md, the boot bundle): Bundle::parse must refuse
// every malformed bundle with an error value, and every range of a bundle it accepts must lie
// inside the input, as the kernel uses them without further checks.
#include <ferros/abi/bundle.h>
#include <ferros/base/crc32c.h>
#include <ferros/base/verify.h>
#include <vector>

using namespace ferros;

namespace {

bool inside(ReadonlyBytes part, ReadonlyBytes whole)
{
    return part.empty()
        || (part.data() >= whole.data() + abi::kBundleHeaderSize
            && part.data() + part.size() <= whole.data() + whole.size());
}

void check(ReadonlyBytes bytes)
{
    auto parsed = abi::Bundle::parse(bytes);
    if (parsed.is_error())
        return;
    auto const& bundle = parsed.value();
    VERIFY(bundle.program_count() >= 1 && bundle.program_count() <= abi::kMaxBundlePrograms);
    VERIFY(bundle.endpoint_count() <= abi::kMaxBundleEndpoints);
    VERIFY(inside(bundle.workload(), bytes));
    for (size_t i = 0; i < bundle.program_count(); ++i) {
        const abi::BundleProgram& program = bundle.program(i);
        VERIFY(!program.image.empty() && inside(program.image, bytes));
        VERIFY(program.args.size() <= abi::kMaxProgramArgs && inside(program.args, bytes));
        VERIFY((program.grants & ~abi::kAllGrants) == 0);
        size_t length = __builtin_strlen(program.name);
        VERIFY(length >= 1 && length <= abi::kMaxProgramName);
        VERIFY(bundle.find(ReadonlyBytes(reinterpret_cast<const uint8_t*>(program.name), length)) == &program);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    check(ReadonlyBytes(data, size));

    // Random mutations almost never keep the checksum and the length field right, which would
    // confine the fuzzer to those two checks: decode the same bytes again with both made to match.
    if (size >= abi::kBundleHeaderSize) {
        std::vector<uint8_t> fixed(data, data + size);
        store_le32(fixed.data() + 12, static_cast<uint32_t>(size));
        store_le32(fixed.data() + 16, crc32c(0, fixed.data() + abi::kBundleHeaderSize, size - abi::kBundleHeaderSize));
        check(ReadonlyBytes(fixed.data(), fixed.size()));
    }
    return 0;
}
