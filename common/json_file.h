#pragma once
// Reading a JSON file the user gave us, with one clear error (mmh::Error,
// exit code 2) for each way it can be wrong: missing, unreadable, not UTF-8,
// malformed (with line and column), or too large.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"

namespace mmh {

// Larger files are refused rather than exhausting memory (the largest official
// annotation file, VQAv2 train annotations, is ~330 MB).
inline constexpr std::uintmax_t kMaxJsonFileBytes = 4ull << 30;

nlohmann::json read_json_file(const std::filesystem::path& path);

// Reads the whole file; throws mmh::Error naming it when missing or unreadable.
std::string read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxJsonFileBytes);

// The value of `key` in `object` as the given type, or an mmh::Error naming
// the file, the record and the key.
template <class T>
T json_field(const nlohmann::json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) throw Error(where, std::string("missing field \"") + key + "\"");
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    throw Error(where, std::string("field \"") + key + "\" has the wrong type (" + it->type_name() + ")");
  }
}

}  // namespace mmh
