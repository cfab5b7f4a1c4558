// docs/results-schema.md must describe exactly the tables and columns the code creates.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <sstream>

#include "harness/store/schema.h"
#include "harness/store/sqlite.h"
#include "store_fixtures.h"
#include "support/temp_dir.h"

namespace {

using Columns = std::vector<std::string>;

// "## `table`" headings, each followed by "| `column` | ..." rows.
std::map<std::string, Columns> documented_tables(const std::string& markdown, int& version) {
  std::map<std::string, Columns> tables;
  const std::regex heading(R"(^## `(\w+)`\s*$)"), column(R"(^\| `(\w+)` \|)"), version_line(R"(^Schema version: \*\*(\d+)\*\*)");
  std::istringstream in(markdown);
  std::string line, current;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, version_line)) version = std::stoi(m[1]);
    if (std::regex_match(line, m, heading)) {
      current = m[1];
      tables[current];
    } else if (line.starts_with("## ")) {
      current.clear();
    } else if (!current.empty() && std::regex_search(line, m, column)) {
      tables[current].push_back(m[1]);
    }
  }
  return tables;
}

std::map<std::string, Columns> database_tables(mmh::sql::Database& db) {
  std::map<std::string, Columns> tables;
  mmh::sql::Statement names(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
  while (names.step()) tables[names.get_text(0)];
  for (auto& [name, columns] : tables) {
    mmh::sql::Statement info(db, "SELECT name FROM pragma_table_info(?1) ORDER BY cid");
    info.bind(1, name);
    while (info.step()) columns.push_back(info.get_text(0));
  }
  return tables;
}

}  // namespace

TEST_CASE("docs/results-schema.md matches the schema the code creates", "[store][docs]") {
  int documented_version = -1;
  const auto documented = documented_tables(
      mmh::test::read_file(std::filesystem::path(MMH_SOURCE_DIR) / "docs/results-schema.md"), documented_version);
  CHECK(documented_version == mmh::store::latest_schema_version());

  mmh::test::TempDir dir;
  { mmh::store::ResultsStore::open(dir / "r.sqlite", mmh::store::ResultsStore::OpenMode::kCreate); }
  mmh::sql::Database db(dir / "r.sqlite", mmh::sql::Database::OpenMode::kExisting);
  const auto actual = database_tables(db);

  REQUIRE(actual.size() == 6);  // models, runs, evaluations, samples, metrics, responses
  for (const auto& [table, columns] : actual) {
    INFO("table " << table);
    REQUIRE(documented.count(table) == 1);
    CHECK(documented.at(table) == columns);
  }
  for (const auto& [table, columns] : documented) {
    INFO("documented table " << table);
    CHECK(actual.count(table) == 1);
  }
}
