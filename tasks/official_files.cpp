#include "tasks/official_files.h"

#include <unordered_set>

#include "common/error.h"
#include "common/json_file.h"

namespace mmh::tasks {
namespace {

using nlohmann::json;

// "file: record 12" — where an error in a list of records is.
std::string record_at(const fs::path& file, std::size_t index) {
  return file.string() + ": record " + std::to_string(index);
}

// Official files use integer ids (COCO, VQA) or string ids (GQA, VizWiz, MMMU).
std::string id_text(const json& value, const std::string& where, const char* field) {
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number_unsigned()) return std::to_string(value.get<unsigned long long>());
  if (value.is_string()) return value.get<std::string>();
  throw Error(where, std::string("field \"") + field + "\" must be an integer or a string, not " + value.type_name());
}

std::string id_field(const json& record, const char* field, const std::string& where) {
  if (!record.is_object()) throw Error(where, std::string("expected an object, found ") + record.type_name());
  auto it = record.find(field);
  if (it == record.end()) throw Error(where, std::string("missing field \"") + field + "\"");
  return id_text(*it, where, field);
}

const json& array_field(const json& doc, const char* field, const fs::path& file) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_array()) throw Error(file.string(), std::string("has no \"") + field + "\" list");
  return *it;
}

const json& expect_array(const json& doc, const fs::path& file, const char* what) {
  if (!doc.is_array()) throw Error(file.string(), std::string("expected a JSON list of ") + what + ", found " + doc.type_name());
  return doc;
}

std::vector<std::string> string_list(const json& record, const char* field, const std::string& where) {
  const auto list = json_field<json>(record, field, where);
  if (!list.is_array()) throw Error(where, std::string("field \"") + field + "\" must be a list");
  std::vector<std::string> out;
  for (const auto& item : list) {
    if (!item.is_string()) throw Error(where, std::string("field \"") + field + "\" must hold strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// `answers` as ten {answer, ...} objects (VQA format, VizWiz) or ten strings (TextVQA).
std::vector<std::string> answer_list(const json& record, const std::string& where) {
  const auto answers = json_field<json>(record, "answers", where);
  if (!answers.is_array() || answers.empty()) throw Error(where, "field \"answers\" must be a non-empty list");
  std::vector<std::string> out;
  for (const auto& a : answers)
    out.push_back(a.is_string() ? a.get<std::string>() : json_field<std::string>(a, "answer", where + " answers"));
  return out;
}

void check_unique(std::unordered_set<std::string>& seen, const std::string& id, const std::string& where) {
  if (!seen.insert(id).second) throw Error(where, "duplicate id " + id);
}

// --- captions ------------------------------------------------------------------

std::vector<metrics::CaptionSample> coco_format_captions(const json& doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  std::unordered_map<std::string, std::size_t> index;
  const auto& images = array_field(doc, "images", file);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto id = id_field(images[i], "id", file.string() + ": images[" + std::to_string(i) + "]");
    if (!index.emplace(id, samples.size()).second) throw Error(file.string(), "duplicate image id " + id);
    samples.push_back({id, {}, {}});
  }
  const auto& annotations = array_field(doc, "annotations", file);
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const auto where = file.string() + ": annotations[" + std::to_string(i) + "]";
    const auto id = id_field(annotations[i], "image_id", where);
    auto it = index.find(id);
    if (it == index.end()) throw Error(where, "caption for image id " + id + ", which is not in \"images\"");
    samples[it->second].references.push_back(json_field<std::string>(annotations[i], "caption", where));
  }
  return samples;
}

std::vector<metrics::CaptionSample> karpathy_test_captions(const json& doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  const auto& images = array_field(doc, "images", file);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto where = file.string() + ": images[" + std::to_string(i) + "]";
    if (json_field<std::string>(images[i], "split", where) != "test") continue;
    metrics::CaptionSample s{id_field(images[i], "cocoid", where), {}, {}};
    for (const auto& sentence : json_field<json>(images[i], "sentences", where))
      s.references.push_back(json_field<std::string>(sentence, "raw", where + " sentences"));
    samples.push_back(std::move(s));
  }
  if (samples.empty()) throw Error(file.string(), "has no images in the Karpathy \"test\" split");
  return samples;
}

std::vector<metrics::CaptionSample> textcaps_captions(const json& doc, const fs::path& file) {
  std::vector<metrics::CaptionSample> samples;
  std::unordered_set<std::string> seen;
  const auto& data = array_field(doc, "data", file);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto where = record_at(file, i);
    const auto id = id_field(data[i], "image_id", where);
    if (seen.insert(id).second) samples.push_back({id, string_list(data[i], "reference_strs", where), {}});
  }
  return samples;
}

// --- VQA -----------------------------------------------------------------------

bool is_vqa_questions_file(const json& doc) { return doc.is_object() && doc.contains("questions"); }

std::vector<metrics::VqaSample> vqa_format_annotations(metrics::VqaTask task, const json& doc, const fs::path& file) {
  std::vector<metrics::VqaSample> samples;
  std::unordered_set<std::string> seen;
  const auto& annotations = array_field(doc, "annotations", file);
  for (std::size_t i = 0; i < annotations.size(); ++i) {
    const auto where = record_at(file, i);
    const auto& a = annotations[i];
    metrics::VqaSample s;
    // VizWiz results are keyed by image name; its VQA conversion keeps the answer type in question_type.
    s.question_id = task == metrics::VqaTask::kVizWiz ? id_field(a, "image_id", where) : id_field(a, "question_id", where);
    check_unique(seen, s.question_id, where);
    s.answers = answer_list(a, where);
    if (task == metrics::VqaTask::kVizWiz) {
      s.answer_type = a.value("answer_type", a.value("question_type", std::string()));
    } else if (task != metrics::VqaTask::kTextVqa) {
      s.answer_type = json_field<std::string>(a, "answer_type", where);
      s.question_type = json_field<std::string>(a, "question_type", where);
    }
    samples.push_back(std::move(s));
  }
  return samples;
}

std::vector<metrics::VqaSample> textvqa_official(const json& doc, const fs::path& file) {
  std::vector<metrics::VqaSample> samples;
  std::unordered_set<std::string> seen;
  const auto& data = array_field(doc, "data", file);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto where = record_at(file, i);
    metrics::VqaSample s;
    s.question_id = id_field(data[i], "question_id", where);
    check_unique(seen, s.question_id, where);
    s.answers = answer_list(data[i], where);
    samples.push_back(std::move(s));
  }
  return samples;
}

std::vector<metrics::VqaSample> vizwiz_official(const json& doc, const fs::path& file) {
  std::vector<metrics::VqaSample> samples;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto where = record_at(file, i);
    metrics::VqaSample s;
    s.question_id = id_field(doc[i], "image", where);
    check_unique(seen, s.question_id, where);
    s.answers = answer_list(doc[i], where);
    s.answer_type = json_field<std::string>(doc[i], "answer_type", where);
    samples.push_back(std::move(s));
  }
  return samples;
}

void check_questions_cover(const json& questions, const fs::path& file, const std::vector<metrics::VqaSample>& samples) {
  std::unordered_set<std::string> ids;
  const auto& list = array_field(questions, "questions", file);
  for (std::size_t i = 0; i < list.size(); ++i) ids.insert(id_field(list[i], "question_id", record_at(file, i)));
  for (const auto& s : samples)
    if (!ids.count(s.question_id))
      throw Error(file.string(), "has no question " + s.question_id + " (is it the questions file of the same split?)");
}

std::vector<std::string> gold_answers(const json& value, const std::string& where) {
  if (value.is_string()) return {value.get<std::string>()};
  if (value.is_array()) {
    std::vector<std::string> out;
    for (const auto& v : value) {
      if (!v.is_string()) throw Error(where, "ground truth list must hold strings");
      out.push_back(v.get<std::string>());
    }
    return out;
  }
  throw Error(where, std::string("ground truth must be a string or a list, not ") + value.type_name());
}

}  // namespace

std::vector<metrics::CaptionSample> read_caption_annotations(const fs::path& file) {
  const json doc = read_json_file(file);
  if (!doc.is_object()) throw Error(file.string(), "expected a caption annotation object, found a JSON " + std::string(doc.type_name()));
  if (doc.contains("annotations") && doc.contains("images")) return coco_format_captions(doc, file);
  if (doc.contains("images") && doc.value("dataset", "") == "coco") return karpathy_test_captions(doc, file);
  if (doc.contains("data")) return textcaps_captions(doc, file);
  throw Error(file.string(), "is not a caption annotation file (expected COCO format, Karpathy dataset_coco.json or TextCaps)");
}

std::vector<metrics::VqaSample> read_vqa_annotations(metrics::VqaTask task, std::span<const fs::path> files) {
  if (files.empty() || files.size() > 2) throw Error("--annotations", "give the annotations file (and optionally the questions file)");
  std::vector<json> docs;
  for (const auto& f : files) docs.push_back(read_json_file(f));
  std::optional<std::size_t> questions, annotations;
  for (std::size_t i = 0; i < docs.size(); ++i) (is_vqa_questions_file(docs[i]) ? questions : annotations) = i;
  if (!annotations)
    throw Error(files[*questions].string(), "is a questions file; the answers are in the annotations file (give it with --annotations)");

  const json& doc = docs[*annotations];
  const fs::path& file = files[*annotations];
  std::vector<metrics::VqaSample> samples;
  if (doc.is_object() && doc.contains("annotations")) {
    samples = vqa_format_annotations(task, doc, file);
  } else if (task == metrics::VqaTask::kTextVqa && doc.is_object() && doc.contains("data")) {
    samples = textvqa_official(doc, file);
  } else if (task == metrics::VqaTask::kVizWiz && doc.is_array()) {
    samples = vizwiz_official(doc, file);
  } else {
    throw Error(file.string(), "is not an annotation file for this task (see docs/metrics.md for the accepted formats)");
  }
  if (questions && task != metrics::VqaTask::kVizWiz) check_questions_cover(docs[*questions], files[*questions], samples);
  return samples;
}

std::vector<metrics::GqaSample> read_gqa_questions(const fs::path& file) {
  const json doc = read_json_file(file);
  if (!doc.is_object()) throw Error(file.string(), "expected a GQA questions object keyed by question id");
  std::vector<metrics::GqaSample> samples;
  for (const auto& [qid, q] : doc.items()) {
    const auto where = file.string() + ": question " + qid;
    if (!q.is_object()) throw Error(where, "expected an object");
    if (!q.value("isBalanced", true)) continue;  // eval.py scores the balanced questions
    const auto types = json_field<json>(q, "types", where);
    samples.push_back({qid, json_field<std::string>(q, "answer", where), json_field<std::string>(types, "structural", where),
                       json_field<std::string>(types, "semantic", where)});
  }
  return samples;
}

std::vector<metrics::MmmuSample> read_mmmu_answer_dict(const fs::path& file) {
  const json doc = read_json_file(file);
  if (!doc.is_object()) throw Error(file.string(), "expected the MMMU answer dict {id: {question_type, ground_truth}}");
  std::vector<metrics::MmmuSample> samples;
  for (const auto& [id, entry] : doc.items()) {
    const auto where = file.string() + ": " + id;
    samples.push_back({id, json_field<std::string>(entry, "question_type", where), {},
                       gold_answers(json_field<json>(entry, "ground_truth", where), where)});
  }
  return samples;
}

MmmuOutputs read_mmmu_output(const fs::path& file) {
  const json doc = read_json_file(file);
  expect_array(doc, file, "MMMU output records");
  MmmuOutputs out;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto where = record_at(file, i);
    const auto& r = doc[i];
    metrics::MmmuSample s;
    s.id = json_field<std::string>(r, "id", where);
    check_unique(seen, s.id, where);
    s.question_type = json_field<std::string>(r, "question_type", where);
    s.answers = gold_answers(json_field<json>(r, "answer", where), where);
    if (s.question_type == "multiple-choice") {
      const auto index2ans = json_field<json>(r, "index2ans", where);
      for (const auto& letter : string_list(r, "all_choices", where))
        s.options.push_back(json_field<std::string>(index2ans, letter.c_str(), where + " index2ans"));
    }
    out.samples.push_back(std::move(s));
    out.responses.push_back(json_field<std::string>(r, "response", where));
  }
  return out;
}

Predictions read_predictions(const fs::path& file, const std::string& id_field_name, const std::string& text_field) {
  const json doc = read_json_file(file);
  Predictions predictions;
  if (id_field_name.empty()) {
    if (!doc.is_object()) throw Error(file.string(), "expected a JSON object {id: prediction}");
    for (const auto& [id, text] : doc.items()) {
      if (!text.is_string()) throw Error(file.string() + ": " + id, "prediction must be a string");
      predictions.emplace(id, text.get<std::string>());
    }
    return predictions;
  }
  expect_array(doc, file, ("{\"" + id_field_name + "\", \"" + text_field + "\"} records").c_str());
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto where = record_at(file, i);
    const auto id = id_field(doc[i], id_field_name.c_str(), where);
    if (!predictions.emplace(id, json_field<std::string>(doc[i], text_field.c_str(), where)).second)
      throw Error(where, "duplicate prediction for id " + id);
  }
  return predictions;
}

std::vector<std::string> align_predictions(const std::vector<std::string>& sample_ids, const Predictions& predictions,
                                           const fs::path& predictions_file) {
  std::vector<std::string> aligned;
  aligned.reserve(sample_ids.size());
  for (const auto& id : sample_ids) {
    auto it = predictions.find(id);
    if (it == predictions.end())
      throw Error(predictions_file.string(), "no prediction for id " + id + " (every annotated sample needs one)");
    aligned.push_back(it->second);
  }
  if (predictions.size() != sample_ids.size()) {
    const std::unordered_set<std::string> known(sample_ids.begin(), sample_ids.end());
    for (const auto& [id, text] : predictions)
      if (!known.count(id)) throw Error(predictions_file.string(), "prediction for id " + id + ", which is not in the annotations");
  }
  return aligned;
}

}  // namespace mmh::tasks
