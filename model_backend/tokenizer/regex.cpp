#define PCRE2_CODE_UNIT_WIDTH 8
#include "model_backend/tokenizer/regex.h"

#include <pcre2.h>

#include "common/error.h"

namespace mmh::tokenizer {
namespace {

// Unicode White_Space, as Rust/Oniguruma/Python `regex` see it (not U+180E).
constexpr std::string_view kWhiteSpaceMembers =
    R"(\t-\r\x{20}\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000})";

struct JitStackDeleter {
  void operator()(pcre2_jit_stack* s) const { pcre2_jit_stack_free(s); }
};

}  // namespace

std::string with_explicit_white_space(const std::string& pattern, const std::string& where) {
  std::string out;
  out.reserve(pattern.size() + 64);
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[i + 1];
      ++i;
      if (e == 's') {
        out += in_class ? std::string(kWhiteSpaceMembers) : "[" + std::string(kWhiteSpaceMembers) + "]";
      } else if (e == 'S') {
        if (in_class)
          throw Error(where, "regex uses \\S inside a character class, which cannot be rewritten to the explicit "
                             "White_Space class: " + pattern);
        out += "[^" + std::string(kWhiteSpaceMembers) + "]";
      } else {
        out += c;
        out += e;
      }
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal member.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out += pattern[++i];
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out += pattern[++i];
      continue;
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

struct Regex::Impl {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Impl() { if (code) pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern, const std::string& where) : impl_(std::make_unique<Impl>()) {
  const std::string rewritten = with_explicit_white_space(pattern, where);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  impl_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(rewritten.data()), rewritten.size(),
                              PCRE2_UTF | PCRE2_UCP, &error_code, &error_offset, nullptr);
  if (!impl_->code) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(error_code, message, sizeof message);
    throw Error(where, "regex does not compile (" + std::string(reinterpret_cast<char*>(message)) +
                           " at offset " + std::to_string(error_offset) + "): " + pattern);
  }
  impl_->jit = pcre2_jit_compile(impl_->code, PCRE2_JIT_COMPLETE) == 0;
}

Regex::~Regex() = default;

std::vector<Span> Regex::find_all(std::string_view text) const {
  // Per-thread scratch: encode() may run on several threads at once.
  thread_local std::unique_ptr<pcre2_jit_stack, JitStackDeleter> jit_stack{pcre2_jit_stack_create(32 * 1024, 8 << 20, nullptr)};
  thread_local pcre2_match_context* context = [] {
    pcre2_match_context* c = pcre2_match_context_create(nullptr);
    return c;
  }();
  if (impl_->jit && jit_stack) pcre2_jit_stack_assign(context, nullptr, jit_stack.get());
  pcre2_match_data* data = pcre2_match_data_create_from_pattern(impl_->code, nullptr);
  std::vector<Span> spans;
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t offset = 0;
  while (offset <= text.size()) {
    // The text was validated once; re-checking at every offset would be quadratic.
    const int rc = pcre2_match(impl_->code, subject, text.size(), offset, PCRE2_NO_UTF_CHECK, data, context);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) {
      pcre2_match_data_free(data);
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(rc, message, sizeof message);
      throw Error("pre-tokenizer regex", "matching failed: " + std::string(reinterpret_cast<char*>(message)));
    }
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(data);
    const std::size_t begin = ovector[0], end = ovector[1];
    if (end > begin) {
      spans.emplace_back(begin, end);
      offset = end;
    } else {
      // Empty match: step over one whole character, as Rust's find_iter does.
      if (begin >= text.size()) break;
      std::size_t step = 1;
      while (begin + step < text.size() && (static_cast<unsigned char>(text[begin + step]) & 0xC0) == 0x80) ++step;
      offset = begin + step;
    }
  }
  pcre2_match_data_free(data);
  return spans;
}

}  // namespace mmh::tokenizer
