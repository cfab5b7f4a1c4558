#pragma once
// The median wall time of a shell command over `repeats` runs, for the
// benchmarks that time whole mmharness commands.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace mmh::bench {

// expected_exit: the exit status the command must end with (a nonzero one for
// commands that report missing generated images); anything else aborts.
inline double median_seconds(const std::string& command, int repeats, int expected_exit = 0) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const int status = std::system(command.c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != expected_exit) {
      std::fprintf(stderr, "unexpected exit status of: %s\n", command.c_str());
      std::exit(1);
    }
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace mmh::bench
