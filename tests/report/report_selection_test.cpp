// Which rows the per-sample browser keeps, and which overview cells are best.
#include <catch2/catch.hpp>
#include <numeric>

#include "reports/report_data.h"
#include "reports/sample_selection.h"

using namespace mmh::reports;

namespace {
std::size_t sum(const std::vector<std::size_t>& v) { return std::accumulate(v.begin(), v.end(), std::size_t{0}); }
}  // namespace

TEST_CASE("report selection: the cap is shared fairly between groups", "[report][selection]") {
  const std::vector<std::size_t> sizes = {10, 214354, 214354};
  const auto quota = allocate_quota(sizes, 2000);
  CHECK(quota == std::vector<std::size_t>{10, 995, 995});  // what the small group leaves goes to the others
  CHECK(sum(allocate_quota(sizes, 2000)) == 2000);
  CHECK(allocate_quota(std::vector<std::size_t>{3, 4}, 2000) == std::vector<std::size_t>{3, 4});  // everything fits
  CHECK(allocate_quota(std::vector<std::size_t>{5, 5, 5}, 0) == std::vector<std::size_t>{0, 0, 0});
  const auto tight = allocate_quota(std::vector<std::size_t>{100, 100, 100}, 2);
  CHECK(sum(tight) == 2);
  for (const auto q : tight) CHECK(q <= 1);
  CHECK(allocate_quota({}, 10).empty());
}

TEST_CASE("report selection: largest disagreement first, then failures, then order", "[report][selection]") {
  CHECK(score_spread(std::vector<std::optional<double>>{100, std::nullopt, 30}) == 70);
  CHECK(score_spread(std::vector<std::optional<double>>{100}) == 0);
  CHECK(score_spread(std::vector<std::optional<double>>{std::nullopt, std::nullopt}) == 0);

  const std::vector<SampleScores> samples = {
      {0, {100, 100}},           // agree, correct
      {1, {0, 100}},             // disagree fully
      {2, {0, 0}},               // agree, wrong: before the agreeing correct one
      {3, {30, 90}},             // disagree partly
      {4, {100, 0}},             // disagree fully, later position
      {5, {std::nullopt, 100}},  // one run only: no spread
  };
  CHECK(most_disagreeing(samples, 6) == std::vector<std::size_t>{1, 4, 3, 2, 0, 5});
  CHECK(most_disagreeing(samples, 2) == std::vector<std::size_t>{1, 4});
  CHECK(most_disagreeing(samples, 0).empty());
  CHECK(most_disagreeing(samples, 100).size() == samples.size());
}

TEST_CASE("report selection: the best value per column is marked, ties and all", "[report][overview]") {
  const auto cell = [](std::optional<double> value) {
    Cell c;
    if (value) c.headline = Headline{"accuracy", *value, {}, {}, 10};
    return c;
  };
  std::vector<std::vector<Cell>> cells = {
      {cell(50), cell(10), cell(7), cell(3)},
      {cell(60), cell(10), cell(7), cell(std::nullopt)},
      {cell(55), cell(5), cell(7), cell(std::nullopt)},
  };
  mark_best(cells);
  CHECK((!cells[0][0].best && cells[1][0].best && !cells[2][0].best));   // one best
  CHECK((cells[0][1].best && cells[1][1].best && !cells[2][1].best));    // a tie: both
  CHECK((!cells[0][2].best && !cells[1][2].best && !cells[2][2].best));  // all equal: none
  CHECK(!cells[0][3].best);                                              // one run only: none
}

TEST_CASE("report selection: columns in catalog order with readable labels", "[report][overview]") {
  std::vector<ReportRun> runs(2);
  const auto evaluation = [](std::string task, std::string split, int shots, int trial) {
    mmh::store::EvaluationSummary e;
    e.spec.task = std::move(task);
    e.spec.split = std::move(split);
    e.spec.shots = shots;
    e.spec.trial = trial;
    return e;
  };
  runs[0].detail.evaluations = {evaluation("vqav2", "val", 4, 0), evaluation("coco", "test", 0, 0),
                                evaluation("mmmu", "validation", 0, 0)};
  runs[1].detail.evaluations = {evaluation("vqav2", "val", 4, 1), evaluation("coco", "test", 4, 0),
                                evaluation("mmmu", "dev", 0, 0)};
  std::vector<std::string> labels;
  for (const auto& c : columns_of(runs)) labels.push_back(c.label);
  CHECK(labels == std::vector<std::string>{"coco 0-shot", "coco 4-shot", "vqav2 4-shot #0", "vqav2 4-shot #1",
                                           "mmmu (dev) 0-shot", "mmmu (validation) 0-shot"});
  CHECK(headline_scale("coco") == 100);
  CHECK(headline_scale("vqav2") == 1);
  CHECK(headline_scale("gqa") == 100);
  CHECK(headline_scale("not-a-task") == 1);
}
