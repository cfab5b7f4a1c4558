#pragma once
// How the gate writes its numbers, the same on the terminal, in JUnit and in
// Markdown: points with two decimals, differences signed, the interval level
// as a percentage.
#include <string>

#include "tasks/metrics/bootstrap.h"

namespace mmh::gate {

std::string format_points(double points);                        // "112.30"
std::string format_difference(double points);                    // "+1.20", "-5.00", "0.00"
std::string format_interval(const metrics::Interval& interval);  // "[-5.40, -4.60]"
std::string format_level(double level);                          // 0.95 -> "95%", 0.9 -> "90%", 0.999 -> "99.9%"

}  // namespace mmh::gate
