#pragma once
// tokenizer.json (HF tokenizers' serialization) with a BPE model.
#include <filesystem>
#include <memory>

#include "model_backend/tokenizer/tokenizer.h"
#include "model_backend/tokenizer/tokenizer_config.h"

namespace mmh::tokenizer {

std::unique_ptr<Tokenizer> make_bpe_tokenizer(const std::filesystem::path& tokenizer_json, const TokenizerConfig& config);

}  // namespace mmh::tokenizer
