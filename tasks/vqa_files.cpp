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

// What one file turned out to hold.
struct VqaFile {
  enum class Kind { kUnknown, kAnnotations, kQuestions } kind = Kind::kUnknown;
  std::vector<VqaSample> samples;         // kAnnotations
  std::vector<std::string> question_ids;  // kQuestions
};

std::vector<std::string> answer_list(value list, const std::string& where) {
  auto out = answer_strings(list, where);
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
  for_each_field(record, where, [&](auto key, value v) {
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
  });
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
  for_each_field(record, where, [&](auto key, value v) {
    if (key == "question_id") {
      question_id = id(v, "question_id", where);
    } else {
      consume(v);
    }
  });
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
      for_each_record(doc.get_value(), file, "records", read_annotations);
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
  const IdIndex index = unique_index(
      key_views(samples, &VqaSample::question_id),
      [&](std::size_t position) { return json_stream::record_at(*annotations_file, position); }, "id");
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
