#include "reports/sample_selection.h"

#include <algorithm>
#include <numeric>

namespace mmh::reports {

std::vector<std::size_t> allocate_quota(std::span<const std::size_t> group_sizes, std::size_t cap) {
  std::vector<std::size_t> quota(group_sizes.size(), 0);
  std::vector<std::size_t> open(group_sizes.size());  // groups that could take more
  std::iota(open.begin(), open.end(), std::size_t{0});
  std::size_t left = cap;
  while (left > 0 && !open.empty()) {
    const std::size_t share = std::max<std::size_t>(1, left / open.size());
    std::vector<std::size_t> still_open;
    for (std::size_t g : open) {
      if (left == 0) break;
      const std::size_t take = std::min({share, group_sizes[g] - quota[g], left});
      quota[g] += take;
      left -= take;
      if (quota[g] < group_sizes[g]) still_open.push_back(g);
    }
    open = std::move(still_open);
  }
  return quota;
}

double score_spread(std::span<const std::optional<double>> scores) {
  std::optional<double> low, high;
  for (const auto& s : scores) {
    if (!s) continue;
    low = low ? std::min(*low, *s) : *s;
    high = high ? std::max(*high, *s) : *s;
  }
  return low && high ? *high - *low : 0.0;
}

std::vector<std::size_t> most_disagreeing(std::span<const SampleScores> samples, std::size_t keep) {
  struct Rank {
    double spread, mean;
    std::int64_t position;
    std::size_t index;
  };
  std::vector<Rank> ranks;
  ranks.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    double sum = 0;
    int count = 0;
    for (const auto& s : samples[i].scores)
      if (s) sum += *s, ++count;
    ranks.push_back({score_spread(samples[i].scores), count ? sum / count : 0.0, samples[i].position, i});
  }
  const auto before = [](const Rank& a, const Rank& b) {
    if (a.spread != b.spread) return a.spread > b.spread;
    if (a.mean != b.mean) return a.mean < b.mean;
    if (a.position != b.position) return a.position < b.position;
    return a.index < b.index;
  };
  keep = std::min(keep, ranks.size());
  std::partial_sort(ranks.begin(), ranks.begin() + static_cast<std::ptrdiff_t>(keep), ranks.end(), before);
  std::vector<std::size_t> out;
  out.reserve(keep);
  for (std::size_t i = 0; i < keep; ++i) out.push_back(ranks[i].index);
  return out;
}

}  // namespace mmh::reports
