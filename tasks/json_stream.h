#pragma once
// Streaming reads of large official files with simdjson's On-Demand API: no
// DOM tape, strings unescaped once into the parser's buffer. The hot readers
// (VQA annotations and questions, results files) use it; everything they do
// not need is still walked, so a malformed value anywhere is reported.
//
// Errors: a syntax error becomes one mmh::Error naming the file and line:column
// ("malformed JSON"); wrong shapes and types are the caller's, via the helpers
// below, which name the file and record.
#include <simdjson.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace mmh::tasks::json_stream {

namespace fs = std::filesystem;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

// A parsed file. Views from it (strings, keys) stay valid while it lives.
class Document {
 public:
  explicit Document(const fs::path& file);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const fs::path& file() const { return file_; }
  simdjson::ondemand::document& root() { return document_; }
  // Runs read(root()) and converts simdjson's syntax errors into mmh::Error with
  // the line and column; also refuses trailing content after the top value.
  template <class Read>
  void read(Read&& read_root) {
    try {
      read_root(document_);
      const char* rest = nullptr;  // simdjson 3.0 has no document::at_end()
      if (!document_.current_location().get(rest)) syntax_error(simdjson::TRAILING_CONTENT);
    } catch (const simdjson::simdjson_error& e) {
      syntax_error(e.error());
    }
  }

 private:
  [[noreturn]] void syntax_error(simdjson::error_code error) const;

  // The file's bytes: mapped from the page cache when the padding simdjson
  // reads past the end fits in the last page (no copy, no fresh pages), else copied.
  struct Mapping {
    void* address = nullptr;
    std::size_t length = 0;
    ~Mapping();
  };
  fs::path file_;
  Mapping mapping_;
  simdjson::padded_string text_;
  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document document_;
};

// The JSON type as a word, for messages.
const char* type_name(json_type type);

// Walks a value to its end, checking its syntax on the way.
void consume(value v);

// A string field's text; a wrong type is an error naming `key` and `where`.
std::string_view text(value v, std::string_view key, const std::string& where);

// An id: an integer (COCO, VQA) or a string (GQA, VizWiz, MMMU), as text.
std::string id(value v, std::string_view key, const std::string& where);

// "file: record 12": where an error in a list of records is.
std::string record_at(const fs::path& file, std::size_t index);

[[noreturn]] void missing_field(std::string_view key, const std::string& where);

}  // namespace mmh::tasks::json_stream
