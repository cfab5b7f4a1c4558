#pragma once
// A small data root with every benchmark in its official file format and
// generated image files, for loader, prompt and CLI tests. Sizes and keys are
// listed in task_fixtures.cpp; tests break it on purpose to test bad input.
#include <filesystem>
#include <string>

namespace mmh::test {

// Writes the fixture under `root` (which must exist).
void write_task_fixtures(const std::filesystem::path& root);

// A valid 2x2 RGB PNG (written as every fixture image, whatever its extension).
std::string tiny_png();

}  // namespace mmh::test
