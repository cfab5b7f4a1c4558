#pragma once
// JUnit files checked the way a CI system would read them: validated against
// tests/data/junit.xsd by xmllint, and read back with XPath. Without xmllint
// the test is reported as SKIPPED (exit 77), never passed.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "support/refdata.h"
#include "support/temp_dir.h"

namespace mmh::test {

inline constexpr const char* kXmllint = "/usr/bin/xmllint";

struct XmllintResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

inline XmllintResult xmllint(const std::string& arguments) {
  if (!std::filesystem::exists(kXmllint)) {
    std::cout << "SKIPPED: " << kXmllint << " not found (apt-get install libxml2-utils); JUnit XML was not validated"
              << std::endl;
    std::cerr << "SKIPPED: xmllint missing" << std::endl;
    std::exit(kSkipExitCode);
  }
  TempDir io;
  const std::string command = std::string(kXmllint) + " " + arguments + " >" + (io / "out").string() + " 2>&1";
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(io / "out")};
}

inline std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

// `xmllint --noout --schema tests/data/junit.xsd FILE`.
inline XmllintResult validate_junit(const std::filesystem::path& file) {
  const auto schema = std::filesystem::path(MMH_SOURCE_DIR) / "tests" / "data" / "junit.xsd";
  return xmllint("--noout --schema " + quoted(schema) + " " + quoted(file));
}

// The string value of an XPath expression (quotes in `expression` must be double quotes).
inline std::string xpath_string(const std::filesystem::path& file, const std::string& expression) {
  auto out = xmllint("--xpath 'string(" + expression + ")' " + quoted(file)).output;
  if (!out.empty() && out.back() == '\n') out.pop_back();  // xmllint ends the value with a newline
  return out;
}

}  // namespace mmh::test
