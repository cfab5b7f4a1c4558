#pragma once
// One error type for everything the user can fix: a bad argument, a missing or
// malformed file, a database that cannot be used. It carries the process exit
// code and, when there is one, the file (and record) it is about, so the CLI
// prints exactly one clear line: "mmharness: error: <where>: <what>".
#include <stdexcept>
#include <string>

namespace mmh {

enum ExitCode : int {
  kExitOk = 0,
  kExitCheckFailed = 1,  // e.g. `gate` found a regression
  kExitUsage = 2,        // bad arguments or bad input
  kExitInterrupted = 130,  // stopped by SIGINT/SIGTERM after committing (the shell's 128 + SIGINT)
};

class Error : public std::runtime_error {
 public:
  // `where` names the file, and the record in it when known ("a.json: record 12").
  Error(std::string where, const std::string& what, int exit_code = kExitUsage);
  explicit Error(const std::string& what, int exit_code = kExitUsage);

  const std::string& where() const { return where_; }
  int exit_code() const { return exit_code_; }

 private:
  std::string where_;
  int exit_code_;
};

// The accelerator ran out of memory. The backend throws it (translated from
// LibTorch's error) so that `run` can retry the batch at half its size.
class OutOfMemoryError : public Error {
 public:
  explicit OutOfMemoryError(const std::string& what);
  ~OutOfMemoryError() override;  // out of line: one type identity across the backend plugin
};

}  // namespace mmh
