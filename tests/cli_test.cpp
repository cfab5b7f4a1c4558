// The mmharness binary as a user runs it: output, --json, exit codes, errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "harness/store/sqlite.h"
#include "store_fixtures.h"
#include "support/run_command.h"
#include "support/task_fixtures.h"
#include "support/temp_dir.h"

using mmh::test::run_mmharness;
using mmh::test::TempDir;

namespace {

// One line on stderr, starting "mmharness: error:".
void check_one_error_line(const mmh::test::CommandResult& r) {
  INFO("stderr: " << r.err);
  CHECK(r.err.starts_with("mmharness: error: "));
  CHECK(r.err.find("\nmmharness: error") == std::string::npos);
}

// Two runs, one with a completed coco evaluation carrying metrics.
std::filesystem::path populated_database(const TempDir& dir) {
  const auto path = dir / "mmharness.sqlite";
  auto store = mmh::store::ResultsStore::open(path, mmh::store::ResultsStore::OpenMode::kCreate);
  const auto model_id = store.add_model(mmh::test::tiny_model());
  const auto run_id = store.begin_run(model_id, mmh::test::tiny_run("baseline"));
  const auto eval_id = store.begin_evaluation(run_id, mmh::test::tiny_evaluation("coco", 4));
  const std::vector<mmh::store::SampleResult> samples = {mmh::test::tiny_sample("1"), mmh::test::tiny_sample("2")};
  store.add_samples(eval_id, samples);
  const std::vector<mmh::store::Metric> metrics = {{"CIDEr", 98.765, 90.5, 105.25, 2}, {"BLEU-4", 30.0, {}, {}, 2}};
  store.set_metrics(eval_id, metrics);
  store.end_evaluation(eval_id, mmh::store::Status::kCompleted, 12.0);
  store.end_run(run_id, mmh::store::Status::kCompleted);
  store.begin_run(model_id, mmh::test::tiny_run(std::string("candidate \xff")));  // invalid UTF-8 in a name
  return path;
}

}  // namespace

TEST_CASE("cli: --version names the version, revision, LibTorch, CUDA and BLAS", "[cli]") {
  const auto r = run_mmharness({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.starts_with("mmharness 0.1.0 (git "));
  CHECK_THAT(r.out, Catch::Contains("LibTorch ") && Catch::Contains("CUDA: ") && Catch::Contains("BLAS: "));
#if MMH_EXPECT_OPENBLAS_OPENMP
  CHECK_THAT(r.out, Catch::Contains("OpenBLAS") && Catch::Contains("threading: OpenMP"));
#endif
}

TEST_CASE("cli: --help lists the subcommands", "[cli]") {
  const auto r = run_mmharness({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("runs") && Catch::Contains("show") && Catch::Contains("tasks"));
  const auto sub = run_mmharness({"show", "--help"});
  CHECK(sub.exit_code == 0);
  CHECK_THAT(sub.out, Catch::Contains("--db"));
}

TEST_CASE("cli: usage errors exit 2 with one line", "[cli][errors]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"runs", "--bogus"}, {"show"}, {"show", "abc"}, {"show", "-3"}}) {
    INFO("args: " << args.size());
    const auto r = run_mmharness(args);
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
  }
}

TEST_CASE("cli: runs and show read a results database", "[cli]") {
  TempDir dir;
  const auto db = populated_database(dir);

  SECTION("runs as a table, with the default --db in the working directory") {
    const auto r = run_mmharness({"runs"}, dir.path());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("baseline") && Catch::Contains("/models/llava-tiny") &&
                          Catch::Contains("completed") && Catch::Contains("running"));
  }
  SECTION("runs --json parses and carries every run") {
    const auto r = run_mmharness({"runs", "--db", db.string(), "--json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 2);
    CHECK(j[0]["name"] == "baseline");
    CHECK(j[0]["model"]["family"] == "llava");
    CHECK(j[0]["evaluation_count"] == 1);
    CHECK(j[1]["status"] == "running");
    CHECK(j[1]["ended_at"].is_null());
    CHECK(j[1]["name"] == "candidate \xEF\xBF\xBD");  // replacement character, not a crash
  }
  SECTION("show prints provenance, evaluations and metrics with intervals") {
    const auto r = run_mmharness({"show", "1", "--db", db.string()});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("sha256:0123abcd") && Catch::Contains("coco") && Catch::Contains("CIDEr") &&
                          Catch::Contains("98.77") && Catch::Contains("[90.50, 105.25]") &&
                          Catch::Contains("2/3") && Catch::Contains("mmharness run --model"));
  }
  SECTION("show --json parses") {
    const auto r = run_mmharness({"show", "1", "--db", db.string(), "--json"});
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["id"] == 1);
    CHECK(j["argv"][1] == "run");
    CHECK(j["seeds"]["demos"] == 1234);
    REQUIRE(j["evaluations"].size() == 1);
    CHECK(j["evaluations"][0]["shots"] == 4);
    CHECK(j["evaluations"][0]["samples_done"] == 2);
    CHECK(j["evaluations"][0]["metrics"][0]["ci_high"] == 105.25);
    CHECK(j["evaluations"][0]["metrics"][1]["ci_low"].is_null());
  }
  SECTION("show of an unknown run exits 2") {
    const auto r = run_mmharness({"show", "99", "--db", db.string()});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.err, Catch::Contains("no run with id 99") && Catch::Contains(db.string()));
  }
}

TEST_CASE("cli: an empty database lists no runs", "[cli]") {
  TempDir dir;
  { mmh::store::ResultsStore::open(dir / "empty.sqlite", mmh::store::ResultsStore::OpenMode::kCreate); }
  const auto table = run_mmharness({"runs", "--db", (dir / "empty.sqlite").string()});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("No runs"));
  const auto json = run_mmharness({"runs", "--db", (dir / "empty.sqlite").string(), "--json"});
  CHECK(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out) == nlohmann::json::array());
}

TEST_CASE("cli: bad database files exit 2 naming the file", "[cli][errors]") {
  TempDir dir;
  SECTION("missing, and not created") {
    const auto path = dir / "nope.sqlite";
    const auto r = run_mmharness({"runs", "--db", path.string()});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.err, Catch::Contains(path.string()));
    CHECK_FALSE(std::filesystem::exists(path));
  }
  SECTION("not SQLite") {
    const auto path = dir / "results.json";
    mmh::test::write_file(path, "{\"runs\": []}\n");
    const auto r = run_mmharness({"runs", "--db", path.string()});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.err, Catch::Contains(path.string()) && Catch::Contains("not an SQLite database"));
  }
  SECTION("from a newer mmharness") {
    const auto path = dir / "future.sqlite";
    { mmh::store::ResultsStore::open(path, mmh::store::ResultsStore::OpenMode::kCreate); }
    {
      mmh::sql::Database db(path, mmh::sql::Database::OpenMode::kExisting);
      db.exec("PRAGMA user_version = 999;");
    }
    const auto r = run_mmharness({"show", "1", "--db", path.string()});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.err, Catch::Contains("newer mmharness"));
  }
}

TEST_CASE("cli: tasks lists the nine benchmarks and the files they expect", "[cli][tasks]") {
  const auto text = run_mmharness({"tasks"});
  CHECK(text.exit_code == 0);
  for (const char* id : {"coco", "nocaps", "textcaps", "vqav2", "textvqa", "vizwiz", "gqa", "okvqa", "mmmu"})
    CHECK_THAT(text.out, Catch::Contains(std::string(id) + ": "));
  CHECK_THAT(text.out, Catch::Contains("coco/dataset_coco.json") && Catch::Contains("mmmu/validation.jsonl"));

  const auto json = run_mmharness({"tasks", "--json"});
  REQUIRE(json.exit_code == 0);
  const auto j = nlohmann::json::parse(json.out);
  REQUIRE(j.size() == 9);
  CHECK(j[0]["id"] == "coco");
  CHECK(j[0]["headline_metric"] == "CIDEr");
  CHECK_FALSE(j[0].contains("ready"));
}

TEST_CASE("cli: tasks --data-root reports found and missing files", "[cli][tasks]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());

  SECTION("complete tasks are loaded and counted") {
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--json"});
    CHECK(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 9);
    for (const auto& task : j) {
      INFO(task["id"]);
      CHECK(task["ready"] == true);
      CHECK(task["layouts"][0]["paths"][0]["found"] == true);
      REQUIRE(task["splits"].size() == 2);
      CHECK(task["splits"][0]["images_missing"] == 0);
    }
    CHECK(j[0]["splits"][0] == nlohmann::json({{"split", "test"}, {"samples", 3}, {"images_found", 3}, {"images_missing", 0}}));
    CHECK(j[6]["splits"][1]["skipped"]["records"] == 1);  // GQA train's unbalanced question
    const auto text = run_mmharness({"tasks", "--data-root", root.path().string(), "--tasks", "coco"});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("[ready]") && Catch::Contains("test: 3 samples, 3 images found, 0 missing") &&
                             Catch::Contains("train: 6 samples"));
  }
  SECTION("a missing file exits 2 naming it") {
    std::filesystem::remove_all(root / "vqav2");
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--tasks", "coco,vqav2"});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.out, Catch::Contains("coco: ") && Catch::Contains("[ready]") && Catch::Contains("[MISSING FILES]") &&
                          Catch::Contains("missing  vqav2/v2_OpenEnded_mscoco_train2014_questions.json"));
    CHECK_THAT(r.err, Catch::Contains((root / "vqav2/v2_OpenEnded_mscoco_train2014_questions.json").string()) &&
                          Catch::Contains("task vqav2"));
  }
  SECTION("a malformed file exits 2 naming it and the place") {
    mmh::test::write_file(root / "textvqa/TextVQA_0.5.1_val.json", "{\"data\": [\n{\"question_id\": }]}");
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--tasks", "textvqa,gqa"});
    CHECK(r.exit_code == 2);
    check_one_error_line(r);
    CHECK_THAT(r.err, Catch::Contains("TextVQA_0.5.1_val.json:2:") && Catch::Contains("malformed JSON"));
    CHECK_THAT(r.out, Catch::Contains("textvqa: ") && Catch::Contains("[ERROR]") && Catch::Contains("gqa: "));
  }
  SECTION("a missing image exits 2 naming it and its sample") {
    std::filesystem::remove(root / "vizwiz/val/VizWiz_val_00000001.jpg");
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--tasks", "vizwiz"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.out, Catch::Contains("val: 2 samples, 1 images found, 1 missing"));
    CHECK_THAT(r.err, Catch::Contains("VizWiz_val_00000001.jpg") && Catch::Contains("image missing"));
  }
  SECTION("a file where a folder belongs does not count") {
    std::filesystem::remove_all(root / "coco/val2014");
    mmh::test::write_file(root / "coco/val2014", "not a folder");
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--tasks", "coco"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("coco/val2014"));
  }
  SECTION("--task-dir moves one task's folder") {
    TempDir elsewhere;
    std::filesystem::rename(root / "gqa", elsewhere / "gqa");
    const auto r = run_mmharness({"tasks", "--data-root", root.path().string(), "--task-dir",
                                  "gqa=" + (elsewhere / "gqa").string(), "--tasks", "gqa"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("testdev: 3 samples, 3 images found"));
  }
  SECTION("bad arguments") {
    const auto not_dir = run_mmharness({"tasks", "--data-root", (root / "nowhere").string()});
    CHECK(not_dir.exit_code == 2);
    CHECK_THAT(not_dir.err, Catch::Contains("not a directory"));
    const auto unknown = run_mmharness({"tasks", "--tasks", "coco,imagenet"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown task 'imagenet'") && Catch::Contains("okvqa"));
    const auto bad_dir = run_mmharness({"tasks", "--data-root", root.path().string(), "--task-dir", "coco"});
    CHECK(bad_dir.exit_code == 2);
    CHECK_THAT(bad_dir.err, Catch::Contains("TASK=PATH"));
  }
}

TEST_CASE("cli: prompt prints the rendered prompt of one sample", "[cli][prompt]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const std::string data = root.path().string();

  const auto j = nlohmann::json::parse(
      run_mmharness({"prompt", "--task", "vqav2", "--data-root", data, "--shots", "4", "--json"}).out);
  CHECK(j["task"] == "vqav2");
  CHECK(j["key"] == "1000");
  CHECK(j["shots"] == 4);
  CHECK(j["template"] == "fewshot");
  CHECK(j["template_hash"].get<std::string>().size() == 16);
  CHECK(j["demo_keys"].size() == 4);
  CHECK(j["references"].size() == 10);
  REQUIRE(j["segments"].size() == 14);  // 4 x (image, text, end of chunk) + image, text
  CHECK(j["segments"][0]["image"] == (root / "coco/train2014").string() + "/" +
                                         "COCO_train2014_0000000000" + std::to_string(std::stoi(j["demo_keys"][0].get<std::string>()) / 1000) + ".jpg");
  CHECK(j["segments"][2]["end_of_chunk"] == true);
  CHECK(j["segments"][13]["text"] == "Question: What is in image 1? Short answer:");
  CHECK(j["max_new_tokens"] == 10);
  CHECK(j["postprocess"] == "vqa_short");

  // The same demonstrations whether the sample is picked by index or by key; another seed, others.
  const auto by_key = nlohmann::json::parse(
      run_mmharness({"prompt", "--task", "vqav2", "--data-root", data, "--shots", "4", "--key", "1000", "--json"}).out);
  CHECK(by_key["demo_keys"] == j["demo_keys"]);
  const auto chat = nlohmann::json::parse(run_mmharness({"prompt", "--task", "mmmu", "--data-root", data,
                                                         "--template", "instruct", "--index", "1", "--json"}).out);
  CHECK(chat["key"] == "validation_Math_2");
  CHECK(chat["segments"][0]["role"] == "user");
  CHECK(chat["segments"][1]["key"] == "mmmu/images/validation_Math_2_1.png");

  const auto text = run_mmharness({"prompt", "--task", "coco", "--data-root", data, "--shots", "2", "--seed", "3"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("task coco, sample 1 (test), 2-shot, template fewshot") &&
                           Catch::Contains("demonstrations: ") && Catch::Contains("references: [Image 1 caption 0. ]"));
  CHECK_THAT(text.out, Catch::EndsWith("<image>Output:\n"));
  const auto limited = nlohmann::json::parse(
      run_mmharness({"prompt", "--task", "gqa", "--data-root", data, "--limit", "2", "--index", "1", "--json"}).out);
  CHECK(limited["key"].get<std::string>().starts_with("900"));
}

TEST_CASE("cli: prompt refuses bad input with one line", "[cli][prompt][errors]") {
  TempDir root;
  mmh::test::write_task_fixtures(root.path());
  const std::string data = root.path().string();
  std::filesystem::remove(root / "coco/val2014/COCO_val2014_000000000002.jpg");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {{"--task", "coco", "--index", "1"}, "COCO_val2014_000000000002.jpg"},
           {{"--task", "coco", "--index", "9"}, "past the last of the 3 samples"},
           {{"--task", "coco", "--key", "77"}, "no sample 77"},
           {{"--task", "coco", "--template", "chatty"}, "unknown template set 'chatty'"},
           {{"--task", "coco", "--shots", "7"}, "fewer than the 7 shots"},
           {{"--task", "imagenet"}, "unknown task 'imagenet'"},
           {{"--task", "coco", "--demos", "random"}, "--demos"},
           {{"--task", "coco", "--index", "1", "--key", "1"}, "excludes"},
       }) {
    std::vector<std::string> args = {"prompt", "--data-root", data};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run_mmharness(args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(c.expected));
  }
  const auto no_root = run_mmharness({"prompt", "--task", "coco"});
  CHECK(no_root.exit_code == 2);
  CHECK_THAT(no_root.err, Catch::Contains("--data-root"));
}
