#include "tasks/metrics/mmmu_parse.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <locale.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "tasks/metrics/metric.h"

namespace mmh::metrics {

namespace {

// MMMU's text is decoded as CPython decodes it.
constexpr PyDialect kDialect = PyDialect::kPython3;
constexpr Utf8Check kCheck = Utf8Check::kStrict;

std::size_t code_point_count(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// str.strip(ch) for one ASCII character.
std::string_view strip_char(std::string_view s, char ch) {
  while (!s.empty() && s.front() == ch) s.remove_prefix(1);
  while (!s.empty() && s.back() == ch) s.remove_suffix(1);
  return s;
}

// s.split(sep)[-1]: what follows the last of the non-overlapping occurrences found left to right.
std::string_view after_last_split(std::string_view s, std::string_view sep) {
  std::size_t tail = 0;
  for (std::size_t pos = s.find(sep); pos != std::string_view::npos; pos = s.find(sep, tail)) tail = pos + sep.size();
  return s.substr(tail);
}

// left + middle + right (appending sidesteps a GCC 12 -Wrestrict false positive on operator+).
std::string concat(std::string_view left, std::string_view middle, std::string_view right) {
  std::string out;
  out.reserve(left.size() + middle.size() + right.size());
  out.append(left).append(middle).append(right);
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// ---------------------------------------------------------------------------------------------------------------------
// Python `re` on str: Unicode \d, \w and \b, which PCRE2 gives with UTF + UCP.

class Regex {
 public:
  explicit Regex(const char* pattern) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern), PCRE2_ZERO_TERMINATED,
                          PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
    if (!code_) throw std::logic_error(std::string("mmmu_parse: bad regex ") + pattern);
  }
  ~Regex() { pcre2_code_free(code_); }
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // re.findall for a pattern without groups.
  std::vector<std::string> findall(std::string_view subject) const {
    std::vector<std::string> found;
    std::unique_ptr<pcre2_match_data, decltype(&pcre2_match_data_free)> match(
        pcre2_match_data_create_from_pattern(code_, nullptr), &pcre2_match_data_free);
    const auto* data = reinterpret_cast<PCRE2_SPTR>(subject.data());
    PCRE2_SIZE offset = 0;
    while (offset <= subject.size()) {
      if (pcre2_match(code_, data, subject.size(), offset, 0, match.get(), nullptr) < 0) break;
      const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match.get());
      found.emplace_back(subject.substr(ovector[0], ovector[1] - ovector[0]));
      offset = ovector[1] > ovector[0] ? ovector[1] : ovector[1] + 1;  // these patterns never match empty
    }
    return found;
  }

 private:
  pcre2_code* code_ = nullptr;
};

// ---------------------------------------------------------------------------------------------------------------------
// float(): PyFloat_FromString -> _PyUnicode_TransformDecimalAndSpaceToASCII -> _Py_string_to_number_with_underscores
// -> float_from_string_inner -> _Py_dg_strtod / _Py_parse_inf_or_nan.

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Non-ASCII whitespace becomes ' ', Unicode decimal digits become ASCII; anything else non-ASCII is an error.
std::optional<std::string> transform_to_ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto cp = decode_utf8(text, i, kCheck);
    i += cp.length;
    if (cp.value < 127) out.push_back(static_cast<char>(cp.value));
    else if (python_isspace(cp.value, kDialect)) out.push_back(' ');
    else if (const int digit = python_decimal_value(cp.value); digit >= 0) out.push_back('0' + digit);
    else return std::nullopt;
  }
  return out;
}

// Underscores are allowed only between digits; they are then dropped.
std::optional<std::string> remove_underscores(std::string_view s) {
  if (!contains(s, "_")) return std::string(s);
  std::string out;
  char prev = '\0';
  for (char c : s) {
    if (c == '_') {
      if (!is_ascii_digit(prev)) return std::nullopt;
    } else {
      if (prev == '_' && !is_ascii_digit(c)) return std::nullopt;
      out.push_back(c);
    }
    prev = c;
  }
  if (prev == '_') return std::nullopt;
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] >= 'A' && a[i] <= 'Z' ? a[i] + 32 : a[i]) != lower_b[i]) return false;
  return true;
}

// The whole of `s` must be [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?, as _Py_dg_strtod consumes it.
bool is_decimal_literal(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && is_ascii_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_ascii_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t exponent_digits = 0;
    while (i < s.size() && is_ascii_digit(s[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return false;
  }
  return i == s.size();
}

double strtod_c_locale(const std::string& s) {
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(nullptr));
  return strtod_l(s.c_str(), nullptr, c_locale);  // correctly rounded; overflow gives +-inf as Python does
}

// ---------------------------------------------------------------------------------------------------------------------

const std::vector<std::string_view> kKeyIndicators = {"could be ", "so ",       "is ",     "thus ",
                                                      "therefore ", "final ", "answer ", "result "};

// get_key_subresponses (inside parse_open_response).
std::vector<std::string> key_subresponses(std::string_view response) {
  const std::string text = python_lower(strip_char(python_strip(response), '.'));
  // re.split(r'\.\s(?=[A-Z])|\n', ...) on lower-cased text: no [A-Z] is left, so only newlines split.
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t end = text.find('\n', begin);
    parts.push_back(std::string_view(text).substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  std::vector<std::string> keys;
  for (std::size_t index = 0; index < parts.size(); ++index) {
    std::vector<std::string_view> indicators = kKeyIndicators;
    if (index + 1 == parts.size()) indicators.push_back("=");  // the last one may be just an equation
    std::optional<std::string_view> shortest;
    for (auto indicator : indicators) {
      if (!contains(parts[index], indicator)) continue;
      const std::string_view tail = python_strip(after_last_split(parts[index], indicator));
      // `if not shortest_key_response`: an empty string counts as none yet
      if (!shortest || shortest->empty() || code_point_count(tail) < code_point_count(*shortest)) shortest = tail;
    }
    if (!shortest || shortest->empty()) continue;
    static const std::vector<std::string_view> trivial = {":", ",", ".", "!", "?", ";", ":", "'"};
    if (std::find(trivial.begin(), trivial.end(), python_strip(*shortest)) == trivial.end())
      keys.emplace_back(*shortest);
  }
  if (keys.empty()) return {text};
  return keys;
}

bool open_pred_less(const OpenPred& a, const OpenPred& b) {
  if (a.index() != b.index()) return a.index() < b.index();  // numbers first
  if (const double* x = std::get_if<double>(&a)) {
    const double y = std::get<double>(b);
    if (std::isnan(*x) || std::isnan(y)) return !std::isnan(*x) && std::isnan(y);
    return *x < y;
  }
  return std::get<std::string>(a) < std::get<std::string>(b);  // UTF-8 byte order is code point order
}

}  // namespace

// ---------------------------------------------------------------------------------------------------------------------

std::optional<double> python_float(std::string_view text) {
  const auto ascii = transform_to_ascii(text);
  if (!ascii) return std::nullopt;
  const auto plain = remove_underscores(*ascii);
  if (!plain) return std::nullopt;
  std::string_view s = *plain;
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  std::string_view unsigned_part = s;
  const bool negative = !s.empty() && s.front() == '-';
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) unsigned_part.remove_prefix(1);
  if (iequals_ascii(unsigned_part, "inf") || iequals_ascii(unsigned_part, "infinity"))
    return negative ? -HUGE_VAL : HUGE_VAL;
  if (iequals_ascii(unsigned_part, "nan")) return negative ? -NAN : NAN;
  if (!is_decimal_literal(s)) return std::nullopt;
  return strtod_c_locale(std::string(s));
}

std::vector<std::string> choice_letters(std::size_t n) {
  std::vector<std::string> letters(n);
  for (std::size_t i = 0; i < n; ++i) append_utf8(letters[i], static_cast<char32_t>(U'A' + i));
  return letters;
}

std::string parse_multi_choice_response(std::string_view response, std::span<const std::string> options,
                                        PythonRandom& rng, bool* fell_back) {
  if (fell_back) *fell_back = false;
  const std::vector<std::string> choices = choice_letters(options.size());
  for (char ch : {',', '.', '!', '?', ';', ':', '\''}) response = strip_char(response, ch);
  const std::string padded = concat(" ", response, " ");  // avoids partial matches

  // Step 1: "(A)"; step 2: " A " (case-sensitive); step 3: the option text, only for responses of > 5 tokens.
  std::vector<std::size_t> candidates;
  std::vector<std::size_t> starts;  // rfind of what matched: the last occurrence wins
  for (std::size_t i = 0; i < choices.size(); ++i)
    if (const auto at = padded.rfind(concat("(", choices[i], ")")); at != std::string::npos)
      candidates.push_back(i), starts.push_back(at);
  if (candidates.empty())
    for (std::size_t i = 0; i < choices.size(); ++i)
      if (const auto at = padded.rfind(concat(" ", choices[i], " ")); at != std::string::npos)
        candidates.push_back(i), starts.push_back(at);
  if (candidates.empty() && python_split(padded, kDialect, kCheck).size() > 5) {
    const std::string lowered = python_lower(padded);
    for (std::size_t i = 0; i < options.size(); ++i)
      if (const auto at = lowered.rfind(python_lower(options[i])); at != std::string::npos)
        candidates.push_back(i), starts.push_back(at);
  }

  if (candidates.empty()) {
    if (choices.empty()) return "";
    if (fell_back) *fell_back = true;
    return choices[rng.randbelow(choices.size())];  // random.choice(all_choices)
  }
  // np.argmax: the first of the largest start positions. Byte offsets order matches as code point offsets do.
  const auto best = std::max_element(starts.begin(), starts.end()) - starts.begin();
  return choices[candidates[static_cast<std::size_t>(best)]];
}

std::vector<std::string> extract_numbers(std::string_view text) {
  static const Regex with_commas(R"(-?\b\d{1,3}(?:,\d{3})+\b)");
  static const Regex scientific(R"(-?\d+(?:\.\d+)?[eE][+-]?\d+)");
  static const Regex simple(R"(-?(?:\d+\.\d+|\.\d+|\d+\b)(?![eE][+-]?\d+)(?![,\d]))");
  std::vector<std::string> numbers = with_commas.findall(text);
  for (const Regex* pattern : {&scientific, &simple}) {
    auto found = pattern->findall(text);
    numbers.insert(numbers.end(), found.begin(), found.end());
  }
  return numbers;
}

std::vector<OpenPred> normalize_str(std::string_view text) {
  const std::string_view stripped = python_strip(text);
  std::string without_commas(stripped);
  std::erase(without_commas, ',');
  if (const auto number = python_float(without_commas)) return {python_round(*number, 2)};
  std::string lowered = python_lower(stripped);
  // A 1-character string is padded with a space either way to avoid trivial substring matches.
  if (code_point_count(lowered) == 1) return {concat(" ", lowered, ""), concat("", lowered, " ")};
  return {std::move(lowered)};
}

std::vector<OpenPred> parse_open_response(std::string_view response) {
  const std::vector<std::string> keys = key_subresponses(response);
  std::vector<std::string> candidates = keys;
  for (const auto& key : keys) {
    auto numbers = extract_numbers(key);
    candidates.insert(candidates.end(), numbers.begin(), numbers.end());
  }
  std::vector<OpenPred> preds;
  for (const auto& candidate : candidates) {
    auto normalized = normalize_str(candidate);
    preds.insert(preds.end(), normalized.begin(), normalized.end());
  }
  std::sort(preds.begin(), preds.end(), open_pred_less);
  preds.erase(std::unique(preds.begin(), preds.end()), preds.end());  // list(set(...)); NaN stays distinct
  return preds;
}

bool eval_multi_choice(std::span<const std::string> gold, std::string_view pred) {
  return std::find(gold.begin(), gold.end(), pred) != gold.end();
}

bool eval_open(std::span<const std::string> gold, std::span<const OpenPred> preds) {
  std::vector<OpenPred> answers;
  for (const auto& g : gold) {
    auto normalized = normalize_str(g);
    answers.insert(answers.end(), normalized.begin(), normalized.end());
  }
  for (const auto& pred : preds) {
    for (const auto& answer : answers) {
      if (pred.index() != answer.index()) continue;  // a string only matches a string, a number a number
      if (const auto* text = std::get_if<std::string>(&pred)) {
        if (contains(*text, std::get<std::string>(answer))) return true;  // norm_ans in pred
      } else if (std::get<double>(pred) == std::get<double>(answer)) {
        return true;  // pred in norm_answers
      }
    }
  }
  return false;
}

}  // namespace mmh::metrics
