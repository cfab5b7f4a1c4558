#pragma once
// tokenizer.model through libsentencepiece, wrapped the way transformers'
// slow LlamaTokenizer (v4.44, `legacy` included) or GemmaTokenizer does.
#include <filesystem>
#include <memory>

#include "model_backend/tokenizer/tokenizer.h"
#include "model_backend/tokenizer/tokenizer_config.h"

namespace mmh::tokenizer {

std::unique_ptr<Tokenizer> make_sentencepiece_tokenizer(const std::filesystem::path& model_file,
                                                        const TokenizerConfig& config);

}  // namespace mmh::tokenizer
