// ferros-mkbundle: writes a boot bundle (docs/kernel.md, the boot bundle). CMake runs it to
// build the kernel's built-in bundle and the test bundles; it checks its result by decoding it
// with the kernel's own decoder.
//
//   ferros-mkbundle OUT [--endpoints N] [--workload FILE] PROGRAM...
//   PROGRAM = NAME:ELF:GRANTS:START:SEND:RECEIVE[:ARGS]
//     GRANTS  console+store+markers+workload+spawn+device+supervise, or - for none
//     START   1: started at boot; 0: only by Spawn
//     SEND, RECEIVE  bit masks of boot endpoints (decimal)
//     ARGS    the argument bytes (the rest of the spec, colons included)

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ferros/abi/bundle.h>
#include <ferros/base/crc32c.h>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

using Bytes8 = std::vector<uint8_t>;

[[noreturn]] void fail(const std::string& message)
{
    std::fprintf(stderr, "ferros-mkbundle: error: %s\n", message.c_str());
    std::exit(2);
}

Bytes8 read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("cannot read " + path);
    return Bytes8(std::istreambuf_iterator<char>(in), {});
}

struct Program {
    std::string name;
    Bytes8 image;
    uint32_t grants { 0 };
    uint8_t start { 0 };
    uint16_t send { 0 };
    uint16_t receive { 0 };
    std::string args;
};

std::vector<std::string> split(const std::string& text, size_t max_fields)
{
    std::vector<std::string> fields;
    size_t from = 0;
    while (fields.size() + 1 < max_fields) {
        size_t colon = text.find(':', from);
        if (colon == std::string::npos)
            break;
        fields.push_back(text.substr(from, colon - from));
        from = colon + 1;
    }
    fields.push_back(text.substr(from));
    return fields;
}

uint32_t parse_grants(const std::string& text)
{
    if (text == "-")
        return 0;
    uint32_t grants = 0;
    size_t from = 0;
    while (from <= text.size()) {
        size_t plus = text.find('+', from);
        std::string name = text.substr(from, plus == std::string::npos ? std::string::npos : plus - from);
        if (name == "console")
            grants |= ferros::abi::GrantConsole;
        else if (name == "store")
            grants |= ferros::abi::GrantStore;
        else if (name == "markers")
            grants |= ferros::abi::GrantMarkers;
        else if (name == "workload")
            grants |= ferros::abi::GrantWorkload;
        else if (name == "spawn")
            grants |= ferros::abi::GrantSpawn;
        else if (name == "device")
            grants |= ferros::abi::GrantDevice;
        else if (name == "supervise")
            grants |= ferros::abi::GrantSupervise;
        else
            fail("unknown grant " + name);
        if (plus == std::string::npos)
            break;
        from = plus + 1;
    }
    return grants;
}

Program parse_program(const std::string& spec)
{
    auto f = split(spec, 7);
    if (f.size() < 6)
        fail("a program is NAME:ELF:GRANTS:START:SEND:RECEIVE[:ARGS]: " + spec);
    Program p;
    p.name = f[0];
    p.image = read_file(f[1]);
    p.grants = parse_grants(f[2]);
    p.start = static_cast<uint8_t>(std::stoul(f[3]));
    p.send = static_cast<uint16_t>(std::stoul(f[4]));
    p.receive = static_cast<uint16_t>(std::stoul(f[5]));
    if (f.size() == 7)
        p.args = f[6];
    return p;
}

void put16(Bytes8& b, size_t at, uint16_t v) { ferros::store_le16(b.data() + at, v); }
void put32(Bytes8& b, size_t at, uint32_t v) { ferros::store_le32(b.data() + at, v); }

// Appends `bytes` aligned to `alignment` (a power of two) and returns its offset (0 for nothing).
uint32_t append(Bytes8& out, const Bytes8& bytes, size_t alignment = 16)
{
    if (bytes.empty())
        return 0;
    out.resize((out.size() + alignment - 1) & ~(alignment - 1), 0);
    uint32_t offset = static_cast<uint32_t>(out.size());
    out.insert(out.end(), bytes.begin(), bytes.end());
    return offset;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 3)
        fail("usage: ferros-mkbundle OUT [--endpoints N] [--workload FILE] PROGRAM...");
    std::string out_path = argv[1];
    unsigned endpoints = 0;
    Bytes8 workload;
    std::vector<Program> programs;
    for (int i = 2; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--endpoints" && i + 1 < argc)
            endpoints = static_cast<unsigned>(std::stoul(argv[++i]));
        else if (arg == "--workload" && i + 1 < argc)
            workload = read_file(argv[++i]);
        else
            programs.push_back(parse_program(arg));
    }
    Bytes8 out(ferros::abi::kBundleHeaderSize + programs.size() * ferros::abi::kBundleEntrySize, 0);
    std::memcpy(out.data(), ferros::abi::kBundleMagic, 4);
    put16(out, 4, ferros::abi::kBundleVersion);
    put16(out, 6, static_cast<uint16_t>(programs.size()));
    put16(out, 8, static_cast<uint16_t>(endpoints));
    for (size_t i = 0; i < programs.size(); ++i) {
        const Program& p = programs[i];
        size_t const entry = ferros::abi::kBundleHeaderSize + i * ferros::abi::kBundleEntrySize;
        if (p.name.size() > ferros::abi::kMaxProgramName)
            fail("program name too long: " + p.name);
        std::memcpy(out.data() + entry, p.name.data(), p.name.size());
        // Page-aligned, so that the kernel maps a program's code where the bundle holds it
        // instead of copying it (kernel/process/in_place.h).
        uint32_t image = append(out, p.image, 4096);
        put32(out, entry + 16, image);
        put32(out, entry + 20, static_cast<uint32_t>(p.image.size()));
        uint32_t args = append(out, Bytes8(p.args.begin(), p.args.end()));
        put32(out, entry + 24, args);
        put32(out, entry + 28, static_cast<uint32_t>(p.args.size()));
        put32(out, entry + 32, p.grants);
        out[entry + 36] = p.start;
        put16(out, entry + 40, p.send);
        put16(out, entry + 42, p.receive);
    }
    uint32_t workload_offset = append(out, workload);
    put32(out, 20, workload_offset);
    put32(out, 24, static_cast<uint32_t>(workload.size()));
    put32(out, 12, static_cast<uint32_t>(out.size()));
    put32(out, 16,
        ferros::crc32c(0, out.data() + ferros::abi::kBundleHeaderSize, out.size() - ferros::abi::kBundleHeaderSize));

    auto parsed = ferros::abi::Bundle::parse(ferros::ReadonlyBytes(out.data(), out.size()));
    if (parsed.is_error())
        fail(std::string("the bundle does not decode: ") + parsed.error().message());
    std::ofstream file(out_path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    if (!file)
        fail("cannot write " + out_path);
    return 0;
}
