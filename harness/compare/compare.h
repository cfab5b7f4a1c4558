#pragma once
// Two runs side by side, evaluation by evaluation: the headline metric's
// difference (candidate - baseline) on the samples both runs scored, with a
// paired-bootstrap interval, and what makes a comparison meaningless
// (different template, data, split). The gate and the report both read this.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/store/results_store.h"
#include "tasks/metrics/paired.h"

namespace mmh::compare {

// The headline metric in "points", the unit papers report: CIDEr x 100, VQA
// accuracy as stored (0-100), GQA and MMMU accuracy (stored 0-1) x 100.
double points_scale(const std::string& task);

struct EvaluationKey {
  std::string task, split;
  int shots = 0, trial = 0;
  auto operator<=>(const EvaluationKey&) const = default;
};

struct Comparison {
  EvaluationKey key;
  std::string metric;  // the headline metric's name ("CIDEr", "accuracy")
  std::int64_t baseline_evaluation = 0, candidate_evaluation = 0;
  double baseline_value = 0, candidate_value = 0;  // each run's stored corpus value over all its samples, in points
  std::size_t baseline_samples = 0, candidate_samples = 0;
  metrics::PairedDifference difference;  // per-sample scores in points, over the shared samples (by sample key)
  std::vector<std::string> problems;     // why the comparison is not meaningful; empty when it is
};

// Every (task, split, shots, trial) present in both runs, in key order. The
// runs may live in different databases. A run id that does not exist is an
// mmh::Error naming the database.
// An evaluation left unpaired is paired once more by (task, shots, trial), so
// a task scored on another split is a comparison with a problem ("split
// differs"), keyed by the baseline's split, not two unmatched evaluations.
std::vector<Comparison> compare_runs(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                                     store::ResultsStore& candidate_db, std::int64_t candidate_run,
                                     const metrics::BootstrapOptions& options);

// Evaluations present in only one of the two runs.
std::vector<EvaluationKey> unmatched_evaluations(store::ResultsStore& baseline_db, std::int64_t baseline_run,
                                                 store::ResultsStore& candidate_db, std::int64_t candidate_run);

// One run's headline value per evaluation, in key order: what a floor is
// checked against, with or without a baseline.
struct Headline {
  EvaluationKey key;
  std::int64_t evaluation = 0;
  std::string metric;  // empty when the evaluation has no metrics (not scored)
  double value = 0;    // the stored corpus value, in points
  std::string status;  // the evaluation's status ("completed", ...)
  std::size_t samples = 0;
};
std::vector<Headline> headline_values(store::ResultsStore& db, std::int64_t run);

}  // namespace mmh::compare
