// mmharness tasks: the nine benchmarks and the files each expects; with
// --data-root, which of those files are there.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/store_json.h"
#include "tasks/catalog.h"

namespace mmh::cli {
namespace {

struct TasksOptions {
  std::string data_root;  // empty: only list what is expected
  std::vector<std::string> only;
  bool json = false;
};

struct TaskReport {
  const tasks::TaskInfo* task;
  std::vector<tasks::LayoutCheck> checks;  // empty without --data-root
  bool ready() const {
    for (const auto& c : checks)
      if (c.complete()) return true;
    return false;
  }
};

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
  if (checked) j["ready"] = r.ready();
  return j;
}

void print_report(const TaskReport& r, bool checked) {
  const auto& t = *r.task;
  std::cout << t.id << ": " << t.title << " (" << t.kind << "; scores " << t.eval_split << ", demonstrations from "
            << t.demo_split << "; " << t.headline_metric << ")";
  if (checked) std::cout << (r.ready() ? "  [ready]" : "  [MISSING FILES]");
  std::cout << "\n";
  for (std::size_t i = 0; i < t.layouts.size(); ++i) {
    if (t.layouts.size() > 1) std::cout << "  " << (i ? "or " : "") << t.layouts[i].name << ":\n";
    for (std::size_t p = 0; p < t.layouts[i].paths.size(); ++p) {
      std::cout << (t.layouts.size() > 1 ? "    " : "  ");
      if (checked) std::cout << (r.checks[i].paths[p].found ? "found    " : "missing  ");
      std::cout << t.layouts[i].paths[p] << "\n";
    }
  }
}

void list_tasks(const TasksOptions& opts) {
  const bool checked = !opts.data_root.empty();
  if (checked && !std::filesystem::is_directory(opts.data_root))
    throw Error(opts.data_root, "--data-root is not a directory");

  std::vector<TaskReport> reports;
  for (const auto* t : selected_tasks(opts.only))
    reports.push_back({t, checked ? tasks::check_files(*t, opts.data_root) : std::vector<tasks::LayoutCheck>{}});

  if (opts.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : reports) out.push_back(report_json(r, checked));
    print_json(std::cout, out);
  } else {
    if (!checked) std::cout << "Files each task expects under --data-root (a trailing / is a folder of images):\n\n";
    for (const auto& r : reports) print_report(r, checked);
  }

  // Exit 2 naming the first missing file of the first task that cannot run.
  for (const auto& r : reports) {
    if (!checked || r.ready()) continue;
    for (const auto& path : r.checks.front().paths)
      if (!path.found)
        throw Error((std::filesystem::path(opts.data_root) / path.path).string(),
                    "missing (needed by task " + r.task->id + ")");
  }
}

}  // namespace

void add_tasks_command(CLI::App& app) {
  auto opts = std::make_shared<TasksOptions>();
  auto* cmd = app.add_subcommand("tasks", "List the nine benchmarks and the files each expects under a data root");
  cmd->add_option("--data-root", opts->data_root, "Check which of the expected files exist under DIR");
  cmd->add_option("--tasks", opts->only, "Only these tasks (comma-separated ids)")->delimiter(',');
  cmd->add_flag("--json", opts->json, "Print one JSON array instead of text");
  cmd->callback([opts] { list_tasks(*opts); });
}

}  // namespace mmh::cli
