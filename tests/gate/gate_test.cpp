// harness/gate: verdicts from stores with known per-sample scores, so each
// verdict is known in advance: ok, improved, regression (a drop larger than
// --max-drop AND significant), below floor, not comparable.
#include "harness/gate/gate.h"

#include <catch2/catch.hpp>

#include "common/error.h"
#include "gate/gate_fixture.h"
#include "support/temp_dir.h"

using mmh::gate::GateOptions;
using mmh::gate::GateReport;
using mmh::gate::Verdict;
using mmh::store::ResultsStore;
using mmh::test::add_run;
using mmh::test::repeated;
using mmh::test::shifted;
using mmh::test::StoredEvaluation;
using mmh::test::vqa_evaluation;

namespace {

struct Gate {
  mmh::test::TempDir dir;
  ResultsStore db = ResultsStore::open(dir / "r.sqlite", ResultsStore::OpenMode::kCreate);
  GateOptions options;
  GateReport run(const std::vector<StoredEvaluation>& baseline, const std::vector<StoredEvaluation>& candidate) {
    const auto b = add_run(db, baseline, "baseline");
    const auto c = add_run(db, candidate, "candidate");
    mmh::gate::check_options(options);
    return mmh::gate::evaluate_gate(mmh::gate::load_gate_input(db, b, db, c, options), options);
  }
};

// VQA accuracies that vary from sample to sample, as real ones do.
std::vector<double> varied(std::size_t n) { return repeated({100, 60, 30, 0, 100, 90}, n); }

}  // namespace

TEST_CASE("gate: identical runs are ok", "[gate]") {
  Gate gate;
  const std::vector<StoredEvaluation> runs = {vqa_evaluation(varied(50), 0), vqa_evaluation(varied(50), 4)};
  const auto report = gate.run(runs, runs);
  REQUIRE(report.rows.size() == 2);
  CHECK(report.count(Verdict::kOk) == 2);
  CHECK_FALSE(report.failed());
  CHECK(report.rows[0].name == "vqav2 0-shot");
  CHECK(report.rows[1].name == "vqav2 4-shot");
  CHECK(report.rows[0].reasons.empty());
  CHECK(report.notes.empty());
}

TEST_CASE("gate: 5 points worse on every shared sample is a regression", "[gate]") {
  Gate gate;
  const auto report = gate.run({vqa_evaluation(shifted(varied(200), 5))}, {vqa_evaluation(varied(200))});
  REQUIRE(report.rows.size() == 1);
  const auto& row = report.rows[0];
  CHECK(row.verdict == Verdict::kRegression);
  CHECK(report.failed());
  REQUIRE(row.difference.has_value());
  CHECK(row.difference->difference == Approx(-5.0));
  CHECK(row.difference->interval.high == Approx(-5.0));
  REQUIRE(row.reasons.size() == 1);
  CHECK_THAT(row.reasons[0], Catch::Contains("accuracy dropped 5.00 points on 200 shared samples") &&
                                 Catch::Contains("95% paired-bootstrap interval [-5.00, -5.00]") &&
                                 Catch::Contains("larger than --max-drop 1.00 and significant"));
}

TEST_CASE("gate: a small drop within the noise is ok", "[gate]") {
  Gate gate;
  // 0/100 accuracies; the candidate loses 3 answers and gains 2 of 400: -0.25 points.
  auto baseline = repeated({100, 0}, 400), candidate = baseline;
  candidate[0] = candidate[2] = candidate[4] = 0;
  candidate[1] = candidate[3] = 100;
  const auto report = gate.run({vqa_evaluation(baseline)}, {vqa_evaluation(candidate)});
  const auto& row = report.rows.at(0);
  CHECK(row.difference->difference == Approx(-0.25));
  CHECK_FALSE(row.difference->significant());
  CHECK(row.verdict == Verdict::kOk);
}

TEST_CASE("gate: a drop larger than --max-drop that is not significant is ok", "[gate]") {
  Gate gate;
  // Ten samples, one answer lost: -10 points, but a resample misses that sample a third of the time.
  auto baseline = repeated({100, 0}, 10), candidate = baseline;
  candidate[0] = 0;
  const auto report = gate.run({vqa_evaluation(baseline)}, {vqa_evaluation(candidate)});
  const auto& row = report.rows.at(0);
  CHECK(row.difference->difference == Approx(-10.0));
  CHECK(row.difference->interval.high == 0.0);
  CHECK(row.verdict == Verdict::kOk);
  CHECK_FALSE(report.failed());
}

TEST_CASE("gate: a significant drop within --max-drop is ok, beyond a lower --max-drop it fails", "[gate]") {
  Gate gate;
  const auto candidate = varied(300);
  const auto baseline = shifted(candidate, 0.5);
  SECTION("default --max-drop 1.0") {
    const auto report = gate.run({vqa_evaluation(baseline)}, {vqa_evaluation(candidate)});
    CHECK(report.rows.at(0).difference->significant());
    CHECK(report.rows.at(0).verdict == Verdict::kOk);
  }
  SECTION("--max-drop 0.25") {
    gate.options.max_drop = 0.25;
    const auto report = gate.run({vqa_evaluation(baseline)}, {vqa_evaluation(candidate)});
    CHECK(report.rows.at(0).verdict == Verdict::kRegression);
  }
}

TEST_CASE("gate: significantly better is improved, and passes", "[gate]") {
  Gate gate;
  const auto report = gate.run({vqa_evaluation(varied(100))}, {vqa_evaluation(shifted(varied(100), 3))});
  CHECK(report.rows.at(0).verdict == Verdict::kImproved);
  CHECK_FALSE(report.failed());
}

TEST_CASE("gate: floors on the candidate's corpus value, in points", "[gate]") {
  Gate gate;
  // vqav2 corpus value 47.5 at both shot counts; coco CIDEr 0.5 is 50 points.
  StoredEvaluation coco;
  coco.spec = {"coco", "test", 0, 0, "fewshot", "xxh64:f00d", 0, "caption"};
  coco.metric = "CIDEr";
  coco.scores = {0.25, 0.75};
  const std::vector<StoredEvaluation> runs = {vqa_evaluation({100, 0, 60, 30}, 0), vqa_evaluation({100, 0, 60, 30}, 4),
                                              coco};
  SECTION("met") {
    gate.options.floors = {mmh::gate::parse_metric_floor("vqav2=47.5"), mmh::gate::parse_metric_floor("coco=50")};
    const auto report = gate.run(runs, runs);
    CHECK_FALSE(report.failed());
    CHECK(report.rows.at(0).floor == 50.0);
  }
  SECTION("not met") {
    gate.options.floors = {mmh::gate::parse_metric_floor("coco=50.01")};
    const auto report = gate.run(runs, runs);
    CHECK(report.failures() == 1);
    const auto& row = report.rows.at(0);
    CHECK(row.task == "coco");
    CHECK(row.verdict == Verdict::kBelowFloor);
    CHECK_THAT(row.reasons.at(0),
               Catch::Contains("candidate CIDEr 50.00 is below the floor 50.01 (--metric-floor coco=50.01)"));
  }
  SECTION("TASK:SHOTS takes precedence over TASK") {
    gate.options.floors = {mmh::gate::parse_metric_floor("vqav2=40"), mmh::gate::parse_metric_floor("vqav2:4=60")};
    const auto report = gate.run(runs, runs);
    REQUIRE(report.rows.size() == 3);
    CHECK(report.rows[1].verdict == Verdict::kOk);  // vqav2 0-shot: 47.5 >= 40
    CHECK(report.rows[2].verdict == Verdict::kBelowFloor);
    CHECK(report.rows[2].floor == 60.0);
  }
  SECTION("a floor on a task the candidate lacks is not comparable") {
    gate.options.floors = {mmh::gate::parse_metric_floor("textvqa=10"), mmh::gate::parse_metric_floor("vqav2:8=10")};
    const auto report = gate.run(runs, runs);
    CHECK(report.count(Verdict::kNotComparable) == 2);
    const auto& textvqa = report.rows.at(1);  // rows in (task, shots, trial) order
    CHECK(textvqa.name == "textvqa");
    CHECK(report.rows.back().name == "vqav2 8-shot");
    CHECK_THAT(textvqa.reasons.at(0), Catch::Contains("candidate run 2") &&
                                          Catch::Contains("has no textvqa evaluation for --metric-floor textvqa=10"));
  }
  SECTION("a candidate evaluation the baseline lacks is still held to its floor") {
    gate.options.floors = {mmh::gate::parse_metric_floor("vqav2:4=50")};
    const auto report = gate.run({runs[0]}, {runs[0], runs[1]});
    REQUIRE(report.rows.size() == 2);
    CHECK(report.rows[1].verdict == Verdict::kBelowFloor);
    CHECK_FALSE(report.rows[1].baseline.has_value());
    CHECK_FALSE(report.rows[1].difference.has_value());
    CHECK_THAT(report.notes.at(0), Catch::Contains("only in the candidate run, not compared: vqav2 4-shot (val)"));
  }
}

TEST_CASE("gate: a different template is not comparable, whatever the numbers", "[gate]") {
  Gate gate;
  auto candidate = vqa_evaluation(varied(100));
  candidate.spec.template_id = "instruct";
  candidate.spec.template_hash = "xxh64:beef";
  const auto report = gate.run({vqa_evaluation(varied(100))}, {candidate});
  const auto& row = report.rows.at(0);
  CHECK(row.verdict == Verdict::kNotComparable);
  CHECK(report.failed());
  CHECK(row.reasons.at(0) == "template differs: fewshot (hash xxh64:f00d) vs instruct (hash xxh64:beef)");
  CHECK(row.difference.has_value());  // still shown
}

TEST_CASE("gate: no shared samples, or no shared evaluation at all, is not comparable", "[gate]") {
  Gate gate;
  SECTION("same evaluation, no sample in common") {
    auto candidate = vqa_evaluation(varied(10));
    candidate.key_prefix = "other";
    const auto report = gate.run({vqa_evaluation(varied(10))}, {candidate});
    CHECK(report.rows.at(0).verdict == Verdict::kNotComparable);
    CHECK_FALSE(report.rows.at(0).difference.has_value());
  }
  SECTION("no evaluation in common") {
    const auto report = gate.run({vqa_evaluation(varied(10), 0)}, {vqa_evaluation(varied(10), 0, "okvqa")});
    REQUIRE(report.rows.size() == 1);
    CHECK(report.rows[0].verdict == Verdict::kNotComparable);
    CHECK(report.rows[0].name == "shared evaluations");
    CHECK_THAT(report.rows[0].reasons.at(0), Catch::Contains("share no evaluation"));
    REQUIRE(report.notes.size() == 2);
    CHECK_THAT(report.notes[0], Catch::Contains("only in the baseline run") && Catch::Contains("vqav2 0-shot"));
    CHECK_THAT(report.notes[1], Catch::Contains("only in the candidate run") && Catch::Contains("okvqa 0-shot"));
  }
}

TEST_CASE("gate: several trials are named apart", "[gate]") {
  Gate gate;
  auto trial0 = vqa_evaluation(varied(20), 4), trial1 = trial0;
  trial1.spec.trial = 1;
  const auto report =
      gate.run({vqa_evaluation(varied(20), 0), trial0, trial1}, {vqa_evaluation(varied(20), 0), trial0, trial1});
  REQUIRE(report.rows.size() == 3);
  CHECK(report.rows[0].name == "vqav2 0-shot");
  CHECK(report.rows[1].name == "vqav2 4-shot trial 0");
  CHECK(report.rows[2].name == "vqav2 4-shot trial 1");
  CHECK(report.rows[2].shots_label == "4 (trial 1)");
}

TEST_CASE("gate: --metric-floor parsing and option checks", "[gate]") {
  const auto floor = mmh::gate::parse_metric_floor("coco:4=80.5");
  CHECK(floor.task == "coco");
  CHECK(floor.shots == 4);
  CHECK(floor.points == 80.5);
  CHECK_FALSE(mmh::gate::parse_metric_floor("gqa=30").shots);
  CHECK(mmh::gate::to_string(floor) == "coco:4=80.5");

  for (const std::string bad : {"coco", "=80", "coco=", "coco=80x", "coco=-1", "coco=nan", "coco:=80", "coco:four=80",
                                "coco:-1=80", "imagenet=80", "coco= 80"}) {
    INFO(bad);
    try {
      mmh::gate::parse_metric_floor(bad);
      FAIL("accepted");
    } catch (const mmh::Error& e) {
      CHECK(e.exit_code() == mmh::kExitUsage);
      CHECK_THAT(e.what(), Catch::StartsWith("--metric-floor: '" + bad + "'"));
    }
  }

  GateOptions o;
  CHECK_NOTHROW(mmh::gate::check_options(o));
  o.floors = {mmh::gate::parse_metric_floor("coco=1"), mmh::gate::parse_metric_floor("coco=2")};
  CHECK_THROWS_WITH(mmh::gate::check_options(o), Catch::Contains("a second floor for the same task and shots"));
  o.floors.clear();
  o.alpha = 1;
  CHECK_THROWS_WITH(mmh::gate::check_options(o), Catch::StartsWith("--alpha"));
  o.alpha = 0.05;
  o.max_drop = -1;
  CHECK_THROWS_WITH(mmh::gate::check_options(o), Catch::StartsWith("--max-drop"));
  o.max_drop = 1;
  o.bootstrap = 0;
  CHECK_THROWS_WITH(mmh::gate::check_options(o), Catch::StartsWith("--bootstrap"));
}
