#pragma once
// The one interface every metric shares, pycocoevalcap-style: samples and
// predictions in, the official corpus value and one value per sample out.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::metrics {

// Recomputes a corpus value over a resample of sample indices (indices may
// repeat). Over 0..n-1 it returns the official corpus value exactly.
using CorpusFn = std::function<double(std::span<const std::size_t> indices)>;

// How an official script rounds a value it stores (e.g. Python 3's round(x, 2)); empty: not rounded.
using Rounding = std::function<double(double)>;

// A corpus value that is round(scale * mean(values)), the mean summed left to right.
struct MeanCorpus {
  std::vector<double> values;
  double scale = 1.0;
  Rounding round;
  double over(std::span<const std::size_t> indices) const;
};

struct MetricScore {
  std::string name;                // as the official output names it: "Bleu_4", "ROUGE_L", "CIDEr", "accuracy"
  double corpus = 0;               // the official corpus value, on the official scale
  std::vector<double> per_sample;  // one per input sample, in input order, on the official scale
  CorpusFn corpus_over;            // for the bootstrap (see bootstrap.h)
  // Set (by set_mean_corpus) when corpus_over is a mean of per-sample terms: the bootstrap then
  // draws how often each distinct term occurs in a resample instead of drawing n indices.
  std::shared_ptr<const MeanCorpus> mean;
};

struct MetricResult {
  std::vector<MetricScore> scores;  // the headline metric first, then the rest in official order
  // Sub-group values as the official output reports them, keyed "group/value":
  // "perAnswerType/yes/no", "perQuestionType/how many", "subject/Art_Theory", "structural/query".
  std::map<std::string, double> breakdown;
  nlohmann::json notes = nlohmann::json::object();  // e.g. {"random_fallbacks": 3}

  const MetricScore* find(std::string_view name) const;  // nullptr when absent
};

// A CorpusFn for metrics whose corpus value is round(scale * mean(values)),
// the mean summed left to right over the resample as the official scripts sum.
CorpusFn mean_over(std::vector<double> values, double scale = 1.0, Rounding round = {});
// Sets score.corpus_over to mean_over(values, scale, round) and score.mean to match.
void set_mean_corpus(MetricScore& score, std::vector<double> values, double scale = 1.0, Rounding round = {});

// Guard for metric entry points: one prediction per sample.
void require_aligned(const char* metric, std::size_t samples, std::size_t predictions);

// Python 3's round(x, digits): the correctly rounded decimal, ties to even on
// the exact binary value (what the official scripts' round() prints).
double python_round(double x, int digits);

}  // namespace mmh::metrics
