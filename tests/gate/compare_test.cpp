// harness/compare: pairing two runs' evaluations, per-sample scores in points
// over the shared samples, and every problem that makes a comparison meaningless.
#include "harness/compare/compare.h"

#include <catch2/catch.hpp>

#include "common/error.h"
#include "gate/gate_fixture.h"
#include "support/temp_dir.h"

using mmh::compare::compare_runs;
using mmh::store::ResultsStore;
using mmh::test::add_run;
using mmh::test::StoredEvaluation;
using mmh::test::vqa_evaluation;

namespace {

const mmh::metrics::BootstrapOptions kBootstrap{500, 3, 0.95};

struct TwoRuns {
  mmh::test::TempDir dir;
  ResultsStore db = ResultsStore::open(dir / "r.sqlite", ResultsStore::OpenMode::kCreate);
  std::vector<mmh::compare::Comparison> compare(const std::vector<StoredEvaluation>& baseline,
                                                const std::vector<StoredEvaluation>& candidate) {
    const auto b = add_run(db, baseline, "baseline");
    const auto c = add_run(db, candidate, "candidate");
    return compare_runs(db, b, db, c, kBootstrap);
  }
};

StoredEvaluation coco_evaluation(std::vector<double> cider) {
  StoredEvaluation e;
  e.spec = {"coco", "test", 0, 0, "fewshot", "xxh64:f00d", 0, "caption"};
  e.metric = "CIDEr";
  e.key_prefix = "img";
  e.scores = std::move(cider);
  return e;
}

}  // namespace

TEST_CASE("compare: identical runs pair every evaluation in key order with a zero difference", "[compare]") {
  TwoRuns runs;
  const std::vector<StoredEvaluation> evaluations = {vqa_evaluation({100, 0, 60, 30}, 4),
                                                     vqa_evaluation({100, 0, 60, 30}, 0), coco_evaluation({1.2, 0.4})};
  const auto comparisons = runs.compare(evaluations, evaluations);
  REQUIRE(comparisons.size() == 3);
  CHECK(comparisons[0].key.task == "coco");
  CHECK(comparisons[1].key.task == "vqav2");
  CHECK(comparisons[1].key.shots == 0);
  CHECK(comparisons[2].key.shots == 4);
  for (const auto& c : comparisons) {
    INFO(c.key.task << " " << c.key.shots);
    CHECK(c.problems.empty());
    CHECK(c.difference.difference == 0.0);
    CHECK(c.difference.interval.low == 0.0);
    CHECK(c.difference.interval.high == 0.0);
    CHECK(c.baseline_value == c.candidate_value);
  }
  CHECK(comparisons[1].metric == "accuracy");
  CHECK(comparisons[1].difference.n == 4);
  CHECK(comparisons[1].baseline_value == Approx(47.5));
  CHECK(comparisons[1].baseline_samples == 4);
}

TEST_CASE("compare: points are CIDEr x100, VQA accuracy as stored, GQA and MMMU accuracy x100", "[compare]") {
  CHECK(mmh::compare::points_scale("coco") == 100);
  CHECK(mmh::compare::points_scale("textcaps") == 100);
  CHECK(mmh::compare::points_scale("vizwiz") == 1);
  CHECK(mmh::compare::points_scale("mmmu") == 100);
  CHECK_THROWS_AS(mmh::compare::points_scale("imagenet"), mmh::Error);

  TwoRuns runs;
  auto gqa_base = vqa_evaluation({1, 0, 0, 1}, 0, "gqa");
  gqa_base.spec.split = "testdev";
  auto gqa_cand = gqa_base;
  gqa_cand.scores = {1, 1, 0, 1};
  const auto comparisons = runs.compare({coco_evaluation({1.0, 0.5}), gqa_base, vqa_evaluation({100, 0})},
                                        {coco_evaluation({1.1, 0.6}), gqa_cand, vqa_evaluation({100, 30})});
  REQUIRE(comparisons.size() == 3);
  CHECK(comparisons[0].baseline_value == Approx(75.0));  // CIDEr 0.75
  CHECK(comparisons[0].candidate_value == Approx(85.0));
  CHECK(comparisons[0].difference.difference == Approx(10.0));
  CHECK(comparisons[1].difference.difference == Approx(25.0));  // one of four GQA answers more
  CHECK(comparisons[1].candidate_value == Approx(75.0));
  CHECK(comparisons[2].difference.difference == Approx(15.0));
}

TEST_CASE("compare: only shared samples, paired by key in baseline position order, failed samples count as stored",
          "[compare]") {
  TwoRuns runs;
  auto baseline = vqa_evaluation({10, 20, 30, 40, 50});
  auto candidate = vqa_evaluation({0, 25, 35, 45, 55, 99});  // q0 failed (scored 0), q5 is not in the baseline
  candidate.failed = {"q0"};
  const auto comparisons = runs.compare({baseline}, {candidate});
  REQUIRE(comparisons.size() == 1);
  const auto& c = comparisons[0];
  CHECK(c.problems.empty());
  CHECK(c.baseline_samples == 5);
  CHECK(c.candidate_samples == 6);
  CHECK(c.difference.n == 5);
  CHECK(c.difference.baseline == Approx(30.0));
  CHECK(c.difference.candidate == Approx(32.0));
  // Exactly the paired bootstrap of the baseline-ordered vectors.
  const std::vector<double> b = {10, 20, 30, 40, 50}, k = {0, 25, 35, 45, 55};
  const auto expected = mmh::metrics::paired_difference(b, k, kBootstrap);
  CHECK(c.difference.interval.low == expected.interval.low);
  CHECK(c.difference.interval.high == expected.interval.high);
  CHECK(c.candidate_value == Approx((0 + 25 + 35 + 45 + 55 + 99) / 6.0));  // the stored value, over all its samples
}

TEST_CASE("compare: what makes a comparison meaningless is named", "[compare]") {
  TwoRuns runs;
  auto baseline = vqa_evaluation({100, 0, 100, 0});
  auto candidate = baseline;
  std::string expected;

  SECTION("a different template") {
    candidate.spec.template_id = "instruct";
    candidate.spec.template_hash = "xxh64:beef";
    expected = "template differs: fewshot (hash xxh64:f00d) vs instruct (hash xxh64:beef)";
  }
  SECTION("the same template name with other wording") {
    candidate.spec.template_hash = "xxh64:beef";
    expected = "template differs: fewshot (hash xxh64:f00d) vs fewshot (hash xxh64:beef)";
  }
  SECTION("another split") {
    candidate.spec.split = "test";
    expected = "split differs: val vs test";
  }
  SECTION("no sample in common") {
    candidate.key_prefix = "other";
    expected = "no shared samples (baseline 4, candidate 4 samples, no sample key in common)";
  }
  SECTION("changed ground truth") {
    candidate.ground_truth["q2"] = {{"references", {"a corrected answer"}}};
    expected = "data differs: 1 of 4 shared samples have a different ground truth (first: 'q2')";
  }
  SECTION("another headline metric") {
    candidate.metric = "exact_match";
    expected = "headline metric differs: accuracy vs exact_match";
  }
  SECTION("an evaluation that did not complete") {
    candidate.status = mmh::store::Status::kInterrupted;
    expected = "is interrupted, not completed";
  }
  SECTION("an evaluation never scored") {
    candidate.scored = false;
    expected = "has no metrics (not scored)";
  }
  const auto comparisons = runs.compare({baseline}, {candidate});
  REQUIRE(comparisons.size() == 1);
  const auto& problems = comparisons[0].problems;
  REQUIRE(problems.size() >= 1);
  CHECK_THAT(problems[0], Catch::Contains(expected));
}

TEST_CASE("compare: unmatched evaluations, and a run id that does not exist", "[compare]") {
  mmh::test::TempDir dir;
  auto db = ResultsStore::open(dir / "r.sqlite", ResultsStore::OpenMode::kCreate);
  const auto b = add_run(db, {vqa_evaluation({1, 2}, 0), vqa_evaluation({1, 2}, 4)});
  const auto c = add_run(db, {vqa_evaluation({1, 2}, 0), vqa_evaluation({1, 2}, 8)});
  CHECK(compare_runs(db, b, db, c, kBootstrap).size() == 1);
  const auto unmatched = mmh::compare::unmatched_evaluations(db, b, db, c);
  REQUIRE(unmatched.size() == 2);
  CHECK(unmatched[0].shots == 4);
  CHECK(unmatched[1].shots == 8);
  try {
    compare_runs(db, b, db, 99, kBootstrap);
    FAIL("no error for an unknown run id");
  } catch (const mmh::Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("r.sqlite") && Catch::Contains("has no run 99"));
    CHECK(e.exit_code() == mmh::kExitUsage);
  }
  const auto headlines = mmh::compare::headline_values(db, c);
  REQUIRE(headlines.size() == 2);
  CHECK(headlines[1].key.shots == 8);
  CHECK(headlines[1].value == Approx(1.5));
  CHECK(headlines[1].status == "completed");
}
