#pragma once
// The samples of a benchmark, loaded from its official files: the split that
// is scored and the pool demonstrations are drawn from. One record type for
// all nine tasks (tasks are data, not classes); what a field means per task is
// in docs/tasks.md.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tasks/catalog.h"

namespace mmh::tasks {

namespace fs = std::filesystem;

struct ImageFile {
  std::string key;  // stable: the path relative to the data root, "coco/val2014/COCO_val2014_000000391895.jpg"
  fs::path path;    // where the bytes are
};

struct TaskSample {
  std::string key;                      // unique in its split: question id, image id, MMMU id
  std::vector<ImageFile> images;        // in prompt order (MMMU: <image 1>, <image 2>, ...)
  std::string question;                 // empty for captioning
  std::vector<std::string> options;     // MMMU multiple-choice options, in letter order
  std::vector<std::string> references;  // captions; the ten human answers; GQA's answer; MMMU's gold
  std::string demo_answer;              // what a demonstration shows: first caption, most frequent answer, ...
  std::map<std::string, std::string> meta;  // answer_type, question_type, subfield, structural, ...
};

struct SplitData {
  std::string split;  // "test", "train", "val", "dev", ...
  std::vector<fs::path> files;
  std::vector<TaskSample> samples;
  std::size_t skipped = 0;  // records left out by a documented rule (see skip_rule)
  std::string skip_rule;
};

struct TaskData {
  const TaskInfo* task = nullptr;
  SplitData eval;   // the scored split
  SplitData demos;  // the demonstration pool
};

// Where each task's folder is: <root>/<folder> unless overridden (--task-dir TASK=PATH).
class DataRoot {
 public:
  explicit DataRoot(fs::path root, std::map<std::string, fs::path> overrides = {});
  // "coco/val2014/x.jpg" -> <root>/coco/val2014/x.jpg, or <override of coco>/val2014/x.jpg.
  fs::path resolve(const std::string& relative) const;
  const fs::path& root() const { return root_; }

 private:
  fs::path root_;
  std::map<std::string, fs::path> overrides_;
};

// Which of the task's files exist (folders must be folders).
std::vector<LayoutCheck> check_files(const TaskInfo& task, const DataRoot& root);

// Parses "TASK=PATH" (--task-dir); the folder name is the task id (coco, vqav2, ...).
std::pair<std::string, fs::path> parse_task_dir(const std::string& spec);

enum class Splits { kBoth, kEvalOnly };

// Reads the task's official files. Every malformed record is an mmh::Error
// naming the file and record; images are not opened (see count_images).
// demo_split overrides TaskInfo::demo_split: another split of the task's own
// files ("restval", "val"), or for the caption tasks a Karpathy split of COCO
// ("coco:train", "coco:restval").
TaskData load_task(const TaskInfo& task, const DataRoot& root, Splits splits = Splits::kBoth,
                   const std::string& demo_split = "");

// How many of the split's distinct images exist on disk, and the first missing one.
struct ImageCount {
  std::size_t found = 0, missing = 0;
  std::string first_missing;  // key of the first missing image, with the sample that uses it
  std::string first_missing_sample;
};
ImageCount count_images(const SplitData& split);

// `limit` samples chosen at random but reproducibly: the ones whose hash of
// (seed, task, key) is smallest, kept in file order. The same for every run,
// shard and batch size; a larger limit keeps the smaller one's samples.
std::vector<std::size_t> limited_subset(const TaskData& data, std::size_t limit, std::uint64_t seed);

// FNV-1a, 64 bits: stable across platforms and runs (std::hash is neither).
std::uint64_t stable_hash(std::string_view text, std::uint64_t basis = 0xcbf29ce484222325ull);

}  // namespace mmh::tasks
