#include "common/json_file.h"

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace mmh {

void check_input_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw Error(path.string(), "no such file");
  if (std::filesystem::is_directory(path, ec)) throw Error(path.string(), "is a directory, not a file");
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw Error(path.string(), "is " + std::to_string(size) + " bytes, more than the " + std::to_string(max_bytes) +
                                   " this reader accepts");
}

std::string read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  check_input_file(path, max_bytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string(), "cannot be opened for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw Error(path.string(), "read error");
  return std::move(text).str();
}

nlohmann::json read_json_file(const std::filesystem::path& path) {
  const std::string text = read_text_file(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into line:column, which is what an editor shows.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    const auto detail = what.find(": ", what.find("parse error"));
    throw Error(path.string() + ":" + std::to_string(line) + ":" + std::to_string(column),
                "malformed JSON" + (detail == std::string::npos ? std::string() : what.substr(detail)));
  }
}

}  // namespace mmh
