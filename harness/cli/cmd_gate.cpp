// mmharness gate: a candidate run against a baseline run, for CI. Exit 0 when
// every comparison passes, 1 when one fails (regression, below floor, not
// comparable), 2 for bad arguments or input.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <optional>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/text_table.h"
#include "common/atomic_file.h"
#include "harness/gate/gate_output.h"

namespace mmh::cli {
namespace {

struct GateCommandOptions {
  std::string db = kDefaultDatabase;
  std::string baseline_db;  // empty: --db
  std::int64_t baseline = 0, candidate = 0;
  std::vector<std::string> floors;
  std::string junit, markdown;
  gate::GateOptions gate;
};

void print_report(const gate::GateReport& report) {
  TextTable table(gate::table_header(report.options));
  for (const auto& row : report.rows) table.add_row(gate::table_cells(row));
  table.print(std::cout);
  bool first = true;
  for (const auto& row : report.rows) {
    if (!gate::is_failure(row.verdict)) continue;
    std::cout << (first ? "\n" : "");
    first = false;
    for (const auto& reason : row.reasons)
      std::cout << row.name << ": " << gate::to_string(row.verdict) << ": " << reason << "\n";
  }
  for (const auto& note : report.notes) std::cout << "\nnote: " << note << "\n";
  std::cout << "\n" << gate::summary_line(report) << "\n";
}

void run_gate(GateCommandOptions& o) {
  // Arguments are checked before any database is opened.
  for (const auto& text : o.floors) o.gate.floors.push_back(gate::parse_metric_floor(text));
  gate::check_options(o.gate);
  const auto started = std::chrono::steady_clock::now();

  auto candidate_db = store::ResultsStore::open(o.db, store::ResultsStore::OpenMode::kExisting);
  std::optional<store::ResultsStore> separate_baseline;
  if (!o.baseline_db.empty())
    separate_baseline = store::ResultsStore::open(o.baseline_db, store::ResultsStore::OpenMode::kExisting);
  auto& baseline_db = separate_baseline ? *separate_baseline : candidate_db;

  const auto input = gate::load_gate_input(baseline_db, o.baseline, candidate_db, o.candidate, o.gate);
  const auto report = gate::evaluate_gate(input, o.gate);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  print_report(report);
  if (!o.junit.empty()) write_file_atomically(o.junit, gate::junit_xml(report, seconds));
  if (!o.markdown.empty()) write_file_atomically(o.markdown, gate::markdown_summary(report));
  if (report.failed()) set_exit_code(kExitCheckFailed);
}

}  // namespace

void add_gate_command(CLI::App& app) {
  auto o = std::make_shared<GateCommandOptions>();
  auto* cmd = app.add_subcommand(
      "gate", "Compare a candidate run with a baseline run for CI: exit 1 on a significant regression");
  cmd->add_option("--db", o->db, "Results database holding the candidate run (and the baseline's by default)")
      ->capture_default_str();
  cmd->add_option("--baseline-db", o->baseline_db, "Results database holding the baseline run (default: --db)");
  cmd->add_option("--baseline", o->baseline, "Baseline run id")->required();
  cmd->add_option("--candidate", o->candidate, "Candidate run id")->required();
  cmd->add_option("--max-drop", o->gate.max_drop,
                  "Largest drop in points tolerated even when significant (CIDEr x100, accuracy in %)")
      ->capture_default_str();
  cmd->add_option("--metric-floor", o->floors,
                  "TASK=POINTS or TASK:SHOTS=POINTS: the candidate's headline value must reach it (repeatable)");
  cmd->add_option("--alpha", o->gate.alpha, "Significance level: intervals are at 1 - alpha")->capture_default_str();
  cmd->add_option("--bootstrap", o->gate.bootstrap, "Paired-bootstrap replicates")->capture_default_str();
  cmd->add_option("--seed", o->gate.seed, "Bootstrap seed")->capture_default_str();
  cmd->add_option("--junit", o->junit, "Also write the verdicts as JUnit XML to FILE");
  cmd->add_option("--markdown", o->markdown, "Also write a Markdown summary (PR comment, job summary) to FILE");
  cmd->callback([o] { run_gate(*o); });
}

}  // namespace mmh::cli
