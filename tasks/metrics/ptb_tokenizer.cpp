// The official caption tokenization: Stanford PTBTokenizer 3.4.1 run as `-preserveLines -lowerCase` (options
// ",tokenizeNLs", every other lexer option at its default), then pycocoevalcap's PUNCTUATIONS filter.
// A hand-written scanner for the PTBLexer.flex rules that occur in captions; longest match wins as in JFlex.
// Spec: shared/refdata/metrics/caption_spec.md section 1.
#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tasks/metrics/caption.h"
#include "tasks/metrics/caption_scorers.h"
#include "tasks/metrics/python_text.h"

namespace mmh::metrics {
namespace caption {
namespace {

using Text = std::vector<char32_t>;
constexpr char32_t kNbsp = 0x00A0;

// Java's decoder replaces malformed input with U+FFFD, which the lexer then deletes. The structural check keeps
// what this tokenizer has always accepted (see Utf8Check).
void decode_text(std::string_view in, Text& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size();) {
    const auto cp = decode_utf8(in, i, Utf8Check::kStructure);
    out.push_back(cp.value == kInvalidCodePoint ? 0xFFFD : cp.value);
    i += cp.length;
  }
}

// Lexer SPACE and NEWLINE. `\n` never reaches the lexer (the wrapper replaces it); `\r` and the other line
// terminators would split the caption into extra output lines and shift every later caption onto the wrong image
// (spec Q6), so they are treated as spaces instead.
bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == kNbsp ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x3000;
}

bool is_ascii_letter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }

// Stand-alone symbols (3.4.1 MISCSYMBOL, non-ASCII part): one token each.
bool is_misc_symbol(char32_t c) {
  return c == 0xA6 || c == 0xA7 || c == 0xA8 || c == 0xA9 || c == 0xAC || c == 0xAE || c == 0xAF ||
         (c >= 0xB0 && c <= 0xB4) || (c >= 0xB6 && c <= 0xB9) || c == 0xD7 || c == 0xF7 || c == 0x387 ||
         c == 0x5BE || c == 0x5C0 || c == 0x5C3 || c == 0x5C6 || c == 0x5F3 || c == 0x5F4 ||
         (c >= 0x600 && c <= 0x603) || (c >= 0x606 && c <= 0x60A) || c == 0x60C || c == 0x614 || c == 0x61B ||
         c == 0x61E || c == 0x66A || c == 0x66D || (c >= 0x703 && c <= 0x70D) || (c >= 0x7F6 && c <= 0x7F8) ||
         c == 0x964 || c == 0x965 || c == 0xE4F || c == 0x1FBD || c == 0x2016 || c == 0x2017 ||
         (c >= 0x2020 && c <= 0x2023) || (c >= 0x2030 && c <= 0x2038) || c == 0x203B || (c >= 0x203E && c <= 0x2042) ||
         c == 0x2044 || (c >= 0x207A && c <= 0x207F) || (c >= 0x208A && c <= 0x208E) || (c >= 0x2100 && c <= 0x214F) ||
         (c >= 0x2190 && c <= 0x21FF) || (c >= 0x2200 && c <= 0x2BFF) || c == 0x3012 || c == 0x30FB ||
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
         (c >= 0xFF5B && c <= 0xFF65);
}

bool is_currency(char32_t c) {
  return c == '$' || (c >= 0xA2 && c <= 0xA5) || (c >= 0x20A0 && c <= 0x20CF);
}

// Letters, digits and combining marks (the 3.4.1 LETTER class adds U+0300-036F and many marks to [:letter:]).
// JFlex 1.4 scanned UTF-16 code units, so characters outside the BMP (emoji) never matched and were deleted.
bool is_word_char(char32_t c) {
  if (c < 0x80) return is_ascii_letter(c) || is_digit(c);
  if (c >= 0x10000) return false;
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA || c == 0xAD;
  if (c == 0xD7 || c == 0xF7) return false;
  if (c == 0x37E || c == 0x387 || (c >= 0x55A && c <= 0x55F) || c == 0x589) return false;
  if ((c >= 0x5BE && c <= 0x5C6 && c != 0x5BF && c != 0x5C1 && c != 0x5C2 && c != 0x5C4 && c != 0x5C5) ||
      c == 0x5F3 || c == 0x5F4)
    return false;
  if ((c >= 0x600 && c <= 0x60F) || c == 0x61B || c == 0x61E || c == 0x61F || (c >= 0x66A && c <= 0x66D) ||
      c == 0x6D4 || (c >= 0x700 && c <= 0x70D) || (c >= 0x7F6 && c <= 0x7F9))
    return false;
  if (c == 0x964 || c == 0x965 || c == 0x970 || c == 0xE3F || c == 0xE4F || c == 0xE5A || c == 0xE5B) return false;
  if (c >= 0x1FBD && c <= 0x1FBF) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return c == 0x2071 || c == 0x207F || (c >= 0x2090 && c <= 0x209C);
  if (c >= 0x2E00 && c <= 0x2E7F) return false;
  if (c >= 0x3000 && c <= 0x303F) return c == 0x3005 || c == 0x3006 || c == 0x3007 || (c >= 0x3031 && c <= 0x303C);
  if (c >= 0xD800 && c <= 0xF8FF) return false;  // surrogates and private use
  if (c >= 0xFE00 && c <= 0xFE6F) return false;  // variation selectors, presentation punctuation
  if (c >= 0xFF00 && c <= 0xFF65) {
    return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
  }
  if (c >= 0xFFF0) return false;
  return true;
}

bool is_apostrophe(char32_t c) { return c == '\'' || c == 0x2019 || c == 0x92; }

// Java's String.toLowerCase(Locale.ENGLISH) for the scripts captions use; applied after lexing (-lowerCase).
void append_lower(char32_t c, std::string& out) {
  char32_t lower = c;
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') lower = c + 0x20;
  } else if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) {
    lower = c + 0x20;
  } else if (c == 0x130) {  // capital dotted I lower-cases to i + combining dot above outside Turkish locales
    out.push_back('i');
    append_utf8(out, 0x307);
    return;
  } else if (c >= 0x100 && c <= 0x17F) {
    if (c == 0x178) lower = 0xFF;
    else if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) lower = (c & 1) ? c + 1 : c;
    else if (c != 0x138 && c != 0x149 && c != 0x17F) lower = (c & 1) ? c : c + 1;
  } else if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) {
    lower = c + 0x20;
  } else if (c == 0x386) {
    lower = 0x3AC;
  } else if (c >= 0x388 && c <= 0x38A) {
    lower = c + 0x25;
  } else if (c == 0x38C) {
    lower = 0x3CC;
  } else if (c == 0x38E || c == 0x38F) {
    lower = c + 0x3F;
  } else if (c >= 0x410 && c <= 0x42F) {
    lower = c + 0x20;
  } else if (c >= 0x400 && c <= 0x40F) {
    lower = c + 0x50;
  } else if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F)) {
    lower = (c & 1) ? c : c + 1;
  } else if (c == 0x4C0) {
    lower = 0x4CF;
  } else if (c >= 0x4C1 && c <= 0x4CE) {
    lower = (c & 1) ? c + 1 : c;
  } else if (c >= 0x531 && c <= 0x556) {
    lower = c + 0x30;
  } else if ((c >= 0x1E00 && c <= 0x1E95) || (c >= 0x1EA0 && c <= 0x1EFF)) {
    lower = (c & 1) ? c : c + 1;
  } else if (c == 0x1E9E) {
    lower = 0xDF;
  } else if (c >= 0xFF21 && c <= 0xFF3A) {
    lower = c + 0x20;
  }
  append_utf8(out, lower);
}

// pycocoevalcap's PUNCTUATIONS, compared after -lowerCase (so "-LRB-" and friends can no longer match: spec Q1).
bool is_filtered_punctuation(std::string_view token) {
  static constexpr std::string_view kPunctuations[] = {
      "''", "'", "``", "`", ".", "?", "!", ",", ":", "-", "--", "...", ";"};
  for (auto p : kPunctuations)
    if (token == p) return true;
  return false;
}

// Abbreviations that keep their period (3.4.1 ABBREV1/ABBREV2/ABBREV4 lists, matched caselessly as the lexer is
// %caseless). Single letters (ACRO) are handled separately.
bool is_abbreviation(std::string_view lower) {
  static constexpr std::string_view kAbbreviations[] = {
      // months and days
      "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues",
      "wed", "thu", "thurs", "fri",
      // states
      "ala", "ariz", "ark", "calif", "colo", "conn", "ct", "dak", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky",
      "la", "mass", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "penn", "tenn",
      "tex", "va", "vt", "wash", "wis", "wisc", "wyo",
      // companies, numbers, post-name titles, misc
      "inc", "co", "cos", "corp", "pty", "ltd", "plc", "bancorp", "bhd", "assn", "univ", "intl", "sys", "tel", "est",
      "ext", "sq", "jr", "sr", "bros", "esq", "etc", "al", "seq", "vs",
      // titles and ABCOMP2
      "mr", "mrs", "ms", "dr", "drs", "prof", "profs", "sen", "sens", "rep", "reps", "atty", "attys", "lt", "col",
      "gen", "messrs", "gov", "govs", "adm", "rev", "maj", "sgt", "cpl", "pvt", "capt", "st", "ste", "ave", "pres",
      "lieut", "hon"};
  static constexpr std::string_view kMore[] = {
      "brig", "cmdr", "comdr", "pfc", "spc", "supt", "supts", "det", "mt", "ft", "invt", "elec", "natl", "mfg", "mtg",
      "dept", "blvd", "rd"};
  for (auto a : kAbbreviations)
    if (lower == a) return true;
  for (auto a : kMore)
    if (lower == a) return true;
  return false;
}

// ABBREV3: abbreviations that keep their period only before a number ("no. 5").
bool is_number_abbreviation(std::string_view lower) {
  static constexpr std::string_view kBeforeNumber[] = {"ca", "fig", "figs", "prop", "no", "nos", "art",
                                                                     "bldg", "pp", "op", "vol", "vols", "approx"};
  for (auto a : kBeforeNumber)
    if (lower == a) return true;
  return false;
}

// Sets of reachable offsets (bit k = position start+k), for the few regular expressions with alternatives.
class Reach {
 public:
  Reach(const Text& s, std::size_t start) : s_(s), start_(start) {}
  using Mask = std::uint64_t;

  Mask step(Mask from, auto&& accepts) const {
    Mask to = 0;
    for (int k = 0; k < 63; ++k) {
      if (!(from >> k & 1)) continue;
      const std::size_t p = start_ + static_cast<std::size_t>(k);
      if (p < s_.size() && accepts(s_[p])) to |= Mask{1} << (k + 1);
    }
    return to;
  }
  Mask digits(Mask from, int min, int max) const {
    Mask result = 0;
    for (int count = 1; count <= max; ++count) {
      from = step(from, is_digit);
      if (count >= min) result |= from;
    }
    return result;
  }
  Mask optional(Mask from, auto&& accepts) const { return from | step(from, accepts); }
  Mask literal(Mask from, char32_t c) const {
    return step(from, [c](char32_t x) { return x == c; });
  }
  static std::size_t longest(Mask m) { return m == 0 ? 0 : static_cast<std::size_t>(63 - __builtin_clzll(m)); }

 private:
  const Text& s_;
  std::size_t start_;
};

bool is_phone_separator(char32_t c) { return c == '-' || c == ' ' || c == kNbsp; }
bool is_space_or_nbsp(char32_t c) { return c == ' ' || c == kNbsp; }

// PHONE: (\([0-9]{2,3}\)[ \u00A0]?|(\+\+?)?([0-9]{2,4}[\- \u00A0])?[0-9]{2,4}[\- \u00A0])[0-9]{3,4}[\- \u00A0]?[0-9]{3,5}
//      | ((\+\+?)?[0-9]{2,4}\.)?[0-9]{2,4}\.[0-9]{3,4}\.[0-9]{3,5}
std::size_t match_phone(const Text& s, std::size_t i) {
  Reach r(s, i);
  const Reach::Mask start = 1;
  Reach::Mask paren = r.literal(r.digits(r.literal(start, '('), 2, 3), ')');
  paren = r.optional(paren, is_space_or_nbsp);
  const Reach::Mask plus = r.optional(r.optional(start, [](char32_t c) { return c == '+'; }),
                                      [](char32_t c) { return c == '+'; });
  const Reach::Mask group = r.optional(plus, [](char32_t) { return false; }) |
                            r.step(r.digits(plus, 2, 4), is_phone_separator);
  const Reach::Mask plain = r.step(r.digits(group | plus, 2, 4), is_phone_separator);
  Reach::Mask tail = r.digits(paren | plain, 3, 4);
  tail = r.digits(r.optional(tail, is_phone_separator), 3, 5);
  const auto dot = [](char32_t c) { return c == '.'; };
  const Reach::Mask dotted_prefix = start | r.step(r.digits(plus, 2, 4), dot);
  Reach::Mask dotted = r.step(r.digits(dotted_prefix, 2, 4), dot);
  dotted = r.digits(r.step(r.digits(dotted, 3, 4), dot), 3, 5);
  return Reach::longest(tail | dotted);
}

// FRAC: ({DIGIT}{1,4}[- \u00A0])?{DIGIT}{1,4}(\\?\/|\u2044){DIGIT}{1,4}
std::size_t match_fraction(const Text& s, std::size_t i) {
  Reach r(s, i);
  const Reach::Mask start = 1;
  const Reach::Mask whole = start | r.step(r.digits(start, 1, 4), is_phone_separator);
  Reach::Mask slash = r.optional(r.digits(whole, 1, 4), [](char32_t c) { return c == '\\'; });
  slash = r.step(slash, [](char32_t c) { return c == '/' || c == 0x2044; });
  return Reach::longest(r.digits(slash, 1, 4));
}

// NUM: {DIGIT}+|{DIGIT}*([.:,]{DIGIT}+)+
std::size_t match_number(const Text& s, std::size_t i) {
  std::size_t p = i;
  while (p < s.size() && is_digit(s[p])) ++p;
  while (p + 1 < s.size() && (s[p] == '.' || s[p] == ':' || s[p] == ',') && is_digit(s[p + 1])) {
    p += 1;
    while (p < s.size() && is_digit(s[p])) ++p;
  }
  return p - i;
}

bool starts_with_caseless(const Text& s, std::size_t i, std::string_view prefix) {
  if (i + prefix.size() > s.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    char32_t c = s[i + k];
    if (c >= 'A' && c <= 'Z') c += 0x20;
    if (c != static_cast<unsigned char>(prefix[k])) return false;
  }
  return true;
}

// FULLURL: (ftp|svn|svn\+ssh|http|https|mailto):\/\/[^ \t\n\f\r\"<>|()]+[^ \t\n\f\r\"<>|.!?(){},-]
std::size_t match_full_url(const Text& s, std::size_t i) {
  static constexpr std::string_view kSchemes[] = {"http://", "https://", "ftp://", "svn://",
                                                              "svn+ssh://", "mailto://"};
  std::size_t scheme = 0;
  for (auto prefix : kSchemes)
    if (starts_with_caseless(s, i, prefix)) scheme = prefix.size();
  if (scheme == 0) return 0;
  auto body = [](char32_t c) {
    return !is_space(c) && c != '"' && c != '<' && c != '>' && c != '|' && c != '(' && c != ')';
  };
  std::size_t p = i + scheme;
  while (p < s.size() && body(s[p])) ++p;
  auto bad_end = [](char32_t c) { return c == '.' || c == '!' || c == '?' || c == '{' || c == '}' || c == ',' || c == '-'; };
  while (p > i + scheme + 1 && bad_end(s[p - 1])) --p;
  return p > i + scheme + 1 ? p - i : 0;
}

bool is_domain_char(char32_t c) { return is_word_char(c) || c == '-'; }

// LIKELYURL: www.host.tld or host.(com|net|org|edu), optionally followed by a /path.
std::size_t match_likely_url(const Text& s, std::size_t i) {
  std::size_t p = i;
  std::size_t last_dot = 0;
  int dots = 0;
  while (p < s.size()) {
    std::size_t q = p;
    while (q < s.size() && is_domain_char(s[q])) ++q;
    if (q == p) break;
    p = q;
    if (p + 1 < s.size() && s[p] == '.' && is_domain_char(s[p + 1])) {
      last_dot = p;
      ++dots;
      ++p;
    } else {
      break;
    }
  }
  if (dots == 0) return 0;
  const bool www = starts_with_caseless(s, i, "www.") && dots >= 2;
  bool known_tld = false;
  if (p - last_dot == 4) {
    for (std::string_view tld : {"com", "net", "org", "edu"})
      if (starts_with_caseless(s, last_dot + 1, tld)) known_tld = true;
  }
  if (!www && !known_tld) return 0;
  if (p < s.size() && s[p] == '/') {
    std::size_t q = p + 1;
    while (q < s.size() && !is_space(s[q]) && s[q] != '<' && s[q] != '>' && s[q] != '|' && s[q] != '`') ++q;
    auto bad_end = [](char32_t c) {
      return c == '.' || c == '!' || c == '?' || c == ',' || c == ';' || c == ':' || c == '&' || c == '-' ||
             c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"' || c == '\'';
    };
    while (q > p + 1 && bad_end(s[q - 1])) --q;
    if (q > p + 1) p = q;
  }
  return p - i;
}

// EMAIL: [a-zA-Z0-9][^ \t\n\f\r\"<>|()\u00A0]*@([^ \t\n\f\r\"<>|().\u00A0]+\.)*([^ \t\n\f\r\"<>|().,;:\u00A0]+)
std::size_t match_email(const Text& s, std::size_t i) {
  auto local = [](char32_t c) { return is_word_char(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; };
  std::size_t p = i;
  while (p < s.size() && local(s[p])) ++p;
  if (p == i || p >= s.size() || s[p] != '@') return 0;
  std::size_t q = p + 1;
  std::size_t end = 0;
  while (q < s.size() && (is_domain_char(s[q]) || s[q] == '.')) {
    if (is_word_char(s[q])) end = q + 1;
    ++q;
  }
  return end > p + 1 ? end - i : 0;
}

// ACRO followed by its period: [A-Za-z](\.[A-Za-z])+\.? (U.S., e.g., a.m.), not followed by a word character.
std::size_t match_acronym(const Text& s, std::size_t i) {
  if (starts_with_caseless(s, i, "ph.d.") || starts_with_caseless(s, i, "ed.d.")) return 5;  // ABPTIT (Ed|Ph)\.D
  std::size_t p = i + 1;
  int letters = 1;
  while (p + 1 < s.size() && s[p] == '.' && is_ascii_letter(s[p + 1]) &&
         (p + 2 >= s.size() || !is_word_char(s[p + 2]))) {
    p += 2;
    ++letters;
  }
  if (letters < 2) return 0;
  if (p < s.size() && s[p] == '.') ++p;
  return p - i;
}

bool is_vowel(char32_t c) {
  switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': return true;
    default: return false;
  }
}

// THING: word characters in hyphen- or slash-joined parts; an apostrophe stays inside for d'/o'/l' prefixes
// (o'clock), vowel'vowel words (shi'ite) and one-capital names (O'Neill, D'Angelo).
std::size_t match_word(const Text& s, std::size_t i) {
  const std::size_t n = s.size();
  std::size_t p = i;
  for (;;) {
    const std::size_t part = p;
    while (p < n && is_word_char(s[p])) ++p;
    if (p == part) return part == i ? 0 : part - 1 - i;  // a trailing joiner is not part of the word
    if (p + 1 < n && is_apostrophe(s[p]) && is_word_char(s[p + 1])) {
      const char32_t before = s[p - 1];
      const bool one_char = p - part == 1;
      const bool prefix = one_char && (before == 'd' || before == 'D' || before == 'o' || before == 'O' ||
                                       before == 'l' || before == 'L');
      const bool vowels = is_vowel(before) && before != 'y' && before != 'Y' &&
                          (s[p + 1] == 'a' || s[p + 1] == 'e' || s[p + 1] == 'i' || s[p + 1] == 'o' || s[p + 1] == 'u');
      const bool name = one_char && ((before >= 'A' && before <= 'Z' && before != 'I' && before != 'Y') ||
                                     before == 'n') &&
                        p + 2 < n && is_word_char(s[p + 2]);
      if (prefix || vowels || name) {
        ++p;
        continue;
      }
    }
    if (p + 1 < n && (s[p] == '-' || s[p] == '/') && is_word_char(s[p + 1])) {
      ++p;
      continue;
    }
    return p - i;
  }
}

// Clitics split off a word: 's 'm 'd 're 've 'll (REDAUX) and n't (SREDAUX), when no letter follows.
std::size_t clitic_length(const Text& s, std::size_t p) {
  if (p >= s.size() || !is_apostrophe(s[p])) return 0;
  auto lower = [&](std::size_t k) -> char32_t { return k < s.size() ? (s[k] | 0x20) : 0; };
  std::size_t len = 0;
  const char32_t a = lower(p + 1), b = lower(p + 2);
  if (a == 's' || a == 'm' || a == 'd') len = 2;
  else if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) len = 3;
  if (len == 0) return 0;
  if (p + len < s.size() && is_word_char(s[p + len])) return 0;
  return len;
}

class Lexer {
 public:
  Lexer(const Text& s, std::string& out) : s_(s), out_(out) {}

  void run() {
    std::size_t i = 0;
    while (i < s_.size()) i = is_space(s_[i]) ? i + 1 : lex_at(i);
  }

 private:
  // Lower-cases one lexer token, drops it if it is in PUNCTUATIONS, else appends it and a space.
  void emit(std::u32string_view token) {
    const std::size_t mark = out_.size();
    for (char32_t c : token) append_lower(c, out_);
    if (is_filtered_punctuation(std::string_view(out_).substr(mark))) out_.resize(mark);
    else out_.push_back(' ');
  }
  void emit_ascii(std::string_view token) {
    if (is_filtered_punctuation(token)) return;
    out_.append(token);
    out_.push_back(' ');
  }
  std::u32string_view slice(std::size_t i, std::size_t len) const { return {s_.data() + i, len}; }

  std::size_t lex_at(std::size_t i) {
    const char32_t c = s_[i];
    if (is_ascii_letter(c)) {
      if (std::size_t end = plain_word_end(i)) return end;
    }
    if (c == '(' && match_phone(s_, i) > 0) return emit_normalized(i, match_phone(s_, i));
    if (is_word_char(c) || c == '+') {
      if (std::size_t len = lex_word_like(i)) return i + len;
    }
    return lex_symbol(i);
  }

  // Fast path for the common case: an ASCII word followed by a space, the end, or a comma, none of which any
  // longer rule (URL, e-mail, acronym, clitic, hyphenated word, abbreviation) could extend.
  std::size_t plain_word_end(std::size_t i) {
    std::size_t p = i;
    while (p < s_.size() && is_ascii_letter(s_[p])) ++p;
    if (p < s_.size() && !is_space(s_[p]) && s_[p] != ',') return 0;
    const std::size_t len = p - i;
    if (len == 5 || len == 6) {  // the assimilations: cannot, gonna, gotta, wanna, lemme, gimme
      if (split_assimilation(i, len)) return p;
    }
    for (std::size_t k = i; k < p; ++k) out_.push_back(static_cast<char>(s_[k] | 0x20));
    out_.push_back(' ');
    return p;
  }

  // Phone numbers and fractions: spaces become U+00A0 (normalizeSpace), brackets -LRB-/-RRB-.
  std::size_t emit_normalized(std::size_t i, std::size_t len) {
    std::u32string token;
    for (std::size_t k = i; k < i + len; ++k) {
      if (s_[k] == ' ') token.push_back(kNbsp);
      else if (s_[k] == '(') token += U"-LRB-";
      else if (s_[k] == ')') token += U"-RRB-";
      else token.push_back(s_[k]);
    }
    emit(token);
    return i + len;
  }

  // Longest of the word-like rules at i; returns the length consumed (0 when none applies).
  std::size_t lex_word_like(std::size_t i) {
    const std::size_t url = std::max({match_full_url(s_, i), match_likely_url(s_, i), match_email(s_, i)});
    const std::size_t phone = is_digit(s_[i]) || s_[i] == '+' ? match_phone(s_, i) : 0;
    const std::size_t fraction = is_digit(s_[i]) ? match_fraction(s_, i) : 0;
    const std::size_t number = is_digit(s_[i]) ? match_number(s_, i) : 0;
    const std::size_t acronym = is_ascii_letter(s_[i]) ? match_acronym(s_, i) : 0;
    const std::size_t word = s_[i] == '+' ? 0 : match_word(s_, i);
    const std::size_t best = std::max({url, phone, fraction, number, acronym, word});
    if (best == 0) return 0;
    if (best == url) return emit_plain(i, url);
    if (best == phone || best == fraction) return emit_normalized(i, best) - i;
    if (best == number && number > word) return emit_plain(i, number);
    if (best == acronym) return emit_plain(i, acronym);
    return lex_word(i, word);
  }

  std::size_t emit_plain(std::size_t i, std::size_t len) {
    emit(slice(i, len));
    return len;
  }

  std::size_t lex_word(std::size_t i, std::size_t len) {
    const std::size_t end = i + len;
    // n't: "isn't" -> "is n't", "can't" -> "ca n't"; the stem must end in a letter other than n.
    if (len >= 2 && (s_[end - 1] | 0x20) == 'n' && end + 1 < s_.size() && is_apostrophe(s_[end]) &&
        (s_[end + 1] | 0x20) == 't' && (end + 2 >= s_.size() || !is_word_char(s_[end + 2])) &&
        is_ascii_letter(s_[end - 2]) && (s_[end - 2] | 0x20) != 'n') {
      emit(slice(i, len - 1));
      emit_contraction(end - 1, 3);
      return len + 2;
    }
    if (std::size_t clitic = clitic_length(s_, end)) {
      emit(slice(i, len));
      emit_contraction(end, clitic);
      return len + clitic;
    }
    if (std::size_t assimilated = split_assimilation(i, len)) return assimilated;
    if (end < s_.size() && s_[end] == '.' && keeps_period(i, len)) return emit_plain(i, len + 1);
    return emit_plain(i, len);
  }

  // The lexer hands clitics to its quote handler, which turns a curly apostrophe into '.
  void emit_contraction(std::size_t i, std::size_t len) {
    std::u32string token(slice(i, len));
    for (auto& c : token)
      if (is_apostrophe(c)) c = '\'';
    emit(token);
  }

  // splitAssimilations=true: cannot -> can not, gonna -> gon na, gotta/wanna/lemme/gimme likewise.
  std::size_t split_assimilation(std::size_t i, std::size_t len) {
    static constexpr std::string_view kAssimilations[] = {"cannot", "gonna", "gotta", "wanna", "lemme", "gimme"};
    for (std::string_view form : kAssimilations) {
      if (form.size() != len || !starts_with_caseless(s_, i, form)) continue;
      emit(slice(i, 3));  // each keeps its first three letters: can|not, gon|na, got|ta, wan|na, lem|me, gim|me
      emit(slice(i + 3, len - 3));
      return len;
    }
    return 0;
  }

  bool keeps_period(std::size_t i, std::size_t len) const {
    std::string lower;
    for (std::size_t k = i; k < i + len; ++k) {
      if (!is_ascii_letter(s_[k])) return false;
      lower.push_back(static_cast<char>(s_[k] | 0x20));
    }
    if (len == 1 || is_abbreviation(lower)) return true;  // ACRO "A." and the abbreviation lists
    if (!is_number_abbreviation(lower)) return false;
    std::size_t p = i + len + 1;
    while (p < s_.size() && is_space(s_[p])) ++p;
    return p < s_.size() && is_digit(s_[p]);
  }

  std::size_t count_run(std::size_t i, auto&& pred) const {
    std::size_t p = i;
    while (p < s_.size() && pred(s_[p])) ++p;
    return p - i;
  }

  std::size_t lex_symbol(std::size_t i) {
    const char32_t c = s_[i];
    switch (c) {
      case '.': {
        if (i + 1 < s_.size() && is_digit(s_[i + 1])) return i + emit_plain(i, 1 + match_number(s_, i + 1));
        const std::size_t dots = count_run(i, [](char32_t x) { return x == '.'; });
        emit_ascii(dots >= 3 ? "..." : ".");  // ptb3Ellipsis; every dot run is dropped by the filter anyway
        return i + (dots >= 3 ? std::min<std::size_t>(dots, 5) : 1);
      }
      case '?': case '!': {  // "!!!" and "?!" are single tokens that survive the filter (spec Q2)
        const std::size_t len = count_run(i, [](char32_t x) { return x == '?' || x == '!'; });
        return i + emit_plain(i, len);
      }
      case '-': {  // ptb3Dashes: 3-4 hyphens are an em dash "--"; longer runs stay as they are
        const std::size_t len = count_run(i, [](char32_t x) { return x == '-'; });
        if (len >= 3 && len <= 4) emit_ascii("--");
        else emit(slice(i, len));
        return i + len;
      }
      case '*': case '@': case '#': case '_': {
        const std::size_t len = count_run(i, [c](char32_t x) { return x == c; });
        return i + emit_plain(i, len);
      }
      case '(': emit_ascii("-lrb-"); return i + 1;
      case ')': emit_ascii("-rrb-"); return i + 1;
      case '[': emit_ascii("-lsb-"); return i + 1;
      case ']': emit_ascii("-rsb-"); return i + 1;
      case '{': emit_ascii("-lcb-"); return i + 1;
      case '}': emit_ascii("-rcb-"); return i + 1;
      case '<': return lex_angle(i);
      case '&': return lex_ampersand(i);
      case '"': case '\'': case '`': case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x201C: case 0x201D:
      case 0x201E: case 0x201F: case 0xAB: case 0xBB: case 0x2039: case 0x203A: case 0x91: case 0x92: case 0x93:
      case 0x94:
        return i + 1;  // latexQuotes turns every quote into `` '' ` or ', all in PUNCTUATIONS
      case 0x2013: case 0x2014: case 0x2015: case 0x96: case 0x97:
        return i + 1;  // en/em dash -> "--", filtered
      case 0x2026:
        return i + 1;  // ellipsis -> "...", filtered
      case 0xA3: emit_ascii("#"); return i + 1;  // normalizeCurrency
      case 0x20AC: case 0x80: emit_ascii("$"); return i + 1;
      case 0xA2: emit_ascii("cents"); return i + 1;
      case 0xBD: emit_ascii("1/2"); return i + 1;  // normalizeFractions
      case 0xBC: emit_ascii("1/4"); return i + 1;
      case 0xBE: emit_ascii("3/4"); return i + 1;
      case 0x2153: emit_ascii("1/3"); return i + 1;
      case 0x2154: emit_ascii("2/3"); return i + 1;
      default: break;
    }
    if (c < 0x80 ? (c > ' ' && c != 0x7F) : (is_currency(c) || is_misc_symbol(c))) return i + emit_plain(i, 1);
    return i + 1;  // untokenizable=firstDelete: emoji, controls, variation selectors are deleted
  }

  // SGML tags stay one token (<angle>), spaces inside become U+00A0; a lone < is a token of its own.
  std::size_t lex_angle(std::size_t i) {
    if (i + 1 < s_.size() && (is_ascii_letter(s_[i + 1]) || s_[i + 1] == '/' || s_[i + 1] == '!' || s_[i + 1] == '?')) {
      std::size_t p = i + 1;
      while (p < s_.size() && s_[p] != '>' && s_[p] != '\n' && s_[p] != '\r') ++p;
      if (p < s_.size() && s_[p] == '>') {
        std::u32string token(slice(i, p + 1 - i));
        for (auto& x : token)
          if (x == ' ') x = kNbsp;
        emit(token);
        return p + 1;
      }
    }
    const std::size_t len = i + 1 < s_.size() && s_[i + 1] == '<' ? 2 : 1;
    return i + emit_plain(i, len);
  }

  // normalizeAmpersandEntity: &amp; -> &; &quot; and &apos; are quotes.
  std::size_t lex_ampersand(std::size_t i) {
    if (starts_with_caseless(s_, i, "&amp;")) {
      emit_ascii("&");
      return i + 5;
    }
    if (starts_with_caseless(s_, i, "&quot;")) return i + 6;
    if (starts_with_caseless(s_, i, "&apos;")) return i + 6;
    return i + emit_plain(i, 1);
  }

  const Text& s_;
  std::string& out_;
};

}  // namespace

void append_ptb_tokens(std::string_view caption, std::string& out) {
  thread_local Text text;
  decode_text(caption, text);
  Lexer(text, out).run();
}

}  // namespace caption

std::string ptb_tokenize(std::string_view caption) {
  std::string out;
  caption::append_ptb_tokens(caption, out);
  if (!out.empty()) out.pop_back();  // the trailing separator
  return out;
}

}  // namespace mmh::metrics
