// `mmharness gate` through the real binary: exit codes (0 passed, 1 failed,
// 2 bad input), the table, --baseline-db, --junit validated with xmllint,
// --markdown; and end to end on two demo runs of the same model.
#include <catch2/catch.hpp>

#include "gate/gate_fixture.h"
#include "gate/xmllint.h"
#include "run/run_fixture.h"

using mmh::store::ResultsStore;
using mmh::test::add_run;
using mmh::test::run_mmharness;
using mmh::test::TempDir;
using mmh::test::vqa_evaluation;

namespace {

std::vector<double> varied(std::size_t n) { return mmh::test::repeated({100, 60, 30, 0, 100, 90}, n); }

// A database with run 1 (baseline), run 2 (the same scores) and run 3 (5 points worse everywhere).
struct GateDb {
  TempDir dir;
  std::filesystem::path path = dir / "results.sqlite";
  GateDb() {
    auto db = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    const auto base = mmh::test::shifted(varied(120), 5);
    add_run(db, {vqa_evaluation(base, 0), vqa_evaluation(base, 4)}, "baseline");
    add_run(db, {vqa_evaluation(base, 0), vqa_evaluation(base, 4)}, "same");
    add_run(db, {vqa_evaluation(varied(120), 0), vqa_evaluation(base, 4)}, "worse at 0-shot");
  }
  mmh::test::CommandResult gate(const std::string& baseline, const std::string& candidate,
                                std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"gate", "--db", path.string(), "--baseline", baseline, "--candidate", candidate};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_mmharness(args);
  }
};

}  // namespace

TEST_CASE("gate cli: identical runs pass with exit 0, a table, and valid JUnit and Markdown", "[gate][cli]") {
  GateDb db;
  const auto junit = db.dir / "gate.xml", markdown = db.dir / "gate.md";
  const auto r = db.gate("1", "2", {"--junit", junit.string(), "--markdown", markdown.string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("task   shots  metric    baseline  candidate  difference  95% interval"));
  CHECK_THAT(r.out, Catch::Contains("vqav2  0      accuracy  ") && Catch::Contains("0.00        [0.00, 0.00]  120"));
  CHECK_THAT(r.out, Catch::Contains("gate passed: 2 checked: 2 ok (baseline run 1"));
  const auto validation = mmh::test::validate_junit(junit);
  INFO(validation.output);
  CHECK(validation.exit_code == 0);
  CHECK(mmh::test::xpath_string(junit, "/testsuites/testsuite/@failures") == "0");
  CHECK(mmh::test::xpath_string(junit, "/testsuites/testsuite/@tests") == "2");
  CHECK_THAT(mmh::test::read_file(markdown), Catch::StartsWith("## mmharness gate: passed (2 ok)"));
}

TEST_CASE("gate cli: 5 points worse is a regression, exit 1, with the numbers everywhere", "[gate][cli]") {
  GateDb db;
  const auto junit = db.dir / "gate.xml", markdown = db.dir / "gate.md";
  const auto r = db.gate("1", "3", {"--junit", junit.string(), "--markdown", markdown.string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.err.empty());
  CHECK_THAT(r.out, Catch::Contains("-5.00       [-5.00, -5.00]  120       regression"));
  CHECK_THAT(r.out, Catch::Contains("vqav2 0-shot: regression: accuracy dropped 5.00 points on 120 shared samples"));
  CHECK_THAT(r.out, Catch::Contains("gate FAILED: 2 checked: 1 ok, 1 regression"));
  REQUIRE(mmh::test::validate_junit(junit).exit_code == 0);
  CHECK(mmh::test::xpath_string(junit, "/testsuites/testsuite/@failures") == "1");
  CHECK(mmh::test::xpath_string(junit, "//failure/../@name") == "vqav2 0-shot");
  CHECK(mmh::test::xpath_string(junit, "//failure/../@classname") == "mmharness.gate.vqav2");
  CHECK_THAT(mmh::test::read_file(markdown), Catch::StartsWith("## mmharness gate: failed (1 ok, 1 regression)"));

  SECTION("a larger --max-drop lets it pass") { CHECK(db.gate("1", "3", {"--max-drop", "5"}).exit_code == 0); }
}

TEST_CASE("gate cli: floors met and not met", "[gate][cli]") {
  GateDb db;
  // Run 2's vqav2 value: the mean of varied(120) (63.33) + 5.
  CHECK(db.gate("1", "2", {"--metric-floor", "vqav2=68.33"}).exit_code == 0);
  const auto r = db.gate("1", "2", {"--metric-floor", "vqav2:0=60", "vqav2:4=80"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::Contains("68.33 (floor 80.00)") &&
                 Catch::Contains("vqav2 4-shot: below floor: candidate accuracy 68.33 is below the floor 80.00"));
  CHECK_THAT(r.out, Catch::Contains("gate FAILED: 2 checked: 1 ok, 1 below floor"));
  const auto missing = db.gate("1", "2", {"--metric-floor", "textvqa=10"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.out, Catch::Contains("has no textvqa evaluation for --metric-floor textvqa=10"));
}

TEST_CASE("gate cli: a different template is not comparable (exit 1)", "[gate][cli]") {
  TempDir dir;
  const auto path = dir / "r.sqlite";
  {
    auto db = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    auto instruct = vqa_evaluation(varied(30));
    instruct.spec.template_id = "instruct";
    instruct.spec.template_hash = "xxh64:beef";
    add_run(db, {vqa_evaluation(varied(30))});
    add_run(db, {instruct});
  }
  const auto r = run_mmharness({"gate", "--db", path.string(), "--baseline", "1", "--candidate", "2"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("not comparable") &&
                        Catch::Contains("template differs: fewshot (hash xxh64:f00d) vs instruct (hash xxh64:beef)"));
}

TEST_CASE("gate cli: the baseline from a second database with --baseline-db", "[gate][cli]") {
  TempDir dir;
  const auto baseline = dir / "baseline.sqlite", candidate = dir / "candidate.sqlite";
  {
    auto db = ResultsStore::open(baseline, ResultsStore::OpenMode::kCreate);
    add_run(db, {vqa_evaluation(varied(60))}, "main");
  }
  {
    auto db = ResultsStore::open(candidate, ResultsStore::OpenMode::kCreate);
    add_run(db, {vqa_evaluation(varied(10), 0, "okvqa")}, "unrelated");  // run 1 here is not the baseline
    add_run(db, {vqa_evaluation(varied(60))}, "candidate");
  }
  const auto args = [&](const std::string& candidate_id) {
    return std::vector<std::string>{"gate",       "--db", candidate.string(), "--baseline-db", baseline.string(),
                                    "--baseline", "1",    "--candidate",      candidate_id};
  };
  const auto r = run_mmharness(args("2"));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("baseline run 1 (" + baseline.string() + "), candidate run 2 (" +
                                    candidate.string() + ")"));
  const auto unrelated = run_mmharness(args("1"));
  CHECK(unrelated.exit_code == 1);
  CHECK_THAT(unrelated.out, Catch::Contains("share no evaluation"));
  const auto missing = run_mmharness(args("9"));
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains(candidate.string() + ": has no run 9"));
}

TEST_CASE("gate cli: bad input is exit 2 with one line naming it", "[gate][cli]") {
  GateDb db;
  SECTION("an unknown run id") {
    const auto r = db.gate("1", "42");
    CHECK(r.exit_code == 2);
    CHECK(r.err == "mmharness: error: " + db.path.string() + ": has no run 42 (see 'mmharness runs')\n");
    CHECK(r.out.empty());
  }
  SECTION("a malformed --metric-floor") {
    for (const std::string floor : {"vqav2", "vqav2=high", "vqav2:x=50", "imagenet=50"}) {
      const auto r = db.gate("1", "2", {"--metric-floor", floor});
      INFO(floor << ": " << r.err);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Catch::StartsWith("mmharness: error: --metric-floor: '" + floor + "'"));
    }
  }
  SECTION("a missing database") {
    const auto r =
        run_mmharness({"gate", "--db", (db.dir / "nope.sqlite").string(), "--baseline", "1", "--candidate", "2"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("nope.sqlite"));
  }
  SECTION("options out of range or missing") {
    CHECK(db.gate("1", "2", {"--alpha", "0"}).exit_code == 2);
    CHECK(db.gate("1", "2", {"--max-drop", "-1"}).exit_code == 2);
    CHECK(db.gate("1", "2", {"--bootstrap", "0"}).exit_code == 2);
    CHECK(run_mmharness({"gate", "--db", db.path.string(), "--baseline", "1"}).exit_code == 2);
  }
  SECTION("an unwritable --junit") {
    const auto r = db.gate("1", "2", {"--junit", (db.dir / "no" / "gate.xml").string()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("gate.xml: cannot be written"));
  }
}

TEST_CASE("gate cli: end to end, the same demo model run twice passes", "[gate][cli][run]") {
  const mmh::test::RunFixture fixture;
  TempDir dir;
  const auto db = dir / "r.sqlite";
  for (int i = 0; i < 2; ++i) {
    const auto r = run_mmharness(fixture.run_args(db, "vqav2,textvqa,coco", "0,4", {"--new-run"}));
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
  }
  const auto ids = mmh::test::query_rows(db, "SELECT id FROM runs ORDER BY id");
  REQUIRE(ids.size() == 2);
  const auto junit = dir / "gate.xml", markdown = dir / "gate.md";
  const auto r = run_mmharness({"gate", "--db", db.string(), "--baseline", ids[0], "--candidate", ids[1], "--junit",
                                junit.string(), "--markdown", markdown.string()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  for (const auto* row :
       {"coco     0      CIDEr", "coco     4      CIDEr", "textvqa  0      accuracy", "vqav2    4      accuracy"})
    CHECK_THAT(r.out, Catch::Contains(row));
  CHECK_THAT(r.out, Catch::Contains("gate passed: 6 checked: 6 ok"));
  const auto validation = mmh::test::validate_junit(junit);
  INFO(validation.output);
  CHECK(validation.exit_code == 0);
  CHECK(mmh::test::xpath_string(junit, "count(//testcase)") == "6");
  CHECK(mmh::test::xpath_string(junit, "count(//failure)") == "0");
  CHECK_THAT(mmh::test::read_file(markdown), Catch::StartsWith("## mmharness gate: passed (6 ok)"));
}
