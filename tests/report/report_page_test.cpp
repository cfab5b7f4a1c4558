// Whole pages from synthetic databases: every field that comes from data or a
// model carries an attack string and must arrive as text; the inline JSON is
// safe; invalid UTF-8 is repaired; thumbnails, links, the sample cap and the
// atomic output behave as documented.
#include <catch2/catch.hpp>
#include <regex>

#include "common/error.h"
#include "model_backend/image/image.h"
#include "report/report_fixture.h"
#include "common/atomic_file.h"
#include "reports/report.h"
#include "reports/text_safety.h"
#include "reports/thumbnails.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;
using Catch::Contains;
using mmh::test::FixtureRun;
using mmh::test::TempDir;
using namespace mmh::reports;
using mmh::AtomicFile;

namespace {

const std::string kScript = "<script>alert(1)</script>";
const std::string kAttribute = "\"><img src=x onerror=alert(1)>";
const std::string kBoth = kScript + kAttribute;

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A run in which every string the page shows is an attack.
FixtureRun hostile_run(const fs::path& image_dir) {
  FixtureRun run;
  run.name = "name" + kBoth;
  run.model = {"/models/" + kBoth, "family" + kBoth, "xxh64:" + kBoth, "dtype" + kBoth};
  run.device = "device" + kBoth;
  run.host = "host" + kBoth;
  run.argv = {"mmharness", "run", "--name", kBoth};
  run.seeds = {{"seed" + kBoth, kBoth}};
  run.settings = {{"note", kBoth}, {"data", {{"root", image_dir.string()}}}};
  auto evaluation = mmh::test::vqa_evaluation({0, 100, 30});
  evaluation.split = "split" + kBoth;
  evaluation.template_hash = "hash" + kBoth;
  auto& s = evaluation.samples[0];
  s.key = "key" + kBoth;
  s.prediction = kScript;
  s.raw_output = kAttribute + " and invalid UTF-8: \xff\xfe";
  s.demo_keys = {"demo" + kBoth};
  s.ground_truth = {{"references", {"ref" + kBoth, "ref" + kBoth}},
                    {"options", {"option" + kBoth}},
                    {"meta", {{"meta" + kBoth, "value" + kBoth}}}};
  s.query = {{"question", "question" + kBoth},
             {"images", {{{"key", "image" + kBoth + ".png"}, {"path", (image_dir / "missing.png").string()}}}}};
  evaluation.samples[1].failed = true;
  evaluation.samples[1].error = "error" + kBoth;
  // A breakdown name splits at '/' (<headline>/<group>/<value>): this attack has none.
  evaluation.metrics.push_back({"accuracy/group" + kAttribute + "/value" + kAttribute, 12, {}, {}, 0});
  run.evaluations = {evaluation};
  return run;
}

std::string render(const fs::path& db, const fs::path& out, ReportRequest request = {},
                   ImageMode images = ImageMode::kEmbed) {
  ReportOptions options;
  options.db = db;
  options.out = out;
  options.request = std::move(request);
  options.images = images;
  write_report(options);
  return mmh::test::read_file(out);
}

std::string script_json(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const auto start = page.find(open);
  REQUIRE(start != std::string::npos);
  const auto end = page.find("</script>", start);
  return page.substr(start + open.size(), end - start - open.size());
}

}  // namespace

TEST_CASE("report page: every data-derived field is escaped", "[report][page][escaping]") {
  TempDir dir;
  {
    auto store = mmh::store::ResultsStore::open(dir / "r.sqlite", mmh::store::ResultsStore::OpenMode::kCreate);
    mmh::test::add_fixture_run(store, hostile_run(dir.path()));
    FixtureRun other;
    other.name = "other";
    other.evaluations = {mmh::test::vqa_evaluation({100, 0, 30})};
    other.evaluations[0].split = "split" + kBoth;  // the same column as the hostile run
    other.evaluations[0].template_hash = "hash" + kBoth;
    mmh::test::add_fixture_run(store, other);
  }
  ReportRequest request;
  request.baseline = 2;
  const std::string page = render(dir / "r.sqlite", dir / "report.html", request);

  // Exactly the page's own two scripts, no image element, no injected handler.
  CHECK(count(page, "<script") == 2);
  CHECK(count(page, "<img") == 0);
  CHECK(page.find(kScript) == std::string::npos);
  CHECK(page.find("<img src=x") == std::string::npos);
  CHECK(page.find("onerror=alert(1)>") == std::string::npos);
  // ... and the strings are all there as text: name, model, device, host, argv, seeds,
  // settings, split, template hash, key, prediction, raw output, demos, references,
  // options, meta, question, image key, error.
  const std::string script_text = "&lt;script&gt;alert(1)&lt;/script&gt;";
  const std::string attribute_text = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";
  for (const std::string prefix : {"name", "/models/", "family", "dtype", "device", "host", "split", "hash", "key",
                                   "demo", "ref", "option", "meta", "value", "question", "image", "error"}) {
    INFO(prefix);
    CHECK(page.find(prefix + script_text + attribute_text) != std::string::npos);
  }
  CHECK_THAT(page, Contains("<div class=\"pred\">" + script_text + "</div>"));
  CHECK_THAT(page, Contains("<figcaption>group" + attribute_text + "</figcaption>"));   // the breakdown's group
  CHECK_THAT(page, Contains("<title>value" + attribute_text + "</title>"));             // and its value
  CHECK_THAT(page, Contains("--name &#39;" + script_text + attribute_text + "&#39;"));  // argv, shell-quoted
  CHECK_THAT(page, Contains(attribute_text + " and invalid UTF-8: \xEF\xBF\xBD\xEF\xBF\xBD"));
  CHECK_THAT(page, Contains("xxh64:" + script_text + attribute_text));  // the full digest in a title attribute
  // Settings and seeds are pretty-printed JSON, escaped (JSON escapes the quote as \").
  CHECK_THAT(page, Contains("&quot;note&quot;: &quot;" + script_text + "\\&quot;&gt;&lt;img"));
  CHECK(is_valid_utf8(page));

  // The script's JSON: no markup character at all, and it reads back as the run name.
  const std::string json = script_json(page);
  CHECK(json.find('<') == std::string::npos);
  CHECK(json.find('>') == std::string::npos);
  const auto data = nlohmann::json::parse(json);
  CHECK(data["runs"][0]["label"] == "name" + kBoth);
  CHECK(data["runs"][1]["label"] == "other");
}

TEST_CASE("report page: overview cells, best marks and baseline differences", "[report][page]") {
  TempDir dir;
  {
    auto store = mmh::store::ResultsStore::open(dir / "r.sqlite", mmh::store::ResultsStore::OpenMode::kCreate);
    FixtureRun a, b;
    a.name = "alpha";
    a.evaluations = {mmh::test::vqa_evaluation(std::vector<double>(200, 0.0))};
    b.name = "beta";
    b.evaluations = {mmh::test::vqa_evaluation(std::vector<double>(200, 100.0))};
    mmh::test::add_fixture_run(store, a);
    mmh::test::add_fixture_run(store, b);
  }
  ReportRequest request;
  request.baseline = 1;
  const std::string page = render(dir / "r.sqlite", dir / "report.html", request);
  CHECK(count(page, "<td class=\"cell best\">") == 1);
  CHECK_THAT(page, Contains("<span class=\"v\" title=\"accuracy\">100.00</span> <span title=\"best in this column\">"));
  CHECK_THAT(page, Contains("<div class=\"delta sig up\""));  // beta - alpha = +100, significant
  CHECK_THAT(page, Contains("+100.00 [100.00, 100.00]"));
  CHECK_THAT(page, Contains("<svg class=\"chart shots\""));
  CHECK_THAT(page, Contains("<svg class=\"chart bars\""));
  CHECK_THAT(page, Contains("id=\"run-1\"") && Contains("id=\"run-2\""));
}

TEST_CASE("report page: the sample cap keeps the largest disagreements and says what it left out",
          "[report][page][selection]") {
  TempDir dir;
  {
    auto store = mmh::store::ResultsStore::open(dir / "r.sqlite", mmh::store::ResultsStore::OpenMode::kCreate);
    std::vector<double> a(50, 100.0), b(50, 100.0);
    b[17] = 0;  // the one sample the runs disagree on
    FixtureRun x, y;
    x.name = "x";
    x.evaluations = {mmh::test::vqa_evaluation(a), mmh::test::vqa_evaluation(a, 4)};
    y.name = "y";
    y.evaluations = {mmh::test::vqa_evaluation(b), mmh::test::vqa_evaluation(a, 4)};
    mmh::test::add_fixture_run(store, x);
    mmh::test::add_fixture_run(store, y);
  }
  ReportRequest request;
  request.max_samples = 6;
  const std::string page = render(dir / "r.sqlite", dir / "report.html", request);
  CHECK(count(page, "<tr data-group=") == 6);
  CHECK(count(page, "<tr data-group=\"0\">") == 3);
  CHECK_THAT(page, Contains("Showing 6 of 100 samples; <b>94 left out</b>"));
  // The disagreeing sample is the first row of its group.
  const auto first_row = page.find("<tr data-group=\"0\">");
  CHECK(page.substr(page.find("<td data-v=\"q", first_row), 17) == "<td data-v=\"q17\">");
  const auto data = nlohmann::json::parse(script_json(page));
  CHECK(data["shown"] == 6);
  CHECK(data["total"] == 100);
  CHECK(data["groups"][0]["shown"] == 3);
  CHECK(data["groups"][0]["label"] == "vqav2 0-shot");
}

TEST_CASE("report page: thumbnails embedded once per image, linked, or left out", "[report][page][images]") {
  TempDir dir;
  fs::create_directories(dir / "data" / "img dir");
  mmh::image::Image picture{400, 200, std::vector<std::uint8_t>(400 * 200 * 3, 128)};
  mmh::image::write_png_file(dir / "data" / "img dir" / "a b.png", picture);
  {
    auto store = mmh::store::ResultsStore::open(dir / "r.sqlite", mmh::store::ResultsStore::OpenMode::kCreate);
    FixtureRun run;
    run.settings = {{"data", {{"root", (dir / "data").string()}}}};
    run.evaluations = {mmh::test::vqa_evaluation({0, 100, 30})};
    // Two samples share the image (by key under the data root: the stored path is stale); one has none.
    for (int i = 0; i < 2; ++i)
      run.evaluations[0].samples[i].query["images"] = {{{"key", "img dir/a b.png"}, {"path", "/moved/a b.png"}}};
    mmh::test::add_fixture_run(store, run);
  }
  const std::string embedded = render(dir / "r.sqlite", dir / "embed.html");
  CHECK(count(embedded, "{background-image:url(data:image/png;base64,") == 1);
  CHECK(count(embedded, "<div class=\"thumb th-0\"") == 2);

  fs::create_directories(dir / "pages");
  const std::string linked = render(dir / "r.sqlite", dir / "pages" / "link.html", {}, ImageMode::kLink);
  CHECK(count(linked, "src=\"../data/img%20dir/a%20b.png\"") == 2);
  CHECK(linked.find("data:image/png") == std::string::npos);
  CHECK_THAT(linked, Contains("img-src data: 'self' file:"));

  const std::string none = render(dir / "r.sqlite", dir / "none.html", {}, ImageMode::kNone);
  CHECK(none.find("data:image/png") == std::string::npos);
  CHECK(count(none, "<img") == 0);
  CHECK(count(none, "<div class=\"imgkey\">img dir/a b.png</div>") == 2);
}

TEST_CASE("report page: thumbnails fit 96 px, keep the aspect and never grow", "[report][images]") {
  TempDir dir;
  mmh::image::write_png_file(dir / "wide.png", {400, 200, std::vector<std::uint8_t>(400 * 200 * 3, 10)});
  mmh::image::write_png_file(dir / "small.png", {30, 60, std::vector<std::uint8_t>(30 * 60 * 3, 10)});
  const auto wide = thumbnail_png(dir / "wide.png");
  const auto w = mmh::image::decode_image_memory(reinterpret_cast<const std::uint8_t*>(wide.data()), wide.size(), "t");
  CHECK((w.width == 96 && w.height == 48));
  const auto small = thumbnail_png(dir / "small.png");
  const auto s =
      mmh::image::decode_image_memory(reinterpret_cast<const std::uint8_t*>(small.data()), small.size(), "t");
  CHECK((s.width == 30 && s.height == 60));
  CHECK_THROWS_AS(thumbnail_png(dir / "absent.png"), mmh::Error);
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(relative_url("/a/b/c d.png", "/a/x") == "../b/c%20d.png");
  CHECK(relative_url("/a/b/\"><x.png", "/a/b") == "%22%3E%3Cx.png");
}

TEST_CASE("report page: the output appears whole or not at all", "[report][page][atomic]") {
  TempDir dir;
  mmh::test::write_file(dir / "report.html", "previous");
  {
    AtomicFile out(dir / "report.html");
    out.stream() << "half a page";
    CHECK(mmh::test::read_file(dir / "report.html") == "previous");  // not yet
  }  // not committed: the old file stays, no temporary is left
  CHECK(mmh::test::read_file(dir / "report.html") == "previous");
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
  {
    AtomicFile out(dir / "report.html");
    out.stream() << "new";
    out.commit();
  }
  CHECK(mmh::test::read_file(dir / "report.html") == "new");
  CHECK_THROWS_AS(AtomicFile(dir / "no such folder" / "r.html"), mmh::Error);
  CHECK_THROWS_AS(AtomicFile(dir.path()), mmh::Error);
}
