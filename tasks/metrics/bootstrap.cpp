#include "tasks/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <thread>

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
  const auto replicates = static_cast<std::size_t>(options.replicates);
  std::vector<double> values(replicates);
  // Replicate r draws from its own stream, seeded from (seed, r): the result
  // does not depend on how replicates are spread over threads.
  auto run_stripe = [&](std::size_t first, std::size_t stride) {
    std::vector<std::size_t> indices(n);
    for (std::size_t r = first; r < replicates; r += stride) {
      SplitMix64 rng(SplitMix64(options.seed ^ (0xD1B54A32D192ED03ull * (r + 1))).next());
      for (auto& i : indices) i = rng.below(n);
      values[r] = score.corpus_over(indices);
    }
  };
  // Threads only pay off on large sets; small ones stay on the calling thread.
  const std::size_t threads = n * replicates < 2'000'000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run_stripe, t, threads);
  run_stripe(0, threads);
  for (auto& thread : pool) thread.join();
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - options.level) / 2.0;
  return {quantile(values, tail), quantile(values, 1.0 - tail)};
}

}  // namespace mmh::metrics
