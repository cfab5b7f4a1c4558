#pragma once
// The stages of a tokenizer.json pipeline around the BPE model: normalizer,
// pre-tokenizer and decoder, each built from its JSON section. Types this code
// does not implement are refused at load time, with the list of supported ones.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace mmh::tokenizer {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  virtual void normalize(std::string& text) const = 0;
};

struct PreToken {
  std::string text;
  bool at_origin;  // starts at offset 0 of the original text (Metaspace's prepend_scheme "first")
};

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void split(std::vector<PreToken>& pieces) const = 0;
};

class Decoder {
 public:
  virtual ~Decoder() = default;
  // tokenizers' decode_chain: token strings in, token strings out.
  virtual void decode_chain(std::vector<std::string>& tokens) const = 0;
};

// `where` names the file and section for errors. A JSON null gives nullptr.
std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& j, const std::string& where);
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& j, const std::string& where);
std::unique_ptr<Decoder> make_decoder(const nlohmann::json& j, const std::string& where);

// Shared by the stages: a JSON member of the wanted kind, or mmh::Error.
const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& where);
std::string string_member(const nlohmann::json& j, const char* key, const std::string& where);
bool bool_member(const nlohmann::json& j, const char* key, bool fallback, const std::string& where);
std::string replace_all(std::string_view text, std::string_view from, std::string_view to);

}  // namespace mmh::tokenizer
