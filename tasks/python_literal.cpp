#include "tasks/python_literal.h"

#include "common/error.h"
#include "common/utf8.h"

namespace mmh::tasks {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::string& where) : text_(text), where_(where) {}

  std::vector<std::string> list() {
    skip_space();
    expect('[');
    std::vector<std::string> out;
    skip_space();
    while (peek() != ']') {
      std::string item = string_literal();
      skip_space();
      while (peek() == '\'' || peek() == '"') {  // 'a' 'b' is 'ab' in Python
        item += string_literal();
        skip_space();
      }
      out.push_back(std::move(item));
      if (peek() == ',') {
        ++at_;
        skip_space();
      } else if (peek() != ']') {
        fail("expected ',' or ']'");
      }
    }
    ++at_;
    skip_space();
    if (at_ != text_.size()) fail("unexpected text after the list");
    return out;
  }

 private:
  char peek() const { return at_ < text_.size() ? text_[at_] : '\0'; }
  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\n' || text_[at_] == '\r'))
      ++at_;
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++at_;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error(where_, "not a Python list of strings: " + what + " at offset " + std::to_string(at_));
  }

  unsigned hex(std::size_t digits) {
    unsigned value = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      const char c = peek();
      ++at_;
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
      else fail("bad hexadecimal escape");
    }
    return value;
  }



  std::string string_literal() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected a quoted string");
    ++at_;
    std::string out;
    while (true) {
      if (at_ >= text_.size()) fail("unterminated string");
      const char c = text_[at_++];
      if (c == quote) return out;
      if (c == '\n') fail("newline inside a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      const char e = peek();
      ++at_;
      switch (e) {
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'x': append_utf8(out, hex(2)); break;
        case 'u': append_utf8(out, hex(4)); break;
        case 'U': {
          const unsigned cp = hex(8);
          if (cp > 0x10FFFF) fail("escape beyond U+10FFFF");
          append_utf8(out, cp);
          break;
        }
        case '\n': break;  // line continuation
        default:  // Python keeps an unknown escape as written
          out += '\\';
          out += e;
      }
    }
  }

  std::string_view text_;
  const std::string& where_;
  std::size_t at_ = 0;
};

}  // namespace

std::vector<std::string> parse_python_string_list(std::string_view text, const std::string& where) {
  return Parser(text, where).list();
}

}  // namespace mmh::tasks
