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
#include <vector>

namespace mmh::tasks::json_stream {

namespace fs = std::filesystem;
using simdjson::ondemand::json_type;
using simdjson::ondemand::value;

// A JSON file's bytes with simdjson's padding after them: mapped from the page
// cache when the padding fits in the last page (no copy, no fresh pages), else
// copied. Checks that the file is readable, not too large and has no BOM.
class JsonText {
 public:
  explicit JsonText(const fs::path& file);
  ~JsonText();
  JsonText(const JsonText&) = delete;
  JsonText& operator=(const JsonText&) = delete;

  const fs::path& file() const { return file_; }
  simdjson::padded_string_view view() const { return view_; }

 private:
  fs::path file_;
  void* mapped_ = nullptr;  // or the copy below
  std::size_t mapped_length_ = 0;
  simdjson::padded_string copy_;
  simdjson::padded_string_view view_;
};

// One mmh::Error for a syntax error in `file`, with the line and column
// (nlohmann locates it), else simdjson's message.
[[noreturn]] void syntax_error(const fs::path& file, simdjson::error_code error);

// A parsed file. Views from it (strings, keys) stay valid while it lives.
class Document {
 public:
  explicit Document(const fs::path& file);
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  const fs::path& file() const { return text_.file(); }
  simdjson::ondemand::document& root() { return document_; }
  // Runs read(root()) and converts simdjson's syntax errors into mmh::Error with
  // the line and column; also refuses trailing content after the top value.
  template <class Read>
  void read(Read&& read_root) {
    try {
      read_root(document_);
      const char* rest = nullptr;  // simdjson 3.0 has no document::at_end()
      if (!document_.current_location().get(rest)) syntax_error(file(), simdjson::TRAILING_CONTENT);
    } catch (const simdjson::simdjson_error& e) {
      syntax_error(file(), e.error());
    }
  }

 private:
  JsonText text_;
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

[[noreturn]] void throw_not_object(json_type type, const std::string& where);
[[noreturn]] void throw_not_list(const fs::path& file, const char* what);
std::string record_at(const fs::path& file, std::size_t index);

// Calls fn(key, value) for every field of an object (raw keys: official
// files never escape their keys); a non-object is an error naming `where`.
template <class Fn>
void for_each_field(value v, const std::string& where, Fn&& fn) {
  const json_type type = v.type();
  if (type != json_type::object) throw_not_object(type, where);
  for (simdjson::ondemand::field field : v.get_object()) fn(field.key(), field.value());
}

// Calls fn(record, where) for every element of a list, where = "file: record i".
template <class Fn>
void for_each_record(value list, const fs::path& file, const char* what, Fn&& fn) {
  if (list.type() != json_type::array) throw_not_list(file, what);
  std::size_t i = 0;
  for (value record : list.get_array()) fn(record, record_at(file, i++));
}

// The document's top value, which must be an object or a list (what the
// file should hold is `expected`); a bare scalar is an mmh::Error.
value top_value(Document& json, simdjson::ondemand::document& doc, const char* expected);

// Calls fn(record, where) for every record of the list under the top-level
// `key` of the file's object (the file's other fields are walked, not used).
template <class Fn>
void for_each_listed(Document& json, const char* key, Fn&& fn) {
  json.read([&](simdjson::ondemand::document& doc) {
    for_each_field(top_value(json, doc, "an object"), json.file().string(), [&](auto field, value v) {
      if (field == key) {
        for_each_record(v, json.file(), key, fn);
      } else {
        consume(v);
      }
    });
  });
}

// A VQA-family `answers` list, in order: {answer, ...} objects (VQA format,
// VizWiz) or plain strings (TextVQA). Count checks are the caller's.
std::vector<std::string> answer_strings(value list, const std::string& where);

// A list of strings.
std::vector<std::string> string_list(value v, std::string_view key, const std::string& where);

[[noreturn]] void missing_field(std::string_view key, const std::string& where);

}  // namespace mmh::tasks::json_stream
