#include "model_backend/tokenizer/added_tokens.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "model_backend/tokenizer/regex.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {

AddedTokenMatcher::AddedTokenMatcher(std::vector<AddedToken> tokens) : tokens_(std::move(tokens)) {
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    if (!tokens_[i].content.empty())
      by_first_byte_[static_cast<unsigned char>(tokens_[i].content[0])].push_back(i);
  for (auto& [byte, list] : by_first_byte_)
    std::stable_sort(list.begin(), list.end(),
                     [&](std::size_t a, std::size_t b) { return tokens_[a].content.size() > tokens_[b].content.size(); });
}

std::vector<TokenMatch> AddedTokenMatcher::find_all(std::string_view text) const {
  std::vector<TokenMatch> matches;
  if (by_first_byte_.empty()) return matches;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto it = by_first_byte_.find(static_cast<unsigned char>(text[pos]));
    bool found = false;
    if (it != by_first_byte_.end()) {
      for (std::size_t index : it->second) {
        const std::string& c = tokens_[index].content;
        if (c.size() <= text.size() - pos && std::memcmp(text.data() + pos, c.data(), c.size()) == 0) {
          matches.push_back({pos, pos + c.size(), index});
          pos += c.size();
          found = true;
          break;
        }
      }
    }
    if (!found) ++pos;
  }
  return matches;
}

bool is_white_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

bool is_word_char(char32_t cp) {
  if (cp < 0x80) return std::isalnum(static_cast<int>(cp)) || cp == '_';
  static const Regex word(R"(^[\p{L}\p{N}])", "single_word check");
  std::string s;
  utf8::append(s, cp);
  return !word.find_all(s).empty();
}

}  // namespace mmh::tokenizer
