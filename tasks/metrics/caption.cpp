// COCOEvalCap.evaluate without METEOR and SPICE: tokenize every caption, then BLEU, ROUGE-L and CIDEr-D on the
// tokenized strings. Words and n-grams are interned once into dense ids so the scorers work on flat arrays.
#include "tasks/metrics/caption.h"

#include <algorithm>
#include <numeric>

#include "tasks/metrics/caption_scorers.h"

namespace mmh::metrics {
namespace caption {
namespace {

constexpr std::uint64_t kEmptyKey = ~std::uint64_t{0};

// splitmix64's finalizer: every key bit reaches the low bits the tables index with.
std::size_t mix(std::uint64_t key) {
  key = (key ^ (key >> 30)) * 0xBF58476D1CE4E5B9ull;
  key = (key ^ (key >> 27)) * 0x94D049BB133111EBull;
  return static_cast<std::size_t>(key ^ (key >> 31));
}

std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 0x100000001B3ull;
  return h;
}

// Interns word strings (kept in one byte pool) into dense ids.
class WordTable {
 public:
  WordTable() : slots_(1024, 0), mask_(1023) {}
  std::size_t size() const { return hashes_.size(); }

  Id intern(std::string_view word) {
    if ((count() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_bytes(word);
    for (std::size_t i = mix(h) & mask_;; i = (i + 1) & mask_) {
      const Id slot = slots_[i];
      if (slot == 0) {
        slots_[i] = count() + 1;
        hashes_.push_back(h);
        offsets_.push_back(pool_.size());
        pool_.insert(pool_.end(), word.begin(), word.end());
        return count() - 1;
      }
      if (hashes_[slot - 1] == h && text(slot - 1) == word) return slot - 1;
    }
  }

 private:
  Id count() const { return static_cast<Id>(hashes_.size()); }
  std::string_view text(Id id) const {
    const std::size_t end = id + 1 < count() ? offsets_[id + 1] : pool_.size();
    return {pool_.data() + offsets_[id], end - offsets_[id]};
  }
  void grow() {
    std::vector<Id> old(slots_.size() * 2, 0);
    old.swap(slots_);
    mask_ = slots_.size() - 1;
    for (Id id = 0; id < count(); ++id) {
      std::size_t i = mix(hashes_[id]) & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = id + 1;
    }
  }

  std::vector<Id> slots_;  // id + 1; 0 marks a free slot
  std::size_t mask_;
  std::vector<std::uint64_t> hashes_;
  std::vector<std::size_t> offsets_;
  std::vector<char> pool_;
};

// Builds the CaptionSet caption by caption.
class SetBuilder {
 public:
  // Two passes: tokenize and intern every word first, so unigram ids can be the word ids themselves and only
  // orders 2..4 go through the n-gram table (ids offset by the word vocabulary).
  CaptionSet build(std::span<const CaptionInput> inputs) {
    std::size_t bytes = 0, captions_in = 0;
    for (const auto& input : inputs) {
      bytes += input.prediction.size();
      for (const auto& reference : input.references) bytes += reference.size();
      captions_in += 1 + input.references.size();
    }
    set_.caption_begin.reserve(inputs.size() + 1);
    set_.word_begin.reserve(captions_in + 1);
    set_.rouge_begin.reserve(captions_in + 1);
    set_.words.reserve(bytes / 4);  // captions average about five bytes per word
    set_.rouge_words.reserve(bytes / 4);
    set_.word_begin.push_back(0);
    set_.rouge_begin.push_back(0);
    for (const auto& input : inputs) {
      set_.caption_begin.push_back(set_.word_begin.size() - 1);
      add_caption(input.prediction);
      for (const auto& reference : input.references) add_caption(reference);
    }
    const std::size_t captions = set_.word_begin.size() - 1;
    set_.caption_begin.push_back(captions);
    word_vocabulary_ = words_.size();
    ngrams_.reserve(set_.words.size());  // about one new 2..4-gram per word in caption-like text
    set_.ngram_begin.reserve(kMaxOrder * captions + 1);
    set_.ngram_ids.reserve(kMaxOrder * set_.words.size());
    set_.ngram_counts.reserve(kMaxOrder * set_.words.size());
    set_.ngram_begin.push_back(0);
    constexpr std::size_t kBatch = 64;
    for (std::size_t c = 0; c < captions; c += kBatch) add_ngram_batch(c, std::min(captions, c + kBatch));
    set_.ngram_vocabulary = word_vocabulary_ + ngrams_.size();
    return std::move(set_);
  }

 private:
  void add_caption(std::string_view raw) {
    tokens_.clear();
    append_ptb_tokens(raw, tokens_);
    if (tokens_.empty()) set_.rouge_words.push_back(words_.intern(""));  // "".split(" ") == [''] (spec Q5)
    std::size_t start = 0;
    while (start < tokens_.size()) {
      const std::size_t end = tokens_.find(' ', start);
      add_token(std::string_view(tokens_).substr(start, end - start));
      start = end + 1;
    }
    set_.word_begin.push_back(set_.words.size());
    set_.rouge_begin.push_back(set_.rouge_words.size());
  }

  // ROUGE splits on " " only; BLEU and CIDEr use str.split(), which also splits on U+00A0 (spec Q3).
  void add_token(std::string_view token) {
    const Id id = words_.intern(token);
    set_.rouge_words.push_back(id);
    if (token.find("\xC2\xA0") == std::string_view::npos) {
      set_.words.push_back(id);
      return;
    }
    std::size_t start = 0;
    while (start <= token.size()) {
      std::size_t end = token.find("\xC2\xA0", start);
      if (end == std::string_view::npos) end = token.size();
      if (end > start) set_.words.push_back(words_.intern(token.substr(start, end - start)));
      start = end + 2;
    }
  }

  // precook(): every k-gram for k = 1..4, counted, in first-occurrence order within each order. Captions go in
  // batches so that the table lookups of many captions overlap (see IdTable::intern).
  void add_ngram_batch(std::size_t first_caption, std::size_t last_caption) {
    const std::size_t base = set_.word_begin[first_caption];
    const std::size_t batch_words = set_.word_begin[last_caption] - base;
    const Id* words = set_.words.data() + base;
    // batch_ids_[k][p]: the id of the (k+1)-gram starting at batch word p (where one fits in its caption).
    batch_ids_[0].assign(words, words + batch_words);
    for (int order = 2; order <= kMaxOrder; ++order) {
      keys_.clear();
      for (std::size_t c = first_caption; c < last_caption; ++c) {
        const std::size_t offset = set_.word_begin[c] - base;
        for (std::size_t i = 0; i + order <= set_.word_count(c); ++i)
          keys_.push_back((std::uint64_t{batch_ids_[order - 2][offset + i]} + 1) << 32 | words[offset + i + order - 1]);
      }
      found_.resize(keys_.size());
      ngrams_.intern(keys_, found_);
      batch_ids_[order - 1].resize(batch_words);
      std::size_t k = 0;
      for (std::size_t c = first_caption; c < last_caption; ++c) {
        const std::size_t offset = set_.word_begin[c] - base;
        for (std::size_t i = 0; i + order <= set_.word_count(c); ++i)
          batch_ids_[order - 1][offset + i] = found_[k++] + static_cast<Id>(word_vocabulary_);
      }
    }
    for (std::size_t c = first_caption; c < last_caption; ++c) {
      const std::size_t offset = set_.word_begin[c] - base;
      const std::size_t length = set_.word_count(c);
      for (int order = 1; order <= kMaxOrder; ++order) {
        const std::size_t first = set_.ngram_ids.size();
        const std::size_t positions = length >= static_cast<std::size_t>(order) ? length - order + 1 : 0;
        for (std::size_t i = 0; i < positions; ++i) count_occurrence(batch_ids_[order - 1][offset + i], first, positions);
        set_.ngram_begin.push_back(set_.ngram_ids.size());
      }
      ++stamp_;
    }
  }

  // Merges a repeat into the first occurrence of the same n-gram within this caption and order. Short captions scan
  // the few entries so far (cache-resident); long ones use a stamp per id.
  void count_occurrence(Id id, std::size_t first, std::size_t positions) {
    if (positions <= kLinearScanLimit) {
      for (std::size_t e = first; e < set_.ngram_ids.size(); ++e) {
        if (set_.ngram_ids[e] == id) {
          ++set_.ngram_counts[e];
          return;
        }
      }
    } else {
      if (id >= seen_.size()) seen_.resize(std::max<std::size_t>(id + 1, seen_.size() * 2), Seen{0, 0});
      Seen& seen = seen_[id];
      if (seen.stamp == stamp_ && seen.position >= first) {
        ++set_.ngram_counts[seen.position];
        return;
      }
      seen = {stamp_, set_.ngram_ids.size()};
    }
    set_.ngram_ids.push_back(id);
    set_.ngram_counts.push_back(1);
  }

  static constexpr std::size_t kLinearScanLimit = 48;
  struct Seen {
    std::uint32_t stamp;
    std::size_t position;
  };

  CaptionSet set_;
  WordTable words_;
  IdTable ngrams_;
  std::size_t word_vocabulary_ = 0;
  std::string tokens_;
  std::vector<Id> batch_ids_[kMaxOrder];
  std::vector<std::uint64_t> keys_;
  std::vector<Id> found_;
  std::vector<Seen> seen_;
  std::uint32_t stamp_ = 1;
};

}  // namespace

IdTable::IdTable() : slots_(1024, Slot{kEmptyKey, 0}), mask_(1023) {}

void IdTable::intern(std::span<const std::uint64_t> keys, std::span<Id> ids) {
  reserve(next_ + keys.size());
  home_.resize(keys.size());
  for (std::size_t k = 0; k < keys.size(); ++k) home_[k] = mix(keys[k]) & mask_;
  constexpr std::size_t kPrefetchDistance = 16;  // probes in flight while the current one resolves
  for (std::size_t k = 0; k < std::min(kPrefetchDistance, keys.size()); ++k) __builtin_prefetch(&slots_[home_[k]]);
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (k + kPrefetchDistance < keys.size()) __builtin_prefetch(&slots_[home_[k + kPrefetchDistance]]);
    for (std::size_t i = home_[k];; i = (i + 1) & mask_) {
      Slot& slot = slots_[i];
      if (slot.key == keys[k]) {
        ids[k] = slot.id;
        break;
      }
      if (slot.key == kEmptyKey) {
        slot = {keys[k], next_};
        ids[k] = next_++;
        break;
      }
    }
  }
}

// Keeps the load factor at or below 1/2.
void IdTable::reserve(std::size_t entries) {
  if (entries * 2 <= slots_.size()) return;
  std::size_t capacity = slots_.size();
  while (entries * 2 > capacity) capacity *= 2;
  std::vector<Slot> old(capacity, Slot{kEmptyKey, 0});
  old.swap(slots_);
  mask_ = capacity - 1;
  for (const Slot& slot : old) {
    if (slot.key == kEmptyKey) continue;
    std::size_t i = mix(slot.key) & mask_;
    while (slots_[i].key != kEmptyKey) i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

CaptionSet build_caption_set(std::span<const CaptionInput> inputs) { return SetBuilder().build(inputs); }

}  // namespace caption

MetricResult caption_metrics(std::span<const CaptionSample> samples) {
  std::vector<caption::CaptionInput> inputs;
  inputs.reserve(samples.size());
  for (const auto& sample : samples) inputs.push_back({sample.prediction, sample.references});
  const caption::CaptionSet set = caption::build_caption_set(inputs);

  MetricResult result;
  result.scores.push_back(caption::cider_d_score(set));  // the headline
  for (auto& bleu : caption::bleu_scores(set)) result.scores.push_back(std::move(bleu));
  result.scores.push_back(caption::rouge_l_score(set));
  // The corpus value is the closure over every index, so a bootstrap over 0..n-1 reproduces it exactly.
  std::vector<std::size_t> all(samples.size());
  std::iota(all.begin(), all.end(), std::size_t{0});
  for (auto& score : result.scores) score.corpus = score.corpus_over(all);
  return result;
}

}  // namespace mmh::metrics
