// The slow transformers tokenizers over libsentencepiece. Where transformers
// differs from plain sentencepiece, this file follows transformers v4.44:
// PreTrainedTokenizer.tokenize/_decode, LlamaTokenizer.tokenize/_tokenize/
// convert_tokens_to_string (with `legacy`), GemmaTokenizer._tokenize/_decode.
#include "model_backend/tokenizer/sentencepiece_tokenizer.h"
#include "model_backend/tokenizer/spm_library.h"


#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "common/json_file.h"
#include "model_backend/tokenizer/hf_cleanup.h"
#include "model_backend/tokenizer/pipeline.h"
#include "model_backend/tokenizer/utf8.h"

namespace mmh::tokenizer {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kSpaceSymbol = "\xE2\x96\x81";  // U+2581, sentencepiece's space
constexpr std::uintmax_t kMaxModelBytes = 1ull << 30;

// ModelProto field 3 (normalizer_spec) holding NormalizerSpec field 3
// (add_dummy_prefix) = false. Appending a message field to a serialized proto
// merges it, which is exactly transformers' `model.normalizer_spec.MergeFrom(...)`.
constexpr std::string_view kNoDummyPrefixPatch{"\x1A\x02\x18\x00", 4};

enum class Wrapper { kLlama, kGemma };

struct Piece {
  std::int32_t id;
  std::string text;
};

bool python_is_space(char32_t cp) { return is_white_space(cp) || (cp >= 0x1C && cp <= 0x1F); }

// Python's str.lstrip() / str.rstrip() with no argument.
std::string python_lstrip(const std::string& s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t next = pos;
    if (!python_is_space(utf8::next(s, next))) break;
    pos = next;
  }
  return s.substr(pos);
}

std::string python_rstrip(const std::string& s) {
  std::size_t end = 0, pos = 0;
  while (pos < s.size())
    if (!python_is_space(utf8::next(s, pos))) end = pos;
  return s.substr(0, end);
}


bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

class SentencePieceTokenizer final : public Tokenizer {
 public:
  SentencePieceTokenizer(const fs::path& file, const TokenizerConfig& config) : where_(file.string()) {
    const std::string& cls = config.tokenizer_class.value_or("LlamaTokenizer");
    if (cls == "LlamaTokenizer" || cls == "LlamaTokenizerFast") {
      wrapper_ = Wrapper::kLlama;
    } else if (cls == "GemmaTokenizer" || cls == "GemmaTokenizerFast") {
      wrapper_ = Wrapper::kGemma;
    } else {
      throw Error((file.parent_path() / "tokenizer_config.json").string(),
                  "tokenizer_class \"" + cls + "\" is not supported with tokenizer.model (supported: LlamaTokenizer, "
                  "GemmaTokenizer and their Fast variants, which load with the slow semantics)");
    }
    const bool llama = wrapper_ == Wrapper::kLlama;
    legacy_ = config.legacy.value_or(true);  // transformers' default when "legacy" is unset
    add_bos_ = config.add_bos_token.value_or(true);
    add_eos_ = config.add_eos_token.value_or(false);
    add_prefix_space_ = config.add_prefix_space.value_or(true);
    clean_up_ = config.clean_up_tokenization_spaces.value_or(false);
    spaces_between_special_ = config.spaces_between_special_tokens.value_or(llama);

    std::string proto = read_text_file(file, kMaxModelBytes);
    if (llama && !legacy_) proto += kNoDummyPrefixPatch;  // get_spm_processor(), legacy=False
    if (const auto status = sp_.load_from_serialized_proto(proto); !status.empty())
      throw Error(where_, "not a valid SentencePiece model (" + status + ")");
    const int piece_count = sp_.piece_size();
    if (piece_count <= 0) throw Error(where_, "the SentencePiece model has no pieces");

    // Special token strings: the config's, else the model's own pieces.
    const auto own_piece = [&](int id, const char* fallback) -> std::optional<std::string> {
      if (id >= 0 && id < piece_count) return sp_.id_to_piece(id);
      return fallback ? std::optional<std::string>(fallback) : std::nullopt;
    };
    const bool configured = config.has_tokenizer_config;
    const auto special = [&](const std::optional<std::string>& value, int model_id, const char* llama_default,
                             const char* gemma_default) {
      if (value) return value;
      if (configured) {
        const char* d = llama ? llama_default : gemma_default;
        return d ? std::optional<std::string>(d) : std::nullopt;
      }
      return own_piece(model_id, nullptr);
    };
    const auto bos = special(config.bos_token, sp_.bos_id(), "<s>", "<bos>");
    const auto eos = special(config.eos_token, sp_.eos_id(), "</s>", "<eos>");
    const auto unk = special(config.unk_token, sp_.unk_id(), "<unk>", "<unk>");
    const auto pad = special(config.pad_token, sp_.pad_id(), nullptr, "<pad>");

    // Added tokens: the config's, plus the special tokens (transformers adds those too).
    std::vector<AddedToken> added = config.added_tokens;
    for (const auto& t : added) {
      added_by_content_[t.content] = t.id;
      added_by_id_[t.id] = t.content;
    }
    for (const auto* token : {&bos, &eos, &unk, &pad}) {
      if (!*token || added_by_content_.count(**token)) continue;
      const int id = sp_.piece_to_id(**token);
      if (sp_.id_to_piece(id) != **token) continue;  // not in the model: nothing to match
      added.push_back({**token, id, false, false, false, false, true});
      added_by_content_[**token] = id;
      added_by_id_[id] = **token;
    }
    matcher_ = AddedTokenMatcher(added);

    std::vector<std::string> all_special;
    for (const auto* token : {&bos, &eos, &unk, &pad})
      if (*token) all_special.push_back(**token);
    for (const auto& t : config.additional_special_tokens) all_special.push_back(t);
    for (const auto& t : all_special) {
      special_tokens_.insert(t);
      if (const auto id = token_id(t)) special_ids_.insert(*id);
    }
    // _decode's "legacy_added_tokens": decoded apart from the sentencepiece text.
    for (const auto& t : added)
      if (!special_tokens_.count(t.content)) legacy_added_.insert(t.content);
    for (const auto& t : config.additional_special_tokens)
      if (const auto id = token_id(t); id && *id >= piece_count) legacy_added_.insert(t);

    std::unordered_set<std::string> distinct;  // len(tokenizer) = len(get_vocab())
    for (int i = 0; i < piece_count; ++i) distinct.insert(sp_.id_to_piece(i));
    std::int32_t max_id = piece_count - 1;
    for (const auto& [content, id] : added_by_content_) {
      distinct.insert(content);
      max_id = std::max(max_id, id);
    }
    size_ = distinct.size();
    id_limit_ = static_cast<std::size_t>(max_id) + 1;

    unk_token_ = unk.value_or("<unk>");
    unk_token_length_ = sp_encode(unk_token_).size();
    bos_id = bos ? token_id(*bos) : std::nullopt;
    eos_id = eos ? token_id(*eos) : std::nullopt;
    unk_id = unk ? token_id(*unk) : std::nullopt;
    pad_id = pad ? token_id(*pad) : std::nullopt;
    kind = "sentencepiece";
  }

  std::vector<std::int32_t> encode(std::string_view text, bool add_special) const override {
    utf8::check_valid(text, "text to encode");
    std::vector<std::int32_t> ids;
    if (add_special && add_bos_ && bos_id) ids.push_back(*bos_id);
    for (const Piece& p : tokenize(text)) ids.push_back(p.id);
    if (add_special && add_eos_ && eos_id) ids.push_back(*eos_id);
    return ids;
  }

  std::string decode(const std::vector<std::int32_t>& ids, bool skip_special) const override {
    for (std::int32_t id : ids) check_id(id);
    return wrapper_ == Wrapper::kGemma ? decode_gemma(ids, skip_special) : decode_llama(ids, skip_special);
  }

  std::string token_text(std::int32_t id) const override {
    check_id(id);
    if (const auto it = added_by_id_.find(id); it != added_by_id_.end()) return it->second;
    return sp_.id_to_piece(id);
  }

  std::optional<std::int32_t> token_id(std::string_view token) const override {
    if (const auto it = added_by_content_.find(std::string(token)); it != added_by_content_.end()) return it->second;
    const int id = sp_.piece_to_id(token);
    if (id >= 0 && sp_.id_to_piece(id) == token) return id;
    return std::nullopt;
  }

  std::size_t size() const override { return size_; }
  bool is_special(std::int32_t id) const override { return special_ids_.count(id) > 0; }

 private:
  void check_id(std::int32_t id) const {
    const bool known = id >= 0 && (id < sp_.piece_size() || added_by_id_.count(id));
    if (!known)
      throw Error("decode", "token id " + std::to_string(id) + " is not in the vocabulary of " + where_ + " (" +
                                std::to_string(id_limit_) + " ids)");
  }

  std::vector<Piece> sp_encode(std::string_view text) const {
    std::vector<SpmPiece> spt;
    if (const auto status = sp_.encode(text, &spt); !status.empty())
      throw Error(where_, "sentencepiece could not encode the text (" + status + ")");
    std::vector<Piece> out;
    out.reserve(spt.size());
    for (const auto& p : spt) {
      // convert_tokens_to_ids looks at added tokens before the model.
      const auto added = added_by_content_.find(p.piece);
      out.push_back({added != added_by_content_.end() ? added->second : static_cast<std::int32_t>(p.id), p.piece});
    }
    return out;
  }

  // LlamaTokenizer._tokenize (GemmaTokenizer's is plain sp encode).
  std::vector<Piece> tokenize_segment(const std::string& text) const {
    if (wrapper_ == Wrapper::kGemma || legacy_ || !(starts_with(text, kSpaceSymbol) || starts_with(text, " ")))
      return sp_encode(text);
    // Without the dummy prefix sentencepiece would drop the leading "▁";
    // encoding "<unk>" + text and dropping the unk pieces keeps it.
    auto pieces = sp_encode(unk_token_ + text);
    if (pieces.size() >= unk_token_length_)
      pieces.erase(pieces.begin(), pieces.begin() + static_cast<std::ptrdiff_t>(unk_token_length_));
    return pieces;
  }

  // PreTrainedTokenizer.tokenize: split out the added tokens (trie), apply their
  // strip flags to the neighbouring text, tokenize the rest.
  std::vector<Piece> split_and_tokenize(const std::string& text) const {
    std::vector<std::string> parts;
    std::size_t pos = 0;
    for (const TokenMatch& m : matcher_.find_all(text)) {
      if (m.begin > pos) parts.push_back(text.substr(pos, m.begin - pos));
      parts.push_back(text.substr(m.begin, m.end - m.begin));
      pos = m.end;
    }
    if (pos < text.size()) parts.push_back(text.substr(pos));

    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto it = added_by_content_.find(parts[i]);
      if (it == added_by_content_.end()) continue;
      const AddedToken* token = nullptr;
      for (const auto& t : matcher_.tokens())
        if (t.content == parts[i]) token = &t;
      if (!token) continue;
      const bool has_left = i > 0 && !parts[i - 1].empty();
      const bool has_right = i + 1 < parts.size() && !parts[i + 1].empty();
      if (token->rstrip && has_right) parts[i + 1] = python_lstrip(parts[i + 1]);
      if (token->lstrip && has_left) parts[i - 1] = python_rstrip(parts[i - 1]);
      if (token->single_word && has_left && parts[i - 1].back() != ' ') {
        parts[i - 1] += parts[i];
        parts[i].clear();
      } else if (token->single_word && has_right && parts[i + 1].front() != ' ') {
        parts[i] += parts[i + 1];
        parts[i + 1].clear();
      }
    }

    std::vector<Piece> out;
    for (const auto& part : parts) {
      if (part.empty()) continue;
      if (const auto it = added_by_content_.find(part); it != added_by_content_.end()) {
        out.push_back({it->second, part});
      } else {
        auto pieces = tokenize_segment(part);
        out.insert(out.end(), std::make_move_iterator(pieces.begin()), std::make_move_iterator(pieces.end()));
      }
    }
    return out;
  }

  // LlamaTokenizer.tokenize: with legacy=False the text gets one "▁" in front
  // (the model itself no longer adds a dummy prefix), and no segment after an
  // added token gets one.
  std::vector<Piece> tokenize(std::string_view text) const {
    const bool modern = wrapper_ == Wrapper::kLlama && !legacy_ && !text.empty();
    if (!modern) return split_and_tokenize(std::string(text));
    std::string work = replace_all(text, kSpaceSymbol, " ");
    if (add_prefix_space_) work.insert(0, kSpaceSymbol);
    auto pieces = split_and_tokenize(work);
    if (pieces.size() > 1 && pieces[0].text == kSpaceSymbol && special_tokens_.count(pieces[1].text))
      pieces.erase(pieces.begin());
    return pieces;
  }

  std::string sp_decode(const std::vector<std::string>& pieces) const {
    std::string out;
    if (const auto status = sp_.decode(pieces, &out); !status.empty())
      throw Error(where_, "sentencepiece could not decode (" + status + ")");
    return out;
  }

  // LlamaTokenizer.convert_tokens_to_string.
  std::string convert_tokens_to_string(std::vector<std::string> tokens) const {
    if (tokens.empty()) return "";
    if (starts_with(tokens[0], kSpaceSymbol) && add_prefix_space_) tokens[0].erase(0, kSpaceSymbol.size());
    std::vector<std::string> current;
    std::string out;
    bool prev_is_special = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const std::string& token = tokens[i];
      if (special_tokens_.count(token)) {
        if (!prev_is_special && i != 0 && legacy_) out += ' ';
        out += sp_decode(current) + token;
        prev_is_special = true;
        current.clear();
      } else {
        if (prev_is_special && i == 1 && add_prefix_space_ && !starts_with(token, kSpaceSymbol)) out += ' ';
        current.push_back(token);
        prev_is_special = false;
      }
    }
    return out + sp_decode(current);
  }

  // PreTrainedTokenizer._decode with LlamaTokenizer's convert_tokens_to_string.
  std::string decode_llama(const std::vector<std::int32_t>& ids, bool skip_special) const {
    std::vector<std::string> sub_texts, current;
    for (std::int32_t id : ids) {
      if (skip_special && special_ids_.count(id)) continue;
      std::string token = token_text(id);
      if (legacy_added_.count(token)) {
        if (!current.empty()) {
          std::string s = convert_tokens_to_string(current);
          if (!s.empty()) sub_texts.push_back(std::move(s));
          current.clear();
        }
        sub_texts.push_back(std::move(token));
      } else {
        current.push_back(std::move(token));
      }
    }
    if (!current.empty()) sub_texts.push_back(convert_tokens_to_string(current));
    std::string text;
    for (std::size_t i = 0; i < sub_texts.size(); ++i) {
      if (i && spaces_between_special_) text += ' ';
      text += sub_texts[i];
    }
    return clean_up_ ? clean_up_tokenization(std::move(text)) : text;
  }

  // GemmaTokenizer._decode (no clean-up).
  std::string decode_gemma(const std::vector<std::int32_t>& ids, bool skip_special) const {
    std::vector<std::string> sub_texts;
    std::vector<int> current;
    const auto flush = [&] {
      if (current.empty()) return;
      std::string s;
      if (const auto status = sp_.decode_ids(current, &s); !status.empty())
        throw Error(where_, "sentencepiece could not decode (" + status + ")");
      sub_texts.push_back(std::move(s));
      current.clear();
    };
    for (std::int32_t id : ids) {
      if (skip_special && special_ids_.count(id)) continue;
      if (const auto it = added_by_id_.find(id); it != added_by_id_.end()) {
        flush();
        sub_texts.push_back(it->second);
      } else {
        current.push_back(id);
      }
    }
    flush();
    std::string text;
    for (std::size_t i = 0; i < sub_texts.size(); ++i) {
      if (i && spaces_between_special_) text += ' ';
      text += sub_texts[i];
    }
    return replace_all(text, kSpaceSymbol, " ");
  }

  SpmProcessor sp_;
  std::string where_;
  Wrapper wrapper_ = Wrapper::kLlama;
  bool legacy_ = true, add_bos_ = true, add_eos_ = false, add_prefix_space_ = true;
  bool clean_up_ = false, spaces_between_special_ = true;
  std::string unk_token_;
  std::size_t unk_token_length_ = 0;
  AddedTokenMatcher matcher_;
  std::unordered_map<std::string, std::int32_t> added_by_content_;
  std::unordered_map<std::int32_t, std::string> added_by_id_;
  std::unordered_set<std::string> special_tokens_;  // all_special_tokens
  std::unordered_set<std::int32_t> special_ids_;    // all_special_ids
  std::unordered_set<std::string> legacy_added_;
  std::size_t size_ = 0, id_limit_ = 0;
};

}  // namespace

std::unique_ptr<Tokenizer> make_sentencepiece_tokenizer(const fs::path& model_file, const TokenizerConfig& config) {
  return std::make_unique<SentencePieceTokenizer>(model_file, config);
}

}  // namespace mmh::tokenizer
