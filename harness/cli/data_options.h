#pragma once
// The data-root options that commands reading benchmark data share:
// --data-root DIR and --task-dir TASK=PATH (repeatable).
#include <string>
#include <vector>

#include "tasks/task_data.h"

namespace CLI {
class App;
}

namespace mmh::cli {

struct DataOptions {
  std::string data_root;
  std::vector<std::string> task_dirs;
  tasks::DataRoot resolve() const;  // checks the folders; mmh::Error naming a bad one
};

void add_data_options(CLI::App& command, DataOptions& options, bool required);

}  // namespace mmh::cli
