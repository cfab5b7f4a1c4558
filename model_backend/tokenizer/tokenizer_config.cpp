#include "model_backend/tokenizer/tokenizer_config.h"

#include <algorithm>
#include <map>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::tokenizer {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<bool> optional_bool(const json& j, const char* key, const fs::path& file) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw Error(file.string(), std::string("\"") + key + "\" must be true or false");
  return it->get<bool>();
}

// A special token is written as "<s>" or as {"content": "<s>", ...}.
std::optional<std::string> token_content(const json& j, const char* key, const fs::path& file) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
    return (*it)["content"].get<std::string>();
  throw Error(file.string(), std::string("\"") + key + "\" must be a string or an object with \"content\"");
}

std::vector<std::string> token_list(const json& j, const char* key, const fs::path& file) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(file.string(), std::string("\"") + key + "\" must be an array");
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
    else if (item.is_object() && item.contains("content") && item["content"].is_string())
      out.push_back(item["content"].get<std::string>());
    else throw Error(file.string(), std::string("\"") + key + "\" entries must be strings or {\"content\": ...}");
  }
  return out;
}

json read_object(const fs::path& file) {
  json j = read_json_file(file);
  if (!j.is_object()) throw Error(file.string(), "expected a JSON object at the top level");
  return j;
}

}  // namespace

TokenizerConfig read_tokenizer_config(const fs::path& dir) {
  TokenizerConfig config;
  std::map<std::int32_t, AddedToken> added;

  // special_tokens_map.json first, so that tokenizer_config.json wins where both speak.
  if (const fs::path file = dir / "special_tokens_map.json"; fs::exists(file)) {
    const json j = read_object(file);
    config.bos_token = token_content(j, "bos_token", file);
    config.eos_token = token_content(j, "eos_token", file);
    config.unk_token = token_content(j, "unk_token", file);
    config.pad_token = token_content(j, "pad_token", file);
    config.additional_special_tokens = token_list(j, "additional_special_tokens", file);
  }

  if (const fs::path file = dir / "tokenizer_config.json"; fs::exists(file)) {
    const json j = read_object(file);
    config.has_tokenizer_config = true;
    if (const auto it = j.find("tokenizer_class"); it != j.end() && it->is_string())
      config.tokenizer_class = it->get<std::string>();
    config.legacy = optional_bool(j, "legacy", file);
    config.add_bos_token = optional_bool(j, "add_bos_token", file);
    config.add_eos_token = optional_bool(j, "add_eos_token", file);
    config.add_prefix_space = optional_bool(j, "add_prefix_space", file);
    config.clean_up_tokenization_spaces = optional_bool(j, "clean_up_tokenization_spaces", file);
    config.spaces_between_special_tokens = optional_bool(j, "spaces_between_special_tokens", file);
    for (const auto& [key, target] : {std::pair{"bos_token", &config.bos_token}, std::pair{"eos_token", &config.eos_token},
                                      std::pair{"unk_token", &config.unk_token}, std::pair{"pad_token", &config.pad_token}})
      if (j.contains(key)) *target = token_content(j, key, file);
    if (j.contains("additional_special_tokens"))
      config.additional_special_tokens = token_list(j, "additional_special_tokens", file);

    if (const auto it = j.find("added_tokens_decoder"); it != j.end() && !it->is_null()) {
      if (!it->is_object()) throw Error(file.string(), "\"added_tokens_decoder\" must be an object of id -> token");
      for (const auto& [key, value] : it->items()) {
        const std::string where = file.string() + ": added_tokens_decoder[\"" + key + "\"]";
        AddedToken token;
        try {
          std::size_t used = 0;
          token.id = std::stoi(key, &used);
          if (used != key.size() || token.id < 0) throw std::invalid_argument(key);
        } catch (const std::exception&) {
          throw Error(where, "the key must be a non-negative token id");
        }
        if (!value.is_object() || !value.contains("content") || !value["content"].is_string())
          throw Error(where, "expected an object with a string \"content\"");
        token.content = value["content"].get<std::string>();
        const auto flag = [&](const char* name, bool fallback) {
          const auto f = value.find(name);
          if (f == value.end() || f->is_null()) return fallback;
          if (!f->is_boolean()) throw Error(where, std::string("\"") + name + "\" must be true or false");
          return f->get<bool>();
        };
        token.lstrip = flag("lstrip", false);
        token.rstrip = flag("rstrip", false);
        token.single_word = flag("single_word", false);
        token.normalized = flag("normalized", true);
        token.special = flag("special", false);
        added[token.id] = token;
      }
    }
  }

  if (const fs::path file = dir / "added_tokens.json"; fs::exists(file)) {
    const json j = read_object(file);
    for (const auto& [content, id] : j.items()) {
      if (!id.is_number_integer() || id.get<std::int64_t>() < 0 || id.get<std::int64_t>() > INT32_MAX)
        throw Error(file.string() + ": \"" + content + "\"", "the value must be a non-negative token id");
      const auto token_id = id.get<std::int32_t>();
      if (added.count(token_id)) continue;
      AddedToken token;
      token.content = content;
      token.id = token_id;
      token.normalized = true;
      added[token_id] = token;
    }
  }

  for (auto& [id, token] : added) config.added_tokens.push_back(std::move(token));
  return config;
}

}  // namespace mmh::tokenizer
