// VQA tasks in their official formats: VQAv2 and OK-VQA (questions and
// annotations files on the COCO images), TextVQA_0.5.1, VizWiz, GQA balanced.
#include <cstdio>

#include "harness/demo/demo_data_internal.h"
#include "harness/demo/demo_questions.h"

namespace mmh::demo::detail {
namespace {

// A person who gave a minority answer was less sure of it.
const char* confidence(const std::string& answer, const DemoQuestion& q) {
  return answer == q.answer ? "yes" : "maybe";
}

// The question, its ten answers and its variants, for the tokenizer.
std::vector<std::string> ten_answers(DemoWriter& out, const DemoQuestion& q, DemoRandom& random) {
  out.text(q.question);
  out.text(q.answer);
  out.texts(q.variants);
  return human_answers(q, random);
}

ordered_json vqa_answers(const std::vector<std::string>& answers, const DemoQuestion& q, bool okvqa) {
  ordered_json list = ordered_json::array();
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (okvqa)  // v1.1: "answer" is stemmed; these single words stem to themselves
      list.push_back({{"answer_id", i + 1},
                      {"raw_answer", answers[i]},
                      {"answer_confidence", confidence(answers[i], q)},
                      {"answer", answers[i]}});
    else
      list.push_back({{"answer", answers[i]}, {"answer_confidence", confidence(answers[i], q)}, {"answer_id", i + 1}});
  }
  return list;
}

std::string zero_padded(long long n, std::size_t width) {
  std::string digits = std::to_string(n);
  return std::string(digits.size() < width ? width - digits.size() : 0, '0') + digits;
}

}  // namespace

void write_vqa_format(DemoWriter& out, const CocoImages& coco, bool okvqa) {
  const std::string task = okvqa ? "okvqa" : "vqav2";
  DemoRandom random = out.random(task);
  for (const auto& [split, images] :
       {std::pair<std::string, const std::vector<CocoImage>*>{"train", &coco.train}, {"val", &coco.test}}) {
    ordered_json questions = ordered_json::array(), annotations = ordered_json::array();
    for (const CocoImage& image : *images) {
      const DemoQuestion q = okvqa ? ask_okvqa(image.scene, random) : ask_vqav2(image.scene, random);
      const std::vector<std::string> answers = ten_answers(out, q, random);
      // Question ids extend the image id, as in the official files (VQAv2: id * 1000 + n, OK-VQA: id * 10 + n).
      const long long qid = okvqa ? image.id * 10 + 5 : image.id * 1000;
      questions.push_back({{"image_id", image.id}, {"question", q.question}, {"question_id", qid}});
      if (okvqa)
        annotations.push_back({{"image_id", image.id}, {"answer_type", q.answer_type},
                               {"question_type", q.question_type}, {"question_id", qid},
                               {"answers", vqa_answers(answers, q, true)}, {"confidence", 3}});
      else
        annotations.push_back({{"question_type", q.question_type}, {"multiple_choice_answer", q.answer},
                               {"answers", vqa_answers(answers, q, false)}, {"image_id", image.id},
                               {"answer_type", q.answer_type}, {"question_id", qid}});
    }
    const std::string subtype = split + "2014";
    const ordered_json info = {{"description", task + " (demo: synthetic shapes on COCO-named images)"},
                               {"version", okvqa ? "1.1" : "2.0"}};
    const ordered_json questions_doc = {{"info", info},          {"task_type", "Open-Ended"},
                                        {"data_type", "mscoco"}, {"data_subtype", subtype},
                                        {"questions", questions}};
    const ordered_json annotations_doc = {
        {"info", info}, {"data_subtype", subtype}, {"annotations", annotations}, {"data_type", "mscoco"}};
    if (okvqa) {
      out.json_file("okvqa/OpenEnded_mscoco_" + subtype + "_questions.json", questions_doc);
      out.json_file("okvqa/mscoco_" + subtype + "_annotations.json", annotations_doc);
    } else {
      out.json_file("vqav2/v2_OpenEnded_mscoco_" + subtype + "_questions.json", questions_doc);
      out.json_file("vqav2/v2_mscoco_" + subtype + "_annotations.json", annotations_doc);
    }
  }
  out.task_done(task, coco.test.size(), coco.train.size());
}

void write_textvqa(DemoWriter& out) {
  DemoRandom random = out.random("textvqa");
  std::set<long long> used;
  for (const auto& [split, count] : {std::pair<std::string, std::size_t>{"train", out.options().pool},
                                     {"val", out.options().samples}}) {
    ordered_json data = ordered_json::array();
    const auto ids = unique_numbers(random, count, 0, 99999, used);
    for (std::size_t i = 0; i < count; ++i) {
      const Scene scene = draw_scene(random, {.sign_with_number = true});
      const std::string image_id = hex_id(random);
      const DemoQuestion q = ask_textvqa(scene, random);
      const std::vector<std::string> answers = ten_answers(out, q, random);
      data.push_back({{"question", q.question},
                      {"image_id", image_id},
                      {"image_classes", {"Sign", "Number"}},
                      {"image_width", scene.width},
                      {"image_height", scene.height},
                      {"answers", answers},
                      {"question_id", ids[i]},
                      {"set_name", split}});
      // Official TextVQA keeps train and val images together in train_images/.
      out.image_file("textvqa/train_images/" + image_id + ".jpg", scene);
    }
    out.json_file("textvqa/TextVQA_0.5.1_" + split + ".json",
                  {{"dataset_type", split}, {"dataset_name", "textvqa"}, {"dataset_version", "0.5.1"}, {"data", data}});
  }
  out.task_done("textvqa", out.options().samples, out.options().pool);
}

void write_vizwiz(DemoWriter& out) {
  DemoRandom random = out.random("vizwiz");
  for (const auto& [split, count] : {std::pair<std::string, std::size_t>{"train", out.options().pool},
                                     {"val", out.options().samples}}) {
    ordered_json records = ordered_json::array();
    for (std::size_t i = 0; i < count; ++i) {
      Scene scene = draw_scene(random, {.min_shapes = 1, .max_shapes = 2});
      scene.dark = random.chance(20);  // a photo too dark to use
      const DemoQuestion q = ask_vizwiz(scene, random);
      const std::vector<std::string> answers = ten_answers(out, q, random);
      ordered_json list = ordered_json::array();
      for (const auto& a : answers) list.push_back({{"answer", a}, {"answer_confidence", confidence(a, q)}});
      char name[64];
      std::snprintf(name, sizeof name, "VizWiz_%s_%08zu.jpg", split.c_str(), i);
      records.push_back({{"image", name},
                         {"question", q.question},
                         {"answers", list},
                         {"answer_type", q.answer_type},
                         {"answerable", scene.dark ? 0 : 1}});
      out.image_file("vizwiz/" + split + "/" + name, scene);
    }
    out.json_file("vizwiz/" + split + ".json", records);
  }
  out.task_done("vizwiz", out.options().samples, out.options().pool);
}

void write_gqa(DemoWriter& out) {
  DemoRandom random = out.random("gqa");
  std::set<long long> used_questions, used_images;
  for (const auto& [split, count] : {std::pair<std::string, std::size_t>{"train", out.options().pool},
                                     {"testdev", out.options().samples}}) {
    ordered_json questions = ordered_json::object();
    const auto qids = unique_numbers(random, count, 1, 99999999, used_questions);
    const auto image_numbers = unique_numbers(random, count, 1, 999999, used_images);
    for (std::size_t i = 0; i < count; ++i) {
      const Scene scene = draw_scene(random, {});
      const GqaQuestion q = ask_gqa(scene, random);
      out.text(q.question);
      out.text(q.answer);
      out.text(q.full_answer);
      const std::string qid = zero_padded(qids[i], 8);
      // Visual Genome ids; testdev images are named "n" and a number, as in the official release.
      std::string image = split == "testdev" ? std::string("n") : std::string();
      image += split == "testdev" ? zero_padded(image_numbers[i], 6) : std::to_string(image_numbers[i]);
      questions[qid] = {{"semantic", ordered_json::array()},
                        {"entailed", ordered_json::array()},
                        {"equivalent", {qid}},
                        {"question", q.question},
                        {"imageId", image},
                        {"isBalanced", true},
                        {"groups", {{"global", nullptr}, {"local", q.detailed}}},
                        {"answer", q.answer},
                        {"semanticStr", ""},
                        {"annotations", {{"answer", ordered_json::object()}, {"question", ordered_json::object()},
                                         {"fullAnswer", ordered_json::object()}}},
                        {"types", {{"structural", q.structural}, {"semantic", q.semantic}, {"detailed", q.detailed}}},
                        {"fullAnswer", q.full_answer}};
      out.image_file("gqa/images/" + image + ".jpg", scene);
    }
    out.json_file("gqa/" + split + "_balanced_questions.json", questions);
  }
  out.task_done("gqa", out.options().samples, out.options().pool);
}

}  // namespace mmh::demo::detail
