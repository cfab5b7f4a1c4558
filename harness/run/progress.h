#pragma once
// Live progress of one evaluation on stderr. On a terminal: one line redrawn
// in place (done/total, samples/s, ETA). Otherwise (CI logs): a plain line
// every few seconds. Quiet: nothing.
#include <chrono>
#include <cstdio>
#include <string>

namespace mmh::run {

class Progress {
 public:
  enum class Mode { kAuto, kQuiet };
  Progress(std::string label, std::size_t total, std::size_t already_done, Mode mode, std::FILE* out = stderr);
  ~Progress();
  void advance(std::size_t samples, std::size_t cached);
  void finish();  // the final line (terminals: the redrawn line is completed)

 private:
  void print(bool final);
  std::string label_;
  std::size_t total_, done_, cached_ = 0, done_here_ = 0;
  bool enabled_, terminal_, finished_ = false;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_print_;
};

// "1m05s", "42s", "2h03m"
std::string format_duration(double seconds);

}  // namespace mmh::run
