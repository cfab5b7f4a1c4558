#pragma once
// Added tokens (special or not) and finding them in text. Both backends split
// them out before anything else runs; each applies its own strip rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mmh::tokenizer {

struct AddedToken {
  std::string content;
  std::int32_t id = 0;
  bool lstrip = false, rstrip = false, single_word = false, normalized = false, special = false;
};

struct TokenMatch {
  std::size_t begin, end;  // byte offsets of the token text
  std::size_t token;       // index into the matcher's token list
};

// Leftmost-longest matching of a fixed set of strings (what both HF's trie and
// the Rust aho-corasick LeftmostLongest do).
class AddedTokenMatcher {
 public:
  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(std::vector<AddedToken> tokens);
  std::vector<TokenMatch> find_all(std::string_view text) const;
  const std::vector<AddedToken>& tokens() const { return tokens_; }
  bool empty() const { return tokens_.empty(); }

 private:
  std::vector<AddedToken> tokens_;
  std::unordered_map<unsigned char, std::vector<std::size_t>> by_first_byte_;  // longest first
};

// Rust's char::is_whitespace (Unicode White_Space) for the code point at `pos`.
bool is_white_space(char32_t cp);
// A letter, digit or "_" (\p{L}, \p{N}; Rust uses is_alphanumeric): single_word boundaries.
bool is_word_char(char32_t cp);

}  // namespace mmh::tokenizer
