#include "run/run_fixture.h"

#include <cstdlib>

#include "harness/demo/demo_setup.h"
#include "harness/store/sqlite.h"

namespace mmh::test {

RunFixture::RunFixture() {
  // The tests run side by side on few cores: one thread per mmharness avoids
  // oversubscribed OpenMP spin-waits (the tiny model gains nothing from more).
  setenv("OMP_NUM_THREADS", "1", /*overwrite=*/0);
  demo::DemoSetupOptions options;
  options.out = dir / "demo";
  options.samples = 4;
  options.pool = 8;
  const auto result = demo::demo_setup(options);
  data = result.data_root;
  model = result.model_dir;
}

std::vector<std::string> RunFixture::run_args(const std::filesystem::path& db, const std::string& tasks,
                                              const std::string& shots, std::vector<std::string> extra) const {
  std::vector<std::string> args = {"run",    "--model", model.string(), "--data-root", data.string(), "--tasks",
                                   tasks,    "--shots", shots,          "--db",        db.string(),   "--bootstrap",
                                   "200",    "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> query_rows(const std::filesystem::path& db, const std::string& sql) {
  sql::Database database(db, sql::Database::OpenMode::kExisting);
  sql::Statement st(database, sql);
  std::vector<std::string> rows;
  while (st.step()) {
    std::string row;
    for (int c = 0; c < st.column_count(); ++c) {
      if (c) row += '|';
      row += st.is_null(c) ? std::string("NULL") : st.get_text(c);
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace mmh::test
