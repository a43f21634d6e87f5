#pragma once
// Shards: a campaign split with --shard I/N walks every N-th boundary class; merge combines
// the shards' results databases into one, as if one campaign had walked them all.

#include <cstdint>
#include <ferros/base/failure.h>
#include <string>
#include <vector>

namespace ferros::campaign {

struct MergeResult {
    uint32_t shard_count { 0 };
    uint64_t total_boundaries { 0 }; // of the traced run, from the shards' traces
};

// Merges the shard directories `shards` into `out` (created; must hold no results yet).
// Errors: InvalidArgument (a directory is not a finished shard, a shard is missing or given
// twice), Mismatch (shards of different campaigns), Io (a database read or write failed:
// never a silently smaller merge).
Result<MergeResult> merge_shards(const std::vector<std::string>& shards, const std::string& out);

// Boundaries of the run a trace recorded (its end boundary + 1). Errors: those of the trace.
Result<uint64_t> trace_boundaries(const std::string& trace_path);

} // namespace ferros::campaign
