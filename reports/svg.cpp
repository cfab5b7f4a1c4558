#include "reports/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace mmh::reports {

double LinearScale::operator()(double value) const {
  const double span = domain_high - domain_low;
  const double t = span == 0 ? 0.5 : (value - domain_low) / span;
  return range_low + t * (range_high - range_low);
}

namespace {
// The 1-2-5 step nearest to span / count (d3's thresholds: the geometric means 1.41, 3.16, 7.07).
double nice_step(double span, int count) {
  const double raw = span / std::max(1, count);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double ratio = raw / magnitude;
  const double m = ratio >= 7.07 ? 10 : ratio >= 3.16 ? 5 : ratio >= 1.41 ? 2 : 1;
  return m * magnitude;
}
}  // namespace

std::vector<double> nice_ticks(double low, double high, int count) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0, 1};
  if (high < low) std::swap(low, high);
  if (high - low < 1e-9) high = low + 1;  // a flat series still gets an axis
  const double step = nice_step(high - low, count);
  std::vector<double> ticks;
  const double first = std::floor(low / step + 1e-9) * step;
  for (double t = first; t < high + step * 0.999; t += step) ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
  if (ticks.size() < 2) ticks.push_back(first + step);
  return ticks;
}

std::string tick_label(double value, double step) {
  const int decimals = step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

const char* run_color(std::size_t run_index) {
  static constexpr const char* kPalette[] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                             "#CC79A7", "#56B4E9", "#000000", "#999933"};
  return kPalette[run_index % (sizeof kPalette / sizeof kPalette[0])];
}

std::string px(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f", std::isfinite(value) ? value : 0.0);
  return buffer;
}

}  // namespace mmh::reports
