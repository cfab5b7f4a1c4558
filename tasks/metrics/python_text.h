#pragma once
// Python str semantics on UTF-8 text, shared by the metrics that reproduce official Python evaluators byte for byte:
// code point decoding, str.lower(), str.isspace(), str.strip(), str.split() and decimal digit values.
// Tables come from CPython 3.11.7 (unicodedata 14.0.0).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"

namespace mmh::metrics {

// The interpreter whose string semantics a caller reproduces. They differ only beyond ASCII:
// Python 2 unicode (vqaEval.py): lower() is the simple case mapping, U+180E counts as whitespace.
// Python 3 str: lower() is the full mapping (U+0130 -> "i\u0307", final sigma).
// Case tables are Python 3.11's for both.
enum class PyDialect { kPython2, kPython3 };

// Which byte sequences decode to a code point. Anything else is one invalid byte.
enum class Utf8Check {
  kStrict,     // CPython's decoder: also rejects overlong forms, surrogates and values past U+10FFFF
  kStructure,  // a C0-F7 lead byte and its continuation bytes; overlong forms etc. decode to their value. The VQA
               // normalizers and the PTB tokenizer have always decoded this way: kept so that their output on
               // malformed input (e.g. C1 81 lower-cases to "a" there) does not change.
};

inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;  // never a letter, digit or space

struct CodePoint {
  char32_t value;      // kInvalidCodePoint for an undecodable byte
  std::size_t length;  // bytes; 1 for an undecodable byte
};

CodePoint decode_utf8_multibyte(std::string_view s, std::size_t i, Utf8Check check);

// The code point starting at byte i < s.size(). Inline for the ASCII fast path of hot loops.
inline CodePoint decode_utf8(std::string_view s, std::size_t i, Utf8Check check) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  return b0 < 0x80 ? CodePoint{b0, 1} : decode_utf8_multibyte(s, i, check);
}

// The code point ending just before byte `end` > 0; it starts at end - length.
CodePoint decode_utf8_before(std::string_view s, std::size_t end, Utf8Check check);

using mmh::append_utf8;  // common/utf8.h

// str.isspace() on one code point: what strip() and split() drop.
bool python_isspace(char32_t cp, PyDialect dialect);

// Py_UNICODE_TODECIMAL: 0-9 for a Unicode decimal digit (category Nd, what re's \d matches on str), else -1.
int python_decimal_value(char32_t cp);

// str.lower(); undecodable bytes are copied through.
void python_lower(std::string_view in, std::string& out, PyDialect dialect, Utf8Check check);

// str.strip() with no argument.
std::string_view python_strip(std::string_view in, PyDialect dialect, Utf8Check check);

// The next word of str.split() at or after `pos`, which moves past it; empty when no word is left.
std::string_view python_split_next(std::string_view s, std::size_t& pos, PyDialect dialect, Utf8Check check);

// str.split() with no argument.
std::vector<std::string_view> python_split(std::string_view s, PyDialect dialect, Utf8Check check);

// Python 3 str.lower() and str.strip() on text as CPython itself decodes it.
std::string python_lower(std::string_view text);
std::string_view python_strip(std::string_view text);

}  // namespace mmh::metrics
