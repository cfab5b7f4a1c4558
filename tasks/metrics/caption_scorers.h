#pragma once
// Private to the caption metrics (caption.cpp, bleu.cpp, rouge.cpp, cider.cpp): the tokenized evaluation set as flat
// arrays of interned ids, and the per-metric scorers in pycocoevalcap's shape.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/metrics/metric.h"

namespace mmh::metrics::caption {

using Id = std::uint32_t;
inline constexpr int kMaxOrder = 4;  // BLEU-4 and CIDEr-D both use n = 1..4

// Appends the tokens of one caption (official PTBTokenizer + punctuation filter), each followed by a single space.
void append_ptb_tokens(std::string_view caption, std::string& out);

// Open-addressing map from a 64-bit key to a dense id: interns n-grams as (parent n-gram id, word id), exactly.
// Lookups come in batches (all n-grams of one order of a caption) so their cache misses overlap.
class IdTable {
 public:
  IdTable();
  // ids[i] = the id of keys[i]; an unseen key gets a fresh id (the next size()).
  void intern(std::span<const std::uint64_t> keys, std::span<Id> ids);
  std::size_t size() const { return next_; }
  void reserve(std::size_t entries);

 private:
  struct Slot {
    std::uint64_t key;  // kEmptyKey marks a free slot
    Id id;
  };
  std::vector<Slot> slots_;
  std::vector<std::size_t> home_;  // scratch: the first probe of each key in a batch
  std::size_t mask_ = 0;
  Id next_ = 0;
};

// The evaluated set after tokenization. Captions are numbered image by image: image i owns captions
// caption_begin[i] (the candidate) and caption_begin[i]+1 .. caption_begin[i+1]-1 (its references).
struct CaptionSet {
  std::vector<std::size_t> caption_begin;  // images + 1 entries
  // Python's str.split() view (BLEU, CIDEr): a U+00A0 inside a token splits it.
  std::vector<Id> words;
  std::vector<std::size_t> word_begin;  // captions + 1 entries
  // Python's split(" ") view (ROUGE-L): an empty caption is one empty token.
  std::vector<Id> rouge_words;
  std::vector<std::size_t> rouge_begin;
  // Distinct n-grams of each caption in first-occurrence order (precook's dict order), orders 1..4 in turn:
  // caption c, order k (0-based) spans ngram_ids/ngram_counts[ngram_begin[4c+k] .. ngram_begin[4c+k+1]).
  std::vector<Id> ngram_ids;
  std::vector<std::uint32_t> ngram_counts;
  std::vector<std::size_t> ngram_begin;  // 4 * captions + 1 entries
  std::size_t ngram_vocabulary = 0;

  std::size_t images() const { return caption_begin.size() - 1; }
  std::size_t candidate(std::size_t image) const { return caption_begin[image]; }
  std::size_t reference_count(std::size_t image) const { return caption_begin[image + 1] - caption_begin[image] - 1; }
  std::size_t word_count(std::size_t c) const { return word_begin[c + 1] - word_begin[c]; }
  std::span<const Id> rouge_of(std::size_t c) const {
    return {rouge_words.data() + rouge_begin[c], rouge_begin[c + 1] - rouge_begin[c]};
  }
};

struct CaptionInput {
  std::string_view prediction;
  std::span<const std::string> references;
};

// Tokenizes every candidate and reference and interns words and n-grams.
CaptionSet build_caption_set(std::span<const CaptionInput> inputs);

// Each returns the official scores with per-image values in image order and a bootstrap closure.
std::vector<MetricScore> bleu_scores(const CaptionSet& set);  // Bleu_1..Bleu_4
MetricScore rouge_l_score(const CaptionSet& set);
MetricScore cider_d_score(const CaptionSet& set);

}  // namespace mmh::metrics::caption
