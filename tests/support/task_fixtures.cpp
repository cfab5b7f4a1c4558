#include "support/task_fixtures.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace mmh::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

void write_json(const fs::path& path, const json& value) { write_file(path, value.dump(1)); }
void write_image(const fs::path& path) { write_file(path, tiny_png()); }

std::string coco_name(const std::string& split, int id) {
  char name[64];
  std::snprintf(name, sizeof name, "COCO_%s2014_%012d.jpg", split.c_str(), id);
  return name;
}

json ten_answers(const std::vector<std::string>& answers) {
  json out = json::array();
  for (std::size_t i = 0; i < 10; ++i)
    out.push_back({{"answer", answers[i % answers.size()]}, {"answer_confidence", "yes"}, {"answer_id", i + 1}});
  return out;
}

// COCO Karpathy: 3 test images (1..3, val2014), 6 train (11..16, train2014), 1 restval (21).
void coco(const fs::path& root) {
  json images = json::array();
  auto add = [&](int id, const std::string& split, const std::string& folder, int captions) {
    json sentences = json::array();
    for (int c = 0; c < captions; ++c)
      sentences.push_back({{"raw", "Image " + std::to_string(id) + " caption " + std::to_string(c) + ". "},
                           {"tokens", json::array()}, {"imgid", id}, {"sentid", id * 10 + c}});
    images.push_back({{"filepath", folder}, {"filename", coco_name(folder.substr(0, folder.size() - 4), id)},
                      {"imgid", id}, {"split", split}, {"cocoid", id}, {"sentences", sentences}});
    write_image(root / "coco" / folder / coco_name(folder.substr(0, folder.size() - 4), id));
  };
  for (int id = 1; id <= 3; ++id) add(id, "test", "val2014", 5);
  for (int id = 11; id <= 16; ++id) add(id, "train", "train2014", 3);
  add(21, "restval", "val2014", 5);
  write_json(root / "coco/dataset_coco.json", {{"images", images}, {"dataset", "coco"}});
}

// NoCaps val: 2 images with 3 captions each.
void nocaps(const fs::path& root) {
  json images = json::array(), annotations = json::array();
  for (int id = 0; id < 2; ++id) {
    const std::string file = "00" + std::to_string(id) + "abc.jpg";
    images.push_back({{"id", id}, {"file_name", file}, {"open_images_id", "00" + std::to_string(id) + "abc"},
                      {"domain", id ? "out-domain" : "in-domain"}});
    for (int c = 0; c < 3; ++c)
      annotations.push_back({{"image_id", id}, {"id", id * 3 + c}, {"caption", "NoCaps " + std::to_string(c)}});
    write_image(root / "nocaps/validation" / file);
  }
  write_json(root / "nocaps/nocaps_val_4500_captions.json",
             {{"licenses", json::array()}, {"info", {{"version", "0.1"}}}, {"images", images},
              {"annotations", annotations}});
}

// TextCaps: train 4 images x 2 records, val 2 images x 2 records (one record per caption).
void textcaps(const fs::path& root) {
  for (const auto& [split, count] : {std::pair<std::string, int>{"train", 4}, {"val", 2}}) {
    json data = json::array();
    for (int i = 0; i < count; ++i) {
      const std::string id = split + "img" + std::to_string(i);
      const json refs = {"Sign " + id + " one", "Sign " + id + " two"};
      for (int c = 0; c < 2; ++c)
        data.push_back({{"image_id", id}, {"image_path", "train/" + id + ".jpg"}, {"caption_str", refs[c]},
                        {"reference_strs", refs}, {"caption_id", i * 2 + c}});
      write_image(root / "textcaps/train_images" / (id + ".jpg"));
    }
    write_json(root / ("textcaps/TextCaps_0.1_" + split + ".json"),
               {{"dataset_type", split}, {"dataset_name", "textcaps"}, {"data", data}});
  }
}

// VQAv2 / OK-VQA: val 3 questions on COCO val images 1..3, train 6 on train images 11..16.
void vqa_format(const fs::path& root, const std::string& task) {
  const bool okvqa = task == "okvqa";
  for (const auto& [split, first, count] : {std::tuple<std::string, int, int>{"val", 1, 3}, {"train", 11, 6}}) {
    json questions = json::array(), annotations = json::array();
    for (int i = 0; i < count; ++i) {
      const int image = first + i, qid = image * 1000 + (okvqa ? 7 : 0);
      questions.push_back({{"image_id", image}, {"question", "What is in image " + std::to_string(image) + "?"},
                           {"question_id", qid}});
      annotations.push_back({{"question_id", qid}, {"image_id", image}, {"question_type", "what is"},
                             {"answer_type", "other"}, {"multiple_choice_answer", "cat"},
                             {"answers", ten_answers({"cat", "cat", "dog"})}});
    }
    const std::string folder = okvqa ? "okvqa/" : "vqav2/";
    const std::string q = okvqa ? "OpenEnded_mscoco_" + split + "2014_questions.json"
                                : "v2_OpenEnded_mscoco_" + split + "2014_questions.json";
    const std::string a = okvqa ? "mscoco_" + split + "2014_annotations.json"
                                : "v2_mscoco_" + split + "2014_annotations.json";
    write_json(root / (folder + q), {{"task_type", "Open-Ended"}, {"data_subtype", split + "2014"}, {"questions", questions}});
    write_json(root / (folder + a), {{"data_subtype", split + "2014"}, {"annotations", annotations}});
  }
}

// TextVQA: train 5, val 2 questions; answers as ten strings.
void textvqa(const fs::path& root) {
  for (const auto& [split, count] : {std::pair<std::string, int>{"train", 5}, {"val", 2}}) {
    json data = json::array();
    for (int i = 0; i < count; ++i) {
      const std::string image = split + "text" + std::to_string(i);
      json answers = json::array();
      for (int a = 0; a < 10; ++a) answers.push_back(a < 6 ? "stop" : "halt");
      data.push_back({{"question", "What does the sign say?"}, {"question_id", (split == "val" ? 100 : 200) + i},
                      {"image_id", image}, {"answers", answers}, {"set_name", split}});
      write_image(root / "textvqa/train_images" / (image + ".jpg"));
    }
    write_json(root / ("textvqa/TextVQA_0.5.1_" + split + ".json"), {{"dataset_name", "textvqa"}, {"data", data}});
  }
}

// VizWiz: train 5, val 2; a bare list, keyed by image name.
void vizwiz(const fs::path& root) {
  for (const auto& [split, count] : {std::pair<std::string, int>{"train", 5}, {"val", 2}}) {
    json records = json::array();
    for (int i = 0; i < count; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "VizWiz_%s_%08d.jpg", split.c_str(), i);
      json answers = json::array();
      for (int a = 0; a < 10; ++a)
        answers.push_back({{"answer", a < 7 ? "unanswerable" : "soup"}, {"answer_confidence", "yes"}});
      records.push_back({{"image", name}, {"question", "What is this?"}, {"answers", answers},
                         {"answer_type", "unanswerable"}, {"answerable", 0}});
      write_image(root / "vizwiz" / split / name);
    }
    write_json(root / ("vizwiz/" + split + ".json"), records);
  }
}

// GQA: testdev 3 questions, train 6 balanced + 1 unbalanced (skipped).
void gqa(const fs::path& root) {
  for (const auto& [split, count] : {std::pair<std::string, int>{"testdev", 3}, {"train", 7}}) {
    json questions = json::object();
    for (int i = 0; i < count; ++i) {
      const std::string image = (split == "train" ? "t" : "n") + std::to_string(i);
      questions[std::to_string((split == "train" ? 5000 : 9000) + i)] = {
          {"question", "Is the ball red?"}, {"imageId", image}, {"answer", i % 2 ? "yes" : "no"},
          {"fullAnswer", "Yes, it is."}, {"isBalanced", !(split == "train" && i == 6)},
          {"types", {{"structural", "verify"}, {"semantic", "attr"}, {"detailed", "verifyAttr"}}}};
      write_image(root / "gqa/images" / (image + ".jpg"));
    }
    write_json(root / ("gqa/" + split + "_balanced_questions.json"), questions);
  }
}

// MMMU: dev 5 records (Art), validation 3: one image, two images in question and options, and an open question.
void mmmu(const fs::path& root) {
  std::string dev, validation;
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "dev_Art_" + std::to_string(i);
    dev += json({{"id", id}, {"question", "Which painter made <image 1>?"}, {"options", "['Monet', \"Degas\", 'O\\'Keeffe']"},
                 {"answer", "B"}, {"question_type", "multiple-choice"}, {"subfield", "Painting"}})
               .dump() + "\n";
    write_image(root / "mmmu/images" / (id + "_1.png"));
  }
  validation += json({{"id", "validation_Art_1"}, {"question", "Who painted <image 1>?"},
                      {"options", "['Monet', 'Degas']"}, {"answer", "A"}, {"question_type", "multiple-choice"},
                      {"subfield", "Painting"}}).dump() + "\n";
  validation += json({{"id", "validation_Math_2"}, {"question", "Compare <image 1> with the options."},
                      {"options", "['<image 2>', 'neither']"}, {"answer", "A"}, {"question_type", "multiple-choice"},
                      {"subfield", "Geometry"}, {"image_2", "math2_option.png"}}).dump() + "\n";
  validation += json({{"id", "validation_Physics_3"}, {"question", "What is the speed in <image 1>, in m/s?"},
                      {"options", "[]"}, {"answer", "3.5"}, {"question_type", "open"}, {"subfield", "Mechanics"}})
                    .dump() + "\n";
  write_file(root / "mmmu/dev.jsonl", dev);
  write_file(root / "mmmu/validation.jsonl", validation);
  for (const char* name : {"validation_Art_1_1.png", "validation_Math_2_1.png", "math2_option.png",
                           "validation_Physics_3_1.png"})
    write_image(root / "mmmu/images" / name);
}

}  // namespace

std::string tiny_png() {
  // 2x2 RGB (red, green / blue, white), written once with zlib; CRCs checked by Python's zlib.
  static const unsigned char png[] = {
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
      0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x12, 0x49,
      0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xc0, 0x00, 0xc2, 0x0c, 0xff, 0x81, 0x00, 0x00, 0x1f, 0xee,
      0x05, 0xfb, 0x0b, 0xd9, 0x68, 0x8b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
  return std::string(reinterpret_cast<const char*>(png), sizeof png);
}

void write_task_fixtures(const fs::path& root) {
  coco(root);
  nocaps(root);
  textcaps(root);
  vqa_format(root, "vqav2");
  vqa_format(root, "okvqa");
  textvqa(root);
  vizwiz(root);
  gqa(root);
  mmmu(root);
}

}  // namespace mmh::test
