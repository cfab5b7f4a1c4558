#pragma once
// The demo model's tokenizer, made from nothing but the demo texts: a
// byte-level BPE tokenizer.json in Hugging Face's format (ByteLevel
// pre-tokenizer and decoder, a TemplateProcessing that puts <s> first as
// Llama does), with tokenizer_config.json and special_tokens_map.json.
//
// Ids: <unk> 0, <s> 1, </s> 2, the 256 byte tokens, the merges, then <image>
// and <pad> as the last two (the LLaVA config's image_token_index and pad_token_id).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::demo {

inline constexpr std::int32_t kUnkId = 0, kBosId = 1, kEosId = 2;
// The most entries. Training stops earlier when every word of the corpus is one token: the default
// demo gets there at 973 entries, one of 1,000 samples per task at about 1,000.
inline constexpr std::size_t kDemoVocabTarget = 1024;

struct DemoTokenizerInfo {
  std::size_t vocab_size = 0;  // len(tokenizer), the model's vocab_size
  std::size_t merges = 0;
  std::int32_t image_id = -1, pad_id = -1;
};

// The texts the tokenizer learns from: `data_texts` plus the prompt templates'
// words, the tasks' instructions, the LLaVA chat words and the numbers 0 to 99.
std::vector<std::string> tokenizer_corpus(const std::vector<std::string>& data_texts);

// Trains on `corpus`, writes the three files into `dir` (created if needed),
// then loads them back with Tokenizer::load and checks that every corpus text
// round-trips; mmh::Error naming the file otherwise.
DemoTokenizerInfo write_demo_tokenizer(const std::filesystem::path& dir, const std::vector<std::string>& corpus,
                                       std::size_t vocab_target = kDemoVocabTarget);

}  // namespace mmh::demo
