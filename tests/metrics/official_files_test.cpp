// Readers of official annotation and results files: formats, and one clear
// error naming the file and record for each way a file can be wrong.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "support/temp_dir.h"
#include "tasks/official_files.h"

using namespace mmh::tasks;
using mmh::test::TempDir;
using mmh::test::write_file;

namespace {

std::filesystem::path file_with(const TempDir& dir, const std::string& name, const std::string& content) {
  write_file(dir / name, content);
  return dir / name;
}

constexpr const char* kVqaAnnotations = R"J({"annotations": [
  {"question_id": 1001, "image_id": 1, "question_type": "how many", "answer_type": "number",
   "answers": [{"answer": "2", "answer_id": 1}, {"answer": "two", "answer_id": 2}]},
  {"question_id": 1002, "image_id": 1, "question_type": "is this", "answer_type": "yes/no",
   "answers": [{"answer": "yes", "answer_id": 1}]}]})J";

}  // namespace

TEST_CASE("official files: caption annotations in all three layouts", "[tasks][files]") {
  TempDir dir;
  const auto coco = read_caption_annotations(file_with(dir, "coco.json", R"J({"images": [{"id": 7}, {"id": 3}],
      "annotations": [{"image_id": 3, "caption": "A cat."}, {"image_id": 7, "caption": "A dog."},
                      {"image_id": 3, "caption": "A kitten."}]})J"));
  REQUIRE(coco.size() == 2);
  CHECK(coco[0].id == "7");  // image order, as COCOEvalCap evaluates
  CHECK(coco[1].references == std::vector<std::string>{"A cat.", "A kitten."});

  const auto karpathy = read_caption_annotations(file_with(dir, "dataset_coco.json", R"J({"dataset": "coco", "images": [
      {"cocoid": 1, "split": "train", "sentences": [{"raw": "x"}]},
      {"cocoid": 2, "split": "test", "sentences": [{"raw": "A man."}, {"raw": "A person."}]}]})J"));
  REQUIRE(karpathy.size() == 1);
  CHECK(karpathy[0].id == "2");
  CHECK(karpathy[0].references.size() == 2);

  const auto textcaps = read_caption_annotations(file_with(dir, "tc.json", R"J({"data": [
      {"image_id": "abc", "reference_strs": ["one", "two"]}, {"image_id": "abc", "reference_strs": ["one", "two"]}]})J"));
  REQUIRE(textcaps.size() == 1);  // one record per caption, one sample per image
  CHECK(textcaps[0].references.size() == 2);
}

TEST_CASE("official files: VQA annotations, with or without the questions file", "[tasks][files]") {
  TempDir dir;
  const auto annotations = file_with(dir, "ann.json", kVqaAnnotations);
  const auto questions = file_with(dir, "q.json", R"J({"questions": [{"question_id": 1001}, {"question_id": 1002}]})J");
  const std::vector<std::filesystem::path> both = {questions, annotations};
  const auto samples = read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, both);
  REQUIRE(samples.size() == 2);
  CHECK(samples[0].question_id == "1001");
  CHECK(samples[0].answers == std::vector<std::string>{"2", "two"});
  CHECK(samples[0].answer_type == "number");
  CHECK(samples[1].question_type == "is this");

  const auto other_split = file_with(dir, "q2.json", R"J({"questions": [{"question_id": 1001}]})J");
  const std::vector<std::filesystem::path> mismatched = {annotations, other_split};
  CHECK_THROWS_WITH(read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, mismatched),
                    Catch::Contains("q2.json") && Catch::Contains("no question 1002"));
  const std::vector<std::filesystem::path> only_questions = {questions};
  CHECK_THROWS_WITH(read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, only_questions),
                    Catch::Contains("is a questions file"));

  const std::vector<std::filesystem::path> vizwiz = {file_with(dir, "val.json", R"J([
      {"image": "VizWiz_val_0.jpg", "answers": [{"answer": "unanswerable", "answer_confidence": "yes"}],
       "answer_type": "unanswerable", "answerable": 0}])J")};
  const auto vz = read_vqa_annotations(mmh::metrics::VqaTask::kVizWiz, vizwiz);
  REQUIRE(vz.size() == 1);
  CHECK(vz[0].question_id == "VizWiz_val_0.jpg");
  CHECK(vz[0].answer_type == "unanswerable");

  const std::vector<std::filesystem::path> textvqa = {
      file_with(dir, "TextVQA_0.5.1_val.json", R"J({"data": [{"question_id": 5, "answers": ["a", "b"]}]})J")};
  CHECK(read_vqa_annotations(mmh::metrics::VqaTask::kTextVqa, textvqa)[0].answers.size() == 2);
}

TEST_CASE("official files: GQA and MMMU", "[tasks][files]") {
  TempDir dir;
  const auto gqa = read_gqa_questions(file_with(dir, "gqa.json", R"J({
      "201": {"answer": "no", "isBalanced": true, "types": {"structural": "verify", "semantic": "attr"}},
      "202": {"answer": "red", "isBalanced": false, "types": {"structural": "query", "semantic": "attr"}}})J"));
  REQUIRE(gqa.size() == 1);  // eval.py scores balanced questions
  CHECK(gqa[0].question_id == "201");
  CHECK(gqa[0].structural == "verify");

  const auto output = read_mmmu_output(file_with(dir, "output.json", R"J([
      {"id": "validation_Art_1", "question_type": "multiple-choice", "answer": "B", "all_choices": ["A", "B"],
       "index2ans": {"A": "red", "B": "blue"}, "response": "(B)"},
      {"id": "validation_Math_2", "question_type": "short-answer", "answer": ["24/7", "3.429"], "response": "3.43"}])J"));
  REQUIRE(output.samples.size() == 2);
  CHECK(output.samples[0].options == std::vector<std::string>{"red", "blue"});
  CHECK(output.samples[1].answers.size() == 2);
  CHECK(output.responses[0] == "(B)");

  const auto dict = read_mmmu_answer_dict(file_with(dir, "answer_dict_val.json",
      R"J({"validation_Art_1": {"question_type": "multiple-choice", "ground_truth": "B"}})J"));
  REQUIRE(dict.size() == 1);
  CHECK(dict[0].answers == std::vector<std::string>{"B"});
}

TEST_CASE("official files: predictions are aligned strictly", "[tasks][files][errors]") {
  TempDir dir;
  const std::vector<std::string> ids = {"1001", "1002"};
  SECTION("integer and string ids") {
    const auto preds = read_predictions(file_with(dir, "p.json", R"J([{"question_id": 1002, "answer": "yes"},
        {"question_id": "1001", "answer": "2", "extra": [1, {"x": null}]}])J"), "question_id", "answer", ids);
    CHECK(preds == std::vector<std::string>{"2", "yes"});
  }
  SECTION("a missing prediction") {
    const auto path = file_with(dir, "p.json", R"J([{"question_id": 1001, "answer": "2"}])J");
    CHECK_THROWS_WITH(read_predictions(path, "question_id", "answer", ids),
                      Catch::Contains(path.string()) && Catch::Contains("no prediction for id 1002"));
  }
  SECTION("an unknown id") {
    const auto path = file_with(dir, "p.json", R"J([{"question_id": 1001, "answer": "2"},
        {"question_id": 1002, "answer": "y"}, {"question_id": 9, "answer": "x"}])J");
    CHECK_THROWS_WITH(read_predictions(path, "question_id", "answer", ids),
                      Catch::Contains("prediction for id 9, which is not in the annotations"));
  }
  SECTION("a duplicate id") {
    const auto path = file_with(dir, "p.json", R"J([{"question_id": 1001, "answer": "2"},
        {"question_id": 1001, "answer": "3"}])J");
    CHECK_THROWS_WITH(read_predictions(path, "question_id", "answer", ids),
                      Catch::Contains("record 1") && Catch::Contains("duplicate prediction for id 1001"));
  }
}

TEST_CASE("official files: malformed input names the file and the record", "[tasks][files][errors]") {
  TempDir dir;
  const std::vector<std::string> ids = {"1", "2"};
  auto read_preds = [&](const std::string& content) {
    return read_predictions(file_with(dir, "p.json", content), "question_id", "answer", ids);
  };
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1, \"answer\": \"a\"},\n {\"question_id\": 2,"),
                    Catch::Contains("p.json:2:") && Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(read_preds("{\"question_id\": 1}"), Catch::Contains("expected a JSON list"));
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1}]"),
                    Catch::Contains("record 0") && Catch::Contains("missing field \"answer\""));
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1.5, \"answer\": \"a\"}]"),
                    Catch::Contains("must be an integer or a string"));
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1, \"answer\": 3}]"), Catch::Contains("wrong type"));
  CHECK_THROWS_WITH(read_preds(std::string("[{\"question_id\": 1, \"answer\": \"caf\xe9\"}]")),
                    Catch::Contains("p.json:1:") && Catch::Contains("malformed JSON"));  // Latin-1 byte: not UTF-8
  // Values the reader does not need are still checked: a malformed one anywhere is reported.
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1, \"answer\": \"a\", \"score\": tru}]"),
                    Catch::Contains("p.json:1:") && Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1, \"answer\": \"a\"}, {\"question_id\": 2, \"answer\": \"b\"}] []"),
                    Catch::Contains("p.json:1:") && Catch::Contains("malformed JSON"));
  CHECK_THROWS_WITH(read_preds("[{\"question_id\": 1, \"answer\": \"a\"}, 7]"),
                    Catch::Contains("record 1") && Catch::Contains("expected an object, found number"));
  CHECK_THROWS_WITH(read_predictions(dir / "absent.json", "question_id", "answer", ids),
                    Catch::Contains("absent.json") && Catch::Contains("no such file"));
  CHECK_THROWS_WITH(read_caption_annotations(file_with(dir, "a.json", R"J({"annotations": []})J")),
                    Catch::Contains("is not a caption annotation file"));
  CHECK_THROWS_WITH(read_caption_annotations(file_with(dir, "b.json", R"J({"images": [{"id": 1}],
      "annotations": [{"image_id": 2, "caption": "x"}]})J")), Catch::Contains("annotations[0]") &&
                    Catch::Contains("image id 2"));
  const std::vector<std::filesystem::path> gqa_as_vqa = {file_with(dir, "gqa.json", R"J({"1": {"answer": "no"}})J")};
  CHECK_THROWS_WITH(read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, gqa_as_vqa),
                    Catch::Contains("is not an annotation file for this task"));
  CHECK_THROWS_AS(read_gqa_questions(file_with(dir, "g.json", R"J({"1": {"answer": "no"}})J")), mmh::Error);
}

TEST_CASE("official files: duplicate keys, repeated files, byte-order marks", "[tasks][files][errors]") {
  TempDir dir;
  CHECK_THROWS_WITH(read_gqa_questions(file_with(dir, "gqa.json", R"J({
      "1": {"answer": "no", "types": {"structural": "verify", "semantic": "attr"}},
      "1": {"answer": "no", "types": {"structural": "verify", "semantic": "attr"}}})J")),
                    Catch::Contains("question 1") && Catch::Contains("duplicate id 1"));
  CHECK_THROWS_WITH(read_gqa_questions(file_with(dir, "vqa.json", R"J({"annotations": []})J")),
                    Catch::Contains("is not a GQA question object"));
  CHECK_THROWS_WITH(read_predictions(file_with(dir, "total_val_output.json", R"J({"a": "A", "a": "B"})J"), "", "", {"a"}),
                    Catch::Contains("duplicate prediction for id a"));
  CHECK_THROWS_WITH(read_mmmu_answer_dict(file_with(dir, "answer_dict_val.json", R"J({
      "a": {"question_type": "multiple-choice", "ground_truth": "A"},
      "a": {"question_type": "multiple-choice", "ground_truth": "B"}})J")), Catch::Contains("duplicate id a"));
  const auto annotations = file_with(dir, "ann.json", kVqaAnnotations);
  const std::vector<std::filesystem::path> twice = {annotations, annotations};
  CHECK_THROWS_WITH(read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, twice),
                    Catch::Contains("is a second annotations file"));
  CHECK_THROWS_WITH(read_predictions(file_with(dir, "bom.json", "\xEF\xBB\xBF[]"), "question_id", "answer", {"1"}),
                    Catch::Contains("bom.json") && Catch::Contains("byte-order mark"));
  CHECK_THROWS_WITH(read_predictions("/dev/null", "question_id", "answer", {"1"}),
                    Catch::Contains("/dev/null") && Catch::Contains("malformed JSON"));
}

TEST_CASE("official files: VQA annotation records are checked one by one", "[tasks][files][errors]") {
  TempDir dir;
  auto read = [&](const std::string& records) {
    const std::vector<std::filesystem::path> files = {file_with(dir, "ann.json", "{\"annotations\": [" + records + "]}")};
    return read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, files);
  };
  const std::string good = R"J({"question_id": 1, "question_type": "what", "answer_type": "other",
      "answers": [{"answer": "a", "answer_confidence": "yes", "answer_id": 1}]})J";
  CHECK(read(good).size() == 1);
  CHECK_THROWS_WITH(read(good + ", " + good), Catch::Contains("ann.json: record 1") && Catch::Contains("duplicate id 1"));
  CHECK_THROWS_WITH(read(R"J({"question_id": 1, "question_type": "what", "answer_type": "other"})J"),
                    Catch::Contains("record 0") && Catch::Contains("missing field \"answers\""));
  CHECK_THROWS_WITH(read(R"J({"question_id": 1, "question_type": "what", "answer_type": "other", "answers": "a"})J"),
                    Catch::Contains("\"answers\" must be a list"));
  CHECK_THROWS_WITH(read(R"J({"question_id": 1, "question_type": "what", "answer_type": "other", "answers": []})J"),
                    Catch::Contains("non-empty list"));
  CHECK_THROWS_WITH(read(R"J({"question_id": 1, "answer_type": "other", "answers": [{"answer": "a"}]})J"),
                    Catch::Contains("missing field \"question_type\""));
  CHECK_THROWS_WITH(read(R"J({"question_id": 1, "question_type": "what", "answer_type": "other",
      "answers": [{"answer_id": 1}]})J"), Catch::Contains("record 0 answers") && Catch::Contains("\"answer\""));
  CHECK_THROWS_WITH(read(R"J({"question_id": [1], "question_type": "what", "answer_type": "other",
      "answers": [{"answer": "a"}]})J"), Catch::Contains("must be an integer or a string, not array"));
  CHECK_THROWS_WITH(read("7"), Catch::Contains("record 0") && Catch::Contains("expected an object, found number"));
  CHECK_THROWS_WITH(read(good + ", {\"question_id\": 2, \"answers\": [{\"answer\": \"a\", \"answer_id\": 1e}]}"),
                    Catch::Contains("malformed JSON"));
  const std::vector<std::filesystem::path> not_a_list = {file_with(dir, "x.json", R"J({"annotations": {}})J")};
  CHECK_THROWS_WITH(read_vqa_annotations(mmh::metrics::VqaTask::kVqaV2, not_a_list),
                    Catch::Contains("has no \"annotations\" list"));
}

TEST_CASE("official files: files of every size parse, mapped or copied", "[tasks][files]") {
  // A file is mapped when simdjson's 64 bytes of read-ahead fit in its last page, and copied otherwise:
  // sizes around a page boundary exercise both.
  TempDir dir;
  const std::string records = R"J([{"question_id": 1, "answer": "yes"}])J";
  for (std::size_t size : {std::size_t{4096}, std::size_t{4095}, std::size_t{4031}, std::size_t{4033},
                           std::size_t{8192 + 100}}) {
    const auto path = file_with(dir, "p" + std::to_string(size) + ".json", records + std::string(size - records.size(), ' '));
    REQUIRE(std::filesystem::file_size(path) == size);
    CHECK(read_predictions(path, "question_id", "answer", {"1"}) == std::vector<std::string>{"yes"});
  }
}
