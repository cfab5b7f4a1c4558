#include "harness/run/progress.h"

#include <unistd.h>

#include <cmath>

namespace mmh::run {
namespace {
constexpr auto kPlainInterval = std::chrono::seconds(5);
constexpr auto kTerminalInterval = std::chrono::milliseconds(200);
}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char text[32];
  if (seconds < 9.95) std::snprintf(text, sizeof text, "%.1fs", seconds);
  else if (s < 60) std::snprintf(text, sizeof text, "%lds", s);
  else if (s < 3600) std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return text;
}

Progress::Progress(std::string label, std::size_t total, std::size_t already_done, Mode mode, std::FILE* out)
    : label_(std::move(label)),
      total_(total),
      done_(already_done),
      enabled_(mode != Mode::kQuiet),
      terminal_(isatty(fileno(out)) != 0),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

Progress::~Progress() {
  if (enabled_ && terminal_ && !finished_) std::fputc('\n', out_);  // leave the partial line readable
}

void Progress::advance(std::size_t samples, std::size_t cached) {
  done_ += samples;
  done_here_ += samples;
  cached_ += cached;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_print_ >= (terminal_ ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(kTerminalInterval)
                                      : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kPlainInterval))) {
    print(false);
    last_print_ = now;
  }
}

void Progress::finish() {
  if (enabled_ && !finished_) print(true);
  finished_ = true;
}

void Progress::print(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? done_here_ / elapsed : 0;
  const double eta = rate > 0 ? (total_ - done_) / rate : NAN;
  char line[256];
  std::snprintf(line, sizeof line, "%s: %zu/%zu (%3.0f%%) %.2f samples/s %s %s%s", label_.c_str(), done_, total_,
                total_ ? 100.0 * done_ / total_ : 100.0, rate, final ? "in" : "ETA",
                format_duration(final ? elapsed : eta).c_str(),
                cached_ ? (", " + std::to_string(cached_) + " from cache").c_str() : "");
  if (terminal_) std::fprintf(out_, "\r\033[K%s%s", line, final ? "\n" : "");
  else std::fprintf(out_, "%s\n", line);
  std::fflush(out_);
}

}  // namespace mmh::run
