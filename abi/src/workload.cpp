#include <ferros/abi/workload.h>
#include <ferros/base/crc32c.h>
#include <ferros/base/rng.h>

namespace ferros::abi {

const char* op_name(OpCode code)
{
    switch (code) {
    case OpCode::Put:
        return "put";
    case OpCode::PutSeeded:
        return "put";
    case OpCode::Delete:
        return "delete";
    case OpCode::Begin:
        return "begin";
    case OpCode::Commit:
        return "commit";
    case OpCode::Sync:
        return "sync";
    case OpCode::Get:
        return "get";
    }
    return "unknown";
}

void materialize_value(const Op& op, Bytes out)
{
    if (op.code == OpCode::Put) {
        for (size_t i = 0; i < op.value_length; ++i)
            out[i] = op.value[i];
        return;
    }
    // Whole words first: the fuzzer and the campaign's oracle make every seeded value again
    // for each run, and a byte at a time made this the host fuzzer's hottest loop.
    Rng rng(op.value_seed);
    size_t i = 0;
    for (; i + 8 <= op.value_length; i += 8)
        store_le64(out.data() + i, rng.next());
    if (i < op.value_length) {
        uint64_t word = rng.next();
        for (; i < op.value_length; ++i, word >>= 8)
            out[i] = static_cast<uint8_t>(word);
    }
}

namespace {

    ErrorOr<ReadonlyBytes> take(ReadonlyBytes body, size_t& offset, size_t length)
    {
        if (length > body.size() - offset)
            return Error(ErrorCode::Truncated, "workload op runs past the end of the body");
        auto slice = body.slice(offset, length);
        offset += length;
        return slice;
    }

    ErrorOr<ReadonlyBytes> take_key(ReadonlyBytes body, size_t& offset)
    {
        auto length = TRY(take(body, offset, 1))[0];
        if (length == 0)
            return Error(ErrorCode::BadFormat, "workload key is empty");
        return take(body, offset, length);
    }

} // namespace

ErrorOr<Op> decode_op(ReadonlyBytes body, size_t& offset)
{
    Op op;
    auto code = TRY(take(body, offset, 1))[0];
    op.code = static_cast<OpCode>(code);
    switch (op.code) {
    case OpCode::Put:
    case OpCode::PutSeeded: {
        op.key = TRY(take_key(body, offset));
        op.value_length = load_le32(TRY(take(body, offset, 4)).data());
        if (op.value_length > kMaxValueLength)
            return Error(ErrorCode::TooBig, "workload value exceeds 64 KiB");
        if (op.code == OpCode::Put)
            op.value = TRY(take(body, offset, op.value_length));
        else
            op.value_seed = load_le64(TRY(take(body, offset, 8)).data());
        return op;
    }
    case OpCode::Delete:
    case OpCode::Get:
        op.key = TRY(take_key(body, offset));
        return op;
    case OpCode::Begin:
    case OpCode::Commit:
    case OpCode::Sync:
        return op;
    }
    return Error(ErrorCode::BadFormat, "unknown workload opcode");
}

ErrorOr<Workload> Workload::parse(ReadonlyBytes bytes)
{
    if (bytes.size() < kWorkloadHeaderSize)
        return Error(ErrorCode::Truncated, "workload is shorter than its 32-byte header");
    auto const* h = bytes.data();
    for (size_t i = 0; i < 4; ++i) {
        if (h[i] != kWorkloadMagic[i])
            return Error(ErrorCode::BadFormat, "workload magic is not FRWL");
    }
    if (load_le32(h + 28) != crc32c(0, h, 28))
        return Error(ErrorCode::Corrupt, "workload header checksum mismatch");
    if (load_le16(h + 4) != kWorkloadVersion || load_le16(h + 6) != 0)
        return Error(ErrorCode::Unsupported, "workload format version is not 1");
    Workload workload;
    workload.m_header.op_count = load_le32(h + 8);
    workload.m_header.body_length = load_le32(h + 12);
    workload.m_header.seed = load_le64(h + 16);
    if (workload.m_header.op_count > kMaxWorkloadOps)
        return Error(ErrorCode::TooBig, "workload has more than 2^24 ops");
    if (workload.m_header.body_length != bytes.size() - kWorkloadHeaderSize)
        return Error(ErrorCode::Truncated, "workload body length does not match the file");
    workload.m_body = bytes.slice(kWorkloadHeaderSize);
    if (load_le32(h + 24) != crc32c(0, workload.m_body.data(), workload.m_body.size()))
        return Error(ErrorCode::Corrupt, "workload body checksum mismatch");
    size_t offset = 0;
    for (uint32_t i = 0; i < workload.m_header.op_count; ++i)
        TRY(decode_op(workload.m_body, offset));
    if (offset != workload.m_body.size())
        return Error(ErrorCode::BadFormat, "workload has bytes after its last op");
    return workload;
}

Workload::Cursor Workload::ops() const
{
    Cursor cursor;
    cursor.m_body = m_body;
    cursor.m_count = m_header.op_count;
    return cursor;
}

Op Workload::Cursor::next()
{
    auto op = decode_op(m_body, m_offset);
    // parse() decoded every op already; a failure here is a bug in this file.
    VERIFY(!op.is_error());
    ++m_index;
    return op.release_value();
}

} // namespace ferros::abi
