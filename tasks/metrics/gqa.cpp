#include "tasks/metrics/gqa.h"

#include <map>

#include "common/error.h"
#include "tasks/metrics/mmmu_parse.h"

namespace mmh::metrics {

namespace {

// LLaVA's convert_gqa_for_eval.py: text.rstrip('.').lower() before the official eval.py.
std::string lower_without_trailing_periods(std::string_view text) {
  while (!text.empty() && text.back() == '.') text.remove_suffix(1);
  return python_lower(text);
}

struct Tally {
  std::size_t correct = 0, count = 0;
  void add(bool hit) { correct += hit ? 1 : 0, count += 1; }
  // eval.py avg(): float(sum(l)) / len(l), 0 for an empty list.
  double mean() const { return count == 0 ? 0.0 : static_cast<double>(correct) / static_cast<double>(count); }
};

}  // namespace

MetricResult gqa_accuracy(std::span<const GqaSample> samples, std::span<const std::string> predictions,
                          GqaMatch match) {
  require_aligned("gqa_accuracy", samples.size(), predictions.size());
  Tally all, open, binary;
  std::map<std::string, Tally> groups;  // "structural/<t>", "semantic/<t>"
  std::vector<double> per_sample;
  per_sample.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const auto& sample = samples[i];
    const std::string prediction =
        match == GqaMatch::kExact ? predictions[i] : lower_without_trailing_periods(predictions[i]);
    const bool correct = prediction == sample.answer;  // eval.py: no normalization at all
    per_sample.push_back(correct ? 1.0 : 0.0);
    all.add(correct);
    (sample.structural == "query" ? open : binary).add(correct);
    groups["structural/" + sample.structural].add(correct);
    groups["semantic/" + sample.semantic].add(correct);
  }

  MetricResult result;
  MetricScore accuracy;
  accuracy.name = "accuracy";
  accuracy.corpus = all.mean();
  accuracy.per_sample = per_sample;
  set_mean_corpus(accuracy, std::move(per_sample));  // a sum of 0/1 is exact, so this equals avg()
  result.scores.push_back(std::move(accuracy));
  result.breakdown["open"] = open.mean();  // eval.py prints both splits, 0 when one is empty
  result.breakdown["binary"] = binary.mean();
  for (const auto& [key, tally] : groups) result.breakdown[key] = tally.mean();
  return result;
}

}  // namespace mmh::metrics
