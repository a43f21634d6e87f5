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
    // Phase fields: name, share, put, delete, get, txn, txn_min, txn_max, sync, value_min, value_max, keys, prefix.
    static const std::vector<Profile> table {
        { "mixed", "value sizes 8 B-4 KiB, some transactions, a sync every few ops",
            { { "mixed", 100, 70, 15, 15, 15, 2, 5, 20, 8, 4096, 32, "key-" } } },
        { "small", "tiny values (1-64 B), frequent syncs",
            { { "small", 100, 70, 15, 15, 10, 2, 4, 35, 1, 64, 24, "key-" } } },
        { "large", "large values (4-64 KiB), rare syncs",
            { { "large", 100, 85, 10, 5, 5, 2, 3, 15, 4096, 65536, 16, "key-" } } },
        { "txn", "mostly transactions of 2-8 ops", { { "txn", 100, 70, 20, 10, 60, 2, 8, 25, 8, 1024, 32, "key-" } } },
        { "nosync", "no syncs but the final one: the widest loss window",
            { { "nosync", 100, 75, 15, 10, 15, 2, 5, 0, 8, 2048, 32, "key-" } } },
        // The campaign's default. Sizes are chosen for the default 64 KiB store (capacity about
        // 14.6 KB of live charge, largest record 3840 B): the cold set fills about half of it, so
        // that cleaning must carry it forward on every lap while the hot set turns the ring;
        // `large` writes values up to and just past the largest record (TooBig at the edge) and,
        // with the cold set, reaches NoSpace; `full` adds keys until the store refuses them and
        // `drain` deletes them again. On larger stores the same phases run without refusals.
        { "ring", "phases that put the ring in its hard situations: fill, churn, long txns, no syncs, large, full",
            {
                { "fill", 12, 100, 0, 0, 30, 2, 4, 15, 150, 450, 14, "cold-" },
                { "churn", 38, 75, 10, 15, 25, 2, 6, 25, 16, 512, 8, "hot-" },
                { "long-txn", 10, 85, 15, 0, 100, 16, 40, 50, 8, 96, 16, "hot-" },
                { "nosync", 10, 75, 15, 10, 15, 2, 5, 0, 8, 512, 8, "hot-" },
                { "large", 8, 65, 35, 0, 0, 2, 2, 30, 3000, 3780, 2, "big-" },
                { "full", 7, 100, 0, 0, 0, 2, 2, 20, 600, 2000, 8, "full-" },
                { "drain", 5, 0, 100, 0, 0, 2, 2, 25, 8, 8, 8, "full-" },
                { "churn-again", 10, 75, 10, 15, 25, 2, 6, 25, 8, 256, 8, "hot-" },
            } },
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

std::vector<PhaseSpan> phase_spans(const Profile& profile, uint32_t ops)
{
    // One op is kept for the final sync; each phase ends at its cumulative share of the rest.
    uint64_t const body = ops > 0 ? ops - 1 : 0;
    std::vector<PhaseSpan> spans;
    uint64_t cumulative = 0;
    uint32_t first = 0;
    for (auto const& phase : profile.phases) {
        cumulative += phase.share;
        auto end = static_cast<uint32_t>(&phase == &profile.phases.back() ? body : body * cumulative / 100);
        spans.push_back(PhaseSpan { &phase, first, end });
        first = end;
    }
    return spans;
}

std::vector<uint8_t> generate(uint64_t seed, uint32_t ops, const Profile& profile)
{
    Rng rng(seed);
    Builder b;
    for (auto const& span : phase_spans(profile, ops)) {
        auto const& phase = *span.phase;
        auto key = [&] { return fmt::format("{}{:03}", phase.key_prefix, rng.below(phase.keys)); };
        auto value_length = [&] { return static_cast<uint32_t>(rng.between(phase.value_min, phase.value_max)); };
        auto single = [&] {
            auto roll = rng.below(100);
            if (roll < phase.delete_percent)
                b.del(key());
            else if (roll < phase.delete_percent + phase.get_percent)
                b.get(key());
            else
                b.put_seeded(key(), value_length(), rng.next());
        };
        while (b.op_count() < span.end) {
            uint32_t room = span.end - b.op_count();
            if (room >= phase.txn_min + 2 && rng.below(100) < phase.txn_percent) {
                uint32_t n = static_cast<uint32_t>(rng.between(phase.txn_min, phase.txn_max));
                if (n + 2 > room)
                    n = room - 2;
                b.begin();
                for (uint32_t i = 0; i < n; ++i) {
                    if (rng.below(100) < phase.delete_percent)
                        b.del(key());
                    else
                        b.put_seeded(key(), value_length(), rng.next());
                }
                b.commit();
            } else {
                single();
            }
            if (b.op_count() < span.end && rng.below(100) < phase.sync_percent)
                b.sync();
        }
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
