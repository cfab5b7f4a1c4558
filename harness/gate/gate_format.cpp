#include "harness/gate/gate_format.h"

#include <cmath>
#include <cstdio>

namespace mmh::gate {

std::string format_points(double points) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", points);
  return buf;
}

std::string format_difference(double points) {
  // Rounded first, so a -0.001 difference reads "0.00", not "-0.00".
  const double rounded = std::round(points * 100.0) / 100.0;
  if (rounded == 0.0) return "0.00";
  std::string out = rounded > 0 ? "+" : "";
  return out.append(format_points(rounded));
}

std::string format_interval(const metrics::Interval& interval) {
  std::string out = "[";
  return out.append(format_difference(interval.low)).append(", ").append(format_difference(interval.high)).append("]");
}

std::string format_level(double level) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g%%", std::round(level * 1e8) / 1e6);  // 0.95 -> 95, without 94.999999
  return buf;
}

}  // namespace mmh::gate
