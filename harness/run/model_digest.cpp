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
  // The files the backend reads besides the weights (not, say, trainer_state.json: it does not change outputs).
  for (const char* name : {"config.json", "generation_config.json", "preprocessor_config.json", "processor_config.json",
                           "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json",
                           "added_tokens.json", "chat_template.json"}) {
    std::error_code exists;
    if (fs::is_regular_file(dir / name, exists)) files.push_back(dir / name);
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
