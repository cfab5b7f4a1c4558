#pragma once
// Combines the databases of a sharded run (one per shard) into one run whose
// corpus metrics are computed over every sample: CIDEr's document
// frequencies, BLEU's corpus counts and MMMU's ordered random fallback need
// the whole set, so per-shard metrics are never averaged.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace mmh::run {

struct MergeOutcome {
  std::int64_t run_id = 0;
  int shards = 0;
  std::size_t evaluations = 0, samples = 0;
};

// Each shard file must hold a completed run of the same fingerprint, together
// covering shards 0..N-1 of N exactly once; anything else is an mmh::Error
// naming the file, and `into` gains nothing (a merge cut short leaves a run
// marked failed, never one marked completed).
MergeOutcome merge_shards(const std::filesystem::path& into, const std::vector<std::filesystem::path>& shards,
                          const std::vector<std::string>& argv);

}  // namespace mmh::run
