// mmharness runs: list the runs in a results database.
#include <CLI/CLI.hpp>
#include <iostream>

#include "harness/cli/app.h"
#include "harness/cli/store_json.h"
#include "harness/cli/text_table.h"

namespace mmh::cli {
namespace {

struct RunsOptions {
  std::string db = kDefaultDatabase;
  bool json = false;
};

void list_runs(const RunsOptions& opts) {
  auto store = store::ResultsStore::open(opts.db, store::ResultsStore::OpenMode::kExisting);
  const auto runs = store.list_runs();
  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : runs) out.push_back(to_json(r));
    print_json(std::cout, out);
    return;
  }
  if (runs.empty()) {
    std::cout << "No runs in " << opts.db << "\n";
    return;
  }
  TextTable table({"run", "name", "model", "family", "dtype", "device", "status", "started", "evaluations"});
  for (const auto& r : runs)
    table.add_row({std::to_string(r.id), r.name.value_or("-"), r.model.path, r.model.family, r.model.dtype, r.device,
                   r.status, r.started_at, std::to_string(r.evaluation_count)});
  table.print(std::cout);
}

}  // namespace

void add_runs_command(CLI::App& app) {
  auto opts = std::make_shared<RunsOptions>();
  auto* cmd = app.add_subcommand("runs", "List the runs stored in a results database");
  cmd->add_option("--db", opts->db, "Results database (SQLite)")->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print one JSON array instead of a table");
  cmd->callback([opts] { list_runs(*opts); });
}

}  // namespace mmh::cli
