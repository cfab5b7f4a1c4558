#pragma once
// Locates ../shared/refdata (or $MMH_REFDATA). A test that needs it and does
// not find it is reported as SKIPPED by ctest, with the reason, never passed.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace mmh::test {

// ctest's SKIP_RETURN_CODE for the test executables (see tests/CMakeLists.txt).
inline constexpr int kSkipExitCode = 77;

inline std::filesystem::path refdata_root() {
  if (const char* env = std::getenv("MMH_REFDATA"); env && *env) return env;
  return std::filesystem::path(MMH_SOURCE_DIR) / ".." / "shared" / "refdata";
}

// The path of `relative` inside the reference data; skips the test (exit 77)
// with a loud message when it is absent.
inline std::filesystem::path refdata(const std::string& relative) {
  const auto path = refdata_root() / relative;
  if (!std::filesystem::exists(path)) {
    std::cout << "SKIPPED: reference data not found at " << path.string()
              << " (set MMH_REFDATA to the shared/refdata folder); this parity test did not run" << std::endl;
    std::cerr << "SKIPPED: reference data missing: " << path.string() << std::endl;
    std::exit(kSkipExitCode);
  }
  return path;
}

}  // namespace mmh::test
