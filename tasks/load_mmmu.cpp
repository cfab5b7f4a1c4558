// MMMU from the JSON-lines export of the HF dataset (dev.jsonl, validation.jsonl,
// images/): one record per line with the HF columns; docs/tasks.md has the
// one-line export. `options` is a Python list literal, as in the HF dataset.
#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "common/error.h"
#include "common/json_file.h"
#include "tasks/image_placeholder.h"
#include "tasks/json_stream.h"
#include "tasks/loaders.h"
#include "tasks/python_literal.h"

namespace mmh::tasks::loaders {
namespace {

using namespace json_stream;
constexpr int kMaxImages = 7;  // image_1 .. image_7

// The N of every "<image N>" in text.
void image_numbers(std::string_view text, std::set<int>& numbers, const std::string& where) {
  for (auto p = next_image_placeholder(text); p; p = next_image_placeholder(text, p->at + p->length)) {
    if (p->number < 1 || p->number > kMaxImages)
      throw Error(where, "refers to <image " + std::to_string(p->number) + ">; MMMU has image_1 to image_7");
    numbers.insert(p->number);
  }
}

// "validation_Art_Theory_12" -> "Art_Theory".
std::string subject_of(const std::string& id) {
  const auto first = id.find('_'), last = id.rfind('_');
  return first == std::string::npos || last <= first ? std::string() : id.substr(first + 1, last - first - 1);
}

TaskSample mmmu_record(const DataRoot& root, std::string_view line, simdjson::ondemand::parser& parser,
                       const std::string& where) {
  const simdjson::padded_string padded(line);
  simdjson::ondemand::document doc = parser.iterate(padded);
  TaskSample s;
  std::optional<std::string> options_text, question_type;
  std::vector<std::string> options_list;
  std::string image_names[kMaxImages + 1];
  bool has_question = false, has_answer = false;
  if (doc.type() != json_type::object) throw Error(where, "expected one JSON object per line");
  for_each_field(value(doc.get_value()), where, [&](auto key, value v) {
    if (key == "id") s.key = std::string(text(v, "id", where));
    else if (key == "question") {
      s.question = std::string(text(v, "question", where));
      has_question = true;
    } else if (key == "options") {
      if (v.type() == json_type::array) options_list = string_list(v, "options", where);
      else options_text = std::string(text(v, "options", where));
    } else if (key == "answer") {
      if (v.type() == json_type::array) s.references = string_list(v, "answer", where);
      else s.references = {std::string(text(v, "answer", where))};
      has_answer = true;
    } else if (key == "question_type") question_type = std::string(text(v, "question_type", where));
    else if (key == "subfield") s.meta["subfield"] = std::string(text(v, "subfield", where));
    else {
      bool image_field = false;
      for (int n = 1; n <= kMaxImages && !image_field; ++n) {
        if (key == ("image_" + std::to_string(n)).c_str()) {
          image_field = true;
          if (v.type() == json_type::null) (void)v.is_null();
          else image_names[n] = std::string(text(v, "image_N", where));
        }
      }
      if (!image_field) consume(v);
    }
  });
  const char* rest = nullptr;
  if (!doc.current_location().get(rest)) throw simdjson::simdjson_error(simdjson::TRAILING_CONTENT);
  if (s.key.empty()) missing_field("id", where);
  if (!has_question) missing_field("question", where);
  if (!has_answer) missing_field("answer", where);
  if (!question_type) missing_field("question_type", where);
  if (trimmed(s.question).empty()) throw Error(where, "has an empty question");
  s.options = options_text ? parse_python_string_list(*options_text, where + " options") : std::move(options_list);
  s.meta["question_type"] = *question_type;
  s.meta["subject"] = subject_of(s.key);
  if (*question_type == "multiple-choice" && s.options.empty())
    throw Error(where, "is multiple-choice but has no options");

  std::set<int> numbers;
  image_numbers(s.question, numbers, where);
  for (const auto& option : s.options) image_numbers(option, numbers, where);
  const int count = numbers.empty() ? 0 : *numbers.rbegin();
  for (int n = 1; n <= count; ++n) {
    const std::string name = image_names[n].empty() ? s.key + "_" + std::to_string(n) + ".png" : image_names[n];
    if (name.find("..") != std::string::npos || name.starts_with('/'))
      throw Error(where, "image_" + std::to_string(n) + " must be a file name inside mmmu/images/");
    const std::string key = "mmmu/images/" + name;
    s.images.push_back({key, root.resolve(key)});
  }
  s.demo_answer = s.references.empty() ? std::string() : s.references.front();
  return s;
}

}  // namespace

SplitData mmmu(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("mmmu/" + split + ".jsonl")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  const std::string text = read_text_file(file);
  simdjson::ondemand::parser parser;
  std::unordered_set<std::string> seen;
  std::size_t line_number = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    ++line_number;
    if (trimmed(line).empty()) continue;
    const std::string where = file.string() + ":" + std::to_string(line_number);
    try {
      TaskSample s = mmmu_record(root, line, parser, where);
      if (!seen.insert(s.key).second) throw Error(where, "duplicate id " + s.key);
      out.samples.push_back(std::move(s));
    } catch (const simdjson::simdjson_error& e) {
      throw Error(where, std::string("malformed JSON line (") + simdjson::error_message(e.error()) + ")");
    }
  }
  if (out.samples.empty()) throw Error(file.string(), "has no MMMU records");
  return out;
}

}  // namespace mmh::tasks::loaders
