#pragma once
// The small pieces the inline SVG charts share: linear scales, round axis
// ticks, and one colour per run (Okabe-Ito, readable with colour blindness).
#include <cstddef>
#include <string>
#include <vector>

namespace mmh::reports {

struct LinearScale {
  double domain_low = 0, domain_high = 1, range_low = 0, range_high = 1;
  double operator()(double value) const;
};

// About `count` round tick values (1, 2 or 5 x 10^k steps) covering [low, high];
// the first is <= low and the last >= high.
std::vector<double> nice_ticks(double low, double high, int count = 5);

// Tick label: as few decimals as the step needs.
std::string tick_label(double value, double step);

const char* run_color(std::size_t run_index);

// A coordinate for an SVG attribute: one decimal, no exponent.
std::string px(double value);

}  // namespace mmh::reports
