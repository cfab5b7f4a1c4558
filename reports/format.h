#pragma once
// How numbers and store values read on the page.
#include <cstdint>
#include <optional>
#include <string>

namespace mmh::reports {

std::string format_points(double value, int decimals = 2);  // "45.12"; "-" for NaN
std::string format_signed(double value, int decimals = 2);  // "+1.23", "-0.40", "0.00"
std::string format_count(std::int64_t value);               // "214,354"
// "[44.80, 45.51]", or "" without both ends.
std::string format_interval(const std::optional<double>& low, const std::optional<double>& high);
// "xxh64:0123456789abcdef..." -> "xxh64:01234567" (enough to tell checkpoints apart at a glance).
std::string short_digest(const std::string& digest);
// "2026-11-24T10:00:00.000Z" -> "2026-11-24 10:00".
std::string short_time(const std::string& iso);

}  // namespace mmh::reports
