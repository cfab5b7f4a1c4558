#include "common/error.h"

namespace mmh {

namespace {
std::string located(const std::string& where, const std::string& what) {
  if (where.empty()) return what;
  std::string text = where;
  text.append(": ").append(what);
  return text;
}
}  // namespace

Error::Error(std::string where, const std::string& what, int exit_code)
    : std::runtime_error(located(where, what)),
      where_(std::move(where)),
      exit_code_(exit_code) {}

Error::Error(const std::string& what, int exit_code) : Error(std::string(), what, exit_code) {}

OutOfMemoryError::OutOfMemoryError(const std::string& what) : Error(what, kExitUsage) {}
OutOfMemoryError::~OutOfMemoryError() = default;

}  // namespace mmh
