#include "harness/demo/bpe_trainer.h"

#include <map>
#include <unordered_map>

#include "common/error.h"
#include "model_backend/tokenizer/byte_level.h"
#include "model_backend/tokenizer/regex.h"

namespace mmh::demo {
namespace {

struct Word {
  std::vector<int> symbols;  // token indices
  std::size_t count = 0;
};

// Pre-tokenized words and how often each occurs, ordered by their text so the result never depends on hashing.
std::map<std::string, std::size_t> count_words(const std::vector<std::string>& texts) {
  const tokenizer::Regex gpt2(tokenizer::kGpt2Pattern, "demo BPE trainer");
  std::map<std::string, std::size_t> words;
  for (const std::string& text : texts) {
    std::size_t pos = 0;
    const auto add = [&](std::size_t begin, std::size_t end) {
      if (end > begin) ++words[std::string(text, begin, end - begin)];
    };
    for (const auto& [begin, end] : gpt2.find_all(text)) {  // the Isolated split keeps what lies between matches too
      add(pos, begin);
      add(begin, end);
      pos = end;
    }
    add(pos, text.size());
  }
  return words;
}

}  // namespace

BpeVocabulary train_byte_level_bpe(const std::vector<std::string>& texts, std::size_t max_tokens,
                                   std::size_t min_count) {
  if (max_tokens < 256) throw Error("demo BPE trainer", "a byte-level vocabulary needs at least the 256 bytes");
  BpeVocabulary vocab;
  std::unordered_map<std::string, int> index;
  for (int b = 0; b < 256; ++b) {
    vocab.tokens.push_back(tokenizer::to_byte_level(std::string(1, static_cast<char>(b))));
    index.emplace(vocab.tokens.back(), b);
  }

  std::vector<Word> words;
  for (const auto& [text, count] : count_words(texts)) {
    Word w{{}, count};
    for (unsigned char b : text) w.symbols.push_back(b);
    words.push_back(std::move(w));
  }

  while (vocab.tokens.size() < max_tokens) {
    std::map<std::pair<int, int>, std::size_t> pairs;  // ordered: equal counts resolve to the smallest ids
    for (const Word& w : words)
      for (std::size_t i = 0; i + 1 < w.symbols.size(); ++i) pairs[{w.symbols[i], w.symbols[i + 1]}] += w.count;
    std::pair<int, int> best{-1, -1};
    std::size_t best_count = 0;
    for (const auto& [pair, count] : pairs)
      if (count > best_count) best = pair, best_count = count;
    if (best_count < std::max<std::size_t>(min_count, 1)) break;

    const std::string merged = vocab.tokens[best.first] + vocab.tokens[best.second];
    // Two pairs can spell the same token ("a"+"bc", "ab"+"c"): both merges then lead to it.
    const auto [it, fresh] = index.emplace(merged, static_cast<int>(vocab.tokens.size()));
    if (fresh) vocab.tokens.push_back(merged);
    vocab.merges.emplace_back(vocab.tokens[best.first], vocab.tokens[best.second]);
    for (Word& w : words) {
      std::vector<int> out;
      out.reserve(w.symbols.size());
      for (std::size_t i = 0; i < w.symbols.size(); ++i) {
        if (i + 1 < w.symbols.size() && w.symbols[i] == best.first && w.symbols[i + 1] == best.second) {
          out.push_back(it->second);
          ++i;
        } else {
          out.push_back(w.symbols[i]);
        }
      }
      w.symbols = std::move(out);
    }
  }
  return vocab;
}

}  // namespace mmh::demo
