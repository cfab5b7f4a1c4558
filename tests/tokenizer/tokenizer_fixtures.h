#pragma once
// Shared by the tokenizer tests: reading the refdata vector files and
// building throwaway tokenizer folders.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/refdata.h"

namespace mmh::test {

struct TokenizerCase {
  std::string text;
  std::vector<std::int32_t> ids, ids_with_special;
  std::vector<std::string> pieces;
  bool has_ids_with_special = false;
};

inline nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return nlohmann::json::parse(ss.str());
}

inline std::vector<TokenizerCase> read_vectors(const std::string& relative) {
  std::vector<TokenizerCase> cases;
  for (const auto& j : read_json(refdata(relative))) {
    TokenizerCase c;
    c.text = j.at("text").get<std::string>();
    c.ids = j.at("ids").get<std::vector<std::int32_t>>();
    if (j.contains("ids_with_special")) {
      c.ids_with_special = j["ids_with_special"].get<std::vector<std::int32_t>>();
      c.has_ids_with_special = true;
    }
    if (j.contains("pieces")) c.pieces = j["pieces"].get<std::vector<std::string>>();
    cases.push_back(std::move(c));
  }
  return cases;
}

// A JSON-escaped form of the text for failure messages (texts hold control characters).
inline std::string shown(const std::string& text) { return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace mmh::test
