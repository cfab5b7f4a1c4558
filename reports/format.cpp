#include "reports/format.h"

#include <cmath>
#include <cstdio>

namespace mmh::reports {

std::string format_points(double value, int decimals) {
  if (std::isnan(value)) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string out = buffer;
  return out == "-0.00" || out == "-0.0" || out == "-0" ? out.substr(1) : out;
}

std::string format_signed(double value, int decimals) {
  const std::string plain = format_points(value, decimals);
  if (plain == "-" || plain.front() == '-') return plain;
  return std::stod(plain) == 0 ? plain : std::string("+").append(plain);
}

std::string format_count(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out = value < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string format_interval(const std::optional<double>& low, const std::optional<double>& high) {
  if (!low || !high) return "";
  std::string out = "[";
  return out.append(format_points(*low)).append(", ").append(format_points(*high)).append("]");
}

std::string short_digest(const std::string& digest) {
  const auto colon = digest.find(':');
  const std::size_t keep = (colon == std::string::npos ? 0 : colon + 1) + 8;
  return digest.size() > keep ? digest.substr(0, keep) : digest;
}

std::string short_time(const std::string& iso) {
  if (iso.size() < 16 || iso[10] != 'T') return iso;
  std::string out = iso.substr(0, 16);
  out[10] = ' ';
  return out;
}

}  // namespace mmh::reports
