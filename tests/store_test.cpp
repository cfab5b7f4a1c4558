// Results store: round trip, atomic batches, and clear errors on bad files.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>

#include "common/error.h"
#include "harness/store/schema.h"
#include "harness/store/sqlite.h"
#include "store_fixtures.h"
#include "support/temp_dir.h"

using mmh::store::ResultsStore;
using mmh::test::TempDir;

namespace {

std::int64_t count_rows(const std::filesystem::path& db_path, const std::string& table) {
  mmh::sql::Database db(db_path, mmh::sql::Database::OpenMode::kExisting);
  mmh::sql::Statement st(db, "SELECT count(*) FROM " + table);
  st.step();
  return st.get_int(0);
}

}  // namespace

TEST_CASE("store: everything written reads back after reopening", "[store]") {
  TempDir dir;
  const auto path = dir / "results.sqlite";
  std::int64_t run_id = 0, eval_id = 0;
  {
    auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    const auto model_id = store.add_model(mmh::test::tiny_model());
    CHECK(store.add_model(mmh::test::tiny_model()) == model_id);  // same model, same row
    run_id = store.begin_run(model_id, mmh::test::tiny_run());
    eval_id = store.begin_evaluation(run_id, mmh::test::tiny_evaluation());

    auto unicode = mmh::test::tiny_sample("s2", 0.5);
    unicode.raw_output = "Ein Bär — 熊 🐻";
    unicode.prediction = "ein bär";
    auto invalid_utf8 = mmh::test::tiny_sample("s3", 0.0);
    invalid_utf8.raw_output = std::string("broken \xff\xfe bytes");
    invalid_utf8.latency_ms.reset();
    const std::vector<mmh::store::SampleResult> batch = {mmh::test::tiny_sample("s1", 1.5), unicode, invalid_utf8};
    store.add_samples(eval_id, batch);
    const std::vector<mmh::store::Metric> metrics = {{"CIDEr", 66.7, 10.0, 120.0, 3}, {"BLEU-4", 12.5, {}, {}, 3}};
    store.set_metrics(eval_id, metrics);
    store.end_evaluation(eval_id, mmh::store::Status::kCompleted, 4.25);
    store.end_run(run_id, mmh::store::Status::kCompleted);
  }

  auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
  const auto runs = store.list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].id == run_id);
  CHECK(runs[0].name == "baseline");
  CHECK(runs[0].status == "completed");
  CHECK(runs[0].ended_at.has_value());
  CHECK(runs[0].model.family == "llava");
  CHECK(runs[0].model.digest == "sha256:0123abcd");
  CHECK(runs[0].evaluation_count == 1);

  const auto run = store.find_run(run_id);
  REQUIRE(run);
  CHECK(run->argv == mmh::test::tiny_run().argv);
  CHECK(run->seeds == nlohmann::json{{"demos", 1234}});
  CHECK(run->settings["template"] == "fewshot");
  REQUIRE(run->evaluations.size() == 1);
  const auto& e = run->evaluations[0];
  CHECK(e.spec.task == "coco");
  CHECK(e.spec.template_hash == "sha256:feed");
  CHECK(e.status == "completed");
  CHECK(e.samples_done == 3);
  CHECK(e.wall_seconds == Approx(4.25));
  REQUIRE(e.metrics.size() == 2);
  CHECK(e.metrics[0].name == "CIDEr");
  CHECK(e.metrics[0].value == 66.7);
  CHECK(e.metrics[0].ci_low == 10.0);
  CHECK_FALSE(e.metrics[1].ci_low.has_value());

  const auto samples = store.samples(eval_id);
  REQUIRE(samples.size() == 3);
  CHECK(samples[0].scores["CIDEr"] == 1.5);
  CHECK(samples[0].demo_keys == std::vector<std::string>{"d1", "d2"});
  CHECK(samples[1].raw_output == "Ein Bär — 熊 🐻");
  CHECK(samples[2].raw_output == std::string("broken \xff\xfe bytes"));  // stored byte for byte
  CHECK_FALSE(samples[2].latency_ms.has_value());
  CHECK_FALSE(store.find_run(run_id + 100).has_value());
}

TEST_CASE("store: a batch of samples is stored whole or not at all", "[store]") {
  TempDir dir;
  auto store = ResultsStore::open(dir / "r.sqlite", ResultsStore::OpenMode::kCreate);
  const auto run_id = store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run());
  const auto eval_id = store.begin_evaluation(run_id, mmh::test::tiny_evaluation());
  const std::vector<mmh::store::SampleResult> first = {mmh::test::tiny_sample("a")};
  store.add_samples(eval_id, first);

  // "a" again: the UNIQUE (evaluation, sample key) constraint fails the batch.
  const std::vector<mmh::store::SampleResult> clash = {mmh::test::tiny_sample("b"), mmh::test::tiny_sample("a")};
  CHECK_THROWS_AS(store.add_samples(eval_id, clash), mmh::Error);
  const auto samples = store.samples(eval_id);
  REQUIRE(samples.size() == 1);
  CHECK(samples[0].key == "a");
}

TEST_CASE("store: writes that refer to nothing are refused", "[store]") {
  TempDir dir;
  auto store = ResultsStore::open(dir / "r.sqlite", ResultsStore::OpenMode::kCreate);
  CHECK_THROWS_AS(store.begin_evaluation(42, mmh::test::tiny_evaluation()), mmh::Error);  // foreign key
  CHECK_THROWS_WITH(store.end_run(42, mmh::store::Status::kFailed), Catch::Contains("no run row with id 42"));
  CHECK_THROWS_AS(store.begin_run(7, mmh::test::tiny_run()), mmh::Error);
}

TEST_CASE("store: bad database files give one clear error naming the file", "[store][errors]") {
  TempDir dir;
  SECTION("missing file, when it must exist, is not created") {
    const auto path = dir / "absent.sqlite";
    CHECK_THROWS_WITH(ResultsStore::open(path, ResultsStore::OpenMode::kExisting),
                      Catch::Contains(path.string()) && Catch::Contains("no results database"));
    CHECK_FALSE(std::filesystem::exists(path));
  }
  SECTION("a text file") {
    const auto path = dir / "notes.sqlite";
    mmh::test::write_file(path, std::string(4096, 'x'));
    CHECK_THROWS_WITH(ResultsStore::open(path, ResultsStore::OpenMode::kCreate),
                      Catch::Contains(path.string()) && Catch::Contains("not an SQLite database"));
    CHECK(mmh::test::read_file(path) == std::string(4096, 'x'));  // untouched
  }
  SECTION("a directory") {
    CHECK_THROWS_WITH(ResultsStore::open(dir.path(), ResultsStore::OpenMode::kCreate), Catch::Contains("directory"));
  }
  SECTION("another application's SQLite database is left alone") {
    const auto path = dir / "other.sqlite";
    {
      mmh::sql::Database db(path, mmh::sql::Database::OpenMode::kCreate);
      db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ada');");
    }
    CHECK_THROWS_WITH(ResultsStore::open(path, ResultsStore::OpenMode::kCreate),
                      Catch::Contains("another application"));
    CHECK(count_rows(path, "contacts") == 1);
    CHECK(count_rows(path, "sqlite_master WHERE name = 'runs'") == 0);
  }
  SECTION("a corrupt database") {
    const auto path = dir / "corrupt.sqlite";
    {
      auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
      store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run());
    }
    // Keep the 100-byte header, overwrite the schema page and everything after it.
    std::string bytes = mmh::test::read_file(path);
    for (std::size_t i = 100; i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xA5 ^ (i * 31));
    mmh::test::write_file(path, bytes);
    CHECK_THROWS_WITH(
        [&] {
          auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
          store.list_runs();
        }(),
        Catch::Contains(path.string()));
  }
}

TEST_CASE("store: a process killed inside a transaction leaves the committed data intact", "[store][crash]") {
  TempDir dir;
  const auto path = dir / "r.sqlite";
  std::int64_t eval_id = 0;
  {
    auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    const auto run_id = store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run());
    eval_id = store.begin_evaluation(run_id, mmh::test::tiny_evaluation());
    const std::vector<mmh::store::SampleResult> committed = {mmh::test::tiny_sample("kept")};
    store.add_samples(eval_id, committed);
  }
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // Half a batch written, then SIGKILL before COMMIT.
    mmh::sql::Database db(path, mmh::sql::Database::OpenMode::kExisting);
    mmh::sql::Transaction tx(db);
    mmh::sql::Statement st(db, "INSERT INTO samples (evaluation_id, sample_key, prompt_hash, raw_output, prediction) "
                               "VALUES (?1, ?2, 'h', 'o', 'p')");
    for (int i = 0; i < 100; ++i) st.bind(1, eval_id).bind(2, "lost-" + std::to_string(i)).run();
    raise(SIGKILL);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
  const auto samples = store.samples(eval_id);
  REQUIRE(samples.size() == 1);
  CHECK(samples[0].key == "kept");
  mmh::sql::Database db(path, mmh::sql::Database::OpenMode::kExisting);
  mmh::sql::Statement check(db, "PRAGMA integrity_check");
  REQUIRE(check.step());
  CHECK(check.get_text(0) == "ok");
}
