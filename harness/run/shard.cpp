#include "harness/run/shard.h"

#include <charconv>
#include <cstdlib>

#include "common/error.h"

namespace mmh::run {
namespace {

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Reads an integer environment variable; a malformed value is an error naming it.
std::optional<int> env_int(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* value = getenv(name);
  if (!value || !*value) return std::nullopt;
  auto parsed = parse_int(value);
  if (!parsed || *parsed < 0) throw Error(std::string("environment variable ") + name, "is not a non-negative integer: '" + std::string(value) + "'");
  return parsed;
}

Shard from_launcher(const std::function<const char*(const char*)>& getenv, const char* rank_var,
                    const char* size_var, const char* local_var, const char* source) {
  Shard s;
  const auto rank = env_int(getenv, rank_var), size = env_int(getenv, size_var);
  if (!rank || !size || *size <= 1) return s;
  if (*rank >= *size)
    throw Error(std::string("environment variable ") + rank_var,
                std::to_string(*rank) + " is not below " + size_var + "=" + std::to_string(*size));
  s.index = *rank;
  s.count = *size;
  s.local_rank = env_int(getenv, local_var);
  s.source = source;
  return s;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto index = slash == std::string::npos ? std::nullopt : parse_int(std::string_view(text).substr(0, slash));
  const auto count = slash == std::string::npos ? std::nullopt : parse_int(std::string_view(text).substr(slash + 1));
  if (!index || !count || *count < 1 || *index < 0 || *index >= *count || *count > 100000)
    throw Error("--shard", "'" + text + "' is not I/N with 0 <= I < N (e.g. 0/4)");
  Shard s;
  s.index = *index;
  s.count = *count;
  s.source = s.count > 1 ? "--shard" : "";
  return s;
}

Shard resolve_shard(const std::optional<std::string>& flag, const std::function<const char*(const char*)>& getenv) {
  if (flag) return parse_shard(*flag);
  Shard s = from_launcher(getenv, "RANK", "WORLD_SIZE", "LOCAL_RANK", "torchrun");
  if (s.sharded()) return s;
  return from_launcher(getenv, "SLURM_PROCID", "SLURM_NTASKS", "SLURM_LOCALID", "slurm");
}

std::filesystem::path shard_database(const std::filesystem::path& db, const Shard& shard) {
  if (!shard.sharded()) return db;
  std::filesystem::path out = db;
  const std::string suffix = ".shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count);
  out.replace_filename(db.stem().string() + suffix + (db.has_extension() ? db.extension().string() : ".sqlite"));
  return out;
}

std::string shard_device(const std::string& device, const Shard& shard) {
  if (device == "cuda" && shard.local_rank) return "cuda:" + std::to_string(*shard.local_rank);
  return device;
}

}  // namespace mmh::run
