#include "tasks/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>

namespace mmh::metrics {

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::size_t SplitMix64::below(std::size_t n) {
  return static_cast<std::size_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
}

namespace {

// numpy.percentile's default ("linear") on sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Interval bootstrap_interval(const MetricScore& score, const BootstrapOptions& options) {
  const std::size_t n = score.per_sample.size();
  if (n == 0 || options.replicates <= 0 || !score.corpus_over) return {};
  SplitMix64 rng(options.seed);
  std::vector<std::size_t> indices(n);
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(options.replicates));
  for (int r = 0; r < options.replicates; ++r) {
    for (auto& i : indices) i = rng.below(n);
    values.push_back(score.corpus_over(indices));
  }
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.level) / 2.0;
  return {quantile(values, tail), quantile(values, 1.0 - tail)};
}

}  // namespace mmh::metrics
