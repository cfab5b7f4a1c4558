#pragma once
// Reading a JSON file the user gave us, with one clear error (mmh::Error,
// exit code 2) for each way it can be wrong: missing, unreadable, not UTF-8,
// malformed (with line and column), or too large.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace mmh {

// Larger files are refused rather than exhausting memory (the largest official
// annotation file, VQAv2 train annotations, is ~330 MB).
inline constexpr std::uintmax_t kMaxJsonFileBytes = 4ull << 30;

nlohmann::json read_json_file(const std::filesystem::path& path);

// Checks that `path` names a readable input no larger than max_bytes (pipes
// and devices pass: their size is unknown); throws mmh::Error naming it.
void check_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxJsonFileBytes);

// Reads the whole file; throws mmh::Error naming it when missing or unreadable.
std::string read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxJsonFileBytes);

}  // namespace mmh
