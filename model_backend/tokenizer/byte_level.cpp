#include "model_backend/tokenizer/byte_level.h"

#include <array>
#include <unordered_map>

#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

struct ByteTables {
  std::array<std::string, 256> to_char;
  std::unordered_map<char32_t, unsigned char> to_byte;
  ByteTables() {
    // Printable Latin-1 bytes map to themselves; the rest to U+0100 upwards.
    char32_t next_free = 256;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const char32_t cp = printable ? static_cast<char32_t>(b) : next_free++;
      utf8::append(to_char[static_cast<std::size_t>(b)], cp);
      to_byte[cp] = static_cast<unsigned char>(b);
    }
  }
};

const ByteTables& tables() {
  static const ByteTables t;
  return t;
}

}  // namespace

std::string to_byte_level(std::string_view bytes) {
  const auto& t = tables();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) out += t.to_char[b];
  return out;
}

bool from_byte_level(std::string_view token, std::string& out) {
  const auto& t = tables();
  std::string bytes;
  bytes.reserve(token.size());
  for (std::size_t pos = 0; pos < token.size();) {
    const auto it = t.to_byte.find(utf8::next(token, pos));
    if (it == t.to_byte.end()) return false;
    bytes += static_cast<char>(it->second);
  }
  out += bytes;
  return true;
}

}  // namespace mmh::tokenizer
