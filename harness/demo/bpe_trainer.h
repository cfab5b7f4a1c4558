#pragma once
// A small deterministic byte-level BPE trainer: texts are split as the
// tokenizer.json pre-tokenizer ByteLevel(use_regex=true) splits them (GPT-2's
// pattern, each byte as its byte-level character), then the most frequent
// adjacent pair is merged until the vocabulary is full or no pair is left.
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace mmh::demo {

struct BpeVocabulary {
  // The 256 byte-level characters in byte order, then one token per new merge result.
  std::vector<std::string> tokens;
  std::vector<std::pair<std::string, std::string>> merges;  // in rank order
};

// Ties between equally frequent pairs go to the pair of older tokens, so the
// result depends only on the texts. Pairs seen fewer than `min_count` times are not merged.
BpeVocabulary train_byte_level_bpe(const std::vector<std::string>& texts, std::size_t max_tokens,
                                   std::size_t min_count = 1);

}  // namespace mmh::demo
