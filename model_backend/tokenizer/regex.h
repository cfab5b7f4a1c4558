#pragma once
// PCRE2 (8-bit, UTF + UCP, JIT when available) for the pre-tokenizer
// patterns. `\s` and `\S` are rewritten to the explicit White_Space class
// because PCRE2 10.42 counts U+180E as space and HF (Oniguruma) does not.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mmh::tokenizer {

using Span = std::pair<std::size_t, std::size_t>;  // [begin, end) byte offsets

class Regex {
 public:
  // Throws mmh::Error(where, ...) when the pattern does not compile.
  Regex(const std::string& pattern, const std::string& where);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Every non-empty leftmost match, left to right, of valid UTF-8 `text`.
  std::vector<Span> find_all(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `pattern` with \s / \S replaced by the White_Space class (exposed for tests).
std::string with_explicit_white_space(const std::string& pattern, const std::string& where);

// GPT-2's pattern, implied by ByteLevel(use_regex=true).
inline constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

}  // namespace mmh::tokenizer
