#include "model_backend/tokenizer/hf_cleanup.h"

#include <string_view>
#include <utility>

#include "model_backend/tokenizer/pipeline.h"

namespace mmh::tokenizer {

std::string clean_up_tokenization(std::string text) {
  // The same replacements, in the same order, as PreTrainedTokenizerBase.clean_up_tokenization.
  static constexpr std::pair<std::string_view, std::string_view> kRules[] = {
      {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
      {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"}};
  for (const auto& [from, to] : kRules) text = replace_all(text, from, to);
  return text;
}

}  // namespace mmh::tokenizer
