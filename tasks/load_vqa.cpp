// VQA tasks: VQAv2, OK-VQA (VQA format: questions + annotations), TextVQA,
// VizWiz, GQA. Formats: ../shared/refdata/metrics/datasets_spec.md 4-8.
#include <cstdio>
#include <optional>

#include "common/error.h"
#include "tasks/id_index.h"
#include "tasks/json_stream.h"
#include "tasks/loaders.h"

namespace mmh::tasks::loaders {
namespace {

using namespace json_stream;

constexpr std::size_t kHumanAnswers = 10;  // every VQAv2, OK-VQA, TextVQA and VizWiz question has ten

// `answers`: {answer, ...} objects or plain strings; exactly ten.
std::vector<std::string> ten_answers(value list, const std::string& where) {
  auto out = answer_strings(list, where);
  if (out.size() != kHumanAnswers)
    throw Error(where, "has " + std::to_string(out.size()) + " answers; the official data has " +
                           std::to_string(kHumanAnswers) + " per question");
  return out;
}

std::string nonempty_question(std::string_view question, const std::string& where) {
  if (trimmed(question).empty()) throw Error(where, "has an empty question");
  return std::string(question);
}

// Refuses a repeated sample key; every record of the split's file is a sample, so position i is record i.
void require_unique_records(const SplitData& split, const std::string& what) {
  unique_index(
      key_views(split.samples, &TaskSample::key),
      [&](std::size_t position) { return record_at(split.files.front(), position); }, what);
}

// A question record (VQA questions file, TextVQA): its id, image, text and, for TextVQA, its ten answers.
struct QuestionRecord {
  TaskSample sample;
  std::string image_id;
};

QuestionRecord question_record(value record, const std::string& where, bool with_answers) {
  QuestionRecord r;
  TaskSample& s = r.sample;
  bool has_question = false;
  for_each_field(record, where, [&](auto field, value fv) {
    if (field == "question_id") s.key = id(fv, "question_id", where);
    else if (field == "image_id") r.image_id = id(fv, "image_id", where);
    else if (field == "question") {
      s.question = nonempty_question(text(fv, "question", where), where);
      has_question = true;
    } else if (with_answers && field == "answers") s.references = ten_answers(fv, where);
    else consume(fv);
  });
  if (s.key.empty()) missing_field("question_id", where);
  if (r.image_id.empty()) missing_field("image_id", where);
  if (!has_question) missing_field("question", where);
  if (with_answers && s.references.empty()) missing_field("answers", where);
  return r;
}

std::string coco_image(const std::string& split, const std::string& image_id, const std::string& where) {
  char name[64];
  const long long number = std::atoll(image_id.c_str());
  if (image_id.empty() || image_id.find_first_not_of("0123456789") != std::string::npos)
    throw Error(where, "image_id " + image_id + " is not a COCO image number");
  std::snprintf(name, sizeof name, "COCO_%s2014_%012lld.jpg", split.c_str(), number);
  return "coco/" + split + "2014/" + name;
}

}  // namespace

SplitData vqa_format(const DataRoot& root, const std::string& task, const std::string& split) {
  const bool okvqa = task == "okvqa";
  const fs::path questions_file = root.resolve(okvqa ? "okvqa/OpenEnded_mscoco_" + split + "2014_questions.json"
                                                     : "vqav2/v2_OpenEnded_mscoco_" + split + "2014_questions.json");
  const fs::path annotations_file = root.resolve(okvqa ? "okvqa/mscoco_" + split + "2014_annotations.json"
                                                       : "vqav2/v2_mscoco_" + split + "2014_annotations.json");
  SplitData out{split, {questions_file, annotations_file}, {}, 0, ""};
  {
    Document json(questions_file);
    for_each_listed(json, "questions", [&](value record, const std::string& where) {
      auto [s, image_id] = question_record(record, where, /*with_answers=*/false);
      s.images.push_back(image_at(root, coco_image(split, image_id, where)));
      out.samples.push_back(std::move(s));
    });
  }
  // VQAv2 train has 443,757 questions: one flat index over the finished list, not a node per id.
  const IdIndex by_id = unique_index(
      key_views(out.samples, &TaskSample::key),
      [&](std::size_t position) { return record_at(questions_file, position); }, "question id");
  std::vector<char> answered(out.samples.size(), 0);
  Document json(annotations_file);
  for_each_listed(json, "annotations", [&](value record, const std::string& where) {
    std::string qid;
    std::vector<std::string> answers;
    std::map<std::string, std::string> meta;
    for_each_field(record, where, [&](auto field, value fv) {
      if (field == "question_id") qid = id(fv, "question_id", where);
      else if (field == "answers") answers = ten_answers(fv, where);
      else if (field == "answer_type") meta["answer_type"] = std::string(text(fv, "answer_type", where));
      else if (field == "question_type") meta["question_type"] = std::string(text(fv, "question_type", where));
      else consume(fv);
    });
    if (qid.empty()) missing_field("question_id", where);
    if (answers.empty()) missing_field("answers", where);
    const std::size_t position = by_id.find(qid);
    if (position == IdIndex::npos)
      throw Error(where, "answers question " + qid + ", which is not in " + questions_file.string());
    if (answered[position]++) throw Error(where, "duplicate annotation for question " + qid);
    TaskSample& s = out.samples[position];
    s.demo_answer = most_frequent(answers);
    s.references = std::move(answers);
    s.meta = std::move(meta);
  });
  for (std::size_t i = 0; i < out.samples.size(); ++i)
    if (!answered[i])
      throw Error(annotations_file.string(), "has no annotation for question " + out.samples[i].key + " of " +
                                                 questions_file.string());
  return out;
}

SplitData textvqa(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("textvqa/TextVQA_0.5.1_" + split + ".json")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  Document json(file);
  for_each_listed(json, "data", [&](value record, const std::string& where) {
    auto [s, image_id] = question_record(record, where, /*with_answers=*/true);
    s.images.push_back(image_at(root, "textvqa/train_images/" + image_id + ".jpg"));
    s.demo_answer = most_frequent(s.references);
    out.samples.push_back(std::move(s));
  });
  require_unique_records(out, "question id");
  return out;
}

SplitData vizwiz(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("vizwiz/" + split + ".json")}, {}, 0, ""};
  const fs::path& file = out.files.front();
  Document json(file);
  json.read([&](auto& doc) {
    for_each_record(top_value(json, doc, "a list of VizWiz records"), file, "records", [&](value record, const std::string& where) {
      TaskSample s;
      bool has_question = false;
      for_each_field(record, where, [&](auto field, value fv) {
        if (field == "image") s.key = std::string(text(fv, "image", where));
        else if (field == "question") {
          s.question = nonempty_question(text(fv, "question", where), where);
          has_question = true;
        } else if (field == "answers") s.references = ten_answers(fv, where);
        else if (field == "answer_type") s.meta["answer_type"] = std::string(text(fv, "answer_type", where));
        else consume(fv);
      });
      if (s.key.empty()) missing_field("image", where);
      if (!has_question) missing_field("question", where);
      if (s.references.empty()) missing_field("answers", where);
      s.images.push_back(image_at(root, "vizwiz/" + split + "/" + s.key));
      s.demo_answer = most_frequent(s.references);
      out.samples.push_back(std::move(s));
    });
  });
  require_unique_records(out, "image");
  return out;
}

SplitData gqa(const DataRoot& root, const std::string& split) {
  SplitData out{split, {root.resolve("gqa/" + split + "_balanced_questions.json")}, {}, 0, ""};
  out.skip_rule = "questions with isBalanced false (eval.py scores the balanced ones)";
  const fs::path& file = out.files.front();
  std::vector<std::string> keys;  // of every question, balanced or not
  Document json(file);
  json.read([&](auto& doc) {
    const json_type type = doc.type();
    if (type != json_type::object) throw Error(file.string(), "expected a GQA questions object keyed by question id");
    for (simdjson::ondemand::field entry : doc.get_object()) {
      TaskSample s;
      s.key = std::string(std::string_view(entry.unescaped_key()));
      const auto where = file.string() + ": question " + s.key;
      std::string image_id;
      bool balanced = true, has_question = false;
      for_each_field(entry.value(), where, [&](auto field, value fv) {
        if (field == "question") {
          s.question = nonempty_question(text(fv, "question", where), where);
          has_question = true;
        } else if (field == "imageId") image_id = id(fv, "imageId", where);
        else if (field == "answer") s.references = {std::string(text(fv, "answer", where))};
        else if (field == "isBalanced") {
          if (fv.type() != json_type::boolean) throw Error(where, "isBalanced must be a boolean");
          balanced = fv.get_bool();
        } else if (field == "types") {
          for_each_field(fv, where + " types", [&](auto t, value tv) {
            if (t == "structural") s.meta["structural"] = std::string(text(tv, "structural", where));
            else if (t == "semantic") s.meta["semantic"] = std::string(text(tv, "semantic", where));
            else consume(tv);
          });
        } else consume(fv);
      });
      if (!has_question) missing_field("question", where);
      if (image_id.empty()) missing_field("imageId", where);
      if (s.references.empty()) missing_field("answer", where);
      keys.push_back(s.key);  // skipped ones too: a repeated key is an error either way
      if (!balanced) {
        ++out.skipped;
        continue;
      }
      s.images.push_back(image_at(root, "gqa/images/" + image_id + ".jpg"));
      s.demo_answer = s.references.front();
      out.samples.push_back(std::move(s));
    }
  });
  std::vector<std::string_view> views(keys.begin(), keys.end());
  unique_index(
      std::move(views), [&](std::size_t position) { return file.string() + ": question " + keys[position]; },
      "question id");
  return out;
}

std::string most_frequent(const std::vector<std::string>& answers) {
  std::size_t best = 0, best_count = 0;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    std::size_t count = 0;
    for (const auto& a : answers) count += a == answers[i];
    if (count > best_count) {
      best = i;
      best_count = count;
    }
  }
  return answers.empty() ? std::string() : answers[best];
}

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n\r\f\v");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\n\r\f\v");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace mmh::tasks::loaders
