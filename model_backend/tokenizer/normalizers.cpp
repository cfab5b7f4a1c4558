// Normalizers of tokenizers that the supported files use: NFC (Qwen2),
// Prepend + Replace (Llama-2's legacy conversion), Strip, Sequence.
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/tokenizer/added_tokens.h"
#include "model_backend/tokenizer/pipeline.h"
#include "model_backend/tokenizer/regex.h"
#include "model_backend/tokenizer/unicode_nfc.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

using nlohmann::json;

class Nfc final : public Normalizer {
 public:
  void normalize(std::string& text) const override { text = to_nfc(text); }
};

class Prepend final : public Normalizer {
 public:
  explicit Prepend(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);  // tokenizers leaves an empty string empty
  }

 private:
  std::string prefix_;
};

class ReplaceString final : public Normalizer {
 public:
  ReplaceString(std::string from, std::string to) : from_(std::move(from)), to_(std::move(to)) {}
  void normalize(std::string& text) const override {
    if (!from_.empty()) text = replace_all(text, from_, to_);
  }

 private:
  std::string from_, to_;
};

class ReplaceRegex final : public Normalizer {
 public:
  ReplaceRegex(const std::string& pattern, std::string to, const std::string& where)
      : regex_(pattern, where), to_(std::move(to)) {}
  void normalize(std::string& text) const override {
    std::string out;
    std::size_t pos = 0;
    for (const auto& [begin, end] : regex_.find_all(text)) {
      out.append(text, pos, begin - pos);
      out += to_;
      pos = end;
    }
    out.append(text, pos);
    text = std::move(out);
  }

 private:
  Regex regex_;
  std::string to_;
};

class Strip final : public Normalizer {
 public:
  Strip(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    std::size_t begin = 0, end = text.size();
    if (left_) {
      while (begin < end) {
        std::size_t next = begin;
        if (!is_white_space(utf8::next(text, next))) break;
        begin = next;
      }
    }
    if (right_) {
      std::size_t pos = begin, last = begin;
      while (pos < end)
        if (!is_white_space(utf8::next(text, pos))) last = pos;
      end = last;
    }
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

class Sequence final : public Normalizer {
 public:
  explicit Sequence(std::vector<std::unique_ptr<Normalizer>> steps) : steps_(std::move(steps)) {}
  void normalize(std::string& text) const override {
    for (const auto& s : steps_) s->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> steps_;
};

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const json& j, const std::string& where) {
  if (j.is_null()) return nullptr;
  const std::string type = string_member(j, "type", where);
  if (type == "NFC") return std::make_unique<Nfc>();
  if (type == "Prepend") return std::make_unique<Prepend>(string_member(j, "prepend", where));
  if (type == "Replace") {
    const json& pattern = member(j, "pattern", where);
    const std::string content = string_member(j, "content", where);
    if (pattern.contains("String")) return std::make_unique<ReplaceString>(string_member(pattern, "String", where), content);
    if (pattern.contains("Regex")) return std::make_unique<ReplaceRegex>(string_member(pattern, "Regex", where), content, where);
    throw Error(where, "Replace.pattern must have \"String\" or \"Regex\"");
  }
  if (type == "Strip") return std::make_unique<Strip>(bool_member(j, "strip_left", true, where), bool_member(j, "strip_right", true, where));
  if (type == "Sequence") {
    const json& list = member(j, "normalizers", where);
    if (!list.is_array()) throw Error(where, "Sequence.normalizers must be an array");
    std::vector<std::unique_ptr<Normalizer>> steps;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto step = make_normalizer(list[i], where + "[" + std::to_string(i) + "]")) steps.push_back(std::move(step));
    return std::make_unique<Sequence>(std::move(steps));
  }
  throw Error(where, "normalizer type \"" + type + "\" is not supported (supported: NFC, Prepend, Replace, Strip, Sequence)");
}

}  // namespace mmh::tokenizer
