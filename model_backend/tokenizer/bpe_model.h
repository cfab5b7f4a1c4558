#pragma once
// The BPE model of HF tokenizers: vocab + ranked merges, applied to one
// pre-token at a time with a priority queue (lowest rank, then leftmost), as
// tokenizers' Word::merge_all does.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mmh::tokenizer {

struct BpeOptions {
  std::optional<std::string> unk_token;
  std::string continuing_subword_prefix, end_of_word_suffix;
  bool fuse_unk = false, byte_fallback = false, ignore_merges = false;
};

class BpeModel {
 public:
  // Throws mmh::Error(where, ...) for a merge whose parts or result are not in the vocab.
  BpeModel(std::unordered_map<std::string, std::int32_t> vocab,
           const std::vector<std::pair<std::string, std::string>>& merges, BpeOptions options,
           const std::string& where);

  // Appends the ids of one pre-token.
  void tokenize(std::string_view word, std::vector<std::int32_t>& out) const;

  std::optional<std::int32_t> token_to_id(std::string_view token) const;
  const std::string* id_to_token(std::int32_t id) const;
  std::size_t vocab_size() const { return vocab_.size(); }
  std::int32_t max_id() const { return static_cast<std::int32_t>(by_id_.size()) - 1; }

 private:
  struct MergeTarget {
    std::int32_t rank, id;
  };
  // Open addressing over (left id, right id): this lookup is the hot loop.
  struct MergeTable {
    std::vector<std::uint64_t> keys;
    std::vector<MergeTarget> values;
    std::uint64_t mask = 0;
    void build(const std::vector<std::pair<std::uint64_t, MergeTarget>>& entries);
    const MergeTarget* find(std::uint64_t key) const;
  };
  static std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  }
  void merge_word(std::string_view word, std::vector<std::int32_t>& out) const;

  std::unordered_map<std::string, std::int32_t> vocab_;
  std::vector<const std::string*> by_id_;
  MergeTable merges_;
  BpeOptions options_;
  std::optional<std::int32_t> unk_id_;
  std::int32_t byte_ids_[256];  // "<0xNN>" tokens for byte_fallback, -1 when absent

  // Pre-token -> ids, as tokenizers caches them; bounded, shared between threads.
  mutable std::mutex cache_mutex_;
  mutable std::unordered_map<std::string, std::vector<std::int32_t>> cache_;
};

}  // namespace mmh::tokenizer
