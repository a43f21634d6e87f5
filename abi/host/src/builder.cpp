#include <ferros/base/crc32c.h>
#include <ferros/base/rng.h>
#include <ferros/workload/builder.h>
#include <fmt/format.h>

namespace ferros::workload {

void Builder::key(std::string_view key)
{
    m_body.push_back(static_cast<uint8_t>(key.size()));
    m_body.insert(m_body.end(), key.begin(), key.end());
}

static void append_le(std::vector<uint8_t>& out, uint64_t value, size_t width)
{
    for (size_t i = 0; i < width; ++i)
        out.push_back(static_cast<uint8_t>(value >> (8 * i)));
}

Builder& Builder::put(std::string_view k, std::string_view value)
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Put));
    key(k);
    append_le(m_body, value.size(), 4);
    m_body.insert(m_body.end(), value.begin(), value.end());
    ++m_ops;
    return *this;
}

Builder& Builder::put_seeded(std::string_view k, uint32_t length, uint64_t seed)
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::PutSeeded));
    key(k);
    append_le(m_body, length, 4);
    append_le(m_body, seed, 8);
    ++m_ops;
    return *this;
}

Builder& Builder::del(std::string_view k)
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Delete));
    key(k);
    ++m_ops;
    return *this;
}

Builder& Builder::get(std::string_view k)
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Get));
    key(k);
    ++m_ops;
    return *this;
}

Builder& Builder::begin()
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Begin));
    ++m_ops;
    return *this;
}

Builder& Builder::commit()
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Commit));
    ++m_ops;
    return *this;
}

Builder& Builder::sync()
{
    m_body.push_back(static_cast<uint8_t>(abi::OpCode::Sync));
    ++m_ops;
    return *this;
}

std::vector<uint8_t> Builder::finish(uint64_t seed) const
{
    std::vector<uint8_t> out;
    out.reserve(abi::kWorkloadHeaderSize + m_body.size());
    for (auto byte : abi::kWorkloadMagic)
        out.push_back(byte);
    append_le(out, abi::kWorkloadVersion, 2);
    append_le(out, 0, 2);
    append_le(out, m_ops, 4);
    append_le(out, m_body.size(), 4);
    append_le(out, seed, 8);
    append_le(out, crc32c(0, m_body.data(), m_body.size()), 4);
    append_le(out, crc32c(0, out.data(), out.size()), 4);
    out.insert(out.end(), m_body.begin(), m_body.end());
    return out;
}

const std::vector<Profile>& profiles()
{
    // put/delete/get percentages are of single-op steps; the rest of a step's chance is a put.
    static const std::vector<Profile> table {
        { "mixed", "value sizes 8 B-4 KiB, some transactions, a sync every few ops", 70, 15, 15, 15, 2, 5, 20, 8, 4096,
            32 },
        { "small", "tiny values (1-64 B), frequent syncs", 70, 15, 15, 10, 2, 4, 35, 1, 64, 24 },
        { "large", "large values (4-64 KiB), rare syncs", 85, 10, 5, 5, 2, 3, 15, 4096, 65536, 16 },
        { "txn", "mostly transactions of 2-8 ops", 70, 20, 10, 60, 2, 8, 25, 8, 1024, 32 },
        { "nosync", "no syncs but the final one: the widest loss window", 75, 15, 10, 15, 2, 5, 0, 8, 2048, 32 },
    };
    return table;
}

const Profile* find_profile(std::string_view name)
{
    for (auto const& p : profiles()) {
        if (name == p.name)
            return &p;
    }
    return nullptr;
}

std::vector<uint8_t> generate(uint64_t seed, uint32_t ops, const Profile& profile)
{
    Rng rng(seed);
    Builder b;
    auto key = [&] { return fmt::format("key-{:03}", rng.below(profile.keys)); };
    auto value_length = [&] { return static_cast<uint32_t>(rng.between(profile.value_min, profile.value_max)); };
    auto single = [&] {
        auto roll = rng.below(100);
        if (roll < profile.delete_percent)
            b.del(key());
        else if (roll < profile.delete_percent + profile.get_percent)
            b.get(key());
        else
            b.put_seeded(key(), value_length(), rng.next());
    };
    // Reserve one op for the final sync.
    while (b.op_count() + 1 < ops) {
        uint32_t room = ops - 1 - b.op_count();
        if (room >= profile.txn_min + 2 && rng.below(100) < profile.txn_percent) {
            uint32_t n = static_cast<uint32_t>(rng.between(profile.txn_min, profile.txn_max));
            if (n + 2 > room)
                n = room - 2;
            b.begin();
            for (uint32_t i = 0; i < n; ++i) {
                if (rng.below(100) < profile.delete_percent)
                    b.del(key());
                else
                    b.put_seeded(key(), value_length(), rng.next());
            }
            b.commit();
        } else {
            single();
        }
        if (b.op_count() + 1 < ops && rng.below(100) < profile.sync_percent)
            b.sync();
    }
    b.sync();
    return b.finish(seed);
}

std::string to_text(const abi::Workload& workload)
{
    std::string out = fmt::format("# ferros workload v{}: {} ops, {} body bytes, seed {}\n", abi::kWorkloadVersion,
        workload.op_count(), workload.header().body_length, workload.header().seed);
    auto cursor = workload.ops();
    while (!cursor.at_end()) {
        uint32_t index = cursor.index();
        auto op = cursor.next();
        out += fmt::format("{:6} {}", index, abi::op_name(op.code));
        if (op.key.size()) {
            std::string key;
            for (auto c : op.key)
                key += (c >= 0x21 && c < 0x7f && c != '\\') ? static_cast<char>(c) : '?';
            out += fmt::format(" key={}", key);
        }
        if (op.code == abi::OpCode::PutSeeded)
            out += fmt::format(" len={} seed={:#x}", op.value_length, op.value_seed);
        if (op.code == abi::OpCode::Put) {
            out += fmt::format(" len={} value=", op.value_length);
            for (size_t i = 0; i < op.value.size() && i < 16; ++i)
                out += fmt::format("{:02x}", op.value[i]);
            if (op.value.size() > 16)
                out += "...";
        }
        out += '\n';
    }
    return out;
}

} // namespace ferros::workload
