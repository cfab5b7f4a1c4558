#pragma once
// What transformers reads next to the vocabulary: tokenizer_config.json,
// special_tokens_map.json and added_tokens.json. Every field is optional.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "model_backend/tokenizer/added_tokens.h"

namespace mmh::tokenizer {

struct TokenizerConfig {
  bool has_tokenizer_config = false;  // tokenizer_config.json was present
  std::optional<std::string> tokenizer_class;
  std::optional<bool> legacy, add_bos_token, add_eos_token, add_prefix_space;
  std::optional<bool> clean_up_tokenization_spaces, spaces_between_special_tokens;
  // Special token contents (a string or an {"content": ...} object in the files).
  std::optional<std::string> bos_token, eos_token, unk_token, pad_token;
  std::vector<std::string> additional_special_tokens;
  // added_tokens_decoder, then added_tokens.json entries with ids not already there; sorted by id.
  std::vector<AddedToken> added_tokens;
};

TokenizerConfig read_tokenizer_config(const std::filesystem::path& dir);

}  // namespace mmh::tokenizer
