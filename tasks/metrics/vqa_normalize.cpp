#include "tasks/metrics/vqa_normalize.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>

#include "tasks/metrics/python_text.h"

namespace mmh::metrics {
namespace {

struct Contraction {
  std::string_view from, to;
};

// vqaEval.py contractions (vqa_spec.md section 3; EvalAI has the same 120), sorted by UTF-8 bytes.
constexpr Contraction kVqaContractions[] = {
    {"'ow'sat", "'ow's'at"}, {"'ows'at", "'ow's'at"}, {"I'dve", "I'd've"}, {"Id've", "I'd've"}, {"Im", "I'm"},
    {"Ive", "I've"}, {"aint", "ain't"}, {"arent", "aren't"}, {"cant", "can't"}, {"couldn'tve", "couldn't've"},
    {"couldnt", "couldn't"}, {"couldnt've", "couldn't've"}, {"couldve", "could've"}, {"didnt", "didn't"},
    {"doesnt", "doesn't"}, {"dont", "don't"}, {"hadn'tve", "hadn't've"}, {"hadnt", "hadn't"},
    {"hadnt've", "hadn't've"}, {"hasnt", "hasn't"}, {"havent", "haven't"}, {"he'dve", "he'd've"}, {"hed", "he'd"},
    {"hed've", "he'd've"}, {"hes", "he's"}, {"howd", "how'd"}, {"howll", "how'll"}, {"hows", "how's"},
    {"isnt", "isn't"}, {"it'dve", "it'd've"}, {"itd", "it'd"}, {"itd've", "it'd've"}, {"itll", "it'll"},
    {"let's", "let's"}, {"maam", "ma'am"}, {"mightn'tve", "mightn't've"}, {"mightnt", "mightn't"},
    {"mightnt've", "mightn't've"}, {"mightve", "might've"}, {"mustnt", "mustn't"}, {"mustve", "must've"},
    {"neednt", "needn't"}, {"notve", "not've"}, {"oclock", "o'clock"}, {"oughtnt", "oughtn't"},
    {"ow's'at", "'ow's'at"}, {"shant", "shan't"}, {"she'dve", "she'd've"}, {"she's", "she's"},
    {"shed've", "she'd've"}, {"shouldn'tve", "shouldn't've"}, {"shouldnt", "shouldn't"},
    {"shouldnt've", "shouldn't've"}, {"shouldve", "should've"}, {"somebody'd", "somebodyd"},
    {"somebody'dve", "somebody'd've"}, {"somebodyd've", "somebody'd've"}, {"somebodyll", "somebody'll"},
    {"somebodys", "somebody's"}, {"someone'dve", "someone'd've"}, {"someoned", "someone'd"},
    {"someoned've", "someone'd've"}, {"someonell", "someone'll"}, {"someones", "someone's"},
    {"something'dve", "something'd've"}, {"somethingd", "something'd"}, {"somethingd've", "something'd've"},
    {"somethingll", "something'll"}, {"thats", "that's"}, {"there'dve", "there'd've"}, {"thered", "there'd"},
    {"thered've", "there'd've"}, {"therere", "there're"}, {"theres", "there's"}, {"they'dve", "they'd've"},
    {"theyd", "they'd"}, {"theyd've", "they'd've"}, {"theyll", "they'll"}, {"theyre", "they're"},
    {"theyve", "they've"}, {"twas", "'twas"}, {"wasnt", "wasn't"}, {"we'dve", "we'd've"}, {"wed've", "we'd've"},
    {"werent", "weren't"}, {"weve", "we've"}, {"whatll", "what'll"}, {"whatre", "what're"}, {"whats", "what's"},
    {"whatve", "what've"}, {"whens", "when's"}, {"whered", "where'd"}, {"wheres", "where's"}, {"whereve", "where've"},
    {"who'dve", "who'd've"}, {"whod", "who'd"}, {"whod've", "who'd've"}, {"wholl", "who'll"}, {"whos", "who's"},
    {"whove", "who've"}, {"whyll", "why'll"}, {"whyre", "why're"}, {"whys", "why's"}, {"wont", "won't"},
    {"wouldn'tve", "wouldn't've"}, {"wouldnt", "wouldn't"}, {"wouldnt've", "wouldn't've"}, {"wouldve", "would've"},
    {"y'all'dve", "y'all'd've"}, {"y'alld've", "y'all'd've"}, {"y'allll", "y'all'll"}, {"yall", "y'all"},
    {"yall'd've", "y'all'd've"}, {"yall'll", "y'all'll"}, {"you'dve", "you'd've"}, {"youd", "you'd"},
    {"youd've", "you'd've"}, {"youll", "you'll"}, {"youre", "you're"}, {"youve", "you've"},
};
// The VizWiz API vqaEval.py copy (others_spec.md section 1): mostly U+2019 apostrophes, a few ASCII ones; kept as is.
constexpr Contraction kVizWizContractions[] = {
    {"Id’ve", "I’d’ve"}, {"Im", "I’m"}, {"Ive", "I’ve"}, {"I’dve", "I’d’ve"}, {"aint", "ain't"}, {"arent", "aren't"},
    {"cant", "can't"}, {"couldn'tve", "couldn’t’ve"}, {"couldnt", "couldn't"}, {"couldnt’ve", "couldn’t’ve"},
    {"couldve", "could've"}, {"didnt", "didn’t"}, {"doesnt", "doesn’t"}, {"dont", "don’t"}, {"hadn'tve", "hadn’t’ve"},
    {"hadnt", "hadn’t"}, {"hadnt’ve", "hadn’t’ve"}, {"hasnt", "hasn’t"}, {"havent", "haven’t"}, {"hed", "he’d"},
    {"hed’ve", "he’d’ve"}, {"hes", "he’s"}, {"he’dve", "he’d’ve"}, {"howd", "how’d"}, {"howll", "how’ll"},
    {"hows", "how’s"}, {"isnt", "isn’t"}, {"itd", "it’d"}, {"itd’ve", "it’d’ve"}, {"itll", "it’ll"},
    {"it’dve", "it’d’ve"}, {"let’s", "let’s"}, {"maam", "ma’am"}, {"mightnt", "mightn’t"},
    {"mightnt’ve", "mightn’t’ve"}, {"mightn’tve", "mightn’t’ve"}, {"mightve", "might’ve"}, {"mustnt", "mustn’t"},
    {"mustve", "must’ve"}, {"neednt", "needn’t"}, {"notve", "not’ve"}, {"oclock", "o’clock"}, {"oughtnt", "oughtn’t"},
    {"ow’s’at", "’ow’s’at"}, {"shant", "shan’t"}, {"shed’ve", "she’d’ve"}, {"she’dve", "she’d’ve"},
    {"she’s", "she’s"}, {"shouldnt", "shouldn’t"}, {"shouldnt’ve", "shouldn’t’ve"}, {"shouldn’tve", "shouldn’t’ve"},
    {"shouldve", "should’ve"}, {"somebodyd’ve", "somebody’d’ve"}, {"somebodyll", "somebody’ll"},
    {"somebodys", "somebody’s"}, {"somebody’d", "somebodyd"}, {"somebody’dve", "somebody’d’ve"},
    {"someoned", "someone’d"}, {"someoned’ve", "someone’d’ve"}, {"someonell", "someone’ll"},
    {"someones", "someone’s"}, {"someone’dve", "someone’d’ve"}, {"somethingd", "something’d"},
    {"somethingd’ve", "something’d’ve"}, {"somethingll", "something’ll"}, {"something’dve", "something’d’ve"},
    {"thats", "that’s"}, {"thered", "there’d"}, {"thered’ve", "there’d’ve"}, {"therere", "there’re"},
    {"theres", "there’s"}, {"there’dve", "there’d’ve"}, {"theyd", "they’d"}, {"theyd’ve", "they’d’ve"},
    {"theyll", "they’ll"}, {"theyre", "they’re"}, {"theyve", "they’ve"}, {"they’dve", "they’d’ve"}, {"twas", "’twas"},
    {"wasnt", "wasn’t"}, {"wed’ve", "we’d’ve"}, {"werent", "weren’t"}, {"weve", "we've"}, {"we’dve", "we’d’ve"},
    {"whatll", "what’ll"}, {"whatre", "what’re"}, {"whats", "what’s"}, {"whatve", "what’ve"}, {"whens", "when’s"},
    {"whered", "where’d"}, {"wheres", "where's"}, {"whereve", "where’ve"}, {"whod", "who’d"}, {"whod’ve", "who’d’ve"},
    {"wholl", "who’ll"}, {"whos", "who’s"}, {"whove", "who've"}, {"who’dve", "who’d’ve"}, {"whyll", "why’ll"},
    {"whyre", "why’re"}, {"whys", "why’s"}, {"wont", "won’t"}, {"wouldnt", "wouldn’t"}, {"wouldnt’ve", "wouldn’t’ve"},
    {"wouldn’tve", "wouldn’t’ve"}, {"wouldve", "would’ve"}, {"yall", "y’all"}, {"yall’d’ve", "y’all’d’ve"},
    {"yall’ll", "y’all’ll"}, {"youd", "you’d"}, {"youd’ve", "you’d’ve"}, {"youll", "you’ll"}, {"youre", "you’re"},
    {"youve", "you’ve"}, {"you’dve", "you’d’ve"}, {"y’alld’ve", "y’all’d’ve"}, {"y’allll", "y’all’ll"},
    {"y’all’dve", "y’all’d’ve"}, {"’ows’at", "’ow’s’at"}, {"’ow’sat", "’ow’s’at"},
};

constexpr std::string_view kNumberWords[] = {"none", "zero", "one", "two", "three", "four", "five", "six", "seven",
                                             "eight", "nine", "ten"};
constexpr std::string_view kNumberDigits[] = {"0", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"};

// processPunctuation's list: ; / [ ] " { } ( ) = + \ _ - > < @ ` , ? !
constexpr std::string_view kPunctuation = ";/[]\"{}()=+\\_-><@`,?!";
constexpr int kMaxPeriodsStripped = 32;  // periodStrip.sub("", text, re.UNICODE): re.UNICODE == 32 is the count

constexpr std::array<bool, 256> make_byte_set(std::string_view chars) {
  std::array<bool, 256> set{};
  for (char c : chars) set[static_cast<unsigned char>(c)] = true;
  return set;
}
constexpr auto kIsPunctuation = make_byte_set(kPunctuation);
constexpr auto kPunctuationOrPeriod = make_byte_set(";/[]\"{}()=+\\_-><@`,?!.");

// vqaEval.py, EvalAI and the VizWiz API have always been decoded structurally here: see Utf8Check.
constexpr Utf8Check kCheck = Utf8Check::kStructure;

// Regex \d: Python 2 str patterns without re.UNICODE see ASCII digits only.
bool is_regex_digit(char32_t cp, PyDialect dialect) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  return dialect == PyDialect::kPython3 && cp != kInvalidCodePoint && python_decimal_value(cp) >= 0;
}

bool digit_at(std::string_view s, std::size_t i, PyDialect dialect) {
  return i < s.size() && is_regex_digit(decode_utf8(s, i, kCheck).value, dialect);
}

bool digit_before(std::string_view s, std::size_t end, PyDialect dialect) {
  return end > 0 && is_regex_digit(decode_utf8_before(s, end, kCheck).value, dialect);
}

// processDigitArticle's per-word rules in one hash lookup: number word -> digit, article -> dropped, contraction ->
// expansion. Equivalent to applying them in order, since no key of one kind is a key or an output of another.
enum class WordRule : uint8_t { kNumber, kArticle, kContraction };

class WordRules {
 public:
  template <std::size_t N>
  explicit WordRules(const Contraction (&contractions)[N]) {
    for (std::size_t i = 0; i < std::size(kNumberWords); ++i)
      insert(kNumberWords[i], kNumberDigits[i], WordRule::kNumber);
    for (std::string_view article : {"a", "an", "the"}) insert(article, {}, WordRule::kArticle);
    for (const auto& c : contractions) insert(c.from, c.to, WordRule::kContraction);
  }

  // nullptr when no rule applies to `word`.
  const std::pair<std::string_view, WordRule>* find(std::string_view word) const {
    if (word.size() > max_length_) return nullptr;
    const uint32_t h = hash(word);
    for (uint32_t slot = h & kMask;; slot = (slot + 1) & kMask) {
      const auto& e = slots_[slot];
      if (e.key.data() == nullptr) return nullptr;
      if (e.hash == h && e.key == word) return &e.rule;
    }
  }

 private:
  static constexpr uint32_t kSlots = 512, kMask = kSlots - 1;  // 135 words at most: short probe chains
  struct Entry {
    std::string_view key;
    uint32_t hash = 0;
    std::pair<std::string_view, WordRule> rule;
  };

  static uint32_t hash(std::string_view s) {  // FNV-1a
    uint32_t h = 2166136261u;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
  }

  void insert(std::string_view key, std::string_view value, WordRule rule) {
    const uint32_t h = hash(key);
    uint32_t slot = h & kMask;
    while (slots_[slot].key.data() != nullptr) slot = (slot + 1) & kMask;
    slots_[slot] = Entry{key, h, {value, rule}};
    max_length_ = std::max(max_length_, key.size());
  }

  std::array<Entry, kSlots> slots_{};
  std::size_t max_length_ = 0;
};

const WordRules& word_rules(ContractionTable table) {
  static const WordRules vqa(kVqaContractions);
  static const WordRules vizwiz(kVizWizContractions);
  return table == ContractionTable::kVqa ? vqa : vizwiz;
}

// Does the comma rule's regex match anywhere in `s`?
bool comma_rule_matches(std::string_view s, CommaRule rule, PyDialect dialect) {
  for (std::size_t i = s.find(','); i != std::string_view::npos; i = s.find(',', i)) {
    std::size_t run_end = i;
    while (run_end < s.size() && s[run_end] == ',') ++run_end;
    const bool single = run_end == i + 1;
    if ((rule == CommaRule::kEvalAi || single) && digit_before(s, i, dialect) && digit_at(s, run_end, dialect))
      return true;
    i = run_end;
  }
  return false;
}

void replace_tabs_newlines(std::string_view in, std::string& out) {
  out.assign(in);
  for (char& c : out)
    if (c == '\n' || c == '\t') c = ' ';
}

}  // namespace

void py_lower(std::string_view in, std::string& out, PyDialect dialect) { python_lower(in, out, dialect, kCheck); }

std::string_view py_strip(std::string_view in, PyDialect dialect) { return python_strip(in, dialect, kCheck); }

void clean_answer(std::string_view in, std::string& out, PyDialect dialect) {
  const auto stripped = py_strip(in, dialect);
  // Stripping before replacing is equivalent: '\n', '\t' and ' ' are all whitespace to strip().
  replace_tabs_newlines(stripped, out);
}

void process_punctuation(std::string_view in, std::string& out, CommaRule comma_rule, PyDialect dialect) {
  if (std::none_of(in.begin(), in.end(), [](char c) { return kPunctuationOrPeriod[static_cast<unsigned char>(c)]; })) {
    out.assign(in);
    return;
  }
  // The delete-or-space decision is per character and reads only the input, so one pass replaces the 21 sequential
  // str.replace calls (none of them can create another listed character).
  std::array<bool, 256> deleted{};
  if (comma_rule_matches(in, comma_rule, dialect)) {
    deleted = kIsPunctuation;
  } else {
    for (std::size_t i = 0; i < in.size(); ++i) {
      const auto c = static_cast<unsigned char>(in[i]);
      if (kIsPunctuation[c] && ((i + 1 < in.size() && in[i + 1] == ' ') || (i > 0 && in[i - 1] == ' ')))
        deleted[c] = true;
    }
  }
  thread_local std::string spaced;
  spaced.clear();
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (!kIsPunctuation[c]) spaced.push_back(ch);
    else if (!deleted[c]) spaced.push_back(' ');
  }
  // periodStrip "(?!<=\d)(\.)(?!\d)": the first group is a look-ahead typo that always holds, so: every '.' not
  // followed by a digit, scanning the un-substituted string left to right, at most 32 of them.
  out.clear();
  int stripped = 0;
  for (std::size_t i = 0; i < spaced.size(); ++i) {
    if (spaced[i] == '.' && stripped < kMaxPeriodsStripped && !digit_at(spaced, i + 1, dialect)) {
      ++stripped;
      continue;
    }
    out.push_back(spaced[i]);
  }
}

void process_digit_article(std::string_view in, std::string& out, ContractionTable table, PyDialect dialect) {
  thread_local std::string lowered;
  py_lower(in, lowered, dialect);
  out.clear();
  const std::string_view text = lowered;
  const auto& rules = word_rules(table);
  std::size_t pos = 0;
  for (auto word = python_split_next(text, pos, dialect, kCheck); !word.empty();
       word = python_split_next(text, pos, dialect, kCheck)) {
    if (const auto* rule = rules.find(word)) {
      if (rule->second == WordRule::kArticle) continue;
      word = rule->first;
    }
    if (!out.empty()) out.push_back(' ');
    out.append(word);
  }
}

void vqa_normalize(std::string_view in, std::string& out) {
  thread_local std::string cleaned, punctuated;
  clean_answer(in, cleaned, PyDialect::kPython2);
  process_punctuation(cleaned, punctuated, CommaRule::kVqa, PyDialect::kPython2);
  process_digit_article(punctuated, out, ContractionTable::kVqa, PyDialect::kPython2);
}

void evalai_normalize(std::string_view in, std::string& out) {
  thread_local std::string lowered, tokenized, cleaned, punctuated;
  // word_tokenize: lower(), replace(",", ""), replace("?", ""), replace("'s", " 's"), strip()
  py_lower(in, lowered, PyDialect::kPython3);
  std::erase_if(lowered, [](char c) { return c == ',' || c == '?'; });
  tokenized.clear();
  for (std::size_t i = 0; i < lowered.size(); ++i) {
    if (lowered[i] == '\'' && i + 1 < lowered.size() && lowered[i + 1] == 's') {
      tokenized.append(" 's");
      ++i;
    } else {
      tokenized.push_back(lowered[i]);
    }
  }
  clean_answer(py_strip(tokenized, PyDialect::kPython3), cleaned, PyDialect::kPython3);
  process_punctuation(cleaned, punctuated, CommaRule::kEvalAi, PyDialect::kPython3);
  process_digit_article(punctuated, out, ContractionTable::kVqa, PyDialect::kPython3);
}

void vizwiz_normalize_prediction(std::string_view in, std::string& out) {
  thread_local std::string cleaned, punctuated;
  clean_answer(in, cleaned, PyDialect::kPython3);
  process_punctuation(cleaned, punctuated, CommaRule::kVqa, PyDialect::kPython3);
  process_digit_article(punctuated, out, ContractionTable::kVizWiz, PyDialect::kPython3);
}

std::string vqa_normalize(std::string_view in) {
  std::string out;
  vqa_normalize(in, out);
  return out;
}

std::string evalai_normalize(std::string_view in) {
  std::string out;
  evalai_normalize(in, out);
  return out;
}

std::string vizwiz_normalize_prediction(std::string_view in) {
  std::string out;
  vizwiz_normalize_prediction(in, out);
  return out;
}

}  // namespace mmh::metrics
