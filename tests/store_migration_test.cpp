// Schema versions: fresh files, forward migrations, refusal of newer files.
#include <catch2/catch.hpp>
#include <vector>

#include "common/error.h"
#include "harness/store/schema.h"
#include "harness/store/sqlite.h"
#include "store_fixtures.h"
#include "support/temp_dir.h"

using mmh::sql::Database;
using mmh::store::ResultsStore;
using mmh::test::TempDir;

namespace {

int user_version(const std::filesystem::path& path) {
  Database db(path, Database::OpenMode::kExisting);
  return db.user_version();
}

std::string pragma_text(const std::filesystem::path& path, const std::string& pragma) {
  Database db(path, Database::OpenMode::kExisting);
  mmh::sql::Statement st(db, "PRAGMA " + pragma);
  st.step();
  return st.get_text(0);
}

std::vector<mmh::store::Migration> production_plus(const mmh::store::Migration& extra) {
  auto steps = mmh::store::schema_migrations();
  std::vector<mmh::store::Migration> out(steps.begin(), steps.end());
  out.push_back(extra);
  return out;
}

}  // namespace

TEST_CASE("schema: a new file gets the latest version in WAL mode", "[store][schema]") {
  TempDir dir;
  const auto path = dir / "new.sqlite";
  { ResultsStore::open(path, ResultsStore::OpenMode::kCreate); }
  CHECK(user_version(path) == mmh::store::latest_schema_version());
  CHECK(pragma_text(path, "journal_mode") == "wal");
  CHECK(pragma_text(path, "foreign_key_check").empty());
}

TEST_CASE("schema: an older database migrates forward and keeps its data", "[store][schema]") {
  TempDir dir;
  const auto path = dir / "old.sqlite";
  std::int64_t run_id = 0;
  {
    auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    run_id = store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run("kept"));
  }
  const int old_version = mmh::store::latest_schema_version();
  const auto steps = production_plus({old_version + 1, "add runs.note", "ALTER TABLE runs ADD COLUMN note TEXT;"});

  Database db(path, Database::OpenMode::kExisting);
  mmh::store::migrate(db, steps);
  CHECK(db.user_version() == old_version + 1);
  mmh::sql::Statement st(db, "SELECT name, note FROM runs WHERE id = ?1");
  st.bind(1, run_id);
  REQUIRE(st.step());
  CHECK(st.get_text(0) == "kept");
  CHECK(st.is_null(1));

  mmh::store::migrate(db, steps);  // already there: a no-op
  CHECK(db.user_version() == old_version + 1);
}

TEST_CASE("schema: a failing migration step leaves the previous version and data", "[store][schema]") {
  TempDir dir;
  const auto path = dir / "old.sqlite";
  {
    auto store = ResultsStore::open(path, ResultsStore::OpenMode::kCreate);
    store.begin_run(store.add_model(mmh::test::tiny_model()), mmh::test::tiny_run());
  }
  const int old_version = mmh::store::latest_schema_version();
  // The first statement succeeds, the second fails: the transaction must undo both.
  const auto steps = production_plus(
      {old_version + 1, "broken step", "ALTER TABLE runs ADD COLUMN note TEXT; ALTER TABLE nowhere ADD COLUMN x;"});
  {
    Database db(path, Database::OpenMode::kExisting);
    CHECK_THROWS_WITH(mmh::store::migrate(db, steps),
                      Catch::Contains("migration to version " + std::to_string(old_version + 1)) &&
                          Catch::Contains("left at version " + std::to_string(old_version)));
  }
  CHECK(user_version(path) == old_version);
  auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
  CHECK(store.list_runs().size() == 1);
  Database db(path, Database::OpenMode::kExisting);
  mmh::sql::Statement columns(db, "SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'note'");
  columns.step();
  CHECK(columns.get_int(0) == 0);
}

TEST_CASE("schema: a database from a newer mmharness is refused untouched", "[store][schema][errors]") {
  TempDir dir;
  const auto path = dir / "future.sqlite";
  { ResultsStore::open(path, ResultsStore::OpenMode::kCreate); }
  const int future = mmh::store::latest_schema_version() + 5;
  {
    Database db(path, Database::OpenMode::kExisting);
    db.exec("PRAGMA user_version = " + std::to_string(future) + ";");
  }
  CHECK_THROWS_WITH(ResultsStore::open(path, ResultsStore::OpenMode::kExisting),
                    Catch::Contains(path.string()) && Catch::Contains("newer mmharness") &&
                        Catch::Contains("schema version " + std::to_string(future)));
  CHECK(user_version(path) == future);
}

TEST_CASE("schema: a version-1 database written by hand still reads", "[store][schema]") {
  // Frozen copy of schema version 1 as it shipped, with one run. Future
  // migrations must keep this file readable.
  TempDir dir;
  const auto path = dir / "v1.sqlite";
  {
    Database db(path, Database::OpenMode::kCreate);
    db.exec(mmh::test::read_file(std::filesystem::path(MMH_SOURCE_DIR) / "tests/data/schema_v1.sql"));
    CHECK(db.user_version() == 1);
  }
  auto store = ResultsStore::open(path, ResultsStore::OpenMode::kExisting);
  CHECK(user_version(path) == mmh::store::latest_schema_version());
  const auto runs = store.list_runs();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].name == "v1 run");
  const auto run = store.find_run(runs[0].id);
  REQUIRE(run);
  REQUIRE(run->evaluations.size() == 1);
  CHECK(run->evaluations[0].samples_done == 2);
  REQUIRE(run->evaluations[0].metrics.size() == 1);
  CHECK(run->evaluations[0].metrics[0].value == Approx(55.5));
}
