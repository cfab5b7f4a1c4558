// `mmharness score` end to end: official files in, official numbers out.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "common/json_file.h"
#include "support/refdata.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

using nlohmann::json;
using mmh::test::run_mmharness;
using mmh::test::TempDir;

namespace {

std::string write_json(const TempDir& dir, const std::string& name, const json& value) {
  mmh::test::write_file(dir / name, value.dump());
  return (dir / name).string();
}

json score_json(const std::vector<std::string>& args) {
  auto full = args;
  full.insert(full.begin(), "score");
  full.push_back("--json");
  const auto r = run_mmharness(full);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// A VizWiz prediction file from the real val annotations: `answer_of(annotation)` per question.
template <class AnswerOf>
std::string vizwiz_predictions(const TempDir& dir, const json& annotations, AnswerOf answer_of) {
  json preds = json::array();
  for (const auto& a : annotations["annotations"]) preds.push_back({{"image", a["image_id"]}, {"answer", answer_of(a)}});
  return write_json(dir, "vizwiz_predictions.json", preds);
}

}  // namespace

TEST_CASE("score: real VizWiz val gives the official positional values", "[score][refdata]") {
  const auto ann_path = mmh::test::refdata("metrics/real/vizwiz_val_annotations_vqa_format.json");
  const auto annotations = mmh::read_json_file(ann_path);
  TempDir dir;
  const auto unanswerable = score_json({"--task", "vizwiz", "--annotations", ann_path.string(), "--predictions",
                                        vizwiz_predictions(dir, annotations, [](const json&) { return "unanswerable"; })});
  CHECK(unanswerable["n"] == 4319);
  CHECK(unanswerable["metrics"]["accuracy"] == 52.12);
  CHECK(unanswerable["breakdown"]["perAnswerType/unanswerable"] == 100.0);
  const auto& ci = unanswerable["ci95"]["accuracy"];
  CHECK(ci[0].get<double>() < 52.12);
  CHECK(ci[1].get<double>() > 52.12);

  // The official VizWiz code normalizes only the prediction (see docs/metrics.md): 73.25, not 73.51.
  const auto majority = score_json({"--task", "vizwiz", "--annotations", ann_path.string(), "--predictions",
                                    vizwiz_predictions(dir, annotations, [](const json& a) {
                                      return a["multiple_choice_answer"].get<std::string>();
                                    })});
  CHECK(majority["metrics"]["accuracy"] == 73.25);
}

TEST_CASE("score: caption reference case through the COCO formats equals pycocoevalcap", "[score][refdata]") {
  const auto caption_case = mmh::read_json_file(mmh::test::refdata("metrics/caption_cases/case1_coco_style.json"));
  json images = json::array(), annotations = json::array(), results = json::array();
  for (const auto& id : caption_case["image_ids_order"]) {
    const int image_id = std::stoi(id.get<std::string>());
    images.push_back({{"id", image_id}});
    for (const auto& ref : caption_case["refs"][id.get<std::string>()])
      annotations.push_back({{"image_id", image_id}, {"id", annotations.size()}, {"caption", ref}});
    const auto& cand = caption_case["cands"][id.get<std::string>()];
    results.push_back({{"image_id", image_id}, {"caption", cand.is_array() ? cand[0] : cand}});
  }
  TempDir dir;
  const auto out = score_json({"--task", "coco", "--annotations",
                               write_json(dir, "captions_gt.json", {{"images", images}, {"annotations", annotations}}),
                               "--predictions", write_json(dir, "results.json", results), "--per-sample",
                               (dir / "per_sample.jsonl").string()});
  for (const auto& [name, value] : caption_case["scores"].items()) {
    INFO(name);
    CHECK(out["metrics"][name].get<double>() == Approx(value.get<double>()).margin(1e-9));
  }
  CHECK(out["notes"]["not_computed"] == json({"METEOR", "SPICE"}));
  const auto lines = mmh::test::read_file(dir / "per_sample.jsonl");
  CHECK(std::count(lines.begin(), lines.end(), '\n') == static_cast<long>(images.size()));
}

TEST_CASE("score: VQA reference case through the VQA formats equals vqaEval.py", "[score][refdata]") {
  const auto vqa_case = mmh::read_json_file(mmh::test::refdata("metrics/vqa_cases/vqa_case1_normalization.json"));
  json questions = json::array(), annotations = json::array(), results = json::array();
  for (const auto& q : vqa_case["questions"]) {
    json answers = json::array();
    for (const auto& a : q["gt_answers"]) answers.push_back(a.is_object() ? a : json{{"answer", a}});
    questions.push_back({{"question_id", q["question_id"]}, {"image_id", q["image_id"]}, {"question", q["question"]}});
    annotations.push_back({{"question_id", q["question_id"]}, {"image_id", q["image_id"]},
                           {"question_type", q["question_type"]}, {"answer_type", q["answer_type"]}, {"answers", answers}});
    results.push_back({{"question_id", q["question_id"]}, {"answer", q["prediction"]}});
  }
  TempDir dir;
  const auto out = score_json({"--task", "vqav2", "--annotations", write_json(dir, "q.json", {{"questions", questions}}),
                               "--annotations", write_json(dir, "a.json", {{"annotations", annotations}}),
                               "--predictions", write_json(dir, "r.json", results)});
  CHECK(out["metrics"]["accuracy"] == vqa_case["accuracy"]["overall"]);
  for (const auto& [type, value] : vqa_case["accuracy"]["perAnswerType"].items())
    CHECK(out["breakdown"]["perAnswerType/" + type] == value);
}

TEST_CASE("score: MMMU output.json as main_parse_and_eval.py reads it", "[score][refdata]") {
  const auto path = mmh::test::refdata("metrics/samples/mmmu_example_output_llava_Electronics.head3.json");
  const auto out = score_json({"--task", "mmmu", "--predictions", path.string()});
  CHECK(out["n"] == 3);
  CHECK(out["metrics"]["accuracy"].get<double>() == Approx(1.0 / 3.0).margin(1e-12));
  CHECK(out["notes"]["random_fallbacks"] == 0);
}

TEST_CASE("score: GQA exact match, its variant, table output and determinism", "[score]") {
  TempDir dir;
  const auto questions = write_json(dir, "testdev_balanced_questions.json", {
      {"1", {{"answer", "yes"}, {"isBalanced", true}, {"types", {{"structural", "verify"}, {"semantic", "attr"}}}}},
      {"2", {{"answer", "red"}, {"isBalanced", true}, {"types", {{"structural", "query"}, {"semantic", "attr"}}}}}});
  const auto predictions = write_json(dir, "p.json", json::array({{{"questionId", "1"}, {"prediction", "Yes."}},
                                                                  {{"questionId", "2"}, {"prediction", "red"}}}));
  const auto exact = score_json({"--task", "gqa", "--annotations", questions, "--predictions", predictions});
  CHECK(exact["metrics"]["accuracy"] == 0.5);
  const auto variant = score_json(
      {"--task", "gqa", "--annotations", questions, "--predictions", predictions, "--gqa-match", "lower-period"});
  CHECK(variant["metrics"]["accuracy"] == 1.0);

  const auto table = run_mmharness({"score", "--task", "gqa", "--annotations", questions, "--predictions", predictions});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("accuracy") && Catch::Contains("0.5000") && Catch::Contains("structural/query"));
  // The table's columns: metric, value, 95% CI, n.
  CHECK_THAT(table.out, Catch::Matches("(.|\n)*metric +value +95% CI +n *\n(.|\n)*"));
  CHECK_THAT(table.out, Catch::Matches("(.|\n)*accuracy +0\\.5000 +\\[0\\.0000, 1\\.0000\\] +2 *\n(.|\n)*"));
  const auto again = run_mmharness({"score", "--task", "gqa", "--annotations", questions, "--predictions", predictions});
  CHECK(again.out == table.out);  // seeded bootstrap: identical intervals
  const auto no_ci = score_json(
      {"--task", "gqa", "--annotations", questions, "--predictions", predictions, "--bootstrap", "0"});
  CHECK(no_ci["ci95"].empty());
}

TEST_CASE("score: bad input exits 2 with one line naming the file and id", "[score][errors]") {
  TempDir dir;
  const auto questions = write_json(dir, "gqa.json", {
      {"1", {{"answer", "yes"}, {"types", {{"structural", "verify"}, {"semantic", "attr"}}}}},
      {"2", {{"answer", "no"}, {"types", {{"structural", "verify"}, {"semantic", "attr"}}}}}});
  const auto one_missing = write_json(dir, "partial.json", json::array({{{"questionId", "1"}, {"prediction", "yes"}}}));
  const auto unknown = write_json(dir, "unknown.json", json::array({{{"questionId", "1"}, {"prediction", "yes"}},
                                                                    {{"questionId", "2"}, {"prediction", "no"}},
                                                                    {{"questionId", "77"}, {"prediction", "no"}}}));
  mmh::test::write_file(dir / "broken.json", "[{\"questionId\": \"1\", \"prediction\": ");
  const auto no_questions = write_json(dir, "empty_gqa.json", json::object());
  const auto no_predictions = write_json(dir, "empty_predictions.json", json::array());
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"--task", "gqa", "--annotations", questions, "--predictions", one_missing}, "no prediction for id 2"},
      {{"--task", "gqa", "--annotations", questions, "--predictions", unknown}, "prediction for id 77"},
      {{"--task", "gqa", "--annotations", questions, "--predictions", (dir / "broken.json").string()}, "malformed JSON"},
      {{"--task", "gqa", "--annotations", questions, "--predictions", (dir / "none.json").string()}, "no such file"},
      {{"--task", "gqa", "--predictions", one_missing}, "--annotations"},
      {{"--task", "imagenet", "--annotations", questions, "--predictions", one_missing}, "unknown task 'imagenet'"},
      {{"--task", "gqa", "--annotations", questions, "--predictions", unknown, "--gqa-match", "fuzzy"}, "--gqa-match"},
      {{"--task", "coco", "--annotations", questions, "--predictions", one_missing}, "not a caption annotation file"},
      {{"--task", "vqav2", "--annotations", questions, "--predictions", one_missing, "--okvqa-stem-prediction"},
       "okvqa only"},
      {{"--task", "gqa", "--annotations", questions}, "--predictions"},
      {{"--task", "gqa", "--annotations", no_questions, "--predictions", no_predictions}, "has no samples to score"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    args.insert(args.begin(), "score");
    const auto r = run_mmharness(args);
    INFO("expected: " << c.expected << "\nstderr: " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());  // no partial score
    CHECK_THAT(r.err, Catch::StartsWith("mmharness: error: ") && Catch::Contains(c.expected));
  }
}
