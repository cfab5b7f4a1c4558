#include "support/run_command.h"

#include <sys/wait.h>

#include <cstdlib>

#include "support/temp_dir.h"

namespace mmh::test {
namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

CommandResult run_mmharness(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  TempDir io;
  std::string command;
  if (!cwd.empty()) command.append("cd ").append(shell_quote(cwd.string())).append(" && ");
  command.append(shell_quote(MMH_BINARY));
  for (const auto& a : args) command.append(" ").append(shell_quote(a));
  command.append(" </dev/null >").append(shell_quote((io / "out").string()));
  command.append(" 2>").append(shell_quote((io / "err").string()));
  const int status = std::system(command.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(io / "out");
  result.err = read_file(io / "err");
  return result;
}

}  // namespace mmh::test
