#include "harness/run/model_digest.h"

#include <algorithm>
#include <chrono>

#include "common/content_hash.h"
#include "common/error.h"
#include "model_backend/io/safetensors.h"

namespace mmh::run {
namespace fs = std::filesystem;

CheckpointDigest checkpoint_digest(const fs::path& dir, const std::string& weights_variant) {
  const auto start = std::chrono::steady_clock::now();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir.string(), "is not a checkpoint folder (no such directory)");
  // The weights the model reads (validated: missing shards are reported here, before anything runs).
  std::vector<fs::path> files = weights::WeightSet::open_dir(dir, weights_variant).files();
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const bool config = entry.path().extension() == ".json" && name.find(".safetensors.index") == std::string::npos;
    if (entry.is_regular_file() && (config || name == "tokenizer.model")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());

  CheckpointDigest out;
  DigestBuilder digest;
  digest.add("mmh-checkpoint-v1");
  for (const auto& file : files) {
    const std::string name = fs::relative(file, dir).string();
    digest.add(name).add(hash_file(file));
    out.files.push_back(name);
    out.bytes += fs::file_size(file);
  }
  out.digest = "xxh64:" + digest.hex();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace mmh::run
