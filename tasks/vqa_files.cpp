// VQA-family annotation files (VQAv2, OK-VQA, TextVQA, VizWiz), streamed with
// simdjson On-Demand: VQAv2's annotations reach 330 MB, and a DOM of them costs
// more than all of the scoring. Formats: docs/metrics.md.
#include <future>
#include <optional>

#include "common/error.h"
#include "tasks/id_index.h"
#include "tasks/json_stream.h"
#include "tasks/official_files.h"

namespace mmh::tasks {
namespace {

using namespace json_stream;
using metrics::VqaSample;
using metrics::VqaTask;
using simdjson::ondemand::object;

// What one file turned out to hold.
struct VqaFile {
  enum class Kind { kUnknown, kAnnotations, kQuestions } kind = Kind::kUnknown;
  std::vector<VqaSample> samples;         // kAnnotations
  std::vector<std::string> question_ids;  // kQuestions
};

object record_object(value record, const std::string& where) {
  const json_type type = record.type();
  if (type != json_type::object) throw_not_object(type, where);
  return record.get_object();
}

// `answers`: ten {answer, ...} objects (VQA format, VizWiz) or ten strings (TextVQA).
std::vector<std::string> answer_list(value list, const std::string& where) {
  if (list.type() != json_type::array) throw Error(where, "field \"answers\" must be a list");
  std::vector<std::string> out;
  out.reserve(10);
  for (value answer : list.get_array()) {
    if (answer.type() == json_type::string) {
      out.emplace_back(std::string_view(answer.get_string()));
      continue;
    }
    const auto answer_where = where + " answers";
    bool found = false;
    for (simdjson::ondemand::field field : record_object(answer, answer_where)) {
      if (field.key() == "answer") {
        out.emplace_back(text(field.value(), "answer", answer_where));
        found = true;
      } else {
        consume(field.value());
      }
    }
    if (!found) missing_field("answer", answer_where);
  }
  if (out.empty()) throw Error(where, "field \"answers\" must be a non-empty list");
  return out;
}

// One annotation record of any of the layouts. VizWiz results are keyed by
// image name: its official file calls it `image`, its VQA conversion `image_id`
// (and keeps the answer type in `question_type`).
VqaSample annotation_record(VqaTask task, value record, const std::string& where) {
  VqaSample s;
  std::optional<std::string> question_id, image, answer_type, question_type;
  bool have_answers = false;
  for (simdjson::ondemand::field field : record_object(record, where)) {
    const auto key = field.key();  // raw: official keys have no escapes
    value v = field.value();
    if (key == "question_id") {
      question_id = id(v, "question_id", where);
    } else if (task == VqaTask::kVizWiz && (key == "image_id" || key == "image")) {
      image = id(v, "image", where);
    } else if (key == "answers") {
      s.answers = answer_list(v, where);
      have_answers = true;
    } else if (key == "answer_type") {
      answer_type = std::string(text(v, "answer_type", where));
    } else if (key == "question_type") {
      question_type = std::string(text(v, "question_type", where));
    } else {
      consume(v);
    }
  }
  const bool vizwiz = task == VqaTask::kVizWiz;
  if (vizwiz ? !image : !question_id) missing_field(vizwiz ? "image" : "question_id", where);
  s.question_id = std::move(vizwiz ? *image : *question_id);
  if (!have_answers) missing_field("answers", where);
  if (vizwiz) {
    if (!answer_type && !question_type) missing_field("answer_type", where);
    s.answer_type = std::move(answer_type ? *answer_type : *question_type);
  } else if (task != VqaTask::kTextVqa) {
    if (!answer_type) missing_field("answer_type", where);
    if (!question_type) missing_field("question_type", where);
    s.answer_type = std::move(*answer_type);
    s.question_type = std::move(*question_type);
  }
  return s;
}

std::string question_record(value record, const std::string& where) {
  std::optional<std::string> question_id;
  for (simdjson::ondemand::field field : record_object(record, where)) {
    const auto key = field.key();  // raw: official keys have no escapes
    if (key == "question_id") {
      question_id = id(field.value(), "question_id", where);
    } else {
      consume(field.value());
    }
  }
  if (!question_id) missing_field("question_id", where);
  return std::move(*question_id);
}

VqaFile read_vqa_file(VqaTask task, const fs::path& file) {
  Document json(file);
  VqaFile out;
  auto read_annotations = [&](value record, const std::string& where) {
    out.samples.push_back(annotation_record(task, record, where));
  };
  json.read([&](simdjson::ondemand::document& doc) {
    const json_type type = doc.type();
    if (type == json_type::array && task == VqaTask::kVizWiz) {  // the official VizWiz file: a bare list
      out.kind = VqaFile::Kind::kAnnotations;
      std::size_t i = 0;
      for (value record : doc.get_array()) read_annotations(record, record_at(file, i++));
      return;
    }
    if (type != json_type::object) return;
    for (simdjson::ondemand::field field : doc.get_object()) {
      const auto key = field.key();  // raw: official keys have no escapes
      const bool official_textvqa = key == "data" && task == VqaTask::kTextVqa;
      if (out.kind == VqaFile::Kind::kUnknown && (key == "annotations" || official_textvqa)) {
        out.kind = VqaFile::Kind::kAnnotations;
        for_each_record(field.value(), file, official_textvqa ? "data" : "annotations", read_annotations);
      } else if (out.kind == VqaFile::Kind::kUnknown && key == "questions") {
        out.kind = VqaFile::Kind::kQuestions;
        for_each_record(field.value(), file, "questions", [&](value record, const std::string& where) {
          out.question_ids.push_back(question_record(record, where));
        });
      } else {
        consume(field.value());
      }
    }
  });
  return out;
}

std::vector<std::string_view> id_views(const std::vector<VqaSample>& samples) {
  std::vector<std::string_view> ids;
  ids.reserve(samples.size());
  for (const auto& s : samples) ids.push_back(s.question_id);
  return ids;
}

}  // namespace

std::vector<VqaSample> read_vqa_annotations(VqaTask task, std::span<const fs::path> files) {
  if (files.empty() || files.size() > 2)
    throw Error("--annotations", "give the annotations file (and optionally the questions file)");
  // Two files are read on two cores (VQAv2: 330 MB of annotations, 20 MB of questions).
  std::vector<std::future<VqaFile>> read(files.size());
  for (std::size_t i = 0; i < files.size(); ++i)
    read[i] = std::async(i == 0 ? std::launch::deferred : std::launch::async, read_vqa_file, task, files[i]);
  std::optional<VqaFile> annotations, questions;
  std::optional<fs::path> annotations_file, questions_file;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const fs::path& file = files[i];
    VqaFile contents = read[i].get();
    if (contents.kind == VqaFile::Kind::kUnknown)
      throw Error(file.string(), "is not an annotation file for this task (see docs/metrics.md for the accepted formats)");
    const bool is_questions = contents.kind == VqaFile::Kind::kQuestions;
    auto& slot = is_questions ? questions : annotations;
    if (slot)
      throw Error(file.string(), std::string("is a second ") + (is_questions ? "questions" : "annotations") +
                                     " file; give one annotations file and at most one questions file");
    slot = std::move(contents);
    (is_questions ? questions_file : annotations_file) = file;
  }
  if (!annotations)
    throw Error(questions_file->string(),
                "is a questions file; the answers are in the annotations file (give it with --annotations)");

  std::vector<VqaSample> samples = std::move(annotations->samples);
  const IdIndex index(id_views(samples));
  if (const auto repeated = index.first_duplicate(); repeated != IdIndex::npos)
    throw Error(json_stream::record_at(*annotations_file, repeated), "duplicate id " + samples[repeated].question_id);
  if (questions && task != VqaTask::kVizWiz) {
    std::vector<char> asked(samples.size(), 0);
    for (const auto& qid : questions->question_ids)
      if (const auto position = index.find(qid); position != IdIndex::npos) asked[position] = 1;
    for (std::size_t i = 0; i < samples.size(); ++i)
      if (!asked[i])
        throw Error(questions_file->string(), "has no question " + samples[i].question_id +
                                                  " (is it the questions file of the same split?)");
  }
  return samples;
}

}  // namespace mmh::tasks
