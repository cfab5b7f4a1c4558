#include "tasks/metrics/metric.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

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

CorpusFn mean_over(std::vector<double> values, double scale, int digits) {
  auto shared = std::make_shared<const std::vector<double>>(std::move(values));
  return [shared, scale, digits](std::span<const std::size_t> indices) {
    if (indices.empty()) return 0.0;
    double sum = 0;
    for (std::size_t i : indices) sum += (*shared)[i];
    const double value = scale * sum / static_cast<double>(indices.size());
    return digits >= 0 ? python_round(value, digits) : value;
  };
}

}  // namespace mmh::metrics
