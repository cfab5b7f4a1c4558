// mmharness show RUN: one run's provenance, evaluations and metrics.
#include <CLI/CLI.hpp>
#include <iostream>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/store_json.h"
#include "harness/cli/text_table.h"

namespace mmh::cli {
namespace {

struct ShowOptions {
  std::string db = kDefaultDatabase;
  std::int64_t run_id = 0;
  bool json = false;
};

std::string join_argv(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

void print_run(const store::RunDetail& run) {
  const auto& s = run.summary;
  std::cout << "run " << s.id << (s.name ? " \"" + *s.name + "\"" : "") << ": " << s.status << "\n"
            << "  model    " << s.model.path << " (" << s.model.family << ", " << s.model.dtype << ", digest "
            << s.model.digest << ")\n"
            << "  started  " << s.started_at << "   ended " << s.ended_at.value_or("-") << "\n"
            << "  device   " << s.device << " on " << s.host << "\n"
            << "  harness  " << s.harness_version << " (git " << s.git_revision << ")\n"
            << "  command  " << join_argv(run.argv) << "\n"
            << "  seeds    " << run.seeds.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n\n";
  if (run.evaluations.empty()) {
    std::cout << "No evaluations yet.\n";
    return;
  }
  TextTable table({"task", "split", "shots", "trial", "template", "status", "samples", "metric", "value", "95% CI", "n",
                   "seconds"});
  for (const auto& e : run.evaluations) {
    std::vector<std::string> eval_cells = {e.spec.task,
                                           e.spec.split,
                                           std::to_string(e.spec.shots),
                                           std::to_string(e.spec.trial),
                                           e.spec.template_id,
                                           e.status,
                                           std::to_string(e.samples_done) + "/" + std::to_string(e.spec.sample_count)};
    const std::string seconds = e.wall_seconds ? format_number(*e.wall_seconds, 1) : "-";
    if (e.metrics.empty()) {
      eval_cells.insert(eval_cells.end(), {"-", "-", "-", "-", seconds});
      table.add_row(eval_cells);
    }
    for (std::size_t i = 0; i < e.metrics.size(); ++i) {
      const auto& m = e.metrics[i];
      std::vector<std::string> row = i == 0 ? eval_cells : std::vector<std::string>(eval_cells.size());
      row.insert(row.end(),
                 {m.name, format_number(m.value), format_interval(m), std::to_string(m.n), i == 0 ? seconds : ""});
      table.add_row(row);
    }
  }
  table.print(std::cout);
}

void show_run(const ShowOptions& opts) {
  auto store = store::ResultsStore::open(opts.db, store::ResultsStore::OpenMode::kExisting);
  const auto run = store.find_run(opts.run_id);
  if (!run)
    throw Error(opts.db, "no run with id " + std::to_string(opts.run_id) + " (list them with 'mmharness runs')");
  if (opts.json)
    print_json(std::cout, to_json(*run));
  else
    print_run(*run);
}

}  // namespace

void add_show_command(CLI::App& app) {
  auto opts = std::make_shared<ShowOptions>();
  auto* cmd = app.add_subcommand("show", "Show one run: provenance, evaluations and metrics with 95% intervals");
  cmd->add_option("run", opts->run_id, "Run id (see 'mmharness runs')")->required()->check(CLI::PositiveNumber);
  cmd->add_option("--db", opts->db, "Results database (SQLite)")->capture_default_str();
  cmd->add_flag("--json", opts->json, "Print one JSON object instead of text");
  cmd->callback([opts] { show_run(*opts); });
}

}  // namespace mmh::cli
