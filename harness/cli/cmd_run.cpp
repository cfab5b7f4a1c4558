// mmharness run: score a checkpoint on benchmarks at 0/4/8 shots and store
// every sample and metric in the results database. Crash-safe and resumable
// (the same command continues an unfinished run), sharded across processes
// by --shard or the launcher's environment (harness/run/).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/build_info.h"
#include "common/error.h"
#include "harness/cli/app.h"
#include "harness/cli/backend_plugin.h"
#include "harness/cli/data_options.h"
#include "harness/cli/store_json.h"
#include "harness/cli/text_table.h"
#include "harness/run/model_digest.h"
#include "harness/run/progress.h"
#include "harness/run/runner.h"
#include "prompts/templates.h"
#include "tasks/catalog.h"

namespace mmh::cli {
namespace {

namespace fs = std::filesystem;

struct RunCommandOptions {
  std::string model;
  std::string tasks;
  std::string shots = "0";
  DataOptions data;
  std::string db = kDefaultDatabase;
  int trials = 1;
  std::uint64_t seed = 0;
  std::size_t limit = 0;
  std::string template_id = "fewshot";
  std::string demos = "per-query";
  bool truncate_demos = false;
  int batch_size = 8;
  std::string device = "cpu", dtype = "fp32", variant;
  std::optional<int> max_new_tokens;
  std::string name;
  std::optional<std::string> shard;
  bool new_run = false, no_cache = false, quiet = false, json = false;
  int bootstrap = 1000;
};

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::vector<std::string> parse_tasks(const std::string& text) {
  std::vector<std::string> ids;
  for (const auto& id : split_list(text)) {
    if (id == "all") {
      for (const auto& t : tasks::task_catalog()) ids.push_back(t.id);
      continue;
    }
    if (!tasks::find_task(id)) throw Error("--tasks", "unknown task '" + id + "' (known: " + tasks::known_task_ids() + ", or all)");
    ids.push_back(id);
  }
  if (ids.empty()) throw Error("--tasks", "names no task");
  std::vector<std::string> unique;
  for (const auto& id : ids)
    if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
  return unique;
}

std::vector<int> parse_shots(const std::string& text) {
  std::vector<int> shots;
  for (const auto& item : split_list(text)) {
    int value = -1;
    try {
      std::size_t used = 0;
      value = std::stoi(item, &used);
      if (used != item.size()) value = -1;
    } catch (const std::exception&) {
    }
    if (value < 0 || value > 64) throw Error("--shots", "'" + item + "' is not a number of shots from 0 to 64");
    if (std::find(shots.begin(), shots.end(), value) == shots.end()) shots.push_back(value);
  }
  if (shots.empty()) throw Error("--shots", "names no shot count");
  return shots;
}

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "";
}

// The GPU's name from nvidia-smi (no CUDA headers needed at build time); "" when it is not there.
// cuda:i is the i-th device CUDA_VISIBLE_DEVICES leaves visible.
std::string gpu_name(const std::string& device) {
  int index = 0;
  if (device.size() > 5 && device[4] == ':') index = std::atoi(device.c_str() + 5);
  std::string select = std::to_string(index);
  if (const char* visible = std::getenv("CUDA_VISIBLE_DEVICES"); visible && *visible) {
    const auto list = split_list(visible);
    if (index < static_cast<int>(list.size())) select = list[index];
  }
  if (select.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") != std::string::npos)
    return "";
  std::FILE* pipe = popen(("nvidia-smi --query-gpu=name --format=csv,noheader -i " + select + " 2>/dev/null").c_str(), "r");
  if (!pipe) return "";
  char line[256] = {};
  const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
  pclose(pipe);
  std::string name = read ? line : "";
  while (!name.empty() && (name.back() == '\n' || name.back() == ' ')) name.pop_back();
  return name;
}

std::string device_description(const backend::ModelInfo& info) {
  std::string name = info.device_name;
  if (name.empty()) name = info.device == "cpu" ? cpu_name() : gpu_name(info.device);
  return name.empty() ? info.device : info.device + " (" + name + ")";
}

// Reads every task's files before the model loads: a missing or malformed file fails in seconds, not after loading.
std::vector<tasks::TaskData> load_tasks(const std::vector<std::string>& ids, const tasks::DataRoot& root,
                                        const std::vector<int>& shots) {
  const bool need_demos = std::any_of(shots.begin(), shots.end(), [](int s) { return s > 0; });
  std::vector<tasks::TaskData> data;
  for (const auto& id : ids) {
    const tasks::TaskInfo& task = *tasks::find_task(id);
    const auto checks = tasks::check_files(task, root);
    if (std::none_of(checks.begin(), checks.end(), [](const auto& c) { return c.complete(); })) {
      std::string missing;
      for (const auto& p : checks.front().paths)
        if (!p.found) missing += (missing.empty() ? "" : ", ") + p.path;
      throw Error(root.root().string(), "has no data for task " + id + ": missing " + missing +
                                            " (see docs/tasks.md, or `mmharness tasks --data-root " +
                                            root.root().string() + "`)");
    }
    data.push_back(tasks::load_task(task, root, need_demos ? tasks::Splits::kBoth : tasks::Splits::kEvalOnly));
    if (data.back().eval.samples.empty())
      throw Error(root.root().string(), "task " + id + " has no samples in its " + data.back().eval.split + " split");
  }
  return data;
}

nlohmann::json provenance(const backend::ModelInfo& info, const std::string& device, const run::CheckpointDigest& digest,
                          const backend::RuntimeInfo& runtime, const tasks::DataRoot& root,
                          const std::vector<tasks::TaskData>& data) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& d : data) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& f : d.eval.files) list.push_back(f.string());
    files[d.task->id] = {{"eval_files", list}, {"eval_samples", d.eval.samples.size()},
                         {"demo_pool", d.demos.samples.size()}};
  }
  return {{"model",
           {{"path", fs::absolute(info.path).lexically_normal().string()},
            {"family", info.family},
            {"digest", digest.digest},
            {"digest_files", digest.files},
            {"digest_bytes", digest.bytes},
            {"weights", info.weights},
            {"parameters", info.parameters},
            {"context_length", info.context_length},
            {"image_features_per_image", info.image_features_per_image},
            {"dtype", info.dtype},
            {"device", info.device},
            {"device_description", device}}},
          {"runtime",
           {{"libtorch", runtime.torch_version},
            {"cuda_available", runtime.cuda_available},
            {"cuda_devices", runtime.cuda_device_count},
            {"cuda_runtime", runtime.cuda_runtime},
            {"cpu_threads", runtime.cpu_threads},
            {"blas", runtime.blas},
            {"blas_threading", runtime.blas_threading}}},
          {"harness", {{"version", harness_version()}, {"git_revision", git_revision()}}},
          {"data", {{"root", fs::absolute(root.root()).lexically_normal().string()}, {"tasks", files}}}};
}

void print_table(const store::RunDetail& run, const run::RunOutcome& outcome, const fs::path& db) {
  TextTable table({"task", "shots", "trial", "metric", "value", "95% CI", "n", "failed", "cached", "time"});
  for (const auto& e : run.evaluations) {
    const store::Metric* headline = e.metrics.empty() ? nullptr : &e.metrics.front();
    table.add_row({e.spec.task, std::to_string(e.spec.shots), std::to_string(e.spec.trial),
                   headline ? headline->name : "-", headline ? format_number(headline->value, 2) : "-",
                   headline ? format_interval(*headline) : "-",
                   std::to_string(e.samples_done) + (e.status == "completed" ? "" : "/" + std::to_string(e.spec.sample_count)),
                   std::to_string(e.samples_failed), std::to_string(e.samples_cached),
                   e.wall_seconds ? run::format_duration(*e.wall_seconds) : "-"});
  }
  std::cout << "\n";
  table.print(std::cout);
  std::cout << "\nrun " << run.summary.id << " " << run.summary.status << " in " << db.string() << ": "
            << outcome.generated << " generated, " << outcome.cached << " from the response cache, " << outcome.failed
            << " failed";
  if (outcome.resumed) std::cout << "; resumed with " << outcome.samples_already_stored << " samples already stored";
  std::cout << "\n";
  if (outcome.failed)
    std::cout << "failed samples are scored as empty outputs; their reasons: mmharness show " << run.summary.id
              << " --db " << db.string() << " --json, or the samples table\n";
}

void run_command(const RunCommandOptions& o, const std::vector<std::string>& argv) {
  run::RunOptions options;
  options.model_dir = o.model;
  options.tasks = parse_tasks(o.tasks);
  options.shots = parse_shots(o.shots);
  options.trials = o.trials;
  options.seed = o.seed;
  options.limit = o.limit;
  options.template_id = o.template_id;
  if (!prompts::find_template_set(o.template_id))
    throw Error("--template", "unknown template set '" + o.template_id + "' (known: " + prompts::known_template_ids() + ")");
  options.demos = prompts::parse_demo_mode(o.demos);
  options.truncate_demos = o.truncate_demos;
  options.batch_size = o.batch_size;
  options.shard = run::resolve_shard(o.shard);
  options.device = run::shard_device(o.device, options.shard);
  options.dtype = o.dtype;
  options.weights_variant = o.variant;
  options.max_new_tokens = o.max_new_tokens;
  if (!o.name.empty()) options.name = o.name;
  options.new_run = o.new_run;
  options.use_cache = !o.no_cache;
  options.progress = o.quiet ? run::Progress::Mode::kQuiet : run::Progress::Mode::kAuto;
  options.bootstrap = o.bootstrap;
  options.argv = argv;

  // Everything that can be checked without the model is checked first.
  const tasks::DataRoot root = o.data.resolve();
  run::RunInputs inputs;
  inputs.data = load_tasks(options.tasks, root, options.shots);
  const run::CheckpointDigest digest = run::checkpoint_digest(options.model_dir, options.weights_variant);
  const fs::path db = run::shard_database(o.db, options.shard);

  backend::LoadOptions load;
  load.device = options.device;
  load.dtype = options.dtype;
  load.weights_variant = options.weights_variant;
  auto model = backend_load_model(options.model_dir, load);
  inputs.model = model.get();
  inputs.model_digest = digest.digest;
  inputs.device_description = device_description(model->info());
  inputs.provenance =
      provenance(model->info(), inputs.device_description, digest, backend_runtime_info(), root, inputs.data);

  auto store = store::ResultsStore::open(db, store::ResultsStore::OpenMode::kCreate);
  if (!o.quiet)
    std::cerr << "mmharness run: " << model->info().family << " " << o.model << " (" << model->info().dtype << ", "
              << inputs.device_description << ", " << digest.digest << ")"
              << (options.shard.sharded() ? ", shard " + std::to_string(options.shard.index) + " of " +
                                                std::to_string(options.shard.count) + " (" + options.shard.source + ")"
                                          : "")
              << " -> " << db.string() << "\n";
  const run::RunOutcome outcome = run::execute_run(options, inputs, store);
  const auto detail = store.find_run(outcome.run_id);
  if (o.json) {
    nlohmann::json j = to_json(*detail);
    j["database"] = db.string();
    j["resumed"] = outcome.resumed;
    j["samples_already_stored"] = outcome.samples_already_stored;
    j["generated"] = outcome.generated;
    j["from_cache"] = outcome.cached;
    j["failed"] = outcome.failed;
    print_json(std::cout, j);
  } else {
    print_table(*detail, outcome, db);
  }
  if (outcome.interrupted) {
    std::cerr << "mmharness: interrupted; everything up to the last batch is stored. Resume with:\n  "
              << run::shell_command(argv) << "\n";
    set_exit_code(kExitInterrupted);
  }
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto o = std::make_shared<RunCommandOptions>();
  auto* cmd = app.add_subcommand("run", "Score a checkpoint on benchmarks (0/4/8-shot) into the results database");
  cmd->add_option("--model", o->model, "Checkpoint folder (Hugging Face layout)")->required();
  cmd->add_option("--tasks", o->tasks, "Comma-separated task ids, or all: " + tasks::known_task_ids())->required();
  cmd->add_option("--shots", o->shots, "Comma-separated shot counts, e.g. 0,4,8")->capture_default_str();
  add_data_options(*cmd, o->data, /*required=*/true);
  cmd->add_option("--db", o->db, "Results database (SQLite); a shard writes DB.shard-I-of-N.sqlite")
      ->capture_default_str();
  cmd->add_option("--trials", o->trials, "Demonstration draws per few-shot setting (zero-shot runs once)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  cmd->add_option("--seed", o->seed, "Seed of demonstrations, --limit and the bootstrap")->capture_default_str();
  cmd->add_option("--limit", o->limit, "A seeded random subset of N samples per task (the same in every run and shard)");
  cmd->add_option("--template", o->template_id, "Template set: " + prompts::known_template_ids())->capture_default_str();
  cmd->add_option("--demos", o->demos, "per-query (a draw per sample) or fixed (one per trial; shares the prefix)")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-query", "fixed"}));
  cmd->add_flag("--truncate-demos", o->truncate_demos,
                "Drop demonstrations (farthest first) from prompts that do not fit the context, instead of failing");
  cmd->add_option("--batch-size", o->batch_size, "Prompts per batch (halved on out-of-memory)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--device", o->device, "cpu, cuda or cuda:N (a launcher's process gets cuda:LOCAL_RANK)")
      ->capture_default_str();
  cmd->add_option("--dtype", o->dtype, "fp32 or bf16")->capture_default_str()->check(CLI::IsMember({"fp32", "bf16"}));
  cmd->add_option("--variant", o->variant, "Weights variant: reads model.VARIANT.safetensors");
  cmd->add_option("--max-new-tokens", o->max_new_tokens, "Override every task's generation length")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--name", o->name, "A name for the run (shown by runs, show and reports)");
  cmd->add_option("--shard", o->shard, "Score slice I of N (0-based), e.g. 0/4; default: from torchrun or srun");
  cmd->add_flag("--new-run", o->new_run, "Start a fresh run even if an unfinished one has the same settings");
  cmd->add_flag("--no-cache", o->no_cache, "Generate everything again instead of reusing stored outputs");
  cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples for the 95% intervals (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--quiet", o->quiet, "No progress lines");
  cmd->add_flag("--json", o->json, "Print the run as one JSON object");
  cmd->callback([o, &app] {
    std::vector<std::string> argv = {"mmharness"};
    (void)app;
    for (const auto& arg : command_line()) argv.push_back(arg);
    run_command(*o, argv);
  });
}

}  // namespace mmh::cli
