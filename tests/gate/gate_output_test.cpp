// harness/gate writers: JUnit XML valid against tests/data/junit.xsd with
// every text escaped, Markdown cells that cannot break the table, files
// replaced atomically.
#include "harness/gate/gate_output.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "common/error.h"
#include "gate/xmllint.h"
#include "common/atomic_file.h"

using mmh::gate::GateReport;
using mmh::gate::GateRow;
using mmh::gate::Verdict;
using mmh::test::TempDir;

namespace {

const std::string kNasty = "<&\"'>";

mmh::metrics::PairedDifference difference(double d, double low, double high, std::size_t n) {
  mmh::metrics::PairedDifference out;
  out.n = n;
  out.baseline = 50;
  out.candidate = 50 + d;
  out.difference = d;
  out.interval = {low, high};
  return out;
}

// A report with one row of each verdict; the failing one named with characters XML and Markdown must escape.
GateReport sample_report() {
  GateReport report;
  report.baseline = {"base & line.sqlite", 1};
  report.candidate = {"cand.sqlite", 2};
  GateRow ok;
  ok.task = "vqav2";
  ok.shots_label = "0";
  ok.name = "vqav2 0-shot";
  ok.metric = "accuracy";
  ok.baseline = 50;
  ok.candidate = 50.1;
  ok.difference = difference(0.1, -0.2, 0.4, 400);
  GateRow regression = ok;
  regression.task = "task" + kNasty;
  regression.name = regression.task + " 4-shot";
  regression.metric = "metric" + kNasty;
  regression.shots_label = "4";
  regression.difference = difference(-5, -5.5, -4.5, 400);
  regression.verdict = Verdict::kRegression;
  regression.reasons = {"message " + kNasty + " | pipe\nnext line", "second reason"};
  GateRow floor = ok;
  floor.name = "vqav2 4-shot";
  floor.shots_label = "4";
  floor.floor = 60;
  floor.verdict = Verdict::kBelowFloor;
  floor.reasons = {"candidate accuracy 50.10 is below the floor 60.00 (--metric-floor vqav2:4=60)"};
  report.rows = {ok, regression, floor};
  report.notes = {"only in the baseline run, not compared: coco 0-shot (test)"};
  report.options.floors = {mmh::gate::parse_metric_floor("vqav2:4=60")};
  return report;
}

}  // namespace

TEST_CASE("gate output: XML escaping of markup, control characters and invalid UTF-8", "[gate][junit]") {
  CHECK(mmh::gate::escape_xml(kNasty) == "&lt;&amp;&quot;&apos;&gt;");
  CHECK(mmh::gate::escape_xml("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d");
  CHECK(mmh::gate::escape_xml("Bär 熊 🐻") == "Bär 熊 🐻");
  CHECK(mmh::gate::escape_xml(std::string("nul\0bell\x07", 9)) ==
        "nul\xEF\xBF\xBD"
        "bell\xEF\xBF\xBD");
  CHECK(mmh::gate::escape_xml("bad \xff\xfe end") == "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(mmh::gate::escape_xml("overlong \xC0\xAF") == "overlong \xEF\xBF\xBD");  // one U+FFFD per bad sequence
  CHECK(mmh::gate::escape_xml("truncated \xE7\x86") == "truncated \xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("gate output: JUnit XML validates, counts failures, and reads back unescaped", "[gate][junit]") {
  TempDir dir;
  const auto file = dir / "gate.xml";
  const GateReport report = sample_report();
  mmh::write_file_atomically(file, mmh::gate::junit_xml(report, 1.25));
  const auto validation = mmh::test::validate_junit(file);
  INFO(validation.output << "\n" << mmh::test::read_file(file));
  REQUIRE(validation.exit_code == 0);

  using mmh::test::xpath_string;
  CHECK(xpath_string(file, "/testsuites/testsuite/@name") == "mmharness gate");
  CHECK(xpath_string(file, "/testsuites/testsuite/@tests") == "3");
  CHECK(xpath_string(file, "/testsuites/testsuite/@failures") == "2");
  CHECK(xpath_string(file, "/testsuites/testsuite/@time") == "1.250");
  CHECK(xpath_string(file, "count(//testcase)") == "3");
  CHECK(xpath_string(file, "count(//failure)") == "2");
  CHECK(xpath_string(file, "//testcase[1]/@classname") == "mmharness.gate.vqav2");
  CHECK(xpath_string(file, "//testcase[1]/@name") == "vqav2 0-shot");
  // What a CI system shows is the original text, markup characters and line break included.
  CHECK(xpath_string(file, "//testcase[2]/@classname") == "mmharness.gate.task" + kNasty);
  CHECK(xpath_string(file, "//testcase[2]/@name") == "task" + kNasty + " 4-shot");
  CHECK(xpath_string(file, "//testcase[2]/failure/@type") == "regression");
  CHECK(xpath_string(file, "//testcase[2]/failure/@message") ==
        "message " + kNasty + " | pipe\nnext line; second reason");
  CHECK_THAT(xpath_string(file, "//testcase[2]/failure"),
             Catch::Contains("metric" + kNasty + " (points, stored corpus value): baseline 50.00, candidate 50.10") &&
                 Catch::Contains("difference -5.00 points on 400 shared samples, 95% paired-bootstrap interval "
                                 "[-5.50, -4.50]"));
  CHECK(xpath_string(file, "//testcase[3]/failure/@type") == "below floor");
  CHECK_THAT(xpath_string(file, "//testcase[1]/system-out"), Catch::Contains("verdict: ok"));
  CHECK(xpath_string(file, "//property[@name=\"baseline\"]/@value") == "run 1 (base & line.sqlite)");
  CHECK(xpath_string(file, "//property[@name=\"metric_floor\"]/@value") == "vqav2:4=60");
  CHECK_THAT(xpath_string(file, "/testsuites/testsuite/system-out"),
             Catch::Contains("only in the baseline run") && Catch::Contains("gate FAILED"));
}

TEST_CASE("gate output: the schema rejects what a CI system would not read", "[gate][junit]") {
  // The test above means something only if the schema can fail.
  TempDir dir;
  const auto file = dir / "bad.xml";
  mmh::test::write_file(file,
                        "<testsuites><testsuite name=\"x\" tests=\"one\" failures=\"0\" errors=\"0\">"
                        "<testcase classname=\"c\"/></testsuite></testsuites>");
  const auto validation = mmh::test::validate_junit(file);
  CHECK(validation.exit_code != 0);
  CHECK_THAT(validation.output, Catch::Contains("tests") && Catch::Contains("name"));
}

TEST_CASE("gate output: Markdown summary with escaped cells and a plain verdict line", "[gate][markdown]") {
  const auto markdown = mmh::gate::markdown_summary(sample_report());
  CHECK_THAT(markdown, Catch::StartsWith("## mmharness gate: failed (1 ok, 1 regression, 1 below floor)\n"));
  CHECK_THAT(markdown, Catch::Contains("| task | shots | metric | baseline | candidate | difference | 95% interval | "
                                       "n shared | verdict |"));
  CHECK_THAT(markdown, Catch::Contains("| vqav2 | 0 | accuracy | 50.00 | 50.10 | +0.10 | [-0.20, +0.40] | 400 | ok |"));
  CHECK_THAT(markdown, Catch::Contains("| task&lt;&amp;\"'&gt; | 4 | metric&lt;&amp;\"'&gt; | 50.00 | 50.10 | -5.00 | "
                                       "[-5.50, -4.50] | 400 | **regression** |"));
  CHECK_THAT(markdown, Catch::Contains("| 50.10 (floor 60.00) |"));
  CHECK_THAT(markdown, Catch::Contains("message &lt;&amp;\"'&gt; \\| pipe next line; second reason"));
  CHECK_THAT(markdown, Catch::Contains("run 1 (base &amp; line.sqlite)"));
  CHECK_THAT(markdown, Catch::Contains("paired-bootstrap interval (1000 replicates, seed 0)"));
  // Every table line has the header's number of unescaped cell separators.
  std::size_t table_lines = 0;
  std::istringstream lines(markdown);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| ", 0) != 0) continue;
    ++table_lines;
    std::size_t separators = 0;
    for (std::size_t i = 0; i < line.size(); ++i) separators += line[i] == '|' && (i == 0 || line[i - 1] != '\\');
    CHECK(separators == 10);
  }
  CHECK(table_lines == 5);  // header, rule, three rows
  CHECK(mmh::gate::escape_markdown("a|b\nc*_`\\") == "a\\|b c\\*\\_\\`\\\\");
}

TEST_CASE("gate output: the table cells and the summary line", "[gate]") {
  const auto report = sample_report();
  CHECK(mmh::gate::table_cells(report.rows[0]) ==
        std::vector<std::string>{"vqav2", "0", "accuracy", "50.00", "50.10", "+0.10", "[-0.20, +0.40]", "400", "ok"});
  CHECK(mmh::gate::summary_line(report) ==
        "gate FAILED: 3 checked: 1 ok, 1 regression, 1 below floor (baseline run 1 (base & line.sqlite), candidate "
        "run 2 (cand.sqlite))");
  GateRow missing;
  missing.task = "textvqa";
  missing.shots_label = "-";
  missing.floor = 10;
  missing.verdict = Verdict::kNotComparable;
  CHECK(mmh::gate::table_cells(missing) ==
        std::vector<std::string>{"textvqa", "-", "-", "-", "- (floor 10.00)", "-", "-", "-", "not comparable"});
}

TEST_CASE("gate output: files are replaced atomically, and a bad path is an error naming it", "[gate]") {
  TempDir dir;
  const auto file = dir / "gate.md";
  mmh::test::write_file(file, "old content that is longer than the new one");
  mmh::write_file_atomically(file, "new");
  CHECK(mmh::test::read_file(file) == "new");
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);  // no temporary file left behind
  try {
    mmh::write_file_atomically(dir / "missing" / "gate.xml", "x");
    FAIL("no error");
  } catch (const mmh::Error& e) {
    CHECK_THAT(e.what(), Catch::Contains("missing/gate.xml") && Catch::Contains("cannot be written"));
    CHECK(e.exit_code() == mmh::kExitUsage);
  }
}
