#pragma once
// Which slice of every evaluation this process scores. Set by --shard I/N or
// by the launcher's environment (torchrun: RANK/WORLD_SIZE/LOCAL_RANK; srun:
// SLURM_PROCID/SLURM_NTASKS/SLURM_LOCALID). Sample at position p of an
// evaluation belongs to shard p mod N: disjoint, deterministic, balanced, and
// independent of batch size or timing.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace mmh::run {

struct Shard {
  int index = 0, count = 1;
  std::optional<int> local_rank;  // GPU of this process on its node, from the launcher
  std::string source;             // "--shard", "torchrun", "slurm", or "" when not sharded
  bool owns(std::size_t position) const { return static_cast<int>(position % count) == index; }
  bool sharded() const { return count > 1; }
};

// "I/N" with 0 <= I < N; else mmh::Error naming --shard.
Shard parse_shard(const std::string& text);

// --shard when given, else the environment; a launcher of one process is no shard.
// `getenv` is injectable for tests.
Shard resolve_shard(const std::optional<std::string>& flag,
                    const std::function<const char*(const char*)>& getenv = ::getenv);

// The database file of a shard: FILE.shard-I-of-N.sqlite (unchanged when not sharded).
std::filesystem::path shard_database(const std::filesystem::path& db, const Shard& shard);

// "cuda" on a launcher's process becomes cuda:LOCAL_RANK; anything else is kept.
std::string shard_device(const std::string& device, const Shard& shard);

}  // namespace mmh::run
