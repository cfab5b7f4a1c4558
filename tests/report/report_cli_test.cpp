// `mmharness report` through the real binary: what it writes, which runs it
// shows, and one error line with exit code 2 for each bad input.
#include <algorithm>
#include <catch2/catch.hpp>

#include "report/report_fixture.h"
#include "support/run_command.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using Catch::Contains;
using Catch::StartsWith;
using mmh::test::run_mmharness;

namespace {

struct Database {
  mmh::test::TempDir dir;
  fs::path db = dir / "r.sqlite";
  Database() {
    auto store = mmh::store::ResultsStore::open(db, mmh::store::ResultsStore::OpenMode::kCreate);
    for (const char* name : {"first", "second"}) {
      mmh::test::FixtureRun run;
      run.name = name;
      run.evaluations = {mmh::test::vqa_evaluation({0, 100, 30}), mmh::test::vqa_evaluation({0, 100, 30}, 4)};
      mmh::test::add_fixture_run(store, run);
    }
    mmh::test::FixtureRun stopped;
    stopped.name = "stopped";
    stopped.status = mmh::store::Status::kInterrupted;
    stopped.evaluations = {mmh::test::vqa_evaluation({100})};
    mmh::test::add_fixture_run(store, stopped);
  }
};

// The one line an error prints.
void check_one_error_line(const mmh::test::CommandResult& r, const std::string& names) {
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("mmharness: error: "));
  CHECK_THAT(r.err, Contains(names));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}

}  // namespace

TEST_CASE("report cli: writes the page for the completed runs", "[report][cli]") {
  Database d;
  const auto out = d.dir / "report.html";
  const auto r = run_mmharness({"report", "--db", d.db.string(), "--out", out.string()});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("2 runs, 2 evaluations, 6 of 6 samples"));
  const std::string page = mmh::test::read_file(out);
  CHECK_THAT(page, StartsWith("<!DOCTYPE html>"));
  CHECK_THAT(page, Contains(">first</a>") && Contains(">second</a>"));
  CHECK(page.find(">stopped</a>") == std::string::npos);          // not completed: only when asked for
  for (const auto& entry : fs::directory_iterator(d.dir.path()))  // no temporary file left next to the page
    CHECK_THAT(entry.path().filename().string(), !Contains(".tmp-"));
}

TEST_CASE("report cli: --runs picks runs in the order given, --baseline joins them", "[report][cli]") {
  Database d;
  const auto out = d.dir / "report.html";
  const auto r = run_mmharness({"report", "--db", d.db.string(), "--out", out.string(), "--runs", "3,2", "--baseline",
                                "1", "--images", "none", "--max-samples", "2"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("3 runs, 2 evaluations, 2 of 6 samples"));
  const std::string page = mmh::test::read_file(out);
  const auto first = page.find(">first</a>"), stopped = page.find(">stopped</a>"), second = page.find(">second</a>");
  CHECK((first < stopped && stopped < second));
  CHECK_THAT(page, Contains("<span class=\"tag\">baseline</span>"));
  CHECK_THAT(page, Contains("<span class=\"tag bad\">interrupted</span>"));
  CHECK_THAT(page, Contains("4 left out"));
}

TEST_CASE("report cli: bad input is one error line and exit code 2", "[report][cli][errors]") {
  Database d;
  const auto out = d.dir / "report.html";
  mmh::test::write_file(out, "previous");

  SECTION("missing database") {
    const auto missing = d.dir / "absent.sqlite";
    check_one_error_line(run_mmharness({"report", "--db", missing.string(), "--out", out.string()}),
                         missing.string() + ": no results database here");
    CHECK_FALSE(fs::exists(missing));
  }
  SECTION("unknown run id") {
    check_one_error_line(run_mmharness({"report", "--db", d.db.string(), "--out", out.string(), "--runs", "1,99"}),
                         "has no run 99");
  }
  SECTION("unknown baseline") {
    check_one_error_line(run_mmharness({"report", "--db", d.db.string(), "--out", out.string(), "--baseline", "7"}),
                         "has no run 7");
  }
  SECTION("no completed runs") {
    mmh::test::TempDir other;
    const auto db = other / "r.sqlite";
    {
      auto store = mmh::store::ResultsStore::open(db, mmh::store::ResultsStore::OpenMode::kCreate);
      mmh::test::FixtureRun run;
      run.status = mmh::store::Status::kFailed;
      mmh::test::add_fixture_run(store, run);
    }
    check_one_error_line(run_mmharness({"report", "--db", db.string(), "--out", out.string()}),
                         db.string() + ": has no completed runs");
  }
  SECTION("unwritable --out") {
    const auto nowhere = d.dir / "no such folder" / "report.html";
    check_one_error_line(run_mmharness({"report", "--db", d.db.string(), "--out", nowhere.string()}),
                         nowhere.string() + ": cannot be written here");
    check_one_error_line(run_mmharness({"report", "--db", d.db.string(), "--out", d.dir.path().string()}),
                         "is a directory");
  }
  SECTION("bad --images") {  // a usage error: the error line and the pointer to --help
    const auto r = run_mmharness({"report", "--db", d.db.string(), "--out", out.string(), "--images", "all"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, StartsWith("mmharness: error: --images"));
  }
  // A failed report leaves the previous page as it was, and no temporary file.
  CHECK(mmh::test::read_file(out) == "previous");
  for (const auto& entry : fs::directory_iterator(d.dir.path()))
    CHECK_THAT(entry.path().filename().string(), !Contains(".tmp-"));
}
