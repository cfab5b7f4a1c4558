#pragma once
// Runs the real mmharness binary, as a user would, capturing its output.
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

CommandResult run_mmharness(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});

}  // namespace mmh::test
