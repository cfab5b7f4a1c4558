#include "tasks/official_files.h"

#include <simdjson.h>

#include <unordered_set>

#include "common/error.h"
#include "tasks/json_stream.h"

namespace mmh::tasks {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using json_stream::record_at;

// An official file parsed into simdjson's DOM (the smaller files with keyed
// or nested layouts). Elements stay valid as long as the JsonFile lives.
class JsonFile {
 public:
  explicit JsonFile(const fs::path& file) : text_(file) {
    const auto view = text_.view();
    if (const auto error = parser_.parse(view.data(), view.length(), false).get(root_))
      json_stream::syntax_error(file, error);
  }
  element root() const { return root_; }

 private:
  json_stream::JsonText text_;
  simdjson::dom::parser parser_;
  element root_;
};

const char* type_name(element value) {
  switch (value.type()) {
    case element_type::ARRAY:
      return "array";
    case element_type::OBJECT:
      return "object";
    case element_type::STRING:
      return "string";
    case element_type::BOOL:
      return "boolean";
    case element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

element field(element object, const char* key, const std::string& where) {
  if (object.type() != element_type::OBJECT)
    throw Error(where, std::string("expected an object, found ") + type_name(object));
  element value;
  if (object.at_key(key).get(value)) throw Error(where, std::string("missing field \"") + key + "\"");
  return value;
}

bool has_field(element object, const char* key) {
  element ignored;
  return object.type() == element_type::OBJECT && !object.at_key(key).get(ignored);
}

std::string as_text(element value, const char* key, const std::string& where) {
  std::string_view text;
  if (value.get_string().get(text))
    throw Error(where, std::string("field \"") + key + "\" has the wrong type (" + type_name(value) + ")");
  return std::string(text);
}

std::string text_field(element object, const char* key, const std::string& where) {
  return as_text(field(object, key, where), key, where);
}

// Official files use integer ids (COCO, VQA) or string ids (GQA, VizWiz, MMMU).
std::string id_field(element object, const char* key, const std::string& where) {
  const element value = field(object, key, where);
  switch (value.type()) {
    case element_type::INT64:
      return std::to_string(int64_t(value));
    case element_type::UINT64:
      return std::to_string(uint64_t(value));
    case element_type::STRING:
      return std::string(std::string_view(value));
    default:
      throw Error(where, std::string("field \"") + key + "\" must be an integer or a string, not " + type_name(value));
  }
}

simdjson::dom::array list_field(element object, const char* key, const std::string& where) {
  simdjson::dom::array list;
  if (field(object, key, where).get_array().get(list))
    throw Error(where, std::string("field \"") + key + "\" must be a list");
  return list;
}

simdjson::dom::array top_list(element doc, const char* key, const fs::path& file) {
  simdjson::dom::array list;
  element value;
  if (doc.type() != element_type::OBJECT || doc.at_key(key).get(value) || value.get_array().get(list))
    throw Error(file.string(), std::string("has no \"") + key + "\" list");
  return list;
}

simdjson::dom::array expect_array(element doc, const fs::path& file, const std::string& what) {
  simdjson::dom::array list;
  if (doc.get_array().get(list))
    throw Error(file.string(), "expected a JSON list of " + what + ", found " + type_name(doc));
  return list;
}

std::vector<std::string> string_list(element object, const char* key, const std::string& where) {
  std::vector<std::string> out;
  for (element item : list_field(object, key, where)) {
    if (item.type() != element_type::STRING) throw Error(where, std::string("field \"") + key + "\" must hold strings");
    out.emplace_back(std::string_view(item));
  }
  return out;
}

void check_unique(std::unordered_set<std::string>& seen, const std::string& id, const std::string& where,
                  const char* what = "id") {
  if (!seen.insert(id).second) throw Error(where, std::string("duplicate ") + what + " " + id);
}

// Calls fn(id, value, where) for each entry of a top-level object keyed by id
// (GQA questions, MMMU answer dict and predictions). simdjson keeps repeated
// keys, so a repeated id is refused here: "duplicate <what> <id>".
template <class Fn>
void for_each_keyed(const JsonFile& json, const fs::path& file, const char* expected, const char* label,
                    const char* what, Fn&& fn) {
  simdjson::dom::object doc;
  if (json.root().get_object().get(doc)) throw Error(file.string(), expected);
  std::unordered_set<std::string> seen;
  for (auto [key, value] : doc) {
    const std::string id(key);
    const auto where = file.string() + ": " + label + id;
    check_unique(seen, id, where, what);
    fn(id, value, where);
  }
}

// --- captions ------------------------------------------------------------------

std::vector<metrics::CaptionSample> coco_format_captions(element doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  std::unordered_map<std::string, std::size_t> index;
  std::size_t i = 0;
  for (element image : top_list(doc, "images", file)) {
    const auto id = id_field(image, "id", file.string() + ": images[" + std::to_string(i++) + "]");
    if (!index.emplace(id, samples.size()).second) throw Error(file.string(), "duplicate image id " + id);
    samples.push_back({id, {}, {}});
  }
  i = 0;
  for (element annotation : top_list(doc, "annotations", file)) {
    const auto where = file.string() + ": annotations[" + std::to_string(i++) + "]";
    const auto id = id_field(annotation, "image_id", where);
    auto it = index.find(id);
    if (it == index.end()) throw Error(where, "caption for image id " + id + ", which is not in \"images\"");
    samples[it->second].references.push_back(text_field(annotation, "caption", where));
  }
  return samples;
}

std::vector<metrics::CaptionSample> karpathy_test_captions(element doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  std::size_t i = 0;
  for (element image : top_list(doc, "images", file)) {
    const auto where = file.string() + ": images[" + std::to_string(i++) + "]";
    if (text_field(image, "split", where) != "test") continue;
    metrics::CaptionSample s{id_field(image, "cocoid", where), {}, {}};
    for (element sentence : list_field(image, "sentences", where))
      s.references.push_back(text_field(sentence, "raw", where + " sentences"));
    samples.push_back(std::move(s));
  }
  if (samples.empty()) throw Error(file.string(), "has no images in the Karpathy \"test\" split");
  return samples;
}

std::vector<metrics::CaptionSample> textcaps_captions(element doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  std::unordered_set<std::string> seen;
  std::size_t i = 0;
  for (element record : top_list(doc, "data", file)) {
    const auto where = record_at(file, i++);
    const auto id = id_field(record, "image_id", where);
    if (seen.insert(id).second) samples.push_back({id, string_list(record, "reference_strs", where), {}});
  }
  return samples;
}

// --- GQA, MMMU -------------------------------------------------------------------

std::vector<std::string> gold_answers(element value, const std::string& where) {
  if (value.type() == element_type::STRING) return {std::string(std::string_view(value))};
  if (value.type() == element_type::ARRAY) {
    std::vector<std::string> out;
    for (element v : simdjson::dom::array(value)) {
      if (v.type() != element_type::STRING) throw Error(where, "ground truth list must hold strings");
      out.emplace_back(std::string_view(v));
    }
    return out;
  }
  throw Error(where, std::string("ground truth must be a string or a list, not ") + type_name(value));
}

}  // namespace

std::vector<metrics::CaptionSample> read_caption_annotations(const fs::path& file) {
  const JsonFile json(file);
  const element doc = json.root();
  if (doc.type() != element_type::OBJECT)
    throw Error(file.string(), std::string("expected a caption annotation object, found a JSON ") + type_name(doc));
  if (has_field(doc, "annotations") && has_field(doc, "images")) return coco_format_captions(doc, file);
  std::string_view dataset;
  if (has_field(doc, "images") && !doc["dataset"].get_string().get(dataset) && dataset == "coco")
    return karpathy_test_captions(doc, file);
  if (has_field(doc, "data")) return textcaps_captions(doc, file);
  throw Error(file.string(),
              "is not a caption annotation file (expected COCO format, Karpathy dataset_coco.json or TextCaps)");
}

std::vector<metrics::GqaSample> read_gqa_questions(const fs::path& file) {
  const JsonFile json(file);
  std::vector<metrics::GqaSample> samples;
  for_each_keyed(json, file, "expected a GQA questions object keyed by question id", "question ", "id",
                 [&](const std::string& qid, element q, const std::string& where) {
                   if (q.type() != element_type::OBJECT)
                     throw Error(where, "is not a GQA question object (is this a GQA questions file?)");
                   bool balanced = true;
                   if (has_field(q, "isBalanced") && q["isBalanced"].get_bool().get(balanced))
                     throw Error(where, "isBalanced must be a boolean");
                   if (!balanced) return;  // eval.py scores the balanced questions
                   const element types = field(q, "types", where);
                   samples.push_back({qid, text_field(q, "answer", where), text_field(types, "structural", where),
                                      text_field(types, "semantic", where)});
                 });
  return samples;
}

std::vector<metrics::MmmuSample> read_mmmu_answer_dict(const fs::path& file) {
  const JsonFile json(file);
  std::vector<metrics::MmmuSample> samples;
  for_each_keyed(json, file, "expected the MMMU answer dict {id: {question_type, ground_truth}}", "", "id",
                 [&](const std::string& id, element entry, const std::string& where) {
                   samples.push_back({id,
                                      text_field(entry, "question_type", where),
                                      {},
                                      gold_answers(field(entry, "ground_truth", where), where)});
                 });
  return samples;
}

MmmuOutputs read_mmmu_output(const fs::path& file) {
  const JsonFile json(file);
  MmmuOutputs out;
  std::unordered_set<std::string> seen;
  std::size_t i = 0;
  for (element r : expect_array(json.root(), file, "MMMU output records")) {
    const auto where = record_at(file, i++);
    metrics::MmmuSample s;
    s.id = text_field(r, "id", where);
    check_unique(seen, s.id, where);
    s.question_type = text_field(r, "question_type", where);
    s.answers = gold_answers(field(r, "answer", where), where);
    if (s.question_type == "multiple-choice") {
      const element index2ans = field(r, "index2ans", where);
      for (const auto& letter : string_list(r, "all_choices", where))
        s.options.push_back(text_field(index2ans, letter.c_str(), where + " index2ans"));
    }
    out.samples.push_back(std::move(s));
    out.responses.push_back(text_field(r, "response", where));
  }
  return out;
}

}  // namespace mmh::tasks
