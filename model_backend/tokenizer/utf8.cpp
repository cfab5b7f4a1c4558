#include "model_backend/tokenizer/utf8.h"

#include "common/error.h"

namespace mmh::tokenizer::utf8 {
namespace {

// Length of the valid sequence at `pos`, or 0 when the bytes there are not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid).
std::size_t valid_sequence_at(std::string_view s, std::size_t pos) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[pos + i]); };
  const std::size_t left = s.size() - pos;
  const unsigned char c = b(0);
  if (c < 0x80) return 1;
  const auto cont = [&](std::size_t i) { return i < left && (b(i) & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (left < 2) return 0;
    const unsigned char c1 = b(1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (left < 2) return 0;
    const unsigned char c1 = b(1);
    if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// How many bytes at `pos` form the longest prefix of some valid sequence
// (at least 1): the "maximal subpart" that one U+FFFD replaces.
std::size_t maximal_invalid_subpart(std::string_view s, std::size_t pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) need = 1;
  else if (c >= 0xE0 && c <= 0xEF) { need = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
  else if (c >= 0xF0 && c <= 0xF4) { need = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
  else return 1;
  std::size_t n = 1;
  for (std::size_t i = 0; i < need && pos + n < s.size(); ++i) {
    const auto d = static_cast<unsigned char>(s[pos + n]);
    if (d < (i == 0 ? lo : 0x80) || d > (i == 0 ? hi : 0xBF)) break;
    ++n;
  }
  return n;
}

}  // namespace

std::size_t first_invalid_byte(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    // ASCII fast path: most prompt text.
    if (static_cast<unsigned char>(text[pos]) < 0x80) { ++pos; continue; }
    const std::size_t n = valid_sequence_at(text, pos);
    if (n == 0) return pos;
    pos += n;
  }
  return std::string_view::npos;
}

void check_valid(std::string_view text, const std::string& where) {
  const std::size_t bad = first_invalid_byte(text);
  if (bad != std::string_view::npos)
    throw Error(where, "invalid UTF-8 at byte offset " + std::to_string(bad) + " (the text must be UTF-8)");
}

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0xC0) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

char32_t next(std::string_view s, std::size_t& pos) {
  const auto c = static_cast<unsigned char>(s[pos]);
  const std::size_t n = sequence_length(c);
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t i = 1; i < n; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  pos += n;
  return cp;
}

std::string lossy(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    const std::size_t n = valid_sequence_at(bytes, pos);
    if (n > 0) {
      out.append(bytes.substr(pos, n));
      pos += n;
    } else {
      out += kReplacementChar;
      pos += maximal_invalid_subpart(bytes, pos);
    }
  }
  return out;
}

}  // namespace mmh::tokenizer::utf8
