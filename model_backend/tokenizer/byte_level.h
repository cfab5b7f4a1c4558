#pragma once
// GPT-2's bytes_to_unicode: every byte maps to one printable code point, so
// byte-level BPE vocabularies are strings (space is "Ġ", newline "Ċ").
#include <string>
#include <string_view>

namespace mmh::tokenizer {

// Each byte of `bytes` as its byte-level character (UTF-8).
std::string to_byte_level(std::string_view bytes);
// The bytes behind a byte-level token; false (and `out` unchanged) when some
// character of it is not in the table, e.g. an added token.
bool from_byte_level(std::string_view token, std::string& out);

}  // namespace mmh::tokenizer
