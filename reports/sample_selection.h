#pragma once
// Which samples the per-sample browser shows. A page cannot hold three full
// VQAv2 runs (214k samples each), and most samples say nothing about the
// difference between runs: each (task, shots) group keeps the samples whose
// headline score differs most across the runs, within a total cap shared fairly
// between the groups.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace mmh::reports {

// How many rows each group may keep so that their sum is at most `cap`:
// equal shares, and what a small group does not use goes to the larger ones
// (water-filling). A group never gets more than its size.
std::vector<std::size_t> allocate_quota(std::span<const std::size_t> group_sizes, std::size_t cap);

// One sample's headline score in each run (nullopt: the run did not score it).
struct SampleScores {
  std::int64_t position = 0;  // order in the evaluation, the last tie-breaker
  std::vector<std::optional<double>> scores;
};

// max - min over the runs that scored the sample; 0 with fewer than two scores.
double score_spread(std::span<const std::optional<double>> scores);

// Indices of the `keep` samples to show, in display order: largest spread first,
// then the lowest mean score (with one run, or runs that agree, the failures
// are the interesting rows), then position.
std::vector<std::size_t> most_disagreeing(std::span<const SampleScores> samples, std::size_t keep);

}  // namespace mmh::reports
