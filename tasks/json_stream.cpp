#include "tasks/json_stream.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::tasks::json_stream {

namespace {

// Maps a regular file whose last page has room for simdjson's padding (zeros
// past the end of a file read as such); nullptr where that does not hold.
void* map_file(const fs::path& file, std::size_t& length) {
  const int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat info {};
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  void* address = nullptr;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && info.st_size > 0) {
    length = static_cast<std::size_t>(info.st_size);
    const std::size_t tail = length % page;
    if (tail != 0 && tail + simdjson::SIMDJSON_PADDING <= page) {
      address = mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (address == MAP_FAILED) address = nullptr;
    }
  }
  close(fd);
  return address;
}

}  // namespace

JsonText::JsonText(const fs::path& file) : file_(file) {
  check_input_file(file);
  if ((mapped_ = map_file(file, mapped_length_))) {
    const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    view_ = simdjson::padded_string_view(static_cast<const char*>(mapped_), mapped_length_,
                                         (mapped_length_ / page + 1) * page);
  } else {
    if (simdjson::padded_string::load(file.string()).get(copy_)) throw Error(file.string(), "cannot be read");
    view_ = copy_;
  }
  if (std::string_view(view_).starts_with("\xEF\xBB\xBF"))
    throw Error(file.string(), "starts with a UTF-8 byte-order mark, which JSON does not allow (remove it)");
}

JsonText::~JsonText() {
  if (mapped_) munmap(mapped_, mapped_length_);
}

void syntax_error(const fs::path& file, simdjson::error_code error) {
  read_json_file(file);  // nlohmann reports where a syntax error is (file:line:column)
  throw Error(file.string(), std::string("malformed JSON (") + simdjson::error_message(error) + ")");
}

Document::Document(const fs::path& file) : text_(file) {
  // iterate() validates UTF-8 and indexes the structure of the whole file up front.
  if (const auto error = parser_.iterate(text_.view()).get(document_)) syntax_error(file, error);
}

const char* type_name(json_type type) {
  switch (type) {
    case json_type::array: return "array";
    case json_type::object: return "object";
    case json_type::string: return "string";
    case json_type::boolean: return "boolean";
    case json_type::null: return "null";
    case json_type::number: break;
  }
  return "number";
}

void consume(value v) {
  switch (v.type()) {
    case json_type::array:
      for (value item : v.get_array()) consume(item);
      break;
    case json_type::object:
      for (simdjson::ondemand::field field : v.get_object()) consume(field.value());
      break;
    case json_type::string: (void)std::string_view(v.get_string()); break;
    case json_type::number: (void)double(v.get_double()); break;
    case json_type::boolean: (void)bool(v.get_bool()); break;
    case json_type::null:
      if (!v.is_null()) throw simdjson::simdjson_error(simdjson::N_ATOM_ERROR);
      break;
  }
}

std::string_view text(value v, std::string_view key, const std::string& where) {
  const json_type type = v.type();
  if (type != json_type::string)
    throw Error(where, "field \"" + std::string(key) + "\" has the wrong type (" + type_name(type) + ")");
  return v.get_string();
}

std::string id(value v, std::string_view key, const std::string& where) {
  const json_type type = v.type();
  if (type == json_type::string) return std::string(std::string_view(v.get_string()));
  if (type == json_type::number) {
    char buffer[24];
    std::to_chars_result written{};
    switch (v.get_number_type()) {
      case simdjson::ondemand::number_type::signed_integer:
        written = std::to_chars(buffer, buffer + sizeof buffer, int64_t(v.get_int64()));
        return std::string(buffer, written.ptr);
      case simdjson::ondemand::number_type::unsigned_integer:
        written = std::to_chars(buffer, buffer + sizeof buffer, uint64_t(v.get_uint64()));
        return std::string(buffer, written.ptr);
      default: (void)double(v.get_double()); break;  // a syntax error wins over the type error
    }
  }
  throw Error(where, "field \"" + std::string(key) + "\" must be an integer or a string, not " +
                         (type == json_type::number ? "a fraction" : type_name(type)));
}

std::string record_at(const fs::path& file, std::size_t index) {
  return file.string() + ": record " + std::to_string(index);
}

value top_value(Document& json, simdjson::ondemand::document& doc, const char* expected) {
  const json_type type = doc.type();
  if (type != json_type::object && type != json_type::array)
    throw Error(json.file().string(), std::string("expected ") + expected + ", found a JSON " + type_name(type));
  return doc.get_value();
}

std::vector<std::string> answer_strings(value list, const std::string& where) {
  if (list.type() != json_type::array) throw Error(where, "field \"answers\" must be a list");
  std::vector<std::string> out;
  out.reserve(10);
  for (value answer : list.get_array()) {
    if (answer.type() == json_type::string) {
      out.emplace_back(std::string_view(answer.get_string()));
      continue;
    }
    // The location "<where> answers" is only built for an error: this runs ten times per question.
    if (answer.type() != json_type::object) throw_not_object(answer.type(), where + " answers");
    bool found = false;
    for (simdjson::ondemand::field field : answer.get_object()) {
      if (field.key() != "answer") {
        consume(field.value());
        continue;
      }
      value text_value = field.value();
      if (text_value.type() != json_type::string) text(text_value, "answer", where + " answers");  // throws
      out.emplace_back(std::string_view(text_value.get_string()));
      found = true;
    }
    if (!found) missing_field("answer", where + " answers");
  }
  return out;
}

std::vector<std::string> string_list(value v, std::string_view key, const std::string& where) {
  if (v.type() != json_type::array) throw Error(where, "field \"" + std::string(key) + "\" must be a list of strings");
  std::vector<std::string> out;
  for (value item : v.get_array()) out.emplace_back(text(item, key, where));
  return out;
}

void throw_not_object(json_type type, const std::string& where) {
  throw Error(where, std::string("expected an object, found ") + type_name(type));
}

void throw_not_list(const fs::path& file, const char* what) {
  throw Error(file.string(), std::string("has no \"") + what + "\" list");
}

void missing_field(std::string_view key, const std::string& where) {
  throw Error(where, "missing field \"" + std::string(key) + "\"");
}

}  // namespace mmh::tasks::json_stream
