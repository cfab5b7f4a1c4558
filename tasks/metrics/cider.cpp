// CIDEr-D as pycocoevalcap's cider_scorer.py computes it (n = 4, sigma = 6): tf-idf vectors with document
// frequencies over the evaluated images' references, clipped similarity, a Gaussian length penalty on bigram counts,
// x10; corpus = mean of the per-image scores. Sums run in the official dict order; what remains is 1-2 ulp per image
// (numpy's log/reduction vs glibc). Spec section 5.
#include <array>
#include <cmath>

#include "tasks/metrics/caption_scorers.h"

namespace mmh::metrics::caption {
namespace {

constexpr double kSigma = 6.0;
constexpr double kE = 2.718281828459045;  // np.e: the penalty is np.e ** x, which is pow(), not exp()

using PerOrder = std::array<double, kMaxOrder>;

// counts2vec(): the tf-idf value of each n-gram entry of a caption, its per-order norms, and its "length".
struct CaptionVector {
  PerOrder norm{};
  std::int64_t length = 0;  // sum of bigram counts: max(0, words - 1)
};

class CiderScorer {
 public:
  explicit CiderScorer(const CaptionSet& set)
      : set_(set), slot_(set.ngram_vocabulary, kNone) {
    compute_document_frequency();
  }

  double image_score(std::size_t image) {
    const std::size_t cand = set_.candidate(image);
    const std::size_t references = set_.reference_count(image);
    if (references == 0) return 0.0;  // the official code divides by len(refs) and would produce nan
    const CaptionVector hyp = vectorize(cand, hyp_value_);
    PerOrder score{};
    for (std::size_t c = cand + 1; c <= cand + references; ++c) {
      const CaptionVector ref = vectorize(c, ref_value_);
      const PerOrder val = similarity(cand, hyp, c, ref);
      for (int k = 0; k < kMaxOrder; ++k) score[k] += val[k];
    }
    double mean = 0;  // np.mean over 4 values: a plain left-to-right sum below numpy's pairwise block size
    for (double v : score) mean += v;
    mean /= kMaxOrder;
    mean /= static_cast<double>(references);
    return mean * 10.0;
  }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};

  // compute_doc_freq(): each image counts once for every n-gram in the union of its references.
  void compute_document_frequency() {
    std::vector<std::uint32_t> document_frequency(set_.ngram_vocabulary, 0);
    std::vector<std::uint32_t> last_image(set_.ngram_vocabulary, 0);
    for (std::size_t image = 0; image < set_.images(); ++image) {
      const std::size_t first = set_.candidate(image) + 1, last = first + set_.reference_count(image);
      for (std::size_t e = set_.ngram_begin[kMaxOrder * first]; e < set_.ngram_begin[kMaxOrder * last]; ++e) {
        const Id id = set_.ngram_ids[e];
        if (last_image[id] == image + 1) continue;
        last_image[id] = static_cast<std::uint32_t>(image + 1);
        ++document_frequency[id];
      }
    }
    // ref_len - log(max(1.0, df)), with the logs tabulated per df value (df <= images).
    const double ref_len = std::log(static_cast<double>(set_.images()));
    std::vector<double> weight_of_df(set_.images() + 1);
    for (std::size_t df = 0; df < weight_of_df.size(); ++df)
      weight_of_df[df] = ref_len - std::log(std::max(1.0, static_cast<double>(df)));
    weight_.resize(set_.ngram_vocabulary);
    for (std::size_t id = 0; id < weight_.size(); ++id) weight_[id] = weight_of_df[document_frequency[id]];
  }

  // Fills value[e - first entry of c] for each n-gram entry of caption c.
  CaptionVector vectorize(std::size_t c, std::vector<double>& value) {
    CaptionVector v;
    const std::size_t base = set_.ngram_begin[kMaxOrder * c];
    value.resize(set_.ngram_begin[kMaxOrder * (c + 1)] - base);
    for (int k = 0; k < kMaxOrder; ++k) {
      for (std::size_t e = set_.ngram_begin[kMaxOrder * c + k]; e < set_.ngram_begin[kMaxOrder * c + k + 1]; ++e) {
        const double tf = set_.ngram_counts[e];
        const double x = tf * weight_[set_.ngram_ids[e]];
        value[e - base] = x;
        v.norm[k] += x * x;
        if (k == 1) v.length += set_.ngram_counts[e];
      }
      v.norm[k] = std::sqrt(v.norm[k]);
    }
    return v;
  }

  // sim(): sum over the hypothesis n-grams of min(v_hyp, v_ref) * v_ref (n-grams absent from the reference add 0).
  PerOrder similarity(std::size_t hyp_caption, const CaptionVector& hyp, std::size_t ref_caption,
                      const CaptionVector& ref) {
    const std::size_t ref_first = set_.ngram_begin[kMaxOrder * ref_caption];
    const std::size_t ref_last = set_.ngram_begin[kMaxOrder * (ref_caption + 1)];
    for (std::size_t e = ref_first; e < ref_last; ++e) slot_[set_.ngram_ids[e]] = static_cast<std::uint32_t>(e - ref_first);
    const std::size_t hyp_base = set_.ngram_begin[kMaxOrder * hyp_caption];
    const double delta = static_cast<double>(hyp.length - ref.length);
    const double penalty = std::pow(kE, -(delta * delta) / (2 * kSigma * kSigma));
    PerOrder val{};
    for (int k = 0; k < kMaxOrder; ++k) {
      const std::size_t first = set_.ngram_begin[kMaxOrder * hyp_caption + k];
      const std::size_t last = set_.ngram_begin[kMaxOrder * hyp_caption + k + 1];
      for (std::size_t e = first; e < last; ++e) {
        const std::uint32_t r = slot_[set_.ngram_ids[e]];
        if (r == kNone) continue;
        val[k] += std::min(hyp_value_[e - hyp_base], ref_value_[r]) * ref_value_[r];
      }
      if (hyp.norm[k] != 0 && ref.norm[k] != 0) val[k] /= hyp.norm[k] * ref.norm[k];
      val[k] *= penalty;
    }
    for (std::size_t e = ref_first; e < ref_last; ++e) slot_[set_.ngram_ids[e]] = kNone;
    return val;
  }

  const CaptionSet& set_;
  std::vector<double> weight_;  // per n-gram id
  std::vector<double> hyp_value_, ref_value_;  // per n-gram entry of the candidate / the current reference
  std::vector<std::uint32_t> slot_;               // n-gram id -> its entry in the current reference, or kNone
};

}  // namespace

MetricScore cider_d_score(const CaptionSet& set) {
  MetricScore score;
  score.name = "CIDEr";
  score.per_sample.reserve(set.images());
  if (set.images() > 0) {
    CiderScorer scorer(set);
    for (std::size_t image = 0; image < set.images(); ++image) score.per_sample.push_back(scorer.image_score(image));
  }
  set_mean_corpus(score, score.per_sample);
  return score;
}

}  // namespace mmh::metrics::caption
