#include "tasks/metrics/paired.h"

#include <vector>

namespace mmh::metrics {
namespace {
std::vector<std::size_t> all_indices(std::size_t n) {
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  return all;
}
}  // namespace

PairedDifference paired_difference(std::span<const double> baseline, std::span<const double> candidate,
                                   const BootstrapOptions& options) {
  require_aligned("paired difference", baseline.size(), candidate.size());
  PairedDifference out;
  out.n = baseline.size();
  if (out.n == 0) return out;
  std::vector<double> differences(out.n);
  for (std::size_t i = 0; i < out.n; ++i) {
    out.baseline += baseline[i];
    out.candidate += candidate[i];
    differences[i] = candidate[i] - baseline[i];
  }
  out.baseline /= static_cast<double>(out.n);
  out.candidate /= static_cast<double>(out.n);
  MetricScore score;
  score.name = "difference";
  score.per_sample = differences;  // the bootstrap's n
  set_mean_corpus(score, std::move(differences));
  out.difference = score.mean->over(all_indices(out.n));  // the mean of the differences, as the bootstrap sees it
  out.interval = bootstrap_interval(score, options);
  return out;
}

}  // namespace mmh::metrics
