#pragma once
// UTF-8 helpers for the tokenizers: strict validation (with the byte offset of
// the first bad byte), code point iteration, and the two lossy conversions HF
// uses when decoding bytes back to text.
#include <cstddef>
#include <string>
#include <string_view>

#include "common/utf8.h"

namespace mmh::tokenizer::utf8 {

// The offset of the first byte that does not start a valid sequence, or npos.
std::size_t first_invalid_byte(std::string_view text);
// Throws mmh::Error(where, "invalid UTF-8 at byte offset N") when not valid.
void check_valid(std::string_view text, const std::string& where);

// Decodes the code point at `pos` of valid UTF-8 and advances `pos`.
char32_t next(std::string_view text, std::size_t& pos);
inline void append(std::string& out, char32_t cp) { append_utf8(out, cp); }
// Length in bytes of the sequence started by `lead` (1 for a stray byte).
std::size_t sequence_length(unsigned char lead);

// Rust's String::from_utf8_lossy / Python's errors="replace": each maximal
// invalid subsequence becomes one U+FFFD.
std::string lossy(std::string_view bytes);

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

}  // namespace mmh::tokenizer::utf8
