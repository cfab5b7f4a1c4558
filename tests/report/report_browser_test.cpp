// The report of two real runs on the demo fixtures, opened in headless
// Chromium: the page renders with no error, its tables and charts are there,
// and an attack string stored as a model's output stays text. Chromium comes
// from scripts/install-chromium.sh; without it the test is SKIPPED (exit 77).
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <regex>

#include "harness/store/sqlite.h"
#include "run/run_fixture.h"

namespace fs = std::filesystem;
using Catch::Contains;
using mmh::test::run_mmharness;

namespace {

constexpr int kSkip = 77;
const std::string kScript = "<script>alert(1)</script>";
const std::string kAttribute = "\"><img src=x onerror=alert(1)>";

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

void require_chromium() {
  const std::string installer = std::string(MMH_SOURCE_DIR) + "/scripts/install-chromium.sh";
  const int rc = shell(quote(installer));
  if (rc != 0 || shell("command -v chromium >/dev/null 2>&1") != 0) {
    std::cout << "SKIPPED: headless Chromium is not available (scripts/install-chromium.sh exited " << rc
              << "); the report's browser test did NOT run" << std::endl;
    std::cerr << "SKIPPED: no chromium for the report browser test" << std::endl;
    std::exit(kSkip);
  }
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A model output that is an attack, and one that is not valid UTF-8, in run 2's first sample; run 2's name too.
void inject_attacks(const fs::path& db) {
  mmh::sql::Database database(db, mmh::sql::Database::OpenMode::kExisting);
  mmh::sql::Statement sample(database,
                             "UPDATE samples SET prediction = ?1, raw_output = ?2 WHERE id = (SELECT min(s.id) FROM "
                             "samples s JOIN evaluations e ON e.id = s.evaluation_id WHERE e.run_id = 2)");
  sample.bind(1, kScript).bind(2, kAttribute + " \xff\xfe not UTF-8").run();
  REQUIRE(database.changes() == 1);
  mmh::sql::Statement run(database, "UPDATE runs SET name = ?1 WHERE id = 2");
  run.bind(1, "B" + kScript + kAttribute).run();
}

struct Browser {
  std::string dom, log;
  int exit_code = -1;
};

Browser open_in_chromium(const fs::path& page, const fs::path& work, const std::string& extra) {
  const std::string command =
      "timeout 120 chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
      "--user-data-dir=" +
      quote((work / "profile").string()) + " --enable-logging=stderr --v=0 --virtual-time-budget=5000 " + extra + " " +
      quote("file://" + fs::absolute(page).string()) + " >" + quote((work / "dom").string()) + " 2>" +
      quote((work / "log").string());
  Browser b;
  b.exit_code = shell(command);
  b.dom = mmh::test::read_file(work / "dom");
  b.log = mmh::test::read_file(work / "log");
  return b;
}

// What the page itself logged (Chromium's own D-Bus and GPU chatter left out).
std::string console_lines(const std::string& log) {
  std::string out;
  std::size_t start = 0;
  while (start < log.size()) {
    const auto end = std::min(log.find('\n', start), log.size());
    const std::string line = log.substr(start, end - start);
    if (line.find("CONSOLE") != std::string::npos || line.find("Uncaught") != std::string::npos) out += line + "\n";
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("report browser: two demo runs render in Chromium with no error and no injected markup",
          "[report][browser]") {
  require_chromium();
  const mmh::test::RunFixture fixture;
  const auto db = fixture.dir / "results.sqlite";
  REQUIRE(run_mmharness(fixture.run_args(db, "coco,vqav2,gqa,mmmu", "0,4", {"--name", "A"})).exit_code == 0);
  REQUIRE(run_mmharness(fixture.run_args(db, "coco,vqav2,gqa,mmmu", "0,4",
                                         {"--name", "B", "--new-run", "--no-cache", "--seed", "1"}))
              .exit_code == 0);
  inject_attacks(db);
  const auto page = fixture.dir / "report.html";
  const auto made = run_mmharness({"report", "--db", db.string(), "--out", page.string(), "--baseline", "1"});
  REQUIRE(made.exit_code == 0);
  INFO(made.out);

  const auto start = std::chrono::steady_clock::now();
  const Browser b = open_in_chromium(page, fixture.dir.path(), "--dump-dom");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO("page console: " << console_lines(b.log));
  REQUIRE(b.exit_code == 0);

  std::smatch body;
  REQUIRE(std::regex_search(b.dom, body, std::regex("<body[^>]*>")));
  const std::string body_tag = body.str();
  CHECK_THAT(body_tag, Contains("data-ready=\"1\""));  // the script ran to the end
  CHECK_THAT(body_tag, !Contains("data-errors"));      // no window error, no blocked request
  CHECK_THAT(b.log, !Contains("Uncaught"));
  CHECK_THAT(b.log, !Contains(":CONSOLE"));  // the page logs nothing; Chromium reports errors and CSP refusals here
  std::smatch render;
  if (std::regex_search(body_tag, render, std::regex("data-render-ms=\"(\\d+)\"")))
    WARN("page rendered in " << render[1] << " ms (Chromium run " << seconds << " s)");

  // The tables and charts are there, and the script filled the task filter.
  CHECK_THAT(b.dom, Contains("id=\"overview-table\"") && Contains("id=\"samples-table\""));
  CHECK(count(b.dom, "<svg class=\"chart shots\"") == 4);
  CHECK(count(b.dom, "<svg class=\"chart bars\"") >= 4);
  CHECK(count(b.dom, "<option") == 1 + 8);  // "all" and the 8 (task, shots) groups
  std::smatch shown;                        // every sample fits the default cap: all rows shown, none filtered
  REQUIRE(std::regex_search(made.out, shown, std::regex("(\\d+) of \\1 samples")));
  CHECK_THAT(b.dom, Contains(shown[1].str() + " of " + shown[1].str() + " rows"));

  // The attack strings are text: no element was created from them.
  CHECK(count(b.dom, "<script") == 2);  // the page's JSON data and its script
  CHECK(count(b.dom, "<img") == 0);     // embedded thumbnails are CSS backgrounds, not <img>
  CHECK(b.dom.find("onerror=alert(1)>") == std::string::npos);
  CHECK_THAT(b.dom, Contains("<div class=\"pred\">&lt;script&gt;alert(1)&lt;/script&gt;</div>"));
  CHECK_THAT(b.dom, Contains("\"&gt;&lt;img src=x onerror=alert(1)&gt; \xEF\xBF\xBD\xEF\xBF\xBD not UTF-8"));
  CHECK_THAT(b.dom, Contains("B&lt;script&gt;alert(1)&lt;/script&gt;"));

  // A screenshot, as the README's (docs/report.png) was made.
  const auto shot = fixture.dir / "report.png";
  const Browser s = open_in_chromium(page, fixture.dir.path(),
                                     "--hide-scrollbars --window-size=1280,1000 --screenshot=" + quote(shot.string()));
  CHECK(s.exit_code == 0);
  REQUIRE(fs::exists(shot));
  CHECK(fs::file_size(shot) > 20'000);
  CHECK(mmh::test::read_file(shot).substr(0, 8) == "\x89PNG\r\n\x1a\n");
}
