#include "harness/cli/data_options.h"

#include <CLI/CLI.hpp>

#include "common/error.h"

namespace mmh::cli {

tasks::DataRoot DataOptions::resolve() const {
  if (!std::filesystem::is_directory(data_root)) throw Error(data_root, "--data-root is not a directory");
  std::map<std::string, std::filesystem::path> overrides;
  for (const auto& spec : task_dirs) {
    auto [task, path] = tasks::parse_task_dir(spec);
    if (!std::filesystem::is_directory(path)) throw Error(path.string(), "--task-dir " + task + " is not a directory");
    overrides[task] = path;
  }
  return tasks::DataRoot(data_root, std::move(overrides));
}

void add_data_options(CLI::App& command, DataOptions& options, bool required) {
  auto* root = command.add_option("--data-root", options.data_root,
                                  "Folder with one sub-folder per task, as the official downloads unpack");
  if (required) root->required();
  command.add_option("--task-dir", options.task_dirs, "Another folder for one task's files: TASK=PATH (repeatable)");
}

}  // namespace mmh::cli
