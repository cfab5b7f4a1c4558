#pragma once
// The nine benchmarks, declared as data in one place: their ids, the splits
// they evaluate and draw demonstrations from, their headline metric, and the
// files each expects under the data root (laid out as the official downloads
// unpack). Loaders, templates and metrics hang off these entries.
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mmh::tasks {

// One complete way of providing a task's data. Paths are relative to the data
// root; a trailing '/' marks a folder (of images).
struct FileLayout {
  std::string name;  // "official", "VLMEvalKit TSV", ...
  std::vector<std::string> paths;
};

// How a task's samples become prompts (prompts/templates.h has the texts).
enum class PromptKind { kCaption, kVqa, kMultipleChoice };

struct TaskInfo {
  std::string id;               // used on every command line: "coco", "vqav2", ...
  std::string title;            // "COCO Captions (Karpathy test)"
  std::string kind;             // "captioning", "vqa", "multi-discipline QA"
  std::string eval_split;       // the split that is scored
  std::string demo_split;       // where few-shot demonstrations come from ("coco:train": another task's)
  std::string headline_metric;  // "CIDEr", "accuracy"
  std::vector<FileLayout> layouts;  // any one complete layout suffices
  PromptKind prompt = PromptKind::kVqa;
  std::string instruction;      // the `instruct` template's task instruction
  std::string open_instruction;  // MMMU: the instruction for a question without options
  int max_new_tokens = 10;      // generation length
  std::string postprocess;      // the named step from raw output to prediction (tasks/postprocess.h)
};

std::span<const TaskInfo> task_catalog();
const TaskInfo* find_task(std::string_view id);  // nullptr when unknown
std::string known_task_ids();                    // "coco, nocaps, ..." for error messages

struct PathCheck {
  std::string path;  // relative to the data root
  bool found = false;
};
struct LayoutCheck {
  const FileLayout* layout = nullptr;
  std::vector<PathCheck> paths;
  bool complete() const;
};

}  // namespace mmh::tasks
