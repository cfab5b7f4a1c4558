#include "tasks/metrics/metric.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "common/error.h"

namespace mmh::metrics {

const MetricScore* MetricResult::find(std::string_view name) const {
  for (const auto& s : scores)
    if (s.name == name) return &s;
  return nullptr;
}

double python_round(double x, int digits) {
  // glibc's printf rounds the exact binary value correctly (ties to even), as CPython's round() does.
  char buf[512];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return std::strtod(buf, nullptr);
}

double MeanCorpus::over(std::span<const std::size_t> indices) const {
  if (indices.empty()) return 0.0;
  double sum = 0;
  for (std::size_t i : indices) sum += values[i];
  const double value = scale * sum / static_cast<double>(indices.size());
  return round ? round(value) : value;
}

namespace {

CorpusFn corpus_fn(std::shared_ptr<const MeanCorpus> mean) {
  return [mean = std::move(mean)](std::span<const std::size_t> indices) { return mean->over(indices); };
}

}  // namespace

CorpusFn mean_over(std::vector<double> values, double scale, Rounding round) {
  return corpus_fn(std::make_shared<const MeanCorpus>(MeanCorpus{std::move(values), scale, std::move(round)}));
}

void set_mean_corpus(MetricScore& score, std::vector<double> values, double scale, Rounding round) {
  score.mean = std::make_shared<const MeanCorpus>(MeanCorpus{std::move(values), scale, std::move(round)});
  score.corpus_over = corpus_fn(score.mean);
}

void require_aligned(const char* metric, std::size_t samples, std::size_t predictions) {
  if (samples != predictions)
    throw Error(std::string(metric) + ": " + std::to_string(predictions) + " predictions for " +
                std::to_string(samples) + " samples");
}

}  // namespace mmh::metrics
