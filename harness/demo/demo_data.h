#pragma once
// The demo data root: all nine benchmarks in their official file formats
// (exactly what tasks/load_*.cpp read, see docs/tasks.md), with synthetic
// images of coloured shapes and captions, questions and answers that describe
// them. Everything is drawn from the seed: the same options give the same bytes.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mmh::demo {

struct DemoDataOptions {
  std::size_t samples = 12;  // per task, in the scored split
  std::size_t pool = 16;     // per task, in the demonstration split
  std::uint64_t seed = 0;
};

struct DemoTaskCounts {
  std::string task;                  // catalog id: "coco", "vqav2", ...
  std::size_t eval = 0, demos = 0;   // samples written in the scored and the demonstration split
};

struct DemoData {
  std::vector<DemoTaskCounts> tasks;  // the nine, in the order written
  std::size_t images = 0;             // image files written
  std::vector<std::string> texts;     // every caption, question, answer and option, each once, in writing order
};

// Writes the data root under `root` (created if needed). Errors name the file.
DemoData write_demo_data(const std::filesystem::path& root, const DemoDataOptions& options);

}  // namespace mmh::demo
