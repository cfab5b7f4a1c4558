#pragma once
// Corpus metrics of an evaluation from its stored samples: the samples are
// read back in position order, scored with the task's official-parity metric
// (failed samples count as an empty output), bootstrapped, and the metrics and
// per-sample scores written in one transaction. A run, a resumed run and a
// merge of shards all score through here, so they agree to the last digit.
#include <cstdint>
#include <string>
#include <vector>

#include "harness/store/results_store.h"
#include "tasks/catalog.h"

namespace mmh::run {

struct ScoringOptions {
  int bootstrap = 1000;
  std::uint64_t seed = 0;
};

struct EvaluationScore {
  std::vector<store::Metric> metrics;  // headline first
  std::size_t samples = 0, failed = 0, cached = 0;
};

EvaluationScore score_evaluation(store::ResultsStore& store, std::int64_t evaluation_id, const tasks::TaskInfo& task,
                                 const ScoringOptions& options);

}  // namespace mmh::run
