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

CorpusFn mean_over(std::vector<double> values, double scale, Rounding round) {
  auto shared = std::make_shared<const std::vector<double>>(std::move(values));
  return [shared, scale, round = std::move(round)](std::span<const std::size_t> indices) {
    if (indices.empty()) return 0.0;
    double sum = 0;
    for (std::size_t i : indices) sum += (*shared)[i];
    const double value = scale * sum / static_cast<double>(indices.size());
    return round ? round(value) : value;
  };
}

void require_aligned(const char* metric, std::size_t samples, std::size_t predictions) {
  if (samples != predictions)
    throw Error(std::string(metric) + ": " + std::to_string(predictions) + " predictions for " +
                std::to_string(samples) + " samples");
}

}  // namespace mmh::metrics
