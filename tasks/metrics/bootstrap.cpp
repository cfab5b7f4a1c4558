#include "tasks/metrics/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
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

double SplitMix64::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::uint64_t binomial(SplitMix64& rng, std::uint64_t trials, double p) {
  if (trials == 0 || p <= 0.0) return 0;
  if (p >= 1.0) return trials;
  const double n = static_cast<double>(trials), q = 1.0 - p;
  const auto mode = std::min(trials, static_cast<std::uint64_t>(std::floor((n + 1.0) * p)));
  const double m = static_cast<double>(mode);
  const double at_mode =
      std::exp(std::lgamma(n + 1.0) - std::lgamma(m + 1.0) - std::lgamma(n - m + 1.0) + m * std::log(p) +
               (n - m) * std::log(q));
  // Inversion over the order mode, mode-1, mode+1, mode-2, ...: each k takes a slice of [0, 1) of width P(k).
  double u = rng.uniform() - at_mode;
  if (u < 0) return mode;
  std::uint64_t low = mode, high = mode;
  double p_low = at_mode, p_high = at_mode;
  const double down = q / p, up = p / q;
  while (low > 0 || high < trials) {
    if (low > 0) {
      p_low *= static_cast<double>(low) / static_cast<double>(trials - low + 1) * down;
      --low;
      if ((u -= p_low) < 0) return low;
    }
    if (high < trials) {
      p_high *= static_cast<double>(trials - high) / static_cast<double>(high + 1) * up;
      ++high;
      if ((u -= p_high) < 0) return high;
    }
  }
  return mode;  // u landed in the rounding left over after all of [0, trials]
}

namespace {

// numpy.percentile's default ("linear") on sorted values.
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

Interval percentile_interval(std::vector<double>& values, double level) {
  std::sort(values.begin(), values.end());
  const double tail = (1.0 - level) / 2.0;
  return {quantile(values, tail), quantile(values, 1.0 - tail)};
}

SplitMix64 replicate_stream(std::uint64_t seed, std::size_t r) {
  return SplitMix64(SplitMix64(seed ^ (0xD1B54A32D192ED03ull * (r + 1))).next());
}

// The distinct values of a mean's terms with how often each occurs, when there are few.
struct Levels {
  std::vector<double> values;
  std::vector<std::uint64_t> counts;
};

bool few_levels(const std::vector<double>& terms, Levels& out) {
  std::map<double, std::uint64_t> levels;
  for (double t : terms) {
    if (++levels[t] == 1 && levels.size() > kMaxMeanLevels) return false;
  }
  for (const auto& [value, count] : levels) {
    out.values.push_back(value);
    out.counts.push_back(count);
  }
  return true;
}

// One resample of a mean as a multinomial over its levels: n draws, level c with probability counts[c] / n.
double mean_replicate(const MeanCorpus& mean, const Levels& levels, SplitMix64& rng) {
  const std::uint64_t n = mean.values.size();
  std::uint64_t draws_left = n, terms_left = n;
  double sum = 0;
  for (std::size_t c = 0; c < levels.values.size(); ++c) {
    const std::uint64_t drawn =
        c + 1 == levels.values.size()
            ? draws_left
            : binomial(rng, draws_left, static_cast<double>(levels.counts[c]) / static_cast<double>(terms_left));
    sum += static_cast<double>(drawn) * levels.values[c];
    draws_left -= drawn;
    terms_left -= levels.counts[c];
  }
  const double value = mean.scale * sum / static_cast<double>(n);
  return mean.round ? mean.round(value) : value;
}

}  // namespace

std::vector<Interval> bootstrap_intervals(std::span<const MetricScore> scores, const BootstrapOptions& options) {
  std::vector<Interval> intervals(scores.size());
  if (options.replicates <= 0) return intervals;
  const auto replicates = static_cast<std::size_t>(options.replicates);
  std::vector<std::vector<double>> values(scores.size());
  std::vector<std::size_t> by_index;  // scores resampled through n indices, which they share
  std::size_t n = 0;
  for (std::size_t s = 0; s < scores.size(); ++s) {
    const MetricScore& score = scores[s];
    const std::size_t size = score.per_sample.size();
    if (size == 0 || !score.corpus_over) continue;
    values[s].resize(replicates);
    Levels levels;
    if (score.mean && score.mean->values.size() == size && few_levels(score.mean->values, levels)) {
      for (std::size_t r = 0; r < replicates; ++r) {
        SplitMix64 rng = replicate_stream(options.seed, r);
        values[s][r] = mean_replicate(*score.mean, levels, rng);
      }
      intervals[s] = percentile_interval(values[s], options.level);
      continue;
    }
    if (n != 0 && size != n) throw std::invalid_argument("bootstrap_intervals: scores over different sample sets");
    n = size;
    by_index.push_back(s);
  }
  if (by_index.empty()) return intervals;
  // Replicate r draws from its own stream, seeded from (seed, r): the result
  // does not depend on how replicates are spread over threads.
  auto run_stripe = [&](std::size_t first, std::size_t stride) {
    std::vector<std::size_t> indices(n);
    for (std::size_t r = first; r < replicates; r += stride) {
      SplitMix64 rng = replicate_stream(options.seed, r);
      for (auto& i : indices) i = rng.below(n);
      for (std::size_t s : by_index) values[s][r] = scores[s].corpus_over(indices);
    }
  };
  // Threads only pay off on large sets; small ones stay on the calling thread.
  const std::size_t work = n * replicates * by_index.size();
  const std::size_t threads = work < 2'000'000 ? 1 : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run_stripe, t, threads);
  run_stripe(0, threads);
  for (auto& thread : pool) thread.join();
  for (std::size_t s : by_index) intervals[s] = percentile_interval(values[s], options.level);
  return intervals;
}

Interval bootstrap_interval(const MetricScore& score, const BootstrapOptions& options) {
  return bootstrap_intervals(std::span<const MetricScore>(&score, 1), options).front();
}

}  // namespace mmh::metrics
