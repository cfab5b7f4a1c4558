// mmharness demo-setup: writes a demo folder (data root of the nine tasks and
// a small random-weight LLaVA checkpoint with its tokenizer) without
// downloading anything; `make demo` runs it before a real `mmharness run`.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "harness/cli/app.h"
#include "harness/demo/demo_setup.h"
#include "tasks/catalog.h"

namespace mmh::cli {
namespace {

void print_summary(const demo::DemoSetupResult& r, const demo::DemoSetupOptions& o) {
  std::cout << "  data:  " << r.data_root.string() << "\n"
            << "         the nine benchmarks in their official file formats, " << o.samples << " scored and " << o.pool
            << "\n         demonstration samples each; " << r.images << " synthetic images of coloured shapes (PNG):\n";
  for (const auto& t : r.tasks) {
    const tasks::TaskInfo* info = tasks::find_task(t.task);
    char line[128];
    std::snprintf(line, sizeof line, "           %-9s %s %zu, %s %zu\n", t.task.c_str(),
                  info ? info->eval_split.c_str() : "scored", t.eval, info ? info->demo_split.c_str() : "demos",
                  t.demos);
    std::cout << line;
  }
  char params[32];
  std::snprintf(params, sizeof params, "%.2f M", static_cast<double>(r.parameters) / 1e6);
  std::cout << "  model: " << r.model_dir.string() << "\n"
            << "         LLaVA-1.5 layout (CLIP vision tower, projector, Llama decoder), " << params << " parameters;\n"
            << "         byte-level BPE tokenizer of " << r.vocab_size << " tokens (<s> " << demo::kBosId << ", </s> "
            << demo::kEosId << ", <image> " << r.image_token_id << ", <pad> " << r.pad_token_id << ")\n\n"
            << "The model has RANDOM weights: what it generates is meaningless, and so are its scores. The demo\n"
            << "shows the pipeline (data, prompts, generation, scoring, results), not model quality.\n\n"
            << "Try:\n"
            << "  mmharness tasks --data-root " << r.data_root.string() << "\n"
            << "  mmharness prompt --task vqav2 --data-root " << r.data_root.string() << " --shots 4\n";
}

void run_demo_setup(const demo::DemoSetupOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  const demo::DemoSetupResult r = demo::demo_setup(o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (r.up_to_date) {
    std::cout << "demo-setup: " << r.out.string() << " is up to date (written before with --samples " << o.samples
              << " --pool " << o.pool << " --seed " << o.seed << "); nothing to do.\n";
  } else {
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", seconds);
    std::cout << "demo-setup: wrote " << r.out.string() << " in " << took << "\n";
  }
  print_summary(r, o);
}

}  // namespace

void add_demo_setup_command(CLI::App& app) {
  auto o = std::make_shared<demo::DemoSetupOptions>();
  auto* cmd = app.add_subcommand(
      "demo-setup", "Write demo data (the nine tasks, synthetic images) and a small random-weight LLaVA model");
  cmd->add_option("--out", o->out, "Folder to create (or an empty one); holds data/ and model/")->required();
  cmd->add_option("--samples", o->samples, "Scored samples per task (1 to 10000)")->capture_default_str();
  cmd->add_option("--pool", o->pool, "Demonstration samples per task (8 to 10000)")->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of everything drawn: images, texts, weights")->capture_default_str();
  cmd->footer("The same arguments always give byte-identical files; run again, it says the folder is up to date.");
  cmd->callback([o] { run_demo_setup(*o); });
}

}  // namespace mmh::cli
