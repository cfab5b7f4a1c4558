// ROUGE-L as pycocoevalcap's rouge.py computes it: LCS on split(" ") tokens, precision and recall maximised over the
// references independently, F-measure with beta = 1.2; corpus = mean of the per-image scores. Spec section 4.
#include <algorithm>

#include "tasks/metrics/caption_scorers.h"

namespace mmh::metrics::caption {
namespace {

constexpr double kBeta = 1.2;

// my_lcs(): the classic dynamic programme, one rolling row.
std::size_t lcs_length(std::span<const Id> a, std::span<const Id> b, std::vector<std::size_t>& row) {
  if (a.size() < b.size()) std::swap(a, b);
  row.assign(b.size() + 1, 0);
  for (Id x : a) {
    std::size_t diagonal = 0;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = x == b[j - 1] ? diagonal + 1 : std::max(above, row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.size()];
}

double image_rouge_l(const CaptionSet& set, std::size_t image, std::vector<std::size_t>& row) {
  const std::size_t cand = set.candidate(image);
  const auto candidate = set.rouge_of(cand);
  double best_precision = 0, best_recall = 0;
  for (std::size_t c = cand + 1; c <= cand + set.reference_count(image); ++c) {
    const auto reference = set.rouge_of(c);
    const auto lcs = static_cast<double>(lcs_length(candidate, reference, row));
    best_precision = std::max(best_precision, lcs / static_cast<double>(candidate.size()));
    best_recall = std::max(best_recall, lcs / static_cast<double>(reference.size()));
  }
  if (best_precision == 0 || best_recall == 0) return 0.0;
  const double beta2 = kBeta * kBeta;  // self.beta**2
  return ((1 + beta2) * best_precision * best_recall) / (best_recall + beta2 * best_precision);
}

}  // namespace

MetricScore rouge_l_score(const CaptionSet& set) {
  MetricScore score;
  score.name = "ROUGE_L";
  std::vector<std::size_t> row;
  score.per_sample.reserve(set.images());
  for (std::size_t image = 0; image < set.images(); ++image) score.per_sample.push_back(image_rouge_l(set, image, row));
  set_mean_corpus(score, score.per_sample);
  return score;
}

}  // namespace mmh::metrics::caption
