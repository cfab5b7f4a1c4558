#pragma once
// The content digest of a checkpoint folder: every file the model is built
// from (config and tokenizer files, the weights of the chosen variant), by
// name and content. The same checkpoint copied elsewhere has the same digest;
// a fine-tune with the same shapes does not. It keys the response cache.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::run {

struct CheckpointDigest {
  std::string digest;               // "xxh64:<16 hex>"
  std::vector<std::string> files;   // names hashed, sorted
  std::uint64_t bytes = 0;
  double seconds = 0;
};

CheckpointDigest checkpoint_digest(const std::filesystem::path& dir, const std::string& weights_variant);

}  // namespace mmh::run
