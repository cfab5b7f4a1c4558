// BLEU-1..4 as pycocoevalcap's bleu_scorer.py (David Chiang's scorer) computes it with option='closest': clipped
// n-gram counts, the closest reference length (ties go to the shorter), and the tiny/small constants in place of
// smoothing. Spec section 2.
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>

#include "tasks/metrics/caption_scorers.h"

namespace mmh::metrics::caption {
namespace {

constexpr double kTiny = 1e-15;   // "so that if guess is 0 still return 0"
constexpr double kSmall = 1e-9;

struct BleuStats {
  std::int64_t testlen = 0;
  std::int64_t reflen = 0;
  std::int64_t guess[kMaxOrder] = {};
  std::int64_t correct[kMaxOrder] = {};
};

// _single_reflen(option='closest'): min((abs(l - testlen), l) for l in reflens)[1].
std::int64_t closest_reference_length(const CaptionSet& set, std::size_t image, std::int64_t testlen) {
  std::int64_t best = 0;
  std::int64_t best_distance = -1;
  for (std::size_t r = 1; r <= set.reference_count(image); ++r) {
    const auto length = static_cast<std::int64_t>(set.word_count(set.candidate(image) + r));
    const std::int64_t distance = std::llabs(length - testlen);
    if (best_distance < 0 || distance < best_distance || (distance == best_distance && length < best)) {
      best = length;
      best_distance = distance;
    }
  }
  return best;  // no references: 0 (the official code would raise on an empty min())
}

// cook_refs + cook_test: maxcounts over the references clip the candidate's n-gram counts.
std::vector<BleuStats> image_stats(const CaptionSet& set) {
  std::vector<BleuStats> stats(set.images());
  std::vector<std::uint32_t> max_count(set.ngram_vocabulary, 0);
  std::vector<Id> touched;
  for (std::size_t image = 0; image < set.images(); ++image) {
    const std::size_t cand = set.candidate(image);
    for (std::size_t c = cand + 1; c <= cand + set.reference_count(image); ++c) {
      for (std::size_t e = set.ngram_begin[kMaxOrder * c]; e < set.ngram_begin[kMaxOrder * (c + 1)]; ++e) {
        auto& slot = max_count[set.ngram_ids[e]];
        if (slot == 0) touched.push_back(set.ngram_ids[e]);
        slot = std::max(slot, set.ngram_counts[e]);
      }
    }
    BleuStats& s = stats[image];
    s.testlen = static_cast<std::int64_t>(set.word_count(cand));
    s.reflen = closest_reference_length(set, image, s.testlen);
    for (int k = 0; k < kMaxOrder; ++k) {
      s.guess[k] = std::max<std::int64_t>(0, s.testlen - k);
      for (std::size_t e = set.ngram_begin[kMaxOrder * cand + k]; e < set.ngram_begin[kMaxOrder * cand + k + 1]; ++e)
        s.correct[k] += std::min(set.ngram_counts[e], max_count[set.ngram_ids[e]]);
    }
    for (Id id : touched) max_count[id] = 0;
    touched.clear();
  }
  return stats;
}

// The shared tail of compute_score(): cumulative precision product, k-th root, brevity penalty below ratio 1.
double bleu_from_stats(const BleuStats& s, int order) {
  double bleu = 1.0;
  for (int k = 0; k < order; ++k)
    bleu *= (static_cast<double>(s.correct[k]) + kTiny) / (static_cast<double>(s.guess[k]) + kSmall);
  double score = std::pow(bleu, 1.0 / order);
  const double ratio = (static_cast<double>(s.testlen) + kTiny) / (static_cast<double>(s.reflen) + kSmall);
  if (ratio < 1) score *= std::exp(1 - 1 / ratio);
  return score;
}

}  // namespace

std::vector<MetricScore> bleu_scores(const CaptionSet& set) {
  auto stats = std::make_shared<const std::vector<BleuStats>>(image_stats(set));
  std::vector<MetricScore> scores;
  for (int order = 1; order <= kMaxOrder; ++order) {
    MetricScore score;
    score.name = "Bleu_" + std::to_string(order);
    score.per_sample.reserve(stats->size());
    for (const auto& s : *stats) score.per_sample.push_back(bleu_from_stats(s, order));
    // Corpus BLEU sums the statistics (integers, so any resample sums exactly) and applies the same formula.
    score.corpus_over = [stats, order](std::span<const std::size_t> indices) {
      BleuStats total;
      for (std::size_t i : indices) {
        const BleuStats& s = (*stats)[i];
        total.testlen += s.testlen;
        total.reflen += s.reflen;
        for (int k = 0; k < kMaxOrder; ++k) {
          total.guess[k] += s.guess[k];
          total.correct[k] += s.correct[k];
        }
      }
      return bleu_from_stats(total, order);
    };
    scores.push_back(std::move(score));
  }
  return scores;
}

}  // namespace mmh::metrics::caption
