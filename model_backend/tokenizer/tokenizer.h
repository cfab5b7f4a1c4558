#pragma once
// Exact Hugging Face tokenizers, torch-free: SentencePiece models as
// transformers' slow LlamaTokenizer / GemmaTokenizer see them, and byte-level
// BPE from tokenizer.json as the Rust `tokenizers` library runs it.
// See docs/tokenizers.md for what is supported and how files are chosen.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::tokenizer {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // Loads DIR: tokenizer.json if present (HF's default fast tokenizer), else tokenizer.model (SentencePiece),
  // plus tokenizer_config.json / special_tokens_map.json / added_tokens.json when present.
  // Throws mmh::Error naming the file for anything missing, corrupt or unsupported.
  static std::unique_ptr<Tokenizer> load(const std::filesystem::path& dir);
  // Like HF tokenizer(text, add_special_tokens=add_special).input_ids: added/special tokens written in the text
  // are matched first. Throws mmh::Error on invalid UTF-8 (with the byte offset).
  virtual std::vector<std::int32_t> encode(std::string_view text, bool add_special = true) const = 0;
  // Like HF tokenizer.decode(ids, skip_special_tokens=skip_special) (clean_up_tokenization_spaces as configured).
  // Throws mmh::Error for an id outside [0, size()).
  virtual std::string decode(const std::vector<std::int32_t>& ids, bool skip_special = false) const = 0;
  virtual std::string token_text(std::int32_t id) const = 0;                       // the piece / token string
  virtual std::optional<std::int32_t> token_id(std::string_view token) const = 0;  // e.g. "<image>"
  virtual std::size_t size() const = 0;                                            // len(tokenizer), added tokens included
  virtual bool is_special(std::int32_t id) const = 0;
  std::optional<std::int32_t> bos_id, eos_id, pad_id, unk_id;  // from the config files
  std::string kind;                                            // "sentencepiece" or "bpe"
};

}  // namespace mmh::tokenizer
