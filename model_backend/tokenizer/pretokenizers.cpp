// Pre-tokenizers of tokenizers: Split (regex or string, every delimiter
// behaviour), ByteLevel (GPT-2 regex when use_regex), Metaspace, Digits,
// Sequence. Each splits every current piece; empty pieces are dropped.
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/tokenizer/byte_level.h"
#include "model_backend/tokenizer/pipeline.h"
#include "model_backend/tokenizer/regex.h"

namespace mmh::tokenizer {
namespace {

using nlohmann::json;

enum class Behavior { kRemoved, kIsolated, kMergedWithPrevious, kMergedWithNext, kContiguous };

Behavior parse_behavior(const std::string& name, const std::string& where) {
  if (name == "Removed") return Behavior::kRemoved;
  if (name == "Isolated") return Behavior::kIsolated;
  if (name == "MergedWithPrevious") return Behavior::kMergedWithPrevious;
  if (name == "MergedWithNext") return Behavior::kMergedWithNext;
  if (name == "Contiguous") return Behavior::kContiguous;
  throw Error(where, "unknown split behavior \"" + name +
                         "\" (supported: Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)");
}

struct Part {
  std::size_t begin, end;
  bool is_match;
};

// tokenizers' NormalizedString::split, given the delimiter matches.
std::vector<Part> apply_behavior(const std::vector<Span>& matches, std::size_t size, Behavior behavior, bool invert) {
  std::vector<Part> parts;
  std::size_t pos = 0;
  for (const auto& [b, e] : matches) {
    if (b > pos) parts.push_back({pos, b, invert});
    parts.push_back({b, e, !invert});
    pos = e;
  }
  if (pos < size) parts.push_back({pos, size, invert});

  std::vector<Part> out;
  bool previous_match = false;
  switch (behavior) {
    case Behavior::kIsolated: return parts;
    case Behavior::kRemoved:
      for (const Part& p : parts)
        if (!p.is_match) out.push_back(p);
      return out;
    case Behavior::kMergedWithPrevious:
      for (const Part& p : parts) {
        if (p.is_match && !previous_match && !out.empty()) out.back().end = p.end;
        else out.push_back({p.begin, p.end, false});
        previous_match = p.is_match;
      }
      return out;
    case Behavior::kMergedWithNext:
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
        if (it->is_match && !previous_match && !out.empty()) out.back().begin = it->begin;
        else out.push_back({it->begin, it->end, false});
        previous_match = it->is_match;
      }
      return {out.rbegin(), out.rend()};
    case Behavior::kContiguous:
      for (const Part& p : parts) {
        if (p.is_match == previous_match && !out.empty()) out.back().end = p.end;
        else out.push_back({p.begin, p.end, false});
        previous_match = p.is_match;
      }
      return out;
  }
  return parts;
}

std::vector<Span> find_literal(std::string_view text, std::string_view literal) {
  std::vector<Span> spans;
  if (literal.empty()) return spans;
  for (std::size_t hit = text.find(literal); hit != std::string_view::npos; hit = text.find(literal, hit + literal.size()))
    spans.emplace_back(hit, hit + literal.size());
  return spans;
}

// Splits every piece at the spans `find` returns for it.
template <typename Find>
void split_pieces(std::vector<PreToken>& pieces, Behavior behavior, bool invert, Find&& find) {
  std::vector<PreToken> out;
  out.reserve(pieces.size());
  for (PreToken& piece : pieces) {
    const auto parts = apply_behavior(find(piece.text), piece.text.size(), behavior, invert);
    for (const Part& p : parts)
      if (p.end > p.begin) out.push_back({piece.text.substr(p.begin, p.end - p.begin), piece.at_origin && p.begin == 0});
  }
  pieces = std::move(out);
}

class RegexSplit final : public PreTokenizer {
 public:
  RegexSplit(const std::string& pattern, Behavior behavior, bool invert, const std::string& where)
      : regex_(pattern, where), behavior_(behavior), invert_(invert) {}
  void split(std::vector<PreToken>& pieces) const override {
    split_pieces(pieces, behavior_, invert_, [&](const std::string& t) { return regex_.find_all(t); });
  }

 private:
  Regex regex_;
  Behavior behavior_;
  bool invert_;
};

class LiteralSplit final : public PreTokenizer {
 public:
  LiteralSplit(std::string literal, Behavior behavior, bool invert)
      : literal_(std::move(literal)), behavior_(behavior), invert_(invert) {}
  void split(std::vector<PreToken>& pieces) const override {
    split_pieces(pieces, behavior_, invert_, [&](const std::string& t) { return find_literal(t, literal_); });
  }

 private:
  std::string literal_;
  Behavior behavior_;
  bool invert_;
};

class ByteLevel final : public PreTokenizer {
 public:
  ByteLevel(bool add_prefix_space, bool use_regex, const std::string& where) : add_prefix_space_(add_prefix_space) {
    if (use_regex) regex_ = std::make_unique<Regex>(kGpt2Pattern, where);
  }
  void split(std::vector<PreToken>& pieces) const override {
    if (add_prefix_space_)
      for (PreToken& p : pieces)
        if (p.text.empty() || p.text[0] != ' ') p.text.insert(0, " ");
    if (regex_)
      split_pieces(pieces, Behavior::kIsolated, false, [&](const std::string& t) { return regex_->find_all(t); });
    for (PreToken& p : pieces) p.text = to_byte_level(p.text);
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<Regex> regex_;
};

class Metaspace final : public PreTokenizer {
 public:
  enum class Prepend { kAlways, kFirst, kNever };
  Metaspace(std::string replacement, Prepend prepend, bool split)
      : replacement_(std::move(replacement)), prepend_(prepend), split_(split) {}
  void split(std::vector<PreToken>& pieces) const override {
    for (PreToken& p : pieces) {
      p.text = replace_all(p.text, " ", replacement_);
      const bool starts = p.text.compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && (prepend_ == Prepend::kAlways || (prepend_ == Prepend::kFirst && p.at_origin)))
        p.text.insert(0, replacement_);
    }
    if (split_)
      split_pieces(pieces, Behavior::kMergedWithNext, false,
                   [&](const std::string& t) { return find_literal(t, replacement_); });
  }

 private:
  std::string replacement_;
  Prepend prepend_;
  bool split_;
};

class Sequence final : public PreTokenizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<PreTokenizer>> steps) : steps_(std::move(steps)) {}
  void split(std::vector<PreToken>& pieces) const override {
    for (const auto& s : steps_) s->split(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> steps_;
};

constexpr const char* kSupported = "supported: Split, ByteLevel, Metaspace, Digits, Sequence";

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const json& j, const std::string& where) {
  if (j.is_null()) return nullptr;
  const std::string type = string_member(j, "type", where);
  if (type == "Split") {
    const json& pattern = member(j, "pattern", where);
    const Behavior behavior = parse_behavior(string_member(j, "behavior", where), where);
    const bool invert = bool_member(j, "invert", false, where);
    if (pattern.contains("Regex"))
      return std::make_unique<RegexSplit>(string_member(pattern, "Regex", where), behavior, invert, where);
    if (pattern.contains("String"))
      return std::make_unique<LiteralSplit>(string_member(pattern, "String", where), behavior, invert);
    throw Error(where, "Split.pattern must have \"String\" or \"Regex\"");
  }
  if (type == "ByteLevel")
    return std::make_unique<ByteLevel>(bool_member(j, "add_prefix_space", true, where),
                                       bool_member(j, "use_regex", true, where), where);
  if (type == "Metaspace") {
    const std::string replacement = string_member(j, "replacement", where);
    Metaspace::Prepend prepend = Metaspace::Prepend::kAlways;
    if (j.contains("prepend_scheme")) {
      const std::string scheme = string_member(j, "prepend_scheme", where);
      if (scheme == "first") prepend = Metaspace::Prepend::kFirst;
      else if (scheme == "never") prepend = Metaspace::Prepend::kNever;
      else if (scheme != "always") throw Error(where, "unknown Metaspace.prepend_scheme \"" + scheme + "\"");
    } else if (!bool_member(j, "add_prefix_space", true, where)) {
      prepend = Metaspace::Prepend::kNever;  // files from before prepend_scheme
    }
    return std::make_unique<Metaspace>(replacement, prepend, bool_member(j, "split", true, where));
  }
  if (type == "Digits") {
    // char::is_numeric is \p{N}.
    const bool individual = bool_member(j, "individual_digits", false, where);
    return std::make_unique<RegexSplit>(R"(\p{N})", individual ? Behavior::kIsolated : Behavior::kContiguous, false, where);
  }
  if (type == "Sequence") {
    const json& list = member(j, "pretokenizers", where);
    if (!list.is_array()) throw Error(where, "Sequence.pretokenizers must be an array");
    std::vector<std::unique_ptr<PreTokenizer>> steps;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto step = make_pre_tokenizer(list[i], where + "[" + std::to_string(i) + "]")) steps.push_back(std::move(step));
    return std::make_unique<Sequence>(std::move(steps));
  }
  throw Error(where, "pre_tokenizer type \"" + type + "\" is not supported (" + kSupported + ")");
}

}  // namespace mmh::tokenizer
