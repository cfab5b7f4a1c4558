// Small helpers the tokenizer.json stages share.
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "model_backend/tokenizer/pipeline.h"

namespace mmh::tokenizer {

const nlohmann::json& member(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw Error(where, std::string("missing \"") + key + "\"");
  return j[key];
}

std::string string_member(const nlohmann::json& j, const char* key, const std::string& where) {
  const nlohmann::json& v = member(j, key, where);
  if (!v.is_string()) throw Error(where, std::string("\"") + key + "\" must be a string");
  return v.get<std::string>();
}

bool bool_member(const nlohmann::json& j, const char* key, bool fallback, const std::string& where) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return fallback;
  if (!j[key].is_boolean()) throw Error(where, std::string("\"") + key + "\" must be true or false");
  return j[key].get<bool>();
}

std::string replace_all(std::string_view text, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  for (std::size_t hit; (hit = text.find(from, pos)) != std::string_view::npos; pos = hit + from.size()) {
    out.append(text.substr(pos, hit - pos));
    out += to;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace mmh::tokenizer
