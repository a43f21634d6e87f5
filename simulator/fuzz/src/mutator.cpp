#include <algorithm>
#include <cstdio>
#include <ferros/fuzz/mutator.h>
#include <optional>

namespace ferros::fuzz {

const char* edit_name(Edit edit)
{
    switch (edit) {
    case Edit::InsertOp:
        return "insert";
    case Edit::DeleteOps:
        return "delete";
    case Edit::DuplicateOps:
        return "duplicate";
    case Edit::SwapOps:
        return "swap";
    case Edit::OpenTransaction:
        return "open-transaction";
    case Edit::CloseTransaction:
        return "close-transaction";
    case Edit::PlaceSync:
        return "place-sync";
    case Edit::ChangeKey:
        return "change-key";
    case Edit::ChangeValueLength:
        return "change-value-length";
    case Edit::ChangeKind:
        return "change-kind";
    case Edit::InsertBurst:
        return "insert-burst";
    case Edit::Count:
        break;
    }
    return "unknown";
}

std::string pool_key(size_t index)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "key-%03zu", index % 1000);
    return buffer;
}

uint32_t draw_value_length(Rng& rng, const Thresholds& t)
{
    uint64_t const max_value = t.max_value > 0 ? t.max_value : 64;
    uint64_t length = 0;
    switch (rng.below(8)) {
    case 0:
        length = rng.below(17); // empty and tiny values
        break;
    case 1:
        length = rng.between(17, 200);
        break;
    case 2: {
        // Straddling a cache unit: 64 or 512 bytes, give or take a word.
        uint64_t const unit = rng.chance(1, 2) ? 64 : 512;
        length = unit - 8 + rng.below(17);
        break;
    }
    case 3:
    case 4:
        // The longest values a record holds, and one to a few bytes too long (TooBig).
        length = max_value - 24 + rng.below(28);
        break;
    case 5:
        // Fractions of the largest: a few of them fill the log budget and the ring.
        length = max_value / (2 + rng.below(3));
        break;
    default:
        length = rng.below(max_value + 1);
        break;
    }
    return static_cast<uint32_t>(std::min<uint64_t>(length, abi::kMaxValueLength));
}

namespace {

    std::string draw_key(Rng& rng, const Program& program, const MutatorOptions& options)
    {
        // Mostly the pool; sometimes a key the program already uses (it may come from a seed).
        if (rng.chance(1, 4) && !program.ops.empty()) {
            auto const& op = program.ops[rng.below(program.ops.size())];
            if (op.has_key())
                return op.key;
        }
        return pool_key(rng.below(options.key_pool));
    }

    ProgramOp random_op(Rng& rng, const Program& program, const MutatorOptions& options)
    {
        ProgramOp op;
        uint64_t const roll = rng.below(100);
        if (roll < 50) {
            op.code = abi::OpCode::PutSeeded;
            op.key = draw_key(rng, program, options);
            op.value_length = draw_value_length(rng, options.thresholds);
            op.value_seed = rng.next();
        } else if (roll < 65) {
            op.code = abi::OpCode::Delete;
            op.key = draw_key(rng, program, options);
        } else if (roll < 85) {
            op.code = abi::OpCode::Sync;
        } else if (roll < 92) {
            op.code = abi::OpCode::Get;
            op.key = draw_key(rng, program, options);
        } else if (roll < 96) {
            op.code = abi::OpCode::Begin;
        } else {
            op.code = abi::OpCode::Commit;
        }
        return op;
    }

    // The index of an op drawn evenly from those that satisfy `wanted`; none if no op does.
    template<typename Ops, typename Wanted>
    std::optional<size_t> draw_op(Rng& rng, const Ops& ops, Wanted wanted)
    {
        std::vector<size_t> candidates;
        for (size_t i = 0; i < ops.size(); ++i)
            if (wanted(ops[i]))
                candidates.push_back(i);
        if (candidates.empty())
            return std::nullopt;
        return candidates[rng.below(candidates.size())];
    }

    // A run [start, start + length) of at most `most` ops.
    std::pair<size_t, size_t> draw_run(Rng& rng, size_t size, size_t most)
    {
        size_t const length = 1 + rng.below(std::min(size, most));
        size_t const start = rng.below(size - length + 1);
        return { start, length };
    }

    void trim(Program& program, Rng& rng, size_t max_ops)
    {
        while (program.ops.size() > max_ops)
            program.ops.erase(program.ops.begin() + static_cast<ptrdiff_t>(rng.below(program.ops.size())));
    }

    // Every value longer than a record holds is refused alike (TooBig, nothing written), but
    // is still made byte by byte by the runner and the oracle: a 64 KiB value costs as much as
    // the rest of a short input. So such lengths are folded to just beyond the threshold.
    void fold_long_values(Program& program, const Thresholds& thresholds)
    {
        if (thresholds.max_value == 0)
            return;
        uint64_t const limit = uint64_t { thresholds.max_value } + 64;
        for (auto& op : program.ops)
            if (op.code == abi::OpCode::PutSeeded && op.value_length > limit)
                op.value_length = static_cast<uint32_t>(thresholds.max_value + 1 + op.value_length % 64);
    }

} // namespace

bool apply_edit(Program& program, Edit edit, Rng& rng, const MutatorOptions& options)
{
    auto& ops = program.ops;
    auto at = [&](size_t index) { return ops.begin() + static_cast<ptrdiff_t>(index); };
    switch (edit) {
    case Edit::InsertOp:
        ops.insert(at(rng.below(ops.size() + 1)), random_op(rng, program, options));
        return true;
    case Edit::DeleteOps: {
        if (ops.empty())
            return false;
        auto [start, length] = draw_run(rng, ops.size(), 4);
        ops.erase(at(start), at(start + length));
        return true;
    }
    case Edit::DuplicateOps: {
        if (ops.empty())
            return false;
        auto [start, length] = draw_run(rng, ops.size(), 8);
        std::vector<ProgramOp> run(at(start), at(start + length));
        ops.insert(at(rng.below(ops.size() + 1)), run.begin(), run.end());
        return true;
    }
    case Edit::SwapOps: {
        if (ops.size() < 2)
            return false;
        size_t const a = rng.below(ops.size());
        size_t b = rng.below(ops.size() - 1);
        if (b >= a)
            ++b;
        std::swap(ops[a], ops[b]);
        return true;
    }
    case Edit::OpenTransaction: {
        if (ops.empty())
            return false;
        auto [start, length] = draw_run(rng, ops.size(), 8);
        ProgramOp begin, commit;
        begin.code = abi::OpCode::Begin;
        commit.code = abi::OpCode::Commit;
        ops.insert(at(start + length), commit);
        ops.insert(at(start), begin);
        return true;
    }
    case Edit::CloseTransaction: {
        auto const mark = draw_op(
            rng, ops, [](auto const& op) { return op.code == abi::OpCode::Begin || op.code == abi::OpCode::Commit; });
        if (!mark)
            return false;
        size_t const chosen = *mark;
        // Mostly the whole pair: the begin and the next commit after it (or the commit and the
        // begin before it); sometimes just the one.
        size_t partner = chosen;
        if (rng.chance(3, 4)) {
            if (ops[chosen].code == abi::OpCode::Begin) {
                for (size_t i = chosen + 1; i < ops.size(); ++i)
                    if (ops[i].code == abi::OpCode::Commit) {
                        partner = i;
                        break;
                    }
            } else {
                for (size_t i = chosen; i-- > 0;)
                    if (ops[i].code == abi::OpCode::Begin) {
                        partner = i;
                        break;
                    }
            }
        }
        ops.erase(at(std::max(chosen, partner)));
        if (partner != chosen)
            ops.erase(at(std::min(chosen, partner)));
        return true;
    }
    case Edit::PlaceSync: {
        ProgramOp sync;
        sync.code = abi::OpCode::Sync;
        ops.insert(at(rng.below(ops.size() + 1)), sync);
        return true;
    }
    case Edit::ChangeKey: {
        auto const keyed = draw_op(rng, ops, [](auto const& op) { return op.has_key(); });
        if (!keyed)
            return false;
        ops[*keyed].key = draw_key(rng, program, options);
        return true;
    }
    case Edit::ChangeValueLength: {
        auto const put = draw_op(rng, ops, [](auto const& op) { return op.is_put(); });
        if (!put)
            return false;
        auto& op = ops[*put];
        // A literal value becomes a seeded one: its length can then change freely.
        op.code = abi::OpCode::PutSeeded;
        op.value.clear();
        op.value_length = draw_value_length(rng, options.thresholds);
        if (rng.chance(1, 2))
            op.value_seed = rng.next();
        return true;
    }
    case Edit::ChangeKind: {
        auto const keyed = draw_op(rng, ops, [](auto const& op) { return op.has_key(); });
        if (!keyed)
            return false;
        auto& op = ops[*keyed];
        switch (rng.below(3)) {
        case 0:
            op.code = abi::OpCode::PutSeeded;
            op.value.clear();
            op.value_length = draw_value_length(rng, options.thresholds);
            op.value_seed = rng.next();
            break;
        case 1:
            op.code = abi::OpCode::Delete;
            break;
        default:
            op.code = abi::OpCode::Get;
            break;
        }
        if (!op.is_put()) {
            op.value.clear();
            op.value_length = 0;
            op.value_seed = 0;
        }
        return true;
    }
    case Edit::InsertBurst: {
        uint64_t const max_value = options.thresholds.max_value > 0 ? options.thresholds.max_value : 64;
        size_t const puts = 6 + rng.below(19);
        size_t const keys = 1 + rng.below(3);
        size_t const first_key = rng.below(options.key_pool);
        uint64_t const length = rng.chance(3, 4) ? max_value - rng.below(64) : max_value / 2;
        size_t const sync_every = rng.chance(1, 2) ? 2 + rng.below(4) : 0;
        std::vector<ProgramOp> burst;
        for (size_t i = 0; i < puts; ++i) {
            ProgramOp op;
            op.code = abi::OpCode::PutSeeded;
            op.key = pool_key((first_key + i % keys) % options.key_pool);
            op.value_length = static_cast<uint32_t>(length);
            op.value_seed = rng.next();
            burst.push_back(std::move(op));
            if (sync_every && (i + 1) % sync_every == 0)
                burst.push_back(ProgramOp { abi::OpCode::Sync });
        }
        ops.insert(at(rng.below(ops.size() + 1)), burst.begin(), burst.end());
        return true;
    }
    case Edit::Count:
        break;
    }
    return false;
}

void mutate(Program& program, Rng& rng, const MutatorOptions& options)
{
    size_t const edits = 1 + rng.below(3);
    for (size_t done = 0, tries = 0; done < edits && tries < 16; ++tries) {
        auto const edit = static_cast<Edit>(rng.below(static_cast<uint64_t>(Edit::Count)));
        if (apply_edit(program, edit, rng, options))
            ++done;
    }
    trim(program, rng, options.max_ops);
    fold_long_values(program, options.thresholds);
}

Program cross_over(const Program& first, const Program& second, Rng& rng, const MutatorOptions& options)
{
    Program child;
    child.seed = first.seed;
    auto const& a = first.ops;
    auto const& b = second.ops;
    if (rng.chance(1, 2)) {
        // A prefix of the first, then a suffix of the second.
        size_t const cut_a = rng.below(a.size() + 1);
        size_t const cut_b = rng.below(b.size() + 1);
        child.ops.assign(a.begin(), a.begin() + static_cast<ptrdiff_t>(cut_a));
        child.ops.insert(child.ops.end(), b.begin() + static_cast<ptrdiff_t>(cut_b), b.end());
    } else {
        // A run of the second spliced into the first.
        child.ops = a;
        if (!b.empty()) {
            auto [start, length] = draw_run(rng, b.size(), 16);
            size_t const where = rng.below(child.ops.size() + 1);
            child.ops.insert(child.ops.begin() + static_cast<ptrdiff_t>(where),
                b.begin() + static_cast<ptrdiff_t>(start), b.begin() + static_cast<ptrdiff_t>(start + length));
        }
    }
    trim(child, rng, options.max_ops);
    fold_long_values(child, options.thresholds);
    return child;
}

void fit(Program& program, size_t max_size, Rng& rng)
{
    while (!program.ops.empty() && encoded_size(program) > max_size) {
        // Literal values are the bulk of a large program: make the largest one seeded.
        auto largest = std::max_element(program.ops.begin(), program.ops.end(),
            [](const ProgramOp& x, const ProgramOp& y) { return x.value.size() < y.value.size(); });
        if (largest->code == abi::OpCode::Put && largest->value.size() > 12) {
            largest->code = abi::OpCode::PutSeeded;
            largest->value_seed = rng.next();
            largest->value.clear();
            continue;
        }
        program.ops.erase(program.ops.begin() + static_cast<ptrdiff_t>(rng.below(program.ops.size())));
    }
}

} // namespace ferros::fuzz
