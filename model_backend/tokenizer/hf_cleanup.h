#pragma once
// transformers' clean_up_tokenization (applied by decode when the config's
// clean_up_tokenization_spaces is true).
#include <string>

namespace mmh::tokenizer {

std::string clean_up_tokenization(std::string text);

}  // namespace mmh::tokenizer
