#include <cstring>
#include <ferros/base/bytes.h>
#include <ferros/base/rng.h>
#include <ferros/crash/content_hash.h>
#include <ferros/crash/state_space.h>
#include <map>

namespace ferros::crash {

namespace {

    // Replaces bytes [from, from + length) of an 8-byte word by `source` (word-relative).
    uint64_t patch_word(uint64_t word, size_t from, const uint8_t* source, size_t length)
    {
        uint8_t bytes[8];
        store_le64(bytes, word);
        std::memcpy(bytes + from, source, length);
        return load_le64(bytes);
    }

} // namespace

ErrorOr<StateSpace> StateSpace::create(
    const Policy& policy, std::span<const uint8_t> durable, std::span<const PendingWrite> pending, uint64_t seed)
{
    return create(policy, durable, image_hash(durable), pending, seed);
}

ErrorOr<StateSpace> StateSpace::create(const Policy& policy, std::span<const uint8_t> durable, uint64_t durable_hash,
    std::span<const PendingWrite> pending, uint64_t seed, UnitDeltaCache* cache)
{
    for (auto const& write : pending) {
        if (write.offset.value() > durable.size() || write.bytes.size() > durable.size() - write.offset.value())
            return Error(ErrorCode::OutOfRange, "pending write outside the device image");
    }

    StateSpace space;
    space.m_policy = policy;
    space.m_durable = durable;
    space.m_seed = seed;
    space.m_durable_hash = durable_hash;

    if (policy.kind == Policy::Kind::Strict || policy.kind == Policy::Kind::Prefix) {
        // Pieces are whole writes. The hash delta of each prefix is accumulated on a sparse
        // copy of the touched words, in program order, so overlapping writes hash right.
        std::map<uint64_t, uint64_t> words;
        uint64_t cumulative = 0;
        for (auto const& write : pending) {
            Piece piece { write.offset.value(), static_cast<uint32_t>(write.bytes.size()), space.m_bytes.size(),
                space.m_deltas.size() };
            space.m_bytes.insert(space.m_bytes.end(), write.bytes.begin(), write.bytes.end());
            uint64_t position = write.offset.value();
            uint64_t const end = write.offset.value() + write.bytes.size();
            while (position < end) {
                uint64_t const word_offset = position & ~7ULL;
                size_t const from = position - word_offset;
                size_t const length = std::min<uint64_t>(8 - from, end - position);
                auto found = words.find(word_offset);
                uint64_t const old_word = found != words.end() ? found->second : image_word(durable, word_offset);
                uint64_t const new_word
                    = patch_word(old_word, from, write.bytes.data() + (position - write.offset.value()), length);
                cumulative += word_mix(word_offset, new_word) - word_mix(word_offset, old_word);
                words[word_offset] = new_word;
                position += length;
            }
            space.m_deltas.push_back(cumulative);
            space.m_pieces.push_back(piece);
        }
        space.m_count = policy.kind == Policy::Kind::Strict ? 1 : pending.size() + 1;
        space.m_exhaustive = true;
        return space;
    }

    // Cache and torn: the final cached content of every touched unit, in offset order.
    uint64_t const unit = policy.unit;
    std::map<uint64_t, std::vector<uint8_t>> units;
    for (auto const& write : pending) {
        uint64_t position = write.offset.value();
        uint64_t const end = write.offset.value() + write.bytes.size();
        while (position < end) {
            uint64_t const unit_offset = position - position % unit;
            auto [it, inserted] = units.try_emplace(unit_offset);
            if (inserted) {
                uint64_t const length = std::min<uint64_t>(unit, durable.size() - unit_offset);
                it->second.assign(durable.begin() + unit_offset, durable.begin() + unit_offset + length);
            }
            uint64_t const length = std::min<uint64_t>(unit_offset + unit, end) - position;
            std::memcpy(it->second.data() + (position - unit_offset),
                write.bytes.data() + (position - write.offset.value()), length);
            position += length;
        }
    }

    unsigned __int128 exact = 1;
    unsigned __int128 const budget = static_cast<unsigned __int128>(1) << policy.k;
    for (auto const& [offset, content] : units) {
        Piece piece { offset, static_cast<uint32_t>(content.size()), space.m_bytes.size(), space.m_deltas.size() };
        space.m_bytes.insert(space.m_bytes.end(), content.begin(), content.end());
        // deltas[t] = hash change when the first t words of the unit are new.
        UnitDeltaCache::Entry* cached = nullptr;
        uint64_t key = 0;
        if (cache) {
            key = bytes_hash(content, offset);
            auto found = cache->m_entries.find(key);
            if (found != cache->m_entries.end() && found->second.offset == offset && found->second.content == content)
                cached = &found->second;
        }
        if (cached) {
            space.m_deltas.insert(space.m_deltas.end(), cached->deltas.begin(), cached->deltas.end());
            space.m_pieces.push_back(piece);
            space.m_place.push_back(static_cast<uint64_t>(exact > budget ? 0 : exact));
            if (exact <= budget)
                exact *= space.radix(piece);
            continue;
        }
        uint64_t cumulative = 0;
        space.m_deltas.push_back(0);
        for (uint32_t word = 0; word < space.words_of(piece); ++word) {
            uint64_t const word_offset = offset + 8ULL * word;
            std::span<const uint8_t> const fresh(content);
            uint64_t const new_word = image_word(fresh, 8ULL * word);
            uint64_t const old_word = image_word(durable, word_offset);
            // A unit holds its whole final content, mostly the durable words again: those
            // change nothing, and skipping their mixes is most of the cost of a cut.
            if (new_word != old_word)
                cumulative += word_mix(word_offset, new_word) - word_mix(word_offset, old_word);
            space.m_deltas.push_back(cumulative);
        }
        if (cache)
            cache->m_entries[key] = UnitDeltaCache::Entry { offset, content,
                std::vector<uint64_t>(
                    space.m_deltas.begin() + static_cast<std::ptrdiff_t>(piece.delta), space.m_deltas.end()) };
        space.m_pieces.push_back(piece);
        space.m_place.push_back(static_cast<uint64_t>(exact > budget ? 0 : exact));
        if (exact <= budget)
            exact *= space.radix(piece);
    }
    space.m_exhaustive = exact <= budget;
    space.m_count = space.m_exhaustive ? static_cast<uint64_t>(exact) : static_cast<uint64_t>(budget);
    return space;
}

uint32_t StateSpace::radix(const Piece& piece) const
{
    return m_policy.kind == Policy::Kind::Torn ? words_of(piece) + 1 : 2;
}

template<typename F>
void StateSpace::for_each_choice(uint64_t index, F&& f) const
{
    switch (m_policy.kind) {
    case Policy::Kind::Strict:
        for (auto const& piece : m_pieces)
            f(piece, words_of(piece));
        return;
    case Policy::Kind::Prefix:
        for (size_t i = 0; i < m_pieces.size(); ++i)
            f(m_pieces[i], i < index ? words_of(m_pieces[i]) : 0);
        return;
    case Policy::Kind::Cache:
    case Policy::Kind::Torn:
        break;
    }
    bool const torn = m_policy.kind == Policy::Kind::Torn;
    if (m_exhaustive) {
        for (size_t i = 0; i < m_pieces.size(); ++i) {
            uint64_t const digit = (index / m_place[i]) % radix(m_pieces[i]);
            f(m_pieces[i], torn ? static_cast<uint32_t>(digit) : (digit ? words_of(m_pieces[i]) : 0));
        }
        return;
    }
    if (index == 0 || index == m_count - 1) {
        for (auto const& piece : m_pieces)
            f(piece, index == 0 ? 0 : words_of(piece));
        return;
    }
    Rng rng(m_seed ^ (index * 0x9E3779B97F4A7C15ULL));
    for (auto const& piece : m_pieces) {
        uint64_t const digit = rng.below(radix(piece));
        f(piece, torn ? static_cast<uint32_t>(digit) : (digit ? words_of(piece) : 0));
    }
}

void StateSpace::apply(uint64_t index, std::span<uint8_t> image) const
{
    VERIFY(index < m_count && image.size() == m_durable.size());
    for_each_choice(index, [&](const Piece& piece, uint32_t words) {
        size_t const length = std::min<size_t>(8ULL * words, piece.length);
        // An empty piece has no bytes (data() may be null, which memcpy may not get).
        if (length)
            std::memcpy(image.data() + piece.offset, m_bytes.data() + piece.data, length);
    });
}

void StateSpace::changes(uint64_t index, std::vector<Change>& out) const
{
    VERIFY(index < m_count);
    out.clear();
    for_each_choice(index, [&](const Piece& piece, uint32_t words) {
        size_t const length = std::min<size_t>(8ULL * words, piece.length);
        if (length)
            out.push_back(Change { piece.offset, std::span<const uint8_t>(m_bytes.data() + piece.data, length) });
    });
}

void StateSpace::restore(uint64_t index, std::span<uint8_t> image) const
{
    VERIFY(index < m_count && image.size() == m_durable.size());
    for_each_choice(index, [&](const Piece& piece, uint32_t words) {
        size_t const length = std::min<size_t>(8ULL * words, piece.length);
        if (length)
            std::memcpy(image.data() + piece.offset, m_durable.data() + piece.offset, length);
    });
}

uint64_t StateSpace::hash(uint64_t index) const
{
    VERIFY(index < m_count);
    if (m_policy.kind == Policy::Kind::Strict || m_policy.kind == Policy::Kind::Prefix) {
        uint64_t const applied = m_policy.kind == Policy::Kind::Strict ? m_pieces.size() : index;
        return m_durable_hash + (applied == 0 ? 0 : m_deltas[applied - 1]);
    }
    uint64_t hash = m_durable_hash;
    for_each_choice(index, [&](const Piece& piece, uint32_t words) { hash += m_deltas[piece.delta + words]; });
    return hash;
}

} // namespace ferros::crash
