// tokenizer.json as tokenizers' Tokenizer::encode / decode run it: added tokens
// split out first (non-normalized ones on the raw text, normalized ones after
// the normalizer), then normalizer, pre-tokenizer, BPE, post-processor.
#include "model_backend/tokenizer/bpe_tokenizer.h"

#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/tokenizer/bpe_model.h"
#include "model_backend/tokenizer/hf_cleanup.h"
#include "model_backend/tokenizer/pipeline.h"
#include "model_backend/tokenizer/post_processor.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

BpeModel read_bpe_model(const json& model, const std::string& where) {
  const std::string type = model.value("type", std::string("BPE"));
  if (type != "BPE")
    throw Error(where, "model type \"" + type + "\" is not supported (supported: BPE; SentencePiece models load from tokenizer.model)");
  if (model.contains("dropout") && !model["dropout"].is_null())
    throw Error(where, "BPE dropout is not supported (it makes encoding random)");
  const json& vocab_json = member(model, "vocab", where);
  if (!vocab_json.is_object()) throw Error(where, "model.vocab must be an object of token -> id");
  std::unordered_map<std::string, std::int32_t> vocab;
  vocab.reserve(vocab_json.size());
  for (const auto& [token, id] : vocab_json.items()) {
    if (!id.is_number_integer()) throw Error(where, "model.vocab[\"" + token + "\"] must be an integer id");
    vocab.emplace(token, id.get<std::int32_t>());
  }
  std::vector<std::pair<std::string, std::string>> merges;
  if (model.contains("merges")) {
    const json& list = model["merges"];
    if (!list.is_array()) throw Error(where, "model.merges must be an array");
    merges.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const json& m = list[i];
      const std::string at = where + ": model.merges[" + std::to_string(i) + "]";
      if (m.is_string()) {  // "a b", the format before tokenizers 0.20
        const std::string& s = m.get_ref<const std::string&>();
        const std::size_t space = s.find(' ');
        if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
          throw Error(at, "a merge string must be two tokens separated by one space: \"" + s + "\"");
        merges.emplace_back(s.substr(0, space), s.substr(space + 1));
      } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
        merges.emplace_back(m[0].get<std::string>(), m[1].get<std::string>());
      } else {
        throw Error(at, "a merge must be \"a b\" or [\"a\", \"b\"]");
      }
    }
  }
  BpeOptions options;
  if (model.contains("unk_token") && !model["unk_token"].is_null()) options.unk_token = string_member(model, "unk_token", where);
  const auto optional_string = [&](const char* key) {
    return model.contains(key) && !model[key].is_null() ? string_member(model, key, where) : std::string();
  };
  options.continuing_subword_prefix = optional_string("continuing_subword_prefix");
  options.end_of_word_suffix = optional_string("end_of_word_suffix");
  options.fuse_unk = bool_member(model, "fuse_unk", false, where);
  options.byte_fallback = bool_member(model, "byte_fallback", false, where);
  options.ignore_merges = bool_member(model, "ignore_merges", false, where);
  return BpeModel(std::move(vocab), merges, std::move(options), where);
}

std::vector<AddedToken> read_added_tokens(const json& root, const std::string& where) {
  std::vector<AddedToken> tokens;
  if (!root.contains("added_tokens") || root["added_tokens"].is_null()) return tokens;
  const json& list = root["added_tokens"];
  if (!list.is_array()) throw Error(where, "added_tokens must be an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = where + ": added_tokens[" + std::to_string(i) + "]";
    const json& t = list[i];
    AddedToken token;
    token.content = string_member(t, "content", at);
    const json& id = member(t, "id", at);
    if (!id.is_number_integer() || id.get<std::int64_t>() < 0) throw Error(at, "\"id\" must be a non-negative integer");
    token.id = id.get<std::int32_t>();
    token.lstrip = bool_member(t, "lstrip", false, at);
    token.rstrip = bool_member(t, "rstrip", false, at);
    token.single_word = bool_member(t, "single_word", false, at);
    token.normalized = bool_member(t, "normalized", true, at);
    token.special = bool_member(t, "special", false, at);
    tokens.push_back(std::move(token));
  }
  return tokens;
}

// Where the whitespace at the end of `s` begins (tokenizers' lstrip).
std::size_t trailing_space_begin(std::string_view s) {
  std::size_t begin = 0, pos = 0;
  while (pos < s.size())
    if (!is_white_space(utf8::next(s, pos))) begin = pos;
  return begin;
}

std::size_t leading_space_length(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t next = pos;
    if (!is_white_space(utf8::next(s, next))) break;
    pos = next;
  }
  return pos;
}

bool ends_with_word(std::string_view s) {
  if (s.empty()) return false;
  std::size_t start = s.size() - 1;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
  return is_word_char(utf8::next(s, start));
}

bool starts_with_word(std::string_view s) {
  std::size_t pos = 0;
  return !s.empty() && is_word_char(utf8::next(s, pos));
}

struct Segment {
  std::size_t begin, end;
  std::optional<std::int32_t> token;  // an added token's id, or text to tokenize
};

// tokenizers' AddedVocabulary::find_matches.
std::vector<Segment> split_on_added(std::string_view text, const AddedTokenMatcher& matcher) {
  std::vector<Segment> out;
  std::size_t pos = 0;
  for (const TokenMatch& m : matcher.find_all(text)) {
    const AddedToken& t = matcher.tokens()[m.token];
    std::size_t begin = m.begin, end = m.end;
    if (begin < pos) continue;  // swallowed by the previous token's rstrip
    if (t.single_word && ((begin > 0 && ends_with_word(text.substr(0, begin))) ||
                          (end < text.size() && starts_with_word(text.substr(end)))))
      continue;
    if (t.lstrip) begin = std::max(trailing_space_begin(text.substr(0, begin)), pos);
    if (t.rstrip) end += leading_space_length(text.substr(end));
    if (begin > pos) out.push_back({pos, begin, std::nullopt});
    out.push_back({begin, end, t.id});
    pos = end;
  }
  if (pos < text.size()) out.push_back({pos, text.size(), std::nullopt});
  return out;
}

class BpeTokenizer final : public Tokenizer {
 public:
  BpeTokenizer(const fs::path& file, const TokenizerConfig& config)
      : where_(file.string()), model_(load(file)) {
    std::vector<AddedToken> raw, normalized;
    for (const AddedToken& t : added_tokens_) {
      (t.normalized && normalizer_ ? normalized : raw).push_back(t);
      added_by_content_[t.content] = t.id;
      added_by_id_[t.id] = t.content;
      if (t.special) special_ids_.insert(t.id);
    }
    raw_matcher_ = AddedTokenMatcher(std::move(raw));
    normalized_matcher_ = AddedTokenMatcher(std::move(normalized));

    std::unordered_set<std::string> distinct;  // len(tokenizer): vocab and added tokens, by content
    std::int32_t max_id = model_.max_id();
    for (std::int32_t id = 0; id <= model_.max_id(); ++id)
      if (const std::string* t = model_.id_to_token(id)) distinct.insert(*t);
    for (const auto& [content, id] : added_by_content_) {
      distinct.insert(content);
      max_id = std::max(max_id, id);
    }
    size_ = distinct.size();
    id_limit_ = static_cast<std::size_t>(max_id) + 1;

    // transformers' default is true for a fast tokenizer with a config; the
    // Rust library alone (no config) never cleans up.
    clean_up_ = config.clean_up_tokenization_spaces.value_or(config.has_tokenizer_config);
    const auto id_of = [&](const std::optional<std::string>& t) { return t ? token_id(*t) : std::nullopt; };
    bos_id = id_of(config.bos_token);
    eos_id = id_of(config.eos_token);
    pad_id = id_of(config.pad_token);
    unk_id = id_of(config.unk_token);
    if (!bos_id && !config.bos_token && !frame_.before_tokens.empty()) bos_id = token_id(frame_.before_tokens.front());
    if (!unk_id && unk_token_) unk_id = token_id(*unk_token_);
    kind = "bpe";
  }

  std::vector<std::int32_t> encode(std::string_view text, bool add_special) const override {
    utf8::check_valid(text, "text to encode");
    std::vector<std::int32_t> ids;
    if (add_special) ids = frame_.before;
    std::vector<PreToken> pieces;
    for (const Segment& raw : split_on_added(text, raw_matcher_)) {
      if (raw.token) {
        ids.push_back(*raw.token);
        continue;
      }
      std::string normalized(text.substr(raw.begin, raw.end - raw.begin));
      if (normalizer_) normalizer_->normalize(normalized);
      for (const Segment& seg : split_on_added(normalized, normalized_matcher_)) {
        if (seg.token) {
          ids.push_back(*seg.token);
          continue;
        }
        pieces.assign(1, {normalized.substr(seg.begin, seg.end - seg.begin), raw.begin == 0 && seg.begin == 0});
        if (pre_tokenizer_) pre_tokenizer_->split(pieces);
        for (const PreToken& p : pieces) model_.tokenize(p.text, ids);
      }
    }
    if (add_special) ids.insert(ids.end(), frame_.after.begin(), frame_.after.end());
    return ids;
  }

  std::string decode(const std::vector<std::int32_t>& ids, bool skip_special) const override {
    std::vector<std::string> tokens;
    tokens.reserve(ids.size());
    for (std::int32_t id : ids) {
      std::string token = token_text(id);
      if (skip_special && special_ids_.count(id)) continue;
      tokens.push_back(std::move(token));
    }
    std::string text;
    if (decoder_) {
      decoder_->decode_chain(tokens);
      for (const auto& t : tokens) text += t;
    } else {
      for (std::size_t i = 0; i < tokens.size(); ++i) text += (i ? " " : "") + tokens[i];
    }
    return clean_up_ ? clean_up_tokenization(std::move(text)) : text;
  }

  std::string token_text(std::int32_t id) const override {
    if (const auto it = added_by_id_.find(id); it != added_by_id_.end()) return it->second;
    if (const std::string* t = model_.id_to_token(id)) return *t;
    throw Error("decode", "token id " + std::to_string(id) + " is not in the vocabulary of " + where_ + " (" +
                              std::to_string(id_limit_) + " ids)");
  }

  std::optional<std::int32_t> token_id(std::string_view token) const override {
    if (const auto it = added_by_content_.find(std::string(token)); it != added_by_content_.end()) return it->second;
    return model_.token_to_id(token);
  }

  std::size_t size() const override { return size_; }
  bool is_special(std::int32_t id) const override { return special_ids_.count(id) > 0; }

 private:
  // Reads the file and every stage except the model, which it returns.
  BpeModel load(const fs::path& file) {
    const json root = read_json_file(file);
    if (!root.is_object()) throw Error(where_, "expected a JSON object at the top level");
    const json& model = member(root, "model", where_);
    if (!model.is_object()) throw Error(where_, "\"model\" must be an object");
    if (model.contains("unk_token") && model["unk_token"].is_string()) unk_token_ = model["unk_token"].get<std::string>();
    for (const char* key : {"truncation", "padding"})
      if (root.contains(key) && !root[key].is_null())
        throw Error(where_, std::string("\"") + key + "\" is set; truncation and padding are not supported here");
    added_tokens_ = read_added_tokens(root, where_);
    const auto section = [&](const char* key) -> const json& {
      static const json null_json;
      return root.contains(key) ? root[key] : null_json;
    };
    normalizer_ = make_normalizer(section("normalizer"), where_ + ": normalizer");
    pre_tokenizer_ = make_pre_tokenizer(section("pre_tokenizer"), where_ + ": pre_tokenizer");
    decoder_ = make_decoder(section("decoder"), where_ + ": decoder");
    frame_ = make_special_frame(section("post_processor"), where_ + ": post_processor");
    return read_bpe_model(model, where_ + ": model");
  }

  std::string where_;
  std::vector<AddedToken> added_tokens_;
  std::optional<std::string> unk_token_;
  std::unique_ptr<Normalizer> normalizer_;
  std::unique_ptr<PreTokenizer> pre_tokenizer_;
  std::unique_ptr<Decoder> decoder_;
  SpecialFrame frame_;
  BpeModel model_;
  AddedTokenMatcher raw_matcher_, normalized_matcher_;
  std::unordered_map<std::string, std::int32_t> added_by_content_;
  std::unordered_map<std::int32_t, std::string> added_by_id_;
  std::unordered_set<std::int32_t> special_ids_;
  std::size_t size_ = 0, id_limit_ = 0;
  bool clean_up_ = false;
};

}  // namespace

std::unique_ptr<Tokenizer> make_bpe_tokenizer(const fs::path& tokenizer_json, const TokenizerConfig& config) {
  return std::make_unique<BpeTokenizer>(tokenizer_json, config);
}

}  // namespace mmh::tokenizer
