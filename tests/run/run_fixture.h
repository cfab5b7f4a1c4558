#pragma once
// What the `run` tests share: the nine tasks in their official formats
// (tests/support/task_fixtures) and a small random-weight LLaVA checkpoint
// with the demo's generated tokenizer, so no reference data is needed.
#include <filesystem>
#include <string>
#include <vector>

#include "support/run_command.h"
#include "support/temp_dir.h"

namespace mmh::test {

struct RunFixture {
  TempDir dir;
  std::filesystem::path data, model;
  RunFixture();
  // `mmharness run` on the fixture with these extra arguments, into `db`.
  std::vector<std::string> run_args(const std::filesystem::path& db, const std::string& tasks,
                                    const std::string& shots, std::vector<std::string> extra = {}) const;
};

// Rows of a database, for comparisons: SELECT ... as text lines.
std::vector<std::string> query_rows(const std::filesystem::path& db, const std::string& sql);

}  // namespace mmh::test
