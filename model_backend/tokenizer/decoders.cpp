// Decoders of tokenizers: ByteLevel, and the pieces of Llama-2's
// Sequence[Replace, ByteFallback, Fuse, Strip]; also Metaspace.
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/tokenizer/byte_level.h"
#include "model_backend/tokenizer/pipeline.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

using nlohmann::json;

class ByteLevelDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const auto& t : tokens)
      if (!from_byte_level(t, bytes)) bytes += t;  // not byte-level (an added token): its own bytes
    tokens.assign(1, utf8::lossy(bytes));
  }
};

class ReplaceDecoder final : public Decoder {
 public:
  ReplaceDecoder(std::string from, std::string to) : from_(std::move(from)), to_(std::move(to)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    if (from_.empty()) return;
    for (auto& t : tokens) t = replace_all(t, from_, to_);
  }

 private:
  std::string from_, to_;
};

class ByteFallbackDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string pending;  // consecutive <0xNN> bytes
    const auto flush = [&] {
      if (pending.empty()) return;
      if (utf8::first_invalid_byte(pending) == std::string::npos) {
        out.push_back(pending);
      } else {
        for (std::size_t i = 0; i < pending.size(); ++i) out.emplace_back(utf8::kReplacementChar);
      }
      pending.clear();
    };
    for (auto& t : tokens) {
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && std::isxdigit(static_cast<unsigned char>(t[3])) &&
          std::isxdigit(static_cast<unsigned char>(t[4]))) {
        pending += static_cast<char>(std::stoi(t.substr(3, 2), nullptr, 16));
        continue;
      }
      flush();
      out.push_back(std::move(t));
    }
    flush();
    tokens = std::move(out);
  }
};

class FuseDecoder final : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    tokens.assign(1, all);
  }
};

class StripDecoder final : public Decoder {
 public:
  StripDecoder(char32_t content, std::size_t start, std::size_t stop) : content_(content), start_(start), stop_(stop) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (auto& t : tokens) {
      std::vector<char32_t> chars;
      for (std::size_t pos = 0; pos < t.size();) chars.push_back(utf8::next(t, pos));
      std::size_t begin = 0, end = chars.size();
      for (std::size_t i = 0; i < start_ && i < chars.size() && chars[i] == content_; ++i) begin = i + 1;
      for (std::size_t i = 0; i < stop_ && i < chars.size() && chars[chars.size() - 1 - i] == content_; ++i)
        end = chars.size() - 1 - i;
      std::string s;
      for (std::size_t i = begin; i < end; ++i) utf8::append(s, chars[i]);
      t = std::move(s);
    }
  }

 private:
  char32_t content_;
  std::size_t start_, stop_;
};

class MetaspaceDecoder final : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, bool strip_first) : replacement_(std::move(replacement)), strip_first_(strip_first) {}
  // As tokenizers does: in the first token every replacement character is
  // dropped (the prepended one), elsewhere each becomes a space.
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::size_t i = 0; i < tokens.size(); ++i)
      tokens[i] = replace_all(tokens[i], replacement_, i == 0 && strip_first_ ? "" : " ");
  }

 private:
  std::string replacement_;
  bool strip_first_;
};

class SequenceDecoder final : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> steps) : steps_(std::move(steps)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& s : steps_) s->decode_chain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> steps_;
};

}  // namespace

std::unique_ptr<Decoder> make_decoder(const json& j, const std::string& where) {
  if (j.is_null()) return nullptr;
  const std::string type = string_member(j, "type", where);
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Replace") {
    const json& pattern = member(j, "pattern", where);
    if (!pattern.contains("String")) throw Error(where, "Replace decoder: only a \"String\" pattern is supported");
    return std::make_unique<ReplaceDecoder>(string_member(pattern, "String", where), string_member(j, "content", where));
  }
  if (type == "Strip") {
    const std::string content = string_member(j, "content", where);
    std::size_t pos = 0;
    if (content.empty() || (utf8::next(content, pos), pos != content.size()))
      throw Error(where, "Strip.content must be one character");
    pos = 0;
    const auto count = [&](const char* key) {
      const json& v = member(j, key, where);
      if (!v.is_number_unsigned()) throw Error(where, std::string("Strip.") + key + " must be a non-negative integer");
      return v.get<std::size_t>();
    };
    return std::make_unique<StripDecoder>(utf8::next(content, pos), count("start"), count("stop"));
  }
  if (type == "Metaspace") {
    bool strip_first = bool_member(j, "add_prefix_space", true, where);
    if (j.contains("prepend_scheme")) strip_first = string_member(j, "prepend_scheme", where) != "never";
    return std::make_unique<MetaspaceDecoder>(string_member(j, "replacement", where), strip_first);
  }
  if (type == "Sequence") {
    const json& list = member(j, "decoders", where);
    if (!list.is_array()) throw Error(where, "Sequence.decoders must be an array");
    std::vector<std::unique_ptr<Decoder>> steps;
    for (std::size_t i = 0; i < list.size(); ++i)
      if (auto step = make_decoder(list[i], where + "[" + std::to_string(i) + "]")) steps.push_back(std::move(step));
    return std::make_unique<SequenceDecoder>(std::move(steps));
  }
  throw Error(where, "decoder type \"" + type +
                         "\" is not supported (supported: ByteLevel, ByteFallback, Fuse, Replace, Strip, Metaspace, Sequence)");
}

}  // namespace mmh::tokenizer
