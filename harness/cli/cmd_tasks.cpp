// mmharness tasks: the nine benchmarks and the files each expects; with
// --data-root, which of those files are there, and, loading them, how many
// samples and images each split has.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <optional>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/data_options.h"
#include "harness/cli/store_json.h"
#include "tasks/catalog.h"

namespace mmh::cli {
namespace {

struct TasksOptions {
  DataOptions data;  // data_root empty: only list what is expected
  std::vector<std::string> only;
  bool json = false;
};

// What loading one split found.
struct SplitReport {
  std::string split;
  std::size_t samples = 0, skipped = 0;
  std::string skip_rule;
  tasks::ImageCount images;
};

struct TaskReport {
  const tasks::TaskInfo* task;
  std::vector<tasks::LayoutCheck> checks;  // empty without --data-root
  std::vector<SplitReport> splits;         // once the files are complete and load
  std::optional<Error> problem;            // the first missing or malformed file
  bool ready() const {
    for (const auto& c : checks)
      if (c.complete()) return true;
    return false;
  }
};

SplitReport split_report(const tasks::SplitData& split) {
  return {split.split, split.samples.size(), split.skipped, split.skip_rule, tasks::count_images(split)};
}

// Loads the task's splits and counts their images; the first problem is kept, not thrown, so every task is reported.
void load_and_count(TaskReport& r, const tasks::DataRoot& root, const std::string& data_root) {
  if (!r.ready()) {
    for (const auto& path : r.checks.front().paths)
      if (!path.found) {
        r.problem = Error((std::filesystem::path(data_root) / path.path).string(),
                          "missing (needed by task " + r.task->id + ")");
        return;
      }
  }
  try {
    const tasks::TaskData data = tasks::load_task(*r.task, root);
    for (const auto* split : {&data.eval, &data.demos}) {
      r.splits.push_back(split_report(*split));
      const auto& images = r.splits.back().images;
      if (images.missing && !r.problem)
        r.problem = Error(images.first_missing, "image missing (sample " + images.first_missing_sample + " of " +
                                                    r.task->id + " " + split->split + "; " +
                                                    std::to_string(images.missing) + " missing in that split)");
    }
  } catch (const Error& e) {
    r.problem = e;
  }
}

std::vector<const tasks::TaskInfo*> selected_tasks(const std::vector<std::string>& ids) {
  std::vector<const tasks::TaskInfo*> out;
  if (ids.empty()) {
    for (const auto& t : tasks::task_catalog()) out.push_back(&t);
    return out;
  }
  for (const auto& id : ids) {
    const auto* t = tasks::find_task(id);
    if (!t) throw Error("--tasks", "unknown task '" + id + "' (known: " + tasks::known_task_ids() + ")");
    out.push_back(t);
  }
  return out;
}

nlohmann::json report_json(const TaskReport& r, bool checked) {
  const auto& t = *r.task;
  nlohmann::json layouts = nlohmann::json::array();
  for (std::size_t i = 0; i < t.layouts.size(); ++i) {
    nlohmann::json paths = nlohmann::json::array();
    for (std::size_t p = 0; p < t.layouts[i].paths.size(); ++p) {
      nlohmann::json path = {{"path", t.layouts[i].paths[p]}};
      if (checked) path["found"] = r.checks[i].paths[p].found;
      paths.push_back(std::move(path));
    }
    layouts.push_back({{"name", t.layouts[i].name}, {"paths", std::move(paths)}});
  }
  nlohmann::json j = {{"id", t.id},
                      {"title", t.title},
                      {"kind", t.kind},
                      {"eval_split", t.eval_split},
                      {"demo_split", t.demo_split},
                      {"headline_metric", t.headline_metric},
                      {"layouts", std::move(layouts)}};
  if (checked) {
    nlohmann::json splits = nlohmann::json::array();
    for (const auto& sp : r.splits) {
      nlohmann::json split = {{"split", sp.split},
                              {"samples", sp.samples},
                              {"images_found", sp.images.found},
                              {"images_missing", sp.images.missing}};
      if (sp.skipped) split["skipped"] = {{"records", sp.skipped}, {"rule", sp.skip_rule}};
      splits.push_back(std::move(split));
    }
    j["splits"] = std::move(splits);
    j["ready"] = r.ready() && !r.problem;
    if (r.problem) j["error"] = r.problem->what();
  }
  return j;
}

void print_report(const TaskReport& r, bool checked) {
  const auto& t = *r.task;
  std::cout << t.id << ": " << t.title << " (" << t.kind << "; scores " << t.eval_split << ", demonstrations from "
            << t.demo_split << "; " << t.headline_metric << ")";
  if (checked) std::cout << (!r.ready() ? "  [MISSING FILES]" : r.problem ? "  [ERROR]" : "  [ready]");
  std::cout << "\n";
  for (std::size_t i = 0; i < t.layouts.size(); ++i) {
    if (t.layouts.size() > 1) std::cout << "  " << (i ? "or " : "") << t.layouts[i].name << ":\n";
    for (std::size_t p = 0; p < t.layouts[i].paths.size(); ++p) {
      std::cout << (t.layouts.size() > 1 ? "    " : "  ");
      if (checked) std::cout << (r.checks[i].paths[p].found ? "found    " : "missing  ");
      std::cout << t.layouts[i].paths[p] << "\n";
    }
  }
  for (const auto& sp : r.splits) {
    std::cout << "  " << sp.split << ": " << sp.samples << " samples, " << sp.images.found << " images found, "
              << sp.images.missing << " missing";
    if (sp.skipped) std::cout << "; " << sp.skipped << " records skipped (" << sp.skip_rule << ")";
    std::cout << "\n";
  }
  if (r.problem && r.ready()) std::cout << "  error: " << r.problem->what() << "\n";
}

void list_tasks(const TasksOptions& opts) {
  const bool checked = !opts.data.data_root.empty();
  if (!checked && !opts.data.task_dirs.empty()) throw Error("--task-dir", "needs --data-root");
  std::optional<tasks::DataRoot> root;
  if (checked) root = opts.data.resolve();

  std::vector<TaskReport> reports;
  for (const auto* t : selected_tasks(opts.only)) {
    TaskReport r{t, {}, {}, std::nullopt};
    if (checked) {
      r.checks = tasks::check_files(*t, *root);
      load_and_count(r, *root, opts.data.data_root);
    }
    reports.push_back(std::move(r));
  }

  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : reports) out.push_back(report_json(r, checked));
    print_json(std::cout, out);
  } else {
    if (!checked) std::cout << "Files each task expects under --data-root (a trailing / is a folder of images):\n\n";
    for (const auto& r : reports) print_report(r, checked);
  }

  // Exit 2 naming the first missing or malformed file of the first task that cannot run.
  for (const auto& r : reports)
    if (r.problem) throw *r.problem;
}

}  // namespace

void add_tasks_command(CLI::App& app) {
  auto opts = std::make_shared<TasksOptions>();
  auto* cmd = app.add_subcommand("tasks", "List the nine benchmarks and the files each expects under a data root");
  add_data_options(*cmd, opts->data, /*required=*/false);
  cmd->add_option("--tasks", opts->only, "Only these tasks (comma-separated ids)")->delimiter(',');
  cmd->add_flag("--json", opts->json, "Print one JSON array instead of text");
  cmd->callback([opts] { list_tasks(*opts); });
}

}  // namespace mmh::cli
